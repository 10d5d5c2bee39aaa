-- Ticker x calendar quarter capex in USD bn, from management's own statement in that quarter's call.
-- The headline figure, one rule: an actual amount for the quarter the call reports (its period resolved
-- to the call's fiscal quarter; a bare "capex was $X" on a call resolves there too); among scopes, the company's headline definition first: including finance leases, then plain "capex",
-- then gross, then cash paid for PP&E, then net; then the earliest statement.
with actuals as (
    select
        *,
        row_number() over (
            partition by ticker, calendar_quarter
            order by
                case coalesce(scope, '')
                    when 'including finance leases' then 0 when '' then 1 when 'gross' then 2
                    when 'cash paid for PP&E' then 3 when 'net' then 4 else 5 end,
                event_date,
                start_offset
        ) as rn
    from {{ ref('int_capex_usd') }}
    where kind = 'actual'
      and source_type = 'call'
      and (period = fiscal_label or period = 'quarter' or period = 'Q' || fiscal_quarter)
      and calendar_quarter is not null
      and low_usd_bn is not null  -- no FX rate for that quarter in the seed: not convertible, left out
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
