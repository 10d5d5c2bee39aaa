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
)

select
    e.ticker,
    any_value(e.company) as company,
    any_value(e.layer) as layer,
    count(*)::bigint as disclosure_events,
    count(a.doc_id)::bigint as ai_related_events,
    min(e.event_date) as first_event,
    max(e.event_date) as last_event,
    (select string_agg(event_type || ' (' || n || ')', ', ' order by rk)
        from type_counts tc where tc.ticker = e.ticker and tc.rk <= 3) as top_event_types
from events e
left join ai_events a on a.doc_id = e.doc_id
group by e.ticker
order by e.ticker
