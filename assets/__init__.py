"""Pipeline stages. Each subpackage is one Dagster group: ingest -> tagging -> (dbt) -> report."""
