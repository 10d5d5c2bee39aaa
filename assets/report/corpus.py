"""What the corpus held this run: documents per source and quarantined files, from the ingest Parquet."""

from __future__ import annotations

import pyarrow.parquet as pq

from assets.ingest.assets import INGESTED_SOURCES
from assets.ingest.store import compacted_paths
from infrathesis.settings import Settings


def corpus_summary(settings: Settings) -> dict:
    documents_by_source: dict[str, int] = {}
    quarantined: list[dict] = []
    for source_type in INGESTED_SOURCES:
        paths = compacted_paths(settings, source_type)
        documents_by_source[source_type] = pq.read_metadata(paths["documents"]).num_rows if paths["documents"].exists() else 0
        if paths["quarantine"].exists():
            quarantined += [{"path": r["path"], "reason": r["reason"]} for r in pq.read_table(paths["quarantine"]).to_pylist()]
    return {"documents_by_source": documents_by_source, "quarantined": quarantined}


def sources_frame(settings: Settings):
    """Every ingested document, for the workbook's Sources sheet."""
    import pandas as pd

    frames = []
    for source_type in INGESTED_SOURCES:
        path = compacted_paths(settings, source_type)["documents"]
        if path.exists():
            frames.append(pq.read_table(path, columns=["doc_id", "ticker", "source_type", "event_date", "title", "origin"]).to_pandas())
    if not frames:
        return pd.DataFrame(columns=["doc_id", "ticker", "source_type", "event_date", "title", "origin"])
    return pd.concat(frames, ignore_index=True).sort_values(["ticker", "event_date", "source_type"])
