-- FX seed with an explicit direction: usd_per_unit converts one unit of `currency` into USD.
select
    currency,
    quarter,
    cast({{ dbt.concat(["substring(quarter, 1, 4)", "'-'",
                        "case substring(quarter, 6, 1) when '1' then '01' when '2' then '04' when '3' then '07' when '4' then '10' end",
                        "'-01'"]) }} as date) as quarter_start,
    usd_per_unit
from {{ ref('fx_rates') }}
