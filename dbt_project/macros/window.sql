{% macro as_of() -%}
cast('{{ var("as_of") }}' as date)
{%- endmacro %}

{% macro window_start() -%}
({{ as_of() }} - interval {{ var("window_months") | int }} month)
{%- endmacro %}

{% macro in_window(column) -%}
({{ column }} > {{ window_start() }} and {{ column }} <= {{ as_of() }})
{%- endmacro %}

{% macro calendar_quarter(date_column) -%}
(cast(year({{ date_column }}) as varchar) || 'Q' || cast(quarter({{ date_column }}) as varchar))
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
