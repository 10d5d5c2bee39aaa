-- Filed quarterly capex in USD bn: one row per company, calendar quarter and concept as filed (XBRL
-- year-to-date values differenced by the connector), plus the company's headline figure. The headline
-- is data: a company in the capex_headline seed sums its components (MSFT and META count finance-lease
-- principal in capex, and say so on the call); any other company takes its best-ranked capex concept
-- in capex_concepts. `scope` uses quarterly_capex's vocabulary, so the reconciliation can match them.
with fx_latest as (  -- the latest rate of each currency whose quarter starts on or before the quarter end
    select q.currency, q.period_end, fx.usd_per_unit,
        row_number() over (partition by q.currency, q.period_end order by fx.quarter_start desc) as rn
    from (select distinct currency, period_end from {{ ref('stg_filed_facts') }}) q
    join {{ ref('stg_fx_rates') }} fx
        on fx.currency = q.currency and q.period_end >= fx.quarter_start
),

facts as (
    select
        f.*,
        {{ calendar_quarter('f.period_end') }} as calendar_quarter,
        {{ dbt.concat(["'FY'", to_text('f.fiscal_year'), "' Q'", to_text('f.fiscal_quarter')]) }} as fiscal_label,
        f.amount / 1e9 * {{ usd_rate('f.currency', 'fx.usd_per_unit') }} as capex_usd_bn
    from {{ ref('stg_filed_facts') }} f
    left join fx_latest fx
        on fx.currency = f.currency and fx.period_end = f.period_end and fx.rn = 1
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
        max(f.doc_id) as doc_id
    from facts f
    join headline_parts h on h.ticker = f.ticker and h.concept = f.concept
    left join {{ ref('capex_concepts') }} c on c.concept = f.concept
    group by f.ticker, f.calendar_quarter
    having count(*) = max(h.n_parts)  -- every component filed, or no headline for that quarter
),

singles as (
    select
        f.ticker, f.calendar_quarter, f.fiscal_label, f.period_end, f.concept, f.capex_usd_bn, f.filed, f.form,
        f.accession, f.filing_url, f.derivation, c.scope, f.doc_id,
        hp.ticker is null  -- no composite headline for this company
            and c.headline_rank is not null
            and row_number() over (
                partition by f.ticker, f.calendar_quarter
                order by case when c.headline_rank is null then 1 else 0 end, c.headline_rank, f.concept
            ) = 1 as is_headline
    from facts f
    left join {{ ref('capex_concepts') }} c on c.concept = f.concept
    left join (select distinct ticker from headline_parts) hp on hp.ticker = f.ticker
),

unioned as (
    select
        ticker, calendar_quarter, fiscal_label, period_end, concept, capex_usd_bn, filed, form, accession,
        filing_url, derivation, scope, doc_id, is_headline
    from singles
    union all
    select
        ticker, calendar_quarter, fiscal_label, period_end, concept, capex_usd_bn, filed, form, accession,
        filing_url, derivation, scope, doc_id, true as is_headline
    from composite
)

select
    ticker,
    calendar_quarter,
    fiscal_label,
    period_end,
    concept,
    round(capex_usd_bn, 3) as capex_usd_bn,
    scope,
    is_headline,
    filed,
    form,
    accession,
    filing_url,
    derivation,
    doc_id
from unioned
order by ticker, calendar_quarter, is_headline desc, concept
