{% test value_range(model, column_name, min_value=none, max_value=none, exclusive_min=false) %}
-- Values outside [min_value, max_value] (or (min_value, ...] when exclusive_min); nulls pass.
select {{ column_name }} from {{ model }}
where {{ column_name }} is not null and (
    false
    {% if min_value is not none %} or {{ column_name }} {{ '<=' if exclusive_min else '<' }} {{ min_value }} {% endif %}
    {% if max_value is not none %} or {{ column_name }} > {{ max_value }} {% endif %}
)
{% endtest %}

{% test unique_combination(model, columns) %}
select {{ columns | join(', ') }}, count(*) as n
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
