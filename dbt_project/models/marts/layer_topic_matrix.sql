-- Layer x topic: share of the layer's documents in the window that mention the topic, by management
-- only and anywhere in the document (analysts' questions included). Calls and MD&A are separate rows
-- so A-share-only layers have rows too; zero shares are kept. The management-only share is over the
-- documents in which management's words could be attributed (has_management: a segment whose role is
-- management), not over all documents: a transcript without speaker roles cannot count against it.
-- share_no_management is the share of the layer's documents without such a segment, shown beside it.
with flags as (
    select * from {{ ref('int_document_topic_flags') }}
    where {{ in_window('event_date') }}
),

layer_sources as (
    select
        layer,
        case when sources = 'mdna' then 'mdna' else 'call' end as source_type,
        string_agg(ticker, ', ' order by ticker) as tickers
    from {{ ref('universe') }}
    group by all
),

counts as (
    select
        layer,
        source_type,
        topic,
        count(*) as documents,
        count(*) filter (where has_management) as documents_with_management,
        count(*) filter (where mentioned_management) as documents_management,
        count(*) filter (where mentioned_any) as documents_any
    from flags
    group by all
)

select
    ls.layer,
    ls.source_type,
    ls.tickers,
    t.topic,
    coalesce(c.documents, 0)::bigint as documents,
    coalesce(c.documents_with_management, 0)::bigint as documents_with_management,
    coalesce(c.documents_management, 0)::bigint as documents_management,
    coalesce(c.documents_any, 0)::bigint as documents_any,
    case when coalesce(c.documents_with_management, 0) = 0 then 0.0
        else c.documents_management / c.documents_with_management end::double as share_management,
    case when coalesce(c.documents, 0) = 0 then 0.0
        else c.documents_any / c.documents end::double as share_any,
    case when coalesce(c.documents, 0) = 0 then 0.0
        else (c.documents - c.documents_with_management) / c.documents end::double as share_no_management,
    {{ as_of() }} as as_of
from layer_sources ls
cross join {{ ref('topics') }} t
left join counts c on c.layer = ls.layer and c.source_type = ls.source_type and c.topic = t.topic
order by ls.source_type, ls.layer, t.topic
