-- Who supplies whom: one row per edge (from, to, relation) with how many management sentences state it,
-- when it was first and last said, and its strongest quote. Strongest = the sentence that names the fewest
-- links (a sentence about this pair alone beats a list of ten partners), then the most recent, then the
-- shortest; ties broken by document and offset so the choice is stable.
with ranked as (
    select
        s.*,
        row_number() over (
            partition by s.from_company, s.to_company, s.relation
            order by s.links_in_sentence, s.event_date desc, {{ dbt.length('s.sentence') }}, s.doc_id, s.start_offset
        ) as strength_rank
    from {{ ref('stg_supply_links') }} s
),

edges as (
    select
        from_company,
        to_company,
        relation,
        count(*) as supporting_sentences,
        count(distinct doc_id) as documents,
        min(event_date) as first_date,
        max(event_date) as last_date
    from ranked
    group by from_company, to_company, relation
)

select
    e.from_company,
    e.to_company,
    e.relation,
    fu.layer as from_layer,
    tu.layer as to_layer,
    e.supporting_sentences,
    e.documents,
    e.first_date,
    e.last_date,
    q.said_by,
    q.event_date as quote_date,
    q.source_type,
    q.origin,
    q.doc_id,
    q.sentence,
    q.start_offset,
    q.end_offset
from edges e
join ranked q
    on q.from_company = e.from_company and q.to_company = e.to_company and q.relation = e.relation
    and q.strength_rank = 1
left join {{ ref('universe') }} fu on fu.ticker = e.from_company
left join {{ ref('universe') }} tu on tu.ticker = e.to_company
order by e.relation, e.from_company, e.to_company
