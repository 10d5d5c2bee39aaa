{% test not_before(model, column_name, other) %}
-- Rows whose column is earlier than another column of the same row (a window that ends before it starts).
select {{ column_name }}, {{ other }} from {{ model }}
where {{ column_name }} < {{ other }}
{% endtest %}
