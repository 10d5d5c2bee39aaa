-- Company x disclosure events: how many, how many touch a taxonomy topic, and the commonest types.
with events as (
    select * from {{ ref('stg_documents') }} where source_type = 'event'
),

ai_events as (
    select distinct doc_id from {{ ref('stg_topic_mentions') }}
),

type_counts as (
    select ticker, event_type, count(*) as n,
        row_number() over (partition by ticker order by count(*) desc, event_type) as rk
    from events
    group by ticker, event_type
),

top_types as (
    select ticker,
        {{ ordered_listagg(dbt.concat(["event_type", "' ('", to_text("n"), "')'"]), "', '", ["rk"]) }} as top_event_types
    from type_counts
    where rk <= 3
    group by ticker
)

select
    e.ticker,
    max(e.company) as company,
    max(e.layer) as layer,
    cast(count(*) as {{ dbt.type_bigint() }}) as disclosure_events,
    cast(count(a.doc_id) as {{ dbt.type_bigint() }}) as ai_related_events,
    min(e.event_date) as first_event,
    max(e.event_date) as last_event,
    max(t.top_event_types) as top_event_types
from events e
left join ai_events a on a.doc_id = e.doc_id
left join top_types t on t.ticker = e.ticker
group by e.ticker
order by e.ticker
