-- Filed figures (one per company, quarter end and XBRL concept) from the filings documents, dated by
-- filing: the as-of filter of stg_documents applies, so a backtest sees only what had been filed.
select
    d.doc_id,
    d.ticker,
    d.event_date as filed,
    d.fiscal_year,
    d.fiscal_quarter,
    d.period_end,
    d.origin,
    f.concept,
    f.amount,
    f.currency,
    f.form,
    f.accession,
    f.source_url as filing_url,
    f.derivation
from {{ ref('stg_documents') }} d
join {{ lake_table(source('pipeline', 'filings_documents')) }} f using (doc_id)
where d.source_type = 'filing' and f.concept is not null and f.amount is not null
