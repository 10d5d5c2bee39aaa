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
