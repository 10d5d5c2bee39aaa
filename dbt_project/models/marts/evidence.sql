-- Every sentence the report quotes: capex rows, guidance rows, catalysts, one management quote per matrix cell and
-- the strongest quote of each supply link.
with matrix_quotes as (
    select
        m.*,
        d.ticker,
        d.layer,
        d.source_type,
        d.event_date,
        d.origin,
        row_number() over (
            partition by d.layer, d.source_type, m.topic order by d.event_date desc, m.doc_id, m.start_offset
        ) as rn
    from {{ ref('stg_topic_mentions') }} m
    join {{ ref('stg_documents') }} d using (doc_id)
    where m.role = 'management' and d.source_type in ('call', 'mdna') and {{ in_window('d.event_date') }}
),

quotes as (
    select 'layer_topic_matrix' as used_in, {{ dbt.concat(["layer", "' ('", "source_type", "') / '", "topic"]) }} as used_for, doc_id, sentence,
        sent_start as start_offset, sent_start + {{ dbt.length('sentence') }} as end_offset
    from matrix_quotes where rn = 1
    union all
    select 'quarterly_capex', {{ dbt.concat(["ticker", "' '", "calendar_quarter"]) }}, doc_id, sentence, start_offset, end_offset
    from {{ ref('quarterly_capex') }}
    union all
    select 'capex_guidance', {{ dbt.concat(["ticker", "' '", "guided_period", "' as of '", to_text("as_of_date")]) }}, doc_id, sentence,
        start_offset, end_offset
    from {{ ref('capex_guidance') }}
    union all
    select 'catalysts', evidence_for, doc_id, quote, sent_start, sent_end
    from {{ ref('catalysts') }}
    union all
    select 'supply_links', {{ dbt.concat(["from_company", "' '", "relation", "' '", "to_company"]) }}, doc_id, sentence, start_offset,
        end_offset
    from {{ ref('supply_links') }}
)

select
    {{ dbt.hash(dbt.concat(["q.used_in", "'|'", "q.used_for", "'|'", "q.doc_id"])) }} as evidence_id,
    q.used_in,
    q.used_for,
    d.ticker,
    d.event_date,
    d.source_type,
    d.title,
    d.origin,
    q.doc_id,
    q.sentence,
    q.start_offset,
    q.end_offset
from quotes q
join {{ ref('stg_documents') }} d using (doc_id)
order by q.used_in, q.used_for
