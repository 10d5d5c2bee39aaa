{% macro as_of() -%}
cast('{{ var("as_of") }}' as date)
{%- endmacro %}

{% macro window_start() -%}
cast({{ dbt.dateadd('month', -(var("window_months") | int), as_of()) }} as date)
{%- endmacro %}

{% macro in_window(column) -%}
({{ column }} > {{ window_start() }} and {{ column }} <= {{ as_of() }})
{%- endmacro %}

{% macro calendar_quarter(date_column) -%}
{{ dbt.concat([to_text("extract(year from " ~ date_column ~ ")"), "'Q'",
               to_text("extract(quarter from " ~ date_column ~ ")")]) }}
{%- endmacro %}

{% macro usd_rate(currency, rate) -%}
(case when {{ currency }} = 'USD' then 1.0 else {{ rate }} end)
{%- endmacro %}

{% macro capex_scope_rank(scope) -%}
{#- The company's headline capex definition first: including finance leases, then plain "capex", then
    gross, then cash paid for PP&E, then net. One place for quarterly_capex and the review rules. -#}
(case coalesce({{ scope }}, '')
    when 'including finance leases' then 0 when '' then 1 when 'gross' then 2
    when 'cash paid for PP&E' then 3 when 'net' then 4 else 5 end)
{%- endmacro %}
