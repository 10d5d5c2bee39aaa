-- Forward capex guidance per ticker and guided period, and how it moved against the prior guidance.
-- Statements held for review (int_capex_rules) are left out. The change is judged in the stated
-- (reporting) currency, so a maintained RMB guide does not read as raised because the dollar moved.
with guidance as (
    select
        *,
        case when period = 'next quarter' and fiscal_quarter is not null
            then {{ dbt.concat(["'FY'", to_text('fiscal_year + case when fiscal_quarter = 4 then 1 else 0 end'),
                             "' Q'", to_text('fiscal_quarter % 4 + 1')]) }}
            else period end as guided_period,
        row_number() over (partition by doc_id, period order by start_offset) as rn
    from {{ ref('int_capex_candidates') }} c
    where mart = 'capex_guidance'
      and not exists (select 1 from {{ ref('int_capex_rules') }} r where r.capex_id = c.capex_id)
),

ordered as (
    select
        ticker,
        guided_period,
        round(low_usd_bn, 3) as low_usd_bn,
        round(high_usd_bn, 3) as high_usd_bn,
        event_date as as_of_date,
        lag(round(low_usd_bn, 3)) over w as prior_low_usd_bn,
        lag(round(high_usd_bn, 3)) over w as prior_high_usd_bn,
        lag(event_date) over w as prior_as_of_date,
        round(low_local_bn, 3) as lo,
        round(coalesce(high_local_bn, low_local_bn), 3) as hi,  -- an open-ended guide compares by its floor
        lag(round(low_local_bn, 3)) over w as prior_lo,
        lag(round(coalesce(high_local_bn, low_local_bn), 3)) over w as prior_hi,
        doc_id,
        sentence,
        start_offset,
        end_offset
    from guidance
    where rn = 1
    window w as (partition by ticker, guided_period order by event_date)
)

select
    ticker,
    guided_period,
    low_usd_bn,
    high_usd_bn,
    as_of_date,
    prior_low_usd_bn,
    prior_high_usd_bn,
    prior_as_of_date,
    doc_id,
    sentence,
    start_offset,
    end_offset,
    case
        when prior_as_of_date is null then 'initial'
        when lo = prior_lo and hi = prior_hi then 'maintained'
        when lo >= prior_lo and hi >= prior_hi and lo + hi > prior_lo + prior_hi then 'raised'
        when lo <= prior_lo and hi <= prior_hi then 'lowered'
        when lo >= prior_lo and hi <= prior_hi then 'narrowed'
        else 'widened'
    end as change
from ordered
order by ticker, guided_period, as_of_date
