-- Forward capex guidance per ticker and guided period, and how it moved against the prior guidance.
with guidance as (
    select
        *,
        case when period = 'next quarter' and fiscal_quarter is not null
            then 'FY' || (fiscal_year + (fiscal_quarter = 4)::int) || ' Q' || (fiscal_quarter % 4 + 1)
            else period end as guided_period,
        row_number() over (partition by doc_id, period order by start_offset) as rn
    from {{ ref('int_capex_usd') }}
    where kind in ('guidance', 'revision') and period is not null and period <> 'quarter'
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
        doc_id,
        sentence,
        start_offset,
        end_offset
    from guidance
    where rn = 1
    window w as (partition by ticker, guided_period order by event_date)
)

select
    * exclude (hi, prior_hi),
    case
        when prior_as_of_date is null then 'initial'
        when low_usd_bn = prior_low_usd_bn and hi = prior_hi then 'maintained'
        when low_usd_bn >= prior_low_usd_bn and hi >= prior_hi and low_usd_bn + hi > prior_low_usd_bn + prior_hi then 'raised'
        when low_usd_bn <= prior_low_usd_bn and hi <= prior_hi then 'lowered'
        when low_usd_bn >= prior_low_usd_bn and hi <= prior_hi then 'narrowed'
        else 'widened'
    end as change
from (
    -- an open-ended guide ("more than $30 billion") compares by its floor
    select *, coalesce(high_usd_bn, low_usd_bn) as hi, coalesce(prior_high_usd_bn, prior_low_usd_bn) as prior_hi
    from ordered
)
order by ticker, guided_period, as_of_date
