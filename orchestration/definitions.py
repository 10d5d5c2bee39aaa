"""The Definitions object: sources -> ingest -> tagging -> dbt -> checks/claims -> report, assembled explicitly."""

import dagster as dg

from assets.ingest.assets import INGEST_ASSETS, mdna_cashflow
from assets.report.assets import research_report
from assets.sources.assets import GROUP as SOURCES_GROUP
from assets.sources.assets import SOURCE_ASSETS, SOURCE_RESOURCES, cninfo_reports, sec_xbrl_capex, transcripts_api
from assets.tagging.assets import tag_documents
from expectations.checks import MART_CHECKS, claim_verdicts, gx_claims, ingest_checks

from .dbt import build_dbt_assets, dbt_resource
from .schedules import build_landing_sensor, build_nightly_schedule, build_source_schedules, failure_alert

# One run over the whole graph but the sources, so the blocking checks gate the report inside that run
# and a refresh never waits on (or fails with) a provider. Transient failures are retried as whole runs
# when the instance enables run retries (see dagster_home/dagster.yaml).
refresh_job = dg.define_asset_job(
    "refresh",
    selection=dg.AssetSelection.all() - dg.AssetSelection.groups(SOURCES_GROUP),
    description="Refresh of the landing folder: new or changed files are parsed and tagged, everything downstream rebuilt.",
    tags={"dagster/max_retries": "2", "dagster/retry_strategy": "FROM_FAILURE"},
)

# Pulls land files; the landing sensor turns them into a refresh run of their own.
pull_transcripts_job = dg.define_asset_job(
    "pull_transcripts", selection=[transcripts_api],
    description="Pull new earnings-call transcripts from the provider into the landing folder.")
pull_filings_job = dg.define_asset_job(
    "pull_filings", selection=[sec_xbrl_capex, cninfo_reports],
    description="Pull SEC XBRL capex facts and Cninfo report PDFs into the landing folder.")

defs = dg.Definitions(
    assets=[*SOURCE_ASSETS, *INGEST_ASSETS, mdna_cashflow, tag_documents, build_dbt_assets(), claim_verdicts, research_report],
    asset_checks=[*ingest_checks(), *MART_CHECKS, gx_claims],
    jobs=[refresh_job, pull_transcripts_job, pull_filings_job],
    schedules=[build_nightly_schedule(refresh_job), *build_source_schedules(pull_transcripts_job, pull_filings_job)],
    sensors=[build_landing_sensor(refresh_job), failure_alert],
    resources={"dbt": dbt_resource(), **SOURCE_RESOURCES},
)
