-- A table, not a view: the per-file shard glob is scanned once per build instead of once per mart.
{{ config(materialized='table') }}

select
    m.doc_id,
    m.seq,
    m.section,
    m.role,
    m.speaker,
    m.topic,
    m.term,
    m.{{ adapter.quote('start') }} as start_offset,
    m.{{ adapter.quote('end') }} as end_offset,
    m.sent_start,
    m.sent_end,
    m.sentence
from {{ lake_table(source('pipeline', 'topic_mentions')) }} m
