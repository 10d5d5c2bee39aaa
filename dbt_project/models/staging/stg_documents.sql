-- One row per ingested document of any source dated on or before the as-of date, with the company's
-- layer and region. The as-of filter lives here only: every mart, the evidence and the claims read
-- documents through this model, so a backtest (`--as-of 2025-06-30`) sees what was knowable then.
-- A translation of a call (`translation_of`) is kept for its evidence but left out of counts downstream.
{% set columns = ['doc_id', 'ticker', 'source_type', 'event_date', 'fiscal_year', 'fiscal_quarter', 'period_end',
                   'language', 'title', 'event_type', 'origin', 'n_chars', 'translation_of', 'has_management'] %}
with unioned as (  -- every source shares one schema (assets/ingest/model.py); columns named, not positional
    {% for table in ['calls_documents', 'mdna_documents', 'events_documents', 'filings_documents'] %}
    select {{ columns | join(', ') }} from {{ lake_table(source('pipeline', table)) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select
    d.doc_id,
    d.ticker,
    d.source_type,
    d.event_date,
    d.fiscal_year,
    d.fiscal_quarter,
    d.period_end,
    d.language,
    d.title,
    d.event_type,
    d.origin,
    d.n_chars,
    d.translation_of,
    d.translation_of is not null as is_translation,
    coalesce(d.has_management, false) as has_management,  -- a segment attributed to management
    u.name as company,
    u.layer,
    u.country
from unioned d
join {{ ref('universe') }} u using (ticker)
where d.event_date <= {{ as_of() }}
