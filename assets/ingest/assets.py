"""One ingestion asset per source type; each writes documents/segments/quarantine Parquet."""


import dagster as dg

from infrathesis.parquet_io import write_rows_atomic
from infrathesis.settings import Settings
from infrathesis.universe import load_universe

from .landing import SOURCE_FOLDERS, ingest_folder
from .model import DOCUMENTS_SCHEMA, QUARANTINE_SCHEMA, SEGMENTS_SCHEMA

GROUP = "ingest"


def source_paths(settings: Settings, source_type: str) -> dict[str, object]:
    folder = settings.parquet_dir / "ingest" / SOURCE_FOLDERS[source_type]
    return {name: folder / f"{name}.parquet" for name in ("documents", "segments", "quarantine")}


def run_ingest(source_type: str, settings: Settings) -> dg.MaterializeResult:
    universe = load_universe(settings.universe_csv)
    result = ingest_folder(source_type, settings.landing, universe)
    paths = source_paths(settings, source_type)
    write_rows_atomic([d.document_row() for d in result.documents], DOCUMENTS_SCHEMA, paths["documents"])
    write_rows_atomic([r for d in result.documents for r in d.segment_rows()], SEGMENTS_SCHEMA, paths["segments"])
    write_rows_atomic(result.quarantined, QUARANTINE_SCHEMA, paths["quarantine"])
    return dg.MaterializeResult(
        metadata={
            "files_seen": result.files_seen,
            "documents": len(result.documents),
            "quarantined": len(result.quarantined),
            "quarantine": dg.MetadataValue.md(_quarantine_md(result.quarantined)),
            "landing": dg.MetadataValue.path(str(settings.landing / SOURCE_FOLDERS[source_type])),
            "documents_parquet": dg.MetadataValue.path(str(paths["documents"])),
        }
    )


def _quarantine_md(rows: list[dict]) -> str:
    if not rows:
        return "nothing quarantined"
    lines = ["| path | reason |", "|---|---|"] + [f"| `{r['path']}` | {r['reason']} |" for r in rows[:200]]
    return "\n".join(lines)


def _ingest_asset(source_type: str, description: str) -> dg.AssetsDefinition:
    @dg.asset(name=f"{SOURCE_FOLDERS[source_type]}_documents", group_name=GROUP, description=description,
              kinds={"python", "parquet"})
    def _asset() -> dg.MaterializeResult:
        return run_ingest(source_type, Settings.from_env())

    return _asset


calls_documents = _ingest_asset("call", "Earnings-call transcripts from landing/calls (JSON, text/Markdown).")
mdna_documents = _ingest_asset("mdna", "A-share annual/interim report MD&A sections from landing/mdna.")
events_documents = _ingest_asset("event", "Disclosure events from landing/events (CSV or JSONL).")

INGEST_ASSETS = [calls_documents, mdna_documents, events_documents]
INGESTED_SOURCES = ("call", "mdna", "event")  # filings/ has no connector yet
