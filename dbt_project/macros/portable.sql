{#- What differs between engines, in one file (rules: PORTABILITY.md). Each macro dispatches with
    adapter.dispatch(name, 'infrathesis'): `duckdb__` and `spark__` variants where the engines differ,
    `default__` the plain SQL other engines most likely accept. Models call these, never engine SQL. -#}

{#- The Parquet lake: the one place that knows where each source table's files are. A change of the
    lake layout (folders, partitions) changes `lake_location` only; the reader per engine is below. -#}
{% macro lake_location(name) -%}
{%- set root = env_var('INFRATHESIS_OUT', '../data/out') ~ '/parquet' -%}
{%- set layout = {
    'calls_documents': 'ingest/calls/documents.parquet',
    'mdna_documents': 'ingest/mdna/documents.parquet',
    'events_documents': 'ingest/events/documents.parquet',
    'filings_documents': 'ingest/filings/documents.parquet',
    'topic_mentions': 'shards/*/mentions.parquet',
    'mdna_cashflow': 'ingest/mdna/cashflow.parquet',
    'capex_statements': 'shards/*/capex.parquet',
    'catalyst_statements': 'shards/*/catalysts.parquet',
    'supply_link_statements': 'shards/*/links.parquet',
} -%}
{#- at parse time source() is a placeholder relation, so only a compiling run checks the name -#}
{%- if name not in layout and execute -%}
{{ exceptions.raise_compiler_error("no lake location for source table '" ~ name ~ "': add it to lake_location in macros/portable.sql") }}
{%- endif -%}
{{ root }}/{{ layout.get(name, name) }}
{%- endmacro %}

{#- `from {{ lake_table(source('pipeline', 'x')) }}`: the source() call keeps the lineage (dbt and Dagster
    see the model read the source); this macro turns it into the engine's reader of the lake files. -#}
{% macro lake_table(source_relation) -%}
{{ return(adapter.dispatch('lake_table', 'infrathesis')(source_relation)) }}
{%- endmacro %}

{% macro default__lake_table(source_relation) -%}
{{ exceptions.raise_compiler_error("no Parquet reader for adapter '" ~ adapter.type() ~ "': add " ~ adapter.type() ~ "__lake_table to macros/portable.sql") }}
{%- endmacro %}

{% macro duckdb__lake_table(source_relation) -%}
read_parquet('{{ lake_location(source_relation.identifier) }}')
{%- endmacro %}

{% macro spark__lake_table(source_relation) -%}
parquet.`{{ lake_location(source_relation.identifier) }}`
{%- endmacro %}

{#- string_agg with a defined order. dbt.listagg's Spark variant ignores its order_by (collect_list has no
    order), so Spark sorts (keys..., value) structs and keeps the values. `order_by` is a list of
    ascending expressions; for "nulls last" pass `case when x is null then 1 else 0 end` before x.
    Null values are skipped and no value at all gives null, as string_agg does. -#}
{% macro ordered_listagg(measure, delimiter_text, order_by) -%}
{{ return(adapter.dispatch('ordered_listagg', 'infrathesis')(measure, delimiter_text, order_by)) }}
{%- endmacro %}

{% macro default__ordered_listagg(measure, delimiter_text, order_by) -%}
{{ dbt.listagg(measure, delimiter_text, "order by " ~ (order_by | join(', '))) }}
{%- endmacro %}

{% macro spark__ordered_listagg(measure, delimiter_text, order_by) -%}
case when count({{ measure }}) > 0 then array_join(transform(array_sort(collect_list(
    case when {{ measure }} is not null then named_struct(
        {%- for key in order_by %}'k{{ loop.index }}', {{ key }}, {% endfor %}'v', {{ measure }}) end
)), x -> x.v), {{ delimiter_text }}) end
{%- endmacro %}

{#- A regular expression found anywhere in the string (a search, not a full match). Write patterns with
    classes such as [0-9], not backslash escapes: string literals unescape backslashes on Spark only. -#}
{% macro regexp_contains(value, pattern) -%}
{{ return(adapter.dispatch('regexp_contains', 'infrathesis')(value, pattern)) }}
{%- endmacro %}

{% macro default__regexp_contains(value, pattern) -%}
regexp_like({{ value }}, {{ pattern }})
{%- endmacro %}

{% macro duckdb__regexp_contains(value, pattern) -%}
regexp_matches({{ value }}, {{ pattern }})
{%- endmacro %}

{% macro spark__regexp_contains(value, pattern) -%}
({{ value }} rlike {{ pattern }})
{%- endmacro %}

{#- The continuous median (linear interpolation), an aggregate. -#}
{% macro median(column) -%}
{{ return(adapter.dispatch('median', 'infrathesis')(column)) }}
{%- endmacro %}

{% macro default__median(column) -%}
percentile_cont(0.5) within group (order by {{ column }})
{%- endmacro %}

{% macro spark__median(column) -%}
percentile({{ column }}, 0.5)
{%- endmacro %}

{#- A 64-bit float (dbt.type_float is 32-bit `float` on Spark). -#}
{% macro type_double() -%}
{{ return(adapter.dispatch('type_double', 'infrathesis')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
double precision
{%- endmacro %}

{% macro duckdb__type_double() -%}
double
{%- endmacro %}

{% macro spark__type_double() -%}
double
{%- endmacro %}

{#- Portable helpers (no dispatch needed): -#}

{#- count(*) filter (where ...), which not every engine has. -#}
{% macro count_if(condition) -%}
count(case when {{ condition }} then 1 end)
{%- endmacro %}

{#- Any value as text (numbers, dates: ISO yyyy-mm-dd on every engine). -#}
{% macro to_text(expression) -%}
{{ dbt.cast(expression, dbt.type_string()) }}
{%- endmacro %}

{#- A share as a float: integer / integer truncates on some engines. -#}
{% macro share(numerator, denominator) -%}
(cast({{ numerator }} as {{ type_double() }}) / {{ denominator }})
{%- endmacro %}
