-- Filed capex in USD bn: one row per company, period and concept as filed, plus the company's headline
-- figure. US: XBRL quarters (year-to-date values differenced by the connector); the headline is data: a
-- company in the capex_headline seed sums its components (MSFT and META count finance-lease principal in
-- capex, and say so on the call); any other company takes its best-ranked capex concept in capex_concepts.
-- China: the consolidated cash-flow statement's line of A-share annual and interim reports (stg_filed_cashflow),
-- one row per fiscal year (12 months) and first half (6 months): the report of that period, else the
-- latest report that prints it as its comparative. Converted at the rate of the period end's quarter
-- (int_capex_usd's convention); a period whose quarter has no rate in fx_rates.csv is left out (it stays
-- in stg_filed_cashflow in its currency). `scope` uses quarterly_capex's vocabulary, so the
-- reconciliation can match them; it compares quarters only (period_months 3).
with fx_latest as (  -- the latest rate of each currency whose quarter starts on or before the quarter end
    select q.currency, q.period_end, fx.usd_per_unit,
        row_number() over (partition by q.currency, q.period_end order by fx.quarter_start desc) as rn
    from (select distinct currency, period_end from {{ ref('stg_filed_facts') }}) q
    join {{ ref('stg_fx_rates') }} fx
        on fx.currency = q.currency and q.period_end >= fx.quarter_start
),

xbrl as (
    select
        f.*,
        {{ calendar_quarter('f.period_end') }} as calendar_quarter,
        {{ dbt.concat(["'FY'", to_text('f.fiscal_year'), "' Q'", to_text('f.fiscal_quarter')]) }} as fiscal_label,
        f.amount / 1e9 * {{ usd_rate('f.currency', 'fx.usd_per_unit') }} as capex_usd_bn
    from {{ ref('stg_filed_facts') }} f
    left join fx_latest fx
        on fx.currency = f.currency and fx.period_end = f.period_end and fx.rn = 1
),

facts as (
    select
        doc_id, ticker, filed, period_end, concept, amount, currency, form, accession, filing_url, derivation,
        calendar_quarter, fiscal_label, capex_usd_bn,
        3 as period_months, cast(null as {{ dbt.type_int() }}) as page, cast(null as {{ dbt.type_string() }}) as evidence
    from xbrl
),

cashflow as (
    select
        c.*,
        row_number() over (
            partition by c.ticker, c.period, c.line
            order by case c.column_kind when 'current' then 0 else 1 end, c.filed desc, c.doc_id
        ) as pick
    from {{ ref('stg_filed_cashflow') }} c
),

cn_facts as (
    select
        c.doc_id, c.ticker, c.filed, c.period_end, c.line as concept, c.amount, c.currency,
        case c.period_kind when 'FY' then 'annual report' else 'interim report' end as form,
        cast(null as {{ dbt.type_string() }}) as accession,
        cast(null as {{ dbt.type_string() }}) as filing_url,
        {{ dbt.concat(["c.period", "' as printed in '", "c.unit", "' ('", "c.column_kind",
                       "' column of the '", "c.statement", "' cash-flow statement, '", "c.origin",
                       "' page '", to_text("c.figure_page"), "')'"]) }} as derivation,
        {{ calendar_quarter('c.period_end') }} as calendar_quarter,
        c.period as fiscal_label,
        c.amount / 1e9 * {{ usd_rate('c.currency', 'fx.usd_per_unit') }} as capex_usd_bn,
        c.period_months,
        c.page,
        c.evidence
    from cashflow c
    left join {{ ref('stg_fx_rates') }} fx  -- the rate of the period end's own quarter only
        on fx.currency = c.currency
        and fx.quarter_start = cast({{ dbt.date_trunc('quarter', 'c.period_end') }} as date)
    where c.pick = 1 and (c.currency = 'USD' or fx.usd_per_unit is not null)
),

