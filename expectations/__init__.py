"""Great Expectations 1.x suites (as code) run as blocking Dagster asset checks on the dbt marts."""
