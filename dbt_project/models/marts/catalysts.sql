-- The catalyst calendar: one row per dated forward event said by management in a document known at the
-- as-of date (translations left out: their original carries the same sentence).
-- status: 'upcoming' when the window ends on or after the as-of date; 'overdue' when it ended before and
-- nothing LATER mentions it; 'superseded' when it ended before but a later mention exists. A later mention
-- is any catalyst of the same ticker, kind and topic (a missing topic counts as its own value) said in a
-- document dated after this one (and not after the as-of date): the company spoke of it again, so the
-- passed window is not silently missed.
with c as (
    select
        c.*,
        d.event_date,
        d.source_type,
        d.origin,
        d.title,
        {{ dbt.concat(["c.ticker", "' '", "c.kind", "' '", to_text("c.window_start"), "'..'", to_text("c.window_end"),
                       "' @'", to_text("c.start_offset")]) }} as evidence_for
    from {{ ref('stg_catalysts') }} c
    join {{ ref('stg_documents') }} d using (doc_id)
    where not d.is_translation
),

later as (
    select distinct a.doc_id, a.start_offset, a.kind, a.window_start, a.window_end
    from c a
    join c b
      on b.ticker = a.ticker and b.kind = a.kind and coalesce(b.topic, '') = coalesce(a.topic, '')
     and b.said_on > a.said_on
)

select
    {{ dbt.hash(dbt.concat(["'catalysts'", "'|'", "c.evidence_for", "'|'", "c.doc_id"])) }} as evidence_id,
    c.ticker,
    c.window_start,
    c.window_end,
    c.kind,
    c.topic,
    c.time_text,
    c.sentence as quote,
    c.said_on,
    case
        when c.window_end >= {{ as_of() }} then 'upcoming'
        when l.doc_id is null then 'overdue'
        else 'superseded'
    end as status,
    (c.window_end >= {{ as_of() }}
        and c.window_start <= cast({{ dbt.dateadd('day', 90, as_of()) }} as date)) as in_next_90_days,
    l.doc_id is null as is_latest,
    c.evidence_for,
    c.doc_id,
    c.origin,
    c.source_type,
    c.start_offset,
    c.end_offset,
    c.sent_start,
    c.sent_end
from c
left join later l
  on l.doc_id = c.doc_id and l.start_offset = c.start_offset and l.kind = c.kind
 and l.window_start = c.window_start and l.window_end = c.window_end
order by c.window_start, c.ticker, c.said_on
