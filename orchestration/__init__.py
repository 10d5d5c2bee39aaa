"""Dagster wiring: the Definitions object, the dbt factory, jobs and schedules."""

import infrathesis  # noqa: F401  (sets GX_ANALYTICS_ENABLED/TQDM_DISABLE before GE is imported)
