"""Tags every segment of every ingested document; writes topic mentions and capex statements."""


from collections import Counter

import dagster as dg
import pyarrow as pa
import pyarrow.parquet as pq

from assets.ingest.assets import INGEST_ASSETS, INGESTED_SOURCES, source_paths
from infrathesis.parquet_io import write_rows_atomic
from infrathesis.settings import Settings

from .lexicon import lexicon_version
from .nlp import Context, pieces, tag_pieces

GROUP = "tagging"

MENTIONS_SCHEMA = pa.schema([
    ("doc_id", pa.string()), ("seq", pa.int32()), ("section", pa.string()), ("role", pa.string()),
    ("speaker", pa.string()), ("topic", pa.string()), ("term", pa.string()), ("start", pa.int64()),
    ("end", pa.int64()), ("sent_start", pa.int64()), ("sent_end", pa.int64()), ("sentence", pa.string()),
    ("pattern_id", pa.string()),
])
CAPEX_SCHEMA = pa.schema([
    ("doc_id", pa.string()), ("seq", pa.int32()), ("role", pa.string()), ("value", pa.float64()),
    ("low", pa.float64()), ("high", pa.float64()), ("currency", pa.string()), ("unit", pa.string()),
    ("kind", pa.string()), ("period", pa.string()), ("scope", pa.string()), ("start", pa.int64()),
    ("end", pa.int64()), ("sent_start", pa.int64()), ("sentence", pa.string()),
])


def tag_outputs(settings: Settings) -> dict[str, object]:
    folder = settings.parquet_dir / "tagging"
    return {"topic_mentions": folder / "topic_mentions.parquet", "capex_statements": folder / "capex_statements.parquet"}


def _segments(settings: Settings):
    """Streams (language, segment row) per source file, one Parquet row group at a time."""
    for source_type in INGESTED_SOURCES:
        paths = source_paths(settings, source_type)
        if not paths["segments"].exists():
            continue
        languages = dict(
            zip(*pq.read_table(paths["documents"], columns=["doc_id", "language"]).to_pydict().values())
        )
        for batch in pq.ParquetFile(paths["segments"]).iter_batches(batch_size=2048):
            for row in batch.to_pylist():
                yield languages.get(row["doc_id"], "en"), row


def run_tagging(settings: Settings) -> tuple[list[dict], list[dict]]:
    by_lang: dict[str, list] = {"en": [], "zh": []}
    for lang, seg in _segments(settings):
        for offset, piece in pieces(seg["text"]):
            by_lang.setdefault(lang, []).append((piece, Context(seg, seg["char_start"] + offset, lang)))
    mentions, capex = [], []
    for lang, items in by_lang.items():
        for ctx, found, amounts in tag_pieces(items, settings.lexicon_dir, lang):
            seg = ctx.key
            carried = {"doc_id": seg["doc_id"], "seq": seg["seq"], "role": seg["role"]}
            mentions += [{**carried, "section": seg["section"], "speaker": seg["speaker"], **m} for m in found]
            capex += [{**carried, **a} for a in amounts]
    return mentions, capex


@dg.multi_asset(
    specs=[
        dg.AssetSpec("topic_mentions", group_name=GROUP, deps=INGEST_ASSETS, kinds={"spacy", "parquet"},
                     description="Sentence-level topic mentions with offsets, speaker role and section."),
        dg.AssetSpec("capex_statements", group_name=GROUP, deps=INGEST_ASSETS, kinds={"spacy", "parquet"},
                     description="Capex amounts (value or range, currency, unit, kind, period) from CAPEX sentences."),
    ],
    code_version=lexicon_version(Settings.from_env().lexicon_dir),
)
def tag_documents(context: dg.AssetExecutionContext):
    settings = Settings.from_env()
    mentions, capex = run_tagging(settings)
    outputs = tag_outputs(settings)
    write_rows_atomic(mentions, MENTIONS_SCHEMA, outputs["topic_mentions"])
    write_rows_atomic(capex, CAPEX_SCHEMA, outputs["capex_statements"])
    per_topic = Counter(m["topic"] for m in mentions)
    yield dg.MaterializeResult(asset_key="topic_mentions", metadata={
        "mentions": len(mentions),
        "documents_tagged": len({m["doc_id"] for m in mentions}),
        "per_topic": dg.MetadataValue.json(dict(sorted(per_topic.items()))),
        "path": dg.MetadataValue.path(str(outputs["topic_mentions"])),
    })
    yield dg.MaterializeResult(asset_key="capex_statements", metadata={
        "statements": len(capex),
        "path": dg.MetadataValue.path(str(outputs["capex_statements"])),
    })
