-- Which mart each capex statement would feed, decided once: the actual for the quarter the call
-- reports (quarterly_capex; a bare "capex was $X" on a call resolves there too) or forward guidance
-- (capex_guidance). The row-level rules (int_capex_rules) and both marts read this. A statement with no
-- FX rate for its quarter stays a candidate so rule fx_rate_missing lists it (mart review).
select
    c.*,
    case
        when c.kind = 'actual'
            and c.source_type = 'call'
            and (c.period = c.fiscal_label or c.period = 'quarter' or c.period = {{ dbt.concat(["'Q'", to_text("c.fiscal_quarter")]) }})
            and c.calendar_quarter is not null
            and (c.low_usd_bn is not null or c.usd_per_unit is null)  -- no FX rate: listed by fx_rate_missing
            then 'quarterly_capex'
        when c.kind in ('guidance', 'revision') and c.period is not null and c.period <> 'quarter'
            then 'capex_guidance'
    end as mart
from {{ ref('int_capex_usd') }} c
