-- FX seed with an explicit direction: usd_per_unit converts one unit of `currency` into USD.
select
    currency,
    quarter,
    make_date(cast(left(quarter, 4) as integer), (cast(right(quarter, 1) as integer) - 1) * 3 + 1, 1) as quarter_start,
    usd_per_unit
from {{ ref('fx_rates') }}
