-- A table, not a view: the per-file shard glob is scanned once per build instead of once per mart.
{{ config(materialized='table') }}

select
    c.doc_id,
    c.seq,
    c.role,
    c.value,
    c.low,
    c.high,
    c.currency,
    c.unit,
    c.kind,
    c.period,
    c.scope,
    c.subject,
    c.{{ adapter.quote('start') }} as start_offset,
    c.{{ adapter.quote('end') }} as end_offset,
    c.sent_start,
    c.sentence
from {{ lake_table(source('pipeline', 'capex_statements')) }} c
