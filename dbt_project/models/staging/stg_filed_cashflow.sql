-- Filed capex of A-share companies as printed in their reports' cash-flow statements: one row per report,
-- line and column (the report's own period, and the prior period from its comparative column), dated by
-- the report: the as-of filter of stg_documents applies, so a backtest sees only what had been published.
select
    c.doc_id,
    c.ticker,
    d.event_date as filed,
    c.period,
    c.period_kind,
    c.fiscal_year,
    c.period_end,
    c.period_months,
    c.line,
    c.column_kind,
    c.amount,
    c.currency,
    c.unit,
    c.figure,
    c.statement,
    c.page,
    c.figure_page,
    c.evidence,
    c.origin
from {{ lake_table(source('pipeline', 'mdna_cashflow')) }} c
join {{ ref('stg_documents') }} d using (doc_id)
where d.source_type = 'mdna' and c.amount is not null
