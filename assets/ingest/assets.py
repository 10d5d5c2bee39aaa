"""One ingestion asset per source type over one document model; each parses only new or changed files.

The source assets that pull into a landing folder are upstream in the lineage but not inputs: the
landing folder is the contract (files dropped by hand count the same), so ingesting never pulls."""

import dagster as dg

from assets.sources.assets import cninfo_reports, sec_xbrl_capex, transcripts_api
from infrathesis.settings import Settings

from .landing import SOURCE_FOLDERS
from .store import compact_cashflow, compacted_paths, ingest_source

GROUP = "ingest"
INGESTED_SOURCES = ("call", "mdna", "event", "filing")


def run_ingest(source_type: str, settings: Settings) -> dg.MaterializeResult:
    run = ingest_source(source_type, settings)
    return dg.MaterializeResult(
        metadata={
            "files_seen": run.files_seen,
            "files_parsed": run.parsed,
            "files_unchanged": run.unchanged,
            "files_removed": run.removed,
            "documents": run.documents,
            "quarantined": len(run.quarantined),
            "quarantine": dg.MetadataValue.md(_quarantine_md(run.quarantined)),
            "landing": dg.MetadataValue.path(str(settings.landing / SOURCE_FOLDERS[source_type])),
            "documents_parquet": dg.MetadataValue.path(str(compacted_paths(settings, source_type)["documents"])),
        }
    )


def _quarantine_md(rows: list[dict]) -> str:
    if not rows:
        return "nothing quarantined"
    lines = ["| path | reason |", "|---|---|"] + [f"| `{r['path']}` | {r['reason']} |" for r in rows[:200]]
    return "\n".join(lines)


def _ingest_asset(source_type: str, description: str, pulled_by: tuple = ()) -> dg.AssetsDefinition:
    @dg.asset(name=f"{SOURCE_FOLDERS[source_type]}_documents", group_name=GROUP, description=description,
              kinds={"python", "parquet"}, deps=list(pulled_by))
    def _asset() -> dg.MaterializeResult:
        return run_ingest(source_type, Settings.from_env())

    return _asset


calls_documents = _ingest_asset("call", "Earnings-call transcripts from landing/calls (JSON, text/Markdown).",
                                (transcripts_api,))
mdna_documents = _ingest_asset("mdna", "A-share annual/interim report MD&A sections from landing/mdna.", (cninfo_reports,))
events_documents = _ingest_asset("event", "Disclosure events from landing/events (CSV or JSONL).")
filings_documents = _ingest_asset("filing", "Filed facts (quarterly capex from SEC XBRL) from landing/filings.",
                                  (sec_xbrl_capex,))

INGEST_ASSETS = [calls_documents, mdna_documents, events_documents, filings_documents]


@dg.asset(group_name=GROUP, deps=[mdna_documents], kinds={"python", "parquet"},
          description="Filed capex of A-share companies: the cash-flow statement's capex line of each report PDF "
                      "in landing/mdna (read while ingesting it; assets/ingest/cashflow.yml), for the filed_capex mart.")
def mdna_cashflow() -> dg.MaterializeResult:
    settings = Settings.from_env()
    rows = compact_cashflow(settings)
    return dg.MaterializeResult(metadata={
        "figures": rows, "cashflow_parquet": dg.MetadataValue.path(str(compacted_paths(settings, "mdna")["cashflow"]))})
