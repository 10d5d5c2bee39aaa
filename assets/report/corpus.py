"""What the corpus held this run: documents per source and quarantined files, from the ingest Parquet."""

from __future__ import annotations

import pyarrow.parquet as pq

from assets.ingest.assets import INGESTED_SOURCES
from assets.ingest.store import compacted_paths
from infrathesis.settings import Settings


def corpus_summary(settings: Settings) -> dict:
    """Documents per source, quarantined files with reasons, and what ingestion noted on kept documents
    (a stated period contradicting the date, a translation of another call)."""
    documents_by_source: dict[str, int] = {}
    quarantined: list[dict] = []
    notes: list[dict] = []
    for source_type in INGESTED_SOURCES:
        paths = compacted_paths(settings, source_type)
        documents_by_source[source_type] = pq.read_metadata(paths["documents"]).num_rows if paths["documents"].exists() else 0
        if paths["quarantine"].exists():
            quarantined += [{"path": r["path"], "reason": r["reason"]} for r in pq.read_table(paths["quarantine"]).to_pylist()]
        if paths["documents"].exists():
            rows = pq.read_table(paths["documents"], columns=["origin", "notes", "translation_of"]).to_pylist()
            notes += [{"path": r["origin"], "note": r["notes"]} for r in rows if r["notes"]]
            notes += [{"path": r["origin"], "note": f"translation of {r['translation_of']}: tagged, not counted"}
                      for r in rows if r["translation_of"]]
    return {"documents_by_source": documents_by_source, "quarantined": quarantined, "notes": notes}


def sources_frame(settings: Settings):
    """Every ingested document, for the workbook's Sources sheet and the report's count of documents
    outside the window (a translation, `translation_of` set, is never counted there)."""
    import pandas as pd

    columns = ["doc_id", "ticker", "source_type", "event_date", "title", "origin", "translation_of"]
    frames = []
    for source_type in INGESTED_SOURCES:
        path = compacted_paths(settings, source_type)["documents"]
        if path.exists():
            present = set(pq.read_schema(path).names)
            frames.append(pq.read_table(path, columns=[c for c in columns if c in present]).to_pandas())
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True).sort_values(["ticker", "event_date", "source_type"])
