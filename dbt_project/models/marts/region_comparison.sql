-- US big five's implied capex floor for the target year vs the China side, in USD bn, and the US:China
-- ratio. One row per side, with its basis: the US big five and the Chinese clouds (vars us_big_five,
-- china_cloud_comparables) as stated on the call (capex_floor); the A-share companies (universe sources
-- `mdna`) as filed in their reports' cash-flow statements (filed_capex): per company the latest twelve
-- months filed, i.e. the latest fiscal year, or when the first half after it is filed with its prior-year
-- comparative, that year plus the half less the prior half; summed in CNY and converted at the rate of
-- the period end's quarter. Each row names the companies it adds up, how many it should add up and
-- which are missing. A total from fewer than all is `partial`: the report marks it and a claim on it
-- fails; the ratio (to the Chinese clouds, same basis) is left empty when either side is partial.
with floors as (
    select * from {{ ref('capex_floor') }}
),

members as (
    {% for side, var_name in [('US big five', 'us_big_five'), ('China cloud', 'china_cloud_comparables')] %}
    {% for t in var(var_name) %}
    select '{{ side }}' as side, 'stated on the call' as basis, '{{ t }}' as ticker
    union all
    {% endfor %}
    {% endfor %}
    select 'China A-share' as side, 'filed' as basis, ticker
    from {{ ref('universe') }}
    where sources = 'mdna'
),

filed as (
    select f.ticker, f.fiscal_label, f.period_end, f.period_months, f.currency, f.amount_local_bn
    from {{ ref('filed_capex') }} f
    join {{ ref('universe') }} u on u.ticker = f.ticker and u.sources = 'mdna'
    where f.is_headline and f.period_months in (6, 12)
),

latest_year as (
    select *, row_number() over (partition by ticker order by period_end desc) as rn
    from filed
    where period_months = 12
),

twelve_months as (
    select
        y.ticker,
        y.currency,
        case when p.ticker is not null
            then y.amount_local_bn + h.amount_local_bn - p.amount_local_bn else y.amount_local_bn end as local_bn,
        case when p.ticker is not null then h.period_end else y.period_end end as period_end,
        case when p.ticker is not null
            then {{ dbt.concat(["'12 months to '", to_text("h.period_end")]) }}
            else y.fiscal_label end as period
    from latest_year y
    left join filed h  -- the first half after the year
        on h.ticker = y.ticker and h.period_months = 6
        and h.period_end = cast({{ dbt.dateadd('month', 6, 'y.period_end') }} as date)
    left join filed p  -- and its prior-year comparative (both, or the year alone)
        on h.ticker is not null and p.ticker = y.ticker and p.period_months = 6
        and p.period_end = cast({{ dbt.dateadd('month', -6, 'y.period_end') }} as date)
    where y.rn = 1
),

filed_figures as (
    select t.ticker, t.local_bn * {{ usd_rate('t.currency', 'fx.usd_per_unit') }} as usd_bn, t.period, t.period_end
    from twelve_months t
    left join {{ ref('stg_fx_rates') }} fx
        on fx.currency = t.currency
        and fx.quarter_start = cast({{ dbt.date_trunc('quarter', 't.period_end') }} as date)
    where t.currency = 'USD' or fx.usd_per_unit is not null
),

figures as (
    select 'stated on the call' as basis, ticker, floor_usd_bn as usd_bn,
        {{ to_text("target_year") }} as period, cast(null as date) as period_end
    from floors
    union all
    select 'filed', ticker, usd_bn, period, period_end from filed_figures
),

sides as (
    select
        m.side,
        m.basis,
        sum(f.usd_bn) as capex_usd_bn,
        count(*) as companies_expected,
        count(f.ticker) as companies_with_figure,
        {{ ordered_listagg(dbt.concat(["f.ticker", "' '", to_text("round(f.usd_bn, 1)")]), "', '", ["f.ticker"]) }} as components,
        {{ ordered_listagg("case when f.ticker is null then m.ticker end", "', '", ["m.ticker"]) }} as missing,
        min(f.period) as first_period,
        max(f.period) as last_period,
        min(f.period_end) as first_end,
        max(f.period_end) as last_end
    from members m
    left join figures f on f.ticker = m.ticker and f.basis = m.basis
    group by m.side, m.basis
),

flagged as (
    select *, companies_with_figure < companies_expected as partial from sides
)

select
    s.side,
    s.basis,
    case when s.basis = 'stated on the call' then (select max(target_year) from floors) end as target_year,
    case when s.first_period = s.last_period then s.first_period
         else {{ dbt.concat(["'latest filed, periods ending '", to_text("s.first_end"), "' to '",
                             to_text("s.last_end")]) }} end as period,
    round(s.capex_usd_bn, 3) as capex_usd_bn,
    cast(s.companies_expected as {{ dbt.type_bigint() }}) as companies_expected,
    cast(s.companies_with_figure as {{ dbt.type_bigint() }}) as companies_with_figure,
    s.partial,
    s.missing,
    s.components,
    case when s.basis = 'stated on the call' and not s.partial and not coalesce(c.partial, true)
        then round(s.capex_usd_bn / nullif(c.capex_usd_bn, 0), 2) end as ratio_to_china
from flagged s
left join (select * from flagged where side = 'China cloud') c on 1 = 1
order by case s.side when 'US big five' then 0 when 'China cloud' then 1 else 2 end
