-- Catalysts as tagging wrote them (management sentences only), with offsets renamed as the other staging models.
select
    c.doc_id,
    c.seq,
    c.role,
    c.ticker,
    c.said_on,
    c.window_start,
    c.window_end,
    c.kind,
    c.topic,
    c.time_text,
    c.event_text,
    c.{{ adapter.quote('start') }} as start_offset,
    c.{{ adapter.quote('end') }} as end_offset,
    c.sent_start,
    c.sent_end,
    c.sentence
from {{ lake_table(source('pipeline', 'catalyst_statements')) }} c