all_facts as (
    select
        doc_id, ticker, filed, period_end, concept, amount, currency, form, accession, filing_url, derivation,
        calendar_quarter, fiscal_label, capex_usd_bn, period_months, page, evidence
    from facts
    union all
    select
        doc_id, ticker, filed, period_end, concept, amount, currency, form, accession, filing_url, derivation,
        calendar_quarter, fiscal_label, capex_usd_bn, period_months, page, evidence
    from cn_facts
),

headline_parts as (
    select h.ticker, h.scope, count(*) over (partition by h.ticker) as n_parts, h.concept
    from {{ ref('capex_headline') }} h
),

composite as (
    select
        f.ticker,
        f.calendar_quarter,
        min(f.fiscal_label) as fiscal_label,
        max(f.period_end) as period_end,
        {{ ordered_listagg('f.concept', "' + '", ['case when c.headline_rank is null then 1 else 0 end', 'c.headline_rank', 'f.concept']) }} as concept,
        sum(f.capex_usd_bn) as capex_usd_bn,
        max(f.filed) as filed,
        max(f.form) as form,
        max(f.accession) as accession,
        max(f.filing_url) as filing_url,
        {{ ordered_listagg('f.derivation', "'; '", ['case when c.headline_rank is null then 1 else 0 end', 'c.headline_rank', 'f.concept']) }} as derivation,
        max(h.scope) as scope,
        max(f.doc_id) as doc_id,
        max(f.period_months) as period_months,
        max(f.currency) as currency,
        sum(f.amount) / 1e9 as amount_local_bn
    from facts f
    join headline_parts h on h.ticker = f.ticker and h.concept = f.concept
    left join {{ ref('capex_concepts') }} c on c.concept = f.concept
    group by f.ticker, f.calendar_quarter
    having count(*) = max(h.n_parts)  -- every component filed, or no headline for that quarter
),

singles as (
    select
        f.ticker, f.calendar_quarter, f.fiscal_label, f.period_end, f.concept, f.capex_usd_bn, f.filed, f.form,
        f.accession, f.filing_url, f.derivation, c.scope, f.doc_id, f.period_months, f.currency,
        f.amount / 1e9 as amount_local_bn, f.page, f.evidence,
        hp.ticker is null  -- no composite headline for this company
            and c.headline_rank is not null
            and row_number() over (
                partition by f.ticker, f.calendar_quarter, f.period_months
                order by case when c.headline_rank is null then 1 else 0 end, c.headline_rank, f.concept
            ) = 1 as is_headline
    from all_facts f
    left join {{ ref('capex_concepts') }} c on c.concept = f.concept
    left join (select distinct ticker from headline_parts) hp on hp.ticker = f.ticker
),

unioned as (
    select
        ticker, calendar_quarter, fiscal_label, period_end, period_months, concept, currency, amount_local_bn,
        capex_usd_bn, filed, form, accession, filing_url, derivation, scope, doc_id, page, evidence, is_headline
    from singles
    union all
    select
        ticker, calendar_quarter, fiscal_label, period_end, period_months, concept, currency, amount_local_bn,
        capex_usd_bn, filed, form, accession, filing_url, derivation, scope, doc_id,
        cast(null as {{ dbt.type_int() }}) as page, cast(null as {{ dbt.type_string() }}) as evidence,
        true as is_headline
    from composite
)

select
    ticker,
    calendar_quarter,
    fiscal_label,
    period_end,
    cast(period_months as {{ dbt.type_int() }}) as period_months,
    concept,
    currency,
    round(amount_local_bn, 6) as amount_local_bn,
    round(capex_usd_bn, 3) as capex_usd_bn,
    scope,
    is_headline,
    filed,
    form,
    accession,
    filing_url,
    derivation,
    doc_id,
    cast(page as {{ dbt.type_int() }}) as page,
    evidence
from unioned
order by ticker, calendar_quarter, is_headline desc, concept
