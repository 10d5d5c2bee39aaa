-- US big five's implied capex floor for the target year vs the China-side disclosed comparables, in
-- USD bn, and the US:China ratio. One row per side, naming the companies it adds up, how many it
-- should add up (companies_expected: vars us_big_five and china_cloud_comparables) and which
-- are missing. A total from fewer than all is `partial`: the report marks it and a claim on it fails;
-- the ratio is left empty when either side is partial.
with floors as (
    select * from {{ ref('capex_floor') }}
),

members as (
    {% for side, var_name in [('US big five', 'us_big_five'), ('China cloud', 'china_cloud_comparables')] %}
    {% for t in var(var_name) %}
    select '{{ side }}' as side, '{{ t }}' as ticker
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
    {% if side == 'US big five' %}union all{% endif %}
    {% endfor %}
),

sides as (
    select
        m.side,
        sum(f.floor_usd_bn) as capex_usd_bn,
        count(*) as companies_expected,
        count(f.ticker) as companies_with_figure,
        {{ ordered_listagg(dbt.concat(["f.ticker", "' '", to_text("round(f.floor_usd_bn, 1)")]), "', '", ["f.ticker"]) }} as components,
        {{ ordered_listagg("case when f.ticker is null then m.ticker end", "', '", ["m.ticker"]) }} as missing
    from members m
    left join floors f on f.ticker = m.ticker
    group by m.side
),

flagged as (
    select *, companies_with_figure < companies_expected as partial from sides
)

select
    s.side,
    (select max(target_year) from floors) as target_year,
    round(s.capex_usd_bn, 3) as capex_usd_bn,
    cast(s.companies_expected as {{ dbt.type_bigint() }}) as companies_expected,
    cast(s.companies_with_figure as {{ dbt.type_bigint() }}) as companies_with_figure,
    s.partial,
    s.missing,
    s.components,
    case when not s.partial and not coalesce(c.partial, true)
        then round(s.capex_usd_bn / nullif(c.capex_usd_bn, 0), 2) end as ratio_to_china
from flagged s
left join (select * from flagged where side = 'China cloud') c on 1 = 1
order by s.side desc
