-- One row per link and sentence that states it, with the dated document it is quoted from. Only management
-- sentences count; a translation of a call repeats the call's sentences and is left out. partner and
-- competes are undirected: the pair is stored in alphabetical order, so A-B and B-A are one edge.
with links as (
    select
        l.*,
        count(*) over (partition by l.doc_id, l.sent_start) as links_in_sentence
    from {{ lake_table(source('pipeline', 'supply_link_statements')) }} l
    where l.role = 'management'
)

select
    l.doc_id,
    d.ticker as said_by,
    d.event_date,
    d.source_type,
    d.origin,
    d.title,
    l.seq,
    case when l.relation = 'supplies' or l.from_company <= l.to_company then l.from_company else l.to_company end
        as from_company,
    case when l.relation = 'supplies' or l.from_company <= l.to_company then l.to_company else l.from_company end
        as to_company,
    l.relation,
    l.pattern_id,
    l.sent_start as start_offset,
    l.sent_end as end_offset,
    l.sentence,
    l.links_in_sentence
from links l
join {{ ref('stg_documents') }} d using (doc_id)
where not d.is_translation
