-- Document x topic with mention counts in two speaker scopes; every topic is present for every
-- call and MD&A document, so shares can have zero numerators. has_management: the document has a segment
-- whose role is management (else no mention in it can be management's).
with docs as (
    select * from {{ ref('stg_documents') }} where source_type in ('call', 'mdna') and not is_translation
),

counts as (
    select
        doc_id,
        topic,
        {{ count_if("role <> 'editorial'") }} as mentions_any,  -- a provider's summary is not the call
        {{ count_if("role = 'management'") }} as mentions_management
    from {{ ref('stg_topic_mentions') }}
    group by doc_id, topic
)

select
    d.doc_id,
    d.ticker,
    d.layer,
    d.country,
    d.source_type,
    d.event_date,
    d.has_management,  -- management's words could be attributed (a segment whose role is management)
    t.topic,
    coalesce(c.mentions_any, 0) as mentions_any,
    coalesce(c.mentions_management, 0) as mentions_management,
    coalesce(c.mentions_any, 0) > 0 as mentioned_any,
    coalesce(c.mentions_management, 0) > 0 as mentioned_management
from docs d
cross join {{ ref('topics') }} t
left join counts c on c.doc_id = d.doc_id and c.topic = t.topic
