-- One row per (candidate statement, row-level rule it fails). A failing statement is held for review
-- (mart `review`) and left out of its mart instead of failing the mart's suite and blocking the report.
-- Rules: a range whose high is below its low; a currency other than the company's reporting currency;
-- the same (ticker, calendar quarter, scope) stated with different values in different sentences (the
-- lead amount of each sentence: "RMB 19.1 bn, of which operating capex RMB 17.9 bn" is one statement); a quarter's amount more
-- than `review_implausible_factor` times (or less than 1/factor of) the median of the company's own
-- last four quarters (at least three of them, within two years), compared in the reporting currency;
-- no FX rate in the seed for the statement's own quarter (fx_rate_missing: a gap, not an older rate reused).
{% set factor = var('review_implausible_factor') %}
{% set tolerance = var('review_duplicate_tolerance') %}
with candidates as (
    select *, (low_local_bn + coalesce(high_local_bn, low_local_bn)) / 2 as mid_local_bn
    from {{ ref('int_capex_candidates') }}
    where mart is not null
),

range_inverted as (
    select capex_id, 'range_inverted' as rule,
        {{ dbt.concat(["'high '", dbt.cast("amount_high", dbt.type_string()), "' below low '",
                       dbt.cast("amount_low", dbt.type_string())]) }} as detail
    from candidates
    where amount_high < amount_low
),

currency_not_reporting as (
    select capex_id, 'currency_not_reporting' as rule,
        {{ dbt.concat(["currency", "' stated; '", "ticker", "' reports in '", "reporting_currency"]) }} as detail
    from candidates
    where currency <> reporting_currency
),

fx_rate_missing as (
    select capex_id, 'fx_rate_missing' as rule,
        {{ dbt.concat(["'no '", "currency", "' rate for '", "fx_quarter", "' in fx_rates.csv'"]) }} as detail
    from candidates
    where usd_per_unit is null
),

quarters as (  -- quarterly candidates that pass the rules above
    select * from candidates
    where mart = 'quarterly_capex'
      and not exists (select 1 from range_inverted r where r.capex_id = candidates.capex_id)
      and not exists (select 1 from currency_not_reporting r where r.capex_id = candidates.capex_id)
      and not exists (select 1 from fx_rate_missing r where r.capex_id = candidates.capex_id)
),

sentence_leads as (
    select *,
        row_number() over (partition by doc_id, seq, sent_start, coalesce(scope, '') order by start_offset) as lead
    from quarters
),

conflicting_keys as (
    select ticker, calendar_quarter, coalesce(scope, '') as scope_key,
        min(mid_local_bn) as min_bn, max(mid_local_bn) as max_bn
    from sentence_leads
    where lead = 1
    group by ticker, calendar_quarter, coalesce(scope, '')
    having max(mid_local_bn) > min(mid_local_bn) * (1 + {{ tolerance }})
),

duplicate_conflict as (
    select q.capex_id, 'duplicate_conflict' as rule,
        {{ dbt.concat(["q.ticker", "' '", "q.calendar_quarter", "' '", "k.scope_key",
                       "' stated as '", dbt.cast("round(k.min_bn, 3)", dbt.type_string()), "' and '",
                       dbt.cast("round(k.max_bn, 3)", dbt.type_string()), "' bn'"]) }} as detail
    from quarters q
    join conflicting_keys k
        on k.ticker = q.ticker and k.calendar_quarter = q.calendar_quarter and k.scope_key = coalesce(q.scope, '')
),

headline as (  -- each quarter's headline amount, by the rule quarterly_capex uses
    select ticker, quarter_index, mid_local_bn,
        row_number() over (
            partition by ticker, calendar_quarter
            order by {{ capex_scope_rank('scope') }}, event_date, start_offset
        ) as rn
    from quarters
    where not exists (select 1 from duplicate_conflict d where d.capex_id = quarters.capex_id)
),

history as (
    select q.capex_id, h.mid_local_bn,
        row_number() over (partition by q.capex_id order by h.quarter_index desc) as k
    from quarters q
    join headline h
        on h.ticker = q.ticker and h.rn = 1
        and h.quarter_index < q.quarter_index and h.quarter_index >= q.quarter_index - 8
),

medians as (
    select capex_id, {{ median('mid_local_bn') }} as median_bn, count(*) as n
    from history
    where k <= 4
    group by capex_id
    having count(*) >= 3
),

implausible_vs_history as (
    select q.capex_id, 'implausible_vs_history' as rule,
        {{ dbt.concat([dbt.cast("round(q.mid_local_bn, 3)", dbt.type_string()), "' bn vs median '",
                       dbt.cast("round(m.median_bn, 3)", dbt.type_string()), "' bn of the prior '",
                       dbt.cast("m.n", dbt.type_string()), "' quarters'"]) }} as detail
    from quarters q
    join medians m using (capex_id)
    where q.mid_local_bn > {{ factor }} * m.median_bn or q.mid_local_bn * {{ factor }} < m.median_bn
)

select * from range_inverted
union all
select * from currency_not_reporting
union all
select * from duplicate_conflict
union all
select * from implausible_vs_history
union all
select * from fx_rate_missing
