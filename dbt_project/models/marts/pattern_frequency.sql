-- Ticker x topic: mentions in the window (anywhere, and management only) and the documents counted.
with flags as (
    select * from {{ ref('int_document_topic_flags') }}
    where {{ in_window('event_date') }}
)

select
    u.ticker,
    u.layer,
    t.topic,
    cast(coalesce(sum(f.mentions_any), 0) as {{ dbt.type_bigint() }}) as mentions_any,
    cast(coalesce(sum(f.mentions_management), 0) as {{ dbt.type_bigint() }}) as mentions_management,
    cast(count(distinct f.doc_id) as {{ dbt.type_bigint() }}) as documents,
    {{ window_start() }} as window_start,
    {{ as_of() }} as as_of
from {{ ref('universe') }} u
cross join {{ ref('topics') }} t
left join flags f on f.ticker = u.ticker and f.topic = t.topic
group by u.ticker, u.layer, t.topic
order by u.ticker, t.topic
