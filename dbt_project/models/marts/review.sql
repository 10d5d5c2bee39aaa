-- Capex statements held for review: each failed a row-level rule (int_capex_rules) and is left out of
-- the mart it would have fed, with the rule, the values and the sentence. held_share is the share of
-- that mart's candidate statements held for a misreading (not for fx_rate_missing, a gap in the FX seed
-- listed here too); the guard blocks the report when it exceeds max_held_share
-- (var review_max_held_share in dbt_project.yml, the one place for the threshold).
with candidates as (
    select * from {{ ref('int_capex_candidates') }} where mart is not null
),

held as (
    select
        capex_id,
        {{ ordered_listagg("rule", "'; '", ["rule"]) }} as rule,
        {{ ordered_listagg("detail", "'; '", ["rule", "detail"]) }} as detail
    from {{ ref('int_capex_rules') }}
    group by capex_id
),

misread as (  -- held for a rule about the extraction; a missing FX rate is a gap in the seed, not a misreading
    select distinct capex_id from {{ ref('int_capex_rules') }} where rule <> 'fx_rate_missing'
),

shares as (
    select c.mart, cast(cast(count(m.capex_id) as {{ dbt.type_float() }}) / count(*) as {{ dbt.type_float() }}) as held_share
    from candidates c
    left join misread m on m.capex_id = c.capex_id
    group by c.mart
)

select
    c.capex_id,
    c.mart,
    h.rule,
    h.detail,
    c.ticker,
    c.event_date,
    c.kind,
    c.period,
    c.calendar_quarter,
    c.fiscal_label,
    c.scope,
    c.currency,
    c.reporting_currency,
    c.amount_low,
    c.amount_high,
    c.unit,
    c.low_usd_bn,
    c.high_usd_bn,
    c.doc_id,
    c.origin,
    c.sentence,
    c.start_offset,
    c.end_offset,
    s.held_share,
    cast({{ var('review_max_held_share') }} as {{ dbt.type_float() }}) as max_held_share
from held h
join candidates c on c.capex_id = h.capex_id
join shares s on s.mart = c.mart
order by c.mart, c.ticker, c.event_date, c.start_offset
