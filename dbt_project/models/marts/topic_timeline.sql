-- Topic x period x layer group: how often calls and MD&A mention each topic, by year and by the
-- report's windows (2016-19, 2020-22, 2023-24, 2025-26). Not limited to the rolling window.
with flags as (
    select f.*, g.layer_group, cast(extract(year from f.event_date) as integer) as yr
    from {{ ref('int_document_topic_flags') }} f
    join {{ ref('layer_groups') }} g on g.layer = f.layer
    where f.event_date <= {{ as_of() }}
),

periods as (
    select 'year' as period_kind, {{ to_text('yr') }} as period, topic, layer_group, mentioned_management,
        mentioned_any, mentions_any
    from flags
    union all
    select 'window', w.{{ adapter.quote('window') }}, f.topic, f.layer_group, f.mentioned_management,
        f.mentioned_any, f.mentions_any
    from flags f
    join {{ ref('timeline_windows') }} w on f.yr between w.first_year and w.last_year
)

select
    topic,
    period_kind,
    period,
    layer_group,
    cast(count(*) as {{ dbt.type_bigint() }}) as documents,
    cast({{ count_if('mentioned_management') }} as {{ dbt.type_bigint() }}) as documents_management,
    cast({{ count_if('mentioned_any') }} as {{ dbt.type_bigint() }}) as documents_any,
    cast(sum(mentions_any) as {{ dbt.type_bigint() }}) as mentions_any,
    cast({{ share(count_if('mentioned_management'), 'count(*)') }} as {{ type_double() }}) as share_management,
    cast({{ share(count_if('mentioned_any'), 'count(*)') }} as {{ type_double() }}) as share_any
from periods
group by topic, period_kind, period, layer_group
order by topic, period_kind, period, layer_group
