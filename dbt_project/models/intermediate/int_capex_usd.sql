-- Capex statements by management, in USD billions, placed in the calendar quarter that contains the
-- fiscal period's end (MSFT fiscal Q1 ends in September -> calendar Q3). The fiscal label is kept.
-- FX: the seed's rate for the quarter of fx_date (period end for actuals, else the event date); no rate
-- for that quarter leaves the USD columns null and fx_quarter names the quarter that has no rate.
with statements as (
    select
        c.*,
        d.ticker,
        d.source_type,
        d.event_date,
        d.fiscal_year,
        d.fiscal_quarter,
        d.period_end,
        d.origin,
        d.is_translation,
        u.reporting_currency,
        case c.unit
            when 'trillion' then 1000.0 when '万亿' then 1000.0
            when 'billion' then 1.0
            when '亿' then 0.1
            when 'million' then 0.001
            when '万' then 0.00001
        end as unit_in_billions,
        coalesce(case when c.kind = 'actual' then d.period_end end, d.event_date) as fx_date
    from {{ ref('stg_capex_statements') }} c
    join {{ ref('stg_documents') }} d using (doc_id)
    join {{ ref('universe') }} u on u.ticker = d.ticker
    where c.role = 'management' and c.currency is not null
      and coalesce(c.subject, 'self') = 'self'  -- customers' or the industry's capex is not the company's
      and not d.is_translation
)

select
    {{ dbt.hash(dbt.concat(["s.doc_id", "'|'", dbt.cast("s.seq", dbt.type_string()), "'|'",
                             dbt.cast("s.start_offset", dbt.type_string())])) }} as capex_id,
    s.doc_id,
    s.ticker,
    s.source_type,
    s.event_date,
    s.kind,
    s.period,
    s.scope,
    s.currency,
    s.reporting_currency,
    s.unit,
    coalesce(s.value, s.low) as amount_low,
    coalesce(s.value, s.high) as amount_high,
    coalesce(s.value, s.low) * s.unit_in_billions as low_local_bn,  -- in the stated currency
    coalesce(s.value, s.high) * s.unit_in_billions as high_local_bn,
    coalesce(s.value, s.low) * s.unit_in_billions * {{ usd_rate('s.currency', 'fx.usd_per_unit') }} as low_usd_bn,
    coalesce(s.value, s.high) * s.unit_in_billions * {{ usd_rate('s.currency', 'fx.usd_per_unit') }} as high_usd_bn,
    {{ usd_rate('s.currency', 'fx.usd_per_unit') }} as usd_per_unit,
    {{ calendar_quarter('s.fx_date') }} as fx_quarter,
    {{ calendar_quarter('s.period_end') }} as calendar_quarter,
    cast(extract(year from s.period_end) * 4 + extract(quarter from s.period_end) as integer) as quarter_index,
    case when s.fiscal_quarter is not null
        then {{ dbt.concat(["'FY'", to_text('s.fiscal_year'), "' Q'", to_text('s.fiscal_quarter')]) }} end as fiscal_label,
    s.fiscal_year,
    s.fiscal_quarter,
    s.seq,
    s.sent_start,
    s.sentence,
    s.start_offset,
    s.end_offset,
    s.origin
from statements s
left join {{ ref('stg_fx_rates') }} fx  -- the rate of the statement's own quarter only: a quarter without one
    on fx.currency = s.currency       -- is a gap (rule fx_rate_missing, mart review), not an older rate reused
    and fx.quarter_start = cast({{ dbt.date_trunc('quarter', 's.fx_date') }} as date)
