-- Per company, the capex floor for the target year (default: the as-of year) in USD bn, and how it
-- was reached: (1) the low end of the latest full-year guidance for that year (calendar year, or the
-- fiscal year ending in it); else (2) the larger of the latest earlier full-year guidance and the
-- latest quarterly actual x 4 (run rate); multi-year plans count per year.
{% set target_year = var('floor_year') or "extract(year from " ~ as_of() ~ ")" %}
with guidance as (
    select
        *,
        case
            when {{ regexp_contains('guided_period', "'^(FY)?[0-9]{4}$'") }} then cast({{ dbt.right('guided_period', '4') }} as integer)
        end as guided_year,
        regexp_extract(guided_period, '^next ([0-9]+) years$', 1) as plan_years
    from {{ ref('capex_guidance') }}
    where as_of_date <= {{ as_of() }}
),

year_guidance as (
    select ticker, low_usd_bn, as_of_date, sentence, doc_id, guided_period, guided_year,
        row_number() over (partition by ticker order by as_of_date desc) as rn
    from guidance
    where guided_year = {{ target_year }}
),

earlier_guidance as (
    select ticker, low_usd_bn, as_of_date, sentence, doc_id, guided_period,
        row_number() over (partition by ticker order by guided_year desc, as_of_date desc) as rn
    from guidance
    where guided_year < {{ target_year }}
),

plans as (
    select ticker, low_usd_bn / cast(plan_years as integer) as per_year_usd_bn, as_of_date, sentence, doc_id, guided_period,
        row_number() over (partition by ticker order by as_of_date desc) as rn
    from guidance
    where plan_years is not null and plan_years <> ''
),

run_rate as (
    select ticker, capex_usd_bn * 4 as annualized_usd_bn, calendar_quarter, event_date, sentence, doc_id,
        row_number() over (partition by ticker order by calendar_quarter desc) as rn
    from {{ ref('quarterly_capex') }}
    where event_date <= {{ as_of() }}
),

candidates as (
    select ticker, 1 as priority, low_usd_bn as floor_usd_bn, {{ dbt.concat(["'guidance '", "guided_period", "' given '", to_text('as_of_date')]) }} as basis, doc_id, sentence
    from year_guidance where rn = 1
    union all
    select ticker, 2, low_usd_bn, {{ dbt.concat(["'earlier guidance '", "guided_period", "' given '", to_text('as_of_date')]) }}, doc_id, sentence
    from earlier_guidance where rn = 1
    union all
    select ticker, 2, annualized_usd_bn, {{ dbt.concat(["'run rate: '", "calendar_quarter", "' actual x 4'"]) }}, doc_id, sentence
    from run_rate where rn = 1
    union all
    select ticker, 2, per_year_usd_bn, {{ dbt.concat(["'plan '", "guided_period", "' per year, given '", to_text('as_of_date')]) }}, doc_id, sentence
    from plans where rn = 1
),

ranked as (
    select *, row_number() over (partition by ticker order by priority, floor_usd_bn desc) as pick
    from candidates
)

select
    r.ticker,
    u.layer,
    u.country,
    cast({{ target_year }} as {{ dbt.type_bigint() }}) as target_year,
    round(r.floor_usd_bn, 3) as floor_usd_bn,
    r.basis,
    r.doc_id,
    r.sentence
from ranked r
join {{ ref('universe') }} u using (ticker)
where r.pick = 1
order by u.country, r.ticker
