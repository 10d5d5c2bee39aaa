-- What the call said vs what was filed, per company and quarter with both figures. The filed figure
-- compared is the one on the call's basis: a call figure with a scope takes the filed concept of that
-- scope (capex_concepts / capex_headline); a plain "capex" figure takes the company's headline filing.
-- When no filed figure shares the call's scope the headline is compared and the scope explains the gap
-- (`same_basis` false); on the same basis a gap is unexplained and the `reconcile` claims judge it.
with pairs as (
    select
        q.ticker,
        q.calendar_quarter,
        q.fiscal_label,
        q.capex_usd_bn as call_capex_usd_bn,
        q.scope as call_scope,
        q.event_date as call_date,
        q.doc_id as call_doc_id,
        q.sentence as call_sentence,
        f.capex_usd_bn as filed_capex_usd_bn,
        f.concept as filed_concept,
        f.scope as filed_scope,
        f.filed,
        f.form,
        f.accession,
        f.filing_url,
        f.doc_id as filed_doc_id,
        f.is_headline,
        (q.scope is null and f.is_headline) or f.scope = q.scope as same_basis,
        row_number() over (
            partition by q.ticker, q.calendar_quarter
            order by case when (q.scope is null and f.is_headline) or f.scope = q.scope then 0
                          when f.is_headline then 1 else 2 end, f.concept
        ) as rn
    from {{ ref('quarterly_capex') }} q
    join {{ ref('filed_capex') }} f
        on f.ticker = q.ticker and f.calendar_quarter = q.calendar_quarter and f.period_months = 3
)

select
    ticker,
    calendar_quarter,
    fiscal_label,
    call_capex_usd_bn,
    call_scope,
    filed_capex_usd_bn,
    filed_concept,
    filed_scope,
    round(call_capex_usd_bn - filed_capex_usd_bn, 3) as difference_usd_bn,
    round(100.0 * (call_capex_usd_bn - filed_capex_usd_bn) / nullif(filed_capex_usd_bn, 0), 1) as difference_pct,
    same_basis,
    not same_basis as scope_explains,
    call_date,
    call_doc_id,
    call_sentence,
    filed,
    form,
    accession,
    filing_url,
    filed_doc_id
from pairs
where rn = 1 and (same_basis or is_headline)
order by ticker, calendar_quarter
