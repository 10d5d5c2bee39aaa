-- Ticker x calendar quarter capex in USD bn, from management's own statement in that quarter's call.
-- The headline figure, one rule: among the quarter's candidates (int_capex_candidates) not held for
-- review (int_capex_rules), the company's headline scope first (macro capex_scope_rank), then the
-- earliest statement.
with actuals as (
    select
        c.*,
        row_number() over (
            partition by c.ticker, c.calendar_quarter
            order by {{ capex_scope_rank('c.scope') }}, c.event_date, c.start_offset
        ) as rn
    from {{ ref('int_capex_candidates') }} c
    where c.mart = 'quarterly_capex'
      and not exists (select 1 from {{ ref('int_capex_rules') }} r where r.capex_id = c.capex_id)
)

select
    ticker,
    calendar_quarter,
    fiscal_label,
    round((low_usd_bn + coalesce(high_usd_bn, low_usd_bn)) / 2, 3) as capex_usd_bn,
    currency,
    amount_low as amount_local,
    unit,
    scope,
    event_date,
    doc_id,
    sentence,
    start_offset,
    end_offset
from actuals
where rn = 1
order by ticker, calendar_quarter
