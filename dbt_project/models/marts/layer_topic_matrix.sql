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
        source_type,
        {{ ordered_listagg('ticker', "', '", ['ticker']) }} as tickers
    from (
        select layer, ticker, case when sources = 'mdna' then 'mdna' else 'call' end as source_type
        from {{ ref('universe') }}
    ) u
    group by layer, source_type
),

counts as (
    select
        layer,
        source_type,
        topic,
        count(*) as documents,
        {{ count_if('has_management') }} as documents_with_management,
        {{ count_if('mentioned_management') }} as documents_management,
        {{ count_if('mentioned_any') }} as documents_any
    from flags
    group by layer, source_type, topic
)

select
    ls.layer,
    ls.source_type,
    ls.tickers,
    t.topic,
    cast(coalesce(c.documents, 0) as {{ dbt.type_bigint() }}) as documents,
    cast(coalesce(c.documents_with_management, 0) as {{ dbt.type_bigint() }}) as documents_with_management,
    cast(coalesce(c.documents_management, 0) as {{ dbt.type_bigint() }}) as documents_management,
    cast(coalesce(c.documents_any, 0) as {{ dbt.type_bigint() }}) as documents_any,
    cast(case when coalesce(c.documents_with_management, 0) = 0 then 0.0
        else {{ share('c.documents_management', 'c.documents_with_management') }} end as {{ type_double() }}) as share_management,
    cast(case when coalesce(c.documents, 0) = 0 then 0.0
        else {{ share('c.documents_any', 'c.documents') }} end as {{ type_double() }}) as share_any,
    cast(case when coalesce(c.documents, 0) = 0 then 0.0
        else {{ share('c.documents - c.documents_with_management', 'c.documents') }} end as {{ type_double() }}) as share_no_management,
    {{ as_of() }} as as_of
from layer_sources ls
cross join {{ ref('topics') }} t
left join counts c on c.layer = ls.layer and c.source_type = ls.source_type and c.topic = t.topic
order by ls.source_type, ls.layer, t.topic
