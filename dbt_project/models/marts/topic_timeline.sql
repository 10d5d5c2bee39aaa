-- Topic x period x layer group: how often calls and MD&A mention each topic, by year and by the
-- report's windows (2016-19, 2020-22, 2023-24, 2025-26). Not limited to the rolling window.
with flags as (
    select f.*, g.layer_group, year(f.event_date) as yr
    from {{ ref('int_document_topic_flags') }} f
    join {{ ref('layer_groups') }} g using (layer)
    where f.event_date <= {{ as_of() }}
),

periods as (
    select 'year' as period_kind, cast(yr as varchar) as period, * from flags
    union all
    select 'window', w."window", f.*
    from flags f
    join {{ ref('timeline_windows') }} w on f.yr between w.first_year and w.last_year
)

select
    topic,
    period_kind,
    period,
    layer_group,
    count(*)::bigint as documents,
    count(*) filter (where mentioned_management)::bigint as documents_management,
    count(*) filter (where mentioned_any)::bigint as documents_any,
    sum(mentions_any)::bigint as mentions_any,
    (count(*) filter (where mentioned_management) / count(*))::double as share_management,
    (count(*) filter (where mentioned_any) / count(*))::double as share_any
from periods
group by topic, period_kind, period, layer_group
order by topic, period_kind, period, layer_group
