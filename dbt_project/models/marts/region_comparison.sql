-- US big five's implied capex floor for the target year vs the China-side disclosed comparables, in
-- USD bn, and the US:China ratio. One row per side, each naming the companies it adds up.
with floors as (
    select * from {{ ref('capex_floor') }}
),

sides as (
    select
        'US big five' as side,
        sum(floor_usd_bn) as capex_usd_bn,
        count(*) as companies,
        string_agg(ticker || ' ' || round(floor_usd_bn, 1), ', ' order by ticker) as components
    from floors
    where ticker in ({% for t in var('us_big_five') %}'{{ t }}'{% if not loop.last %}, {% endif %}{% endfor %})
    union all
    select
        'China cloud',
        sum(floor_usd_bn),
        count(*),
        string_agg(ticker || ' ' || round(floor_usd_bn, 1), ', ' order by ticker)
    from floors
    where layer = 'China Cloud'
)

select
    side,
    (select max(target_year) from floors) as target_year,
    round(capex_usd_bn, 3) as capex_usd_bn,
    companies::bigint as companies,
    components,
    round(capex_usd_bn / nullif((select capex_usd_bn from sides where side = 'China cloud'), 0), 2) as ratio_to_china
from sides
order by side desc
