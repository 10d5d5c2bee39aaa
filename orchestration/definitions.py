"""The Definitions object: ingest -> tagging -> dbt -> checks -> report, assembled explicitly."""

from __future__ import annotations

import dagster as dg

from assets.ingest.assets import INGEST_ASSETS
from assets.report.assets import research_report
from assets.tagging.assets import tag_documents
from expectations.checks import MART_CHECKS, claim_verdicts, gx_claims, ingest_checks

from .dbt import build_dbt_assets, dbt_resource

# One run over the whole graph, so the blocking checks gate the report inside that run.
refresh_job = dg.define_asset_job("refresh", selection=dg.AssetSelection.all(), description="Full refresh of the landing folder.")

defs = dg.Definitions(
    assets=[*INGEST_ASSETS, tag_documents, build_dbt_assets(), claim_verdicts, research_report],
    asset_checks=[*ingest_checks(), *MART_CHECKS, gx_claims],
    jobs=[refresh_job],
    resources={"dbt": dbt_resource()},
)
