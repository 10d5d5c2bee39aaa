"""The Definitions object: ingest -> tagging -> dbt -> checks/claims -> report, assembled explicitly."""

import dagster as dg

from assets.ingest.assets import INGEST_ASSETS, mdna_cashflow
from assets.report.assets import research_report
from assets.tagging.assets import tag_documents
from expectations.checks import MART_CHECKS, claim_verdicts, gx_claims, ingest_checks

from .dbt import build_dbt_assets, dbt_resource
from .schedules import build_landing_sensor, build_nightly_schedule, failure_alert

# One run over the whole graph, so the blocking checks gate the report inside that run. Transient
# failures are retried as whole runs when the instance enables run retries (see dagster_home/dagster.yaml).
refresh_job = dg.define_asset_job(
    "refresh",
    selection=dg.AssetSelection.all(),
    description="Refresh of the landing folder: new or changed files are parsed and tagged, everything downstream rebuilt.",
    tags={"dagster/max_retries": "2", "dagster/retry_strategy": "FROM_FAILURE"},
)

defs = dg.Definitions(
    assets=[*INGEST_ASSETS, mdna_cashflow, tag_documents, build_dbt_assets(), claim_verdicts, research_report],
    asset_checks=[*ingest_checks(), *MART_CHECKS, gx_claims],
    jobs=[refresh_job],
    schedules=[build_nightly_schedule(refresh_job)],
    sensors=[build_landing_sensor(refresh_job), failure_alert],
    resources={"dbt": dbt_resource()},
)
