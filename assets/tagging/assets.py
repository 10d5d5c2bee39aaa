"""Tags the documents of the requested landed files (one dynamic partition per file); writes per-file
mention and capex shards, so one new transcript is tagged alone and a backfill is one run."""

import re
import shutil
from collections import Counter
from dataclasses import dataclass
from functools import partial

import dagster as dg
import pyarrow as pa
import pyarrow.compute as pc

from assets.ingest.assets import INGEST_ASSETS
from assets.ingest.store import read_manifest, segments_for, shard_dir, live_documents
from infrathesis.faults import crash_point
from infrathesis.parallel import fan_out
from infrathesis.parquet_io import write_rows_atomic
from infrathesis.sentences import detect_language
from infrathesis.settings import Settings
from infrathesis.universe import load_universe

from .capex import CapexContext
from .catalysts import catalysts_for_segments, catalysts_schema, document_calendars
from .lexicon import tagging_code_version
from .links import link_lexicon, links_for_segments
from .nlp import Context, pieces_with_lead, pipeline, tag_pieces

GROUP = "tagging"
LANDED_FILES = dg.DynamicPartitionsDefinition(name="landed_files")

MENTIONS_SCHEMA = pa.schema([
    ("doc_id", pa.string()), ("seq", pa.int32()), ("section", pa.string()), ("role", pa.string()),
    ("speaker", pa.string()), ("topic", pa.string()), ("term", pa.string()), ("start", pa.int64()),
    ("end", pa.int64()), ("sent_start", pa.int64()), ("sent_end", pa.int64()), ("sentence", pa.string()),
    ("pattern_id", pa.string()),
])
CAPEX_SCHEMA = pa.schema([
    ("doc_id", pa.string()), ("seq", pa.int32()), ("role", pa.string()), ("value", pa.float64()),
    ("low", pa.float64()), ("high", pa.float64()), ("currency", pa.string()), ("unit", pa.string()),
    ("kind", pa.string()), ("period", pa.string()), ("scope", pa.string()), ("subject", pa.string()),
    ("start", pa.int64()),
    ("end", pa.int64()), ("sent_start", pa.int64()), ("sentence", pa.string()),
])
CATALYSTS_SCHEMA = catalysts_schema()
LINKS_SCHEMA = pa.schema([
    ("doc_id", pa.string()), ("ticker", pa.string()), ("event_date", pa.date32()), ("seq", pa.int32()),
    ("role", pa.string()), ("section", pa.string()), ("from_company", pa.string()), ("to_company", pa.string()),
    ("relation", pa.string()), ("pattern_id", pa.string()), ("sent_start", pa.int64()), ("sent_end", pa.int64()),
    ("sentence", pa.string()),
])
SHARD_FILES = {"topic_mentions": ("mentions.parquet", MENTIONS_SCHEMA), "capex_statements": ("capex.parquet", CAPEX_SCHEMA),
               "catalyst_statements": ("catalysts.parquet", CATALYSTS_SCHEMA),
               "supply_link_statements": ("links.parquet", LINKS_SCHEMA)}


def ensure_empty_shards(settings: Settings) -> None:
    """A schema-only shard keeps dbt's glob sources valid before anything was tagged."""
    folder = settings.parquet_dir / "shards" / "_schema"
    for name, schema in SHARD_FILES.values():
        if not (folder / name).exists():
            write_rows_atomic([], schema, folder / name)


@dataclass(frozen=True)
class DocInfo:
    """What tagging needs to know of a live document: its language and, for capex, its company and quarter."""
    origin: str
    language: str
    capex: CapexContext
    ticker: str | None = None      # supply links: "we" is this company
    event_date: object = None


def live_doc_info(settings: Settings) -> dict[str, DocInfo]:
    """Documents that survived de-duplication, keyed by doc_id. A quarantined duplicate is not here,
    so it is never tagged and never counted."""
    universe = load_universe(settings.universe_csv)
    columns = ["doc_id", "origin", "language", "ticker", "fiscal_year", "fiscal_quarter", "event_date"]
    rows = live_documents(settings).select(columns).to_pylist()
    info = {}
    for row in rows:
        company = universe.companies.get(row["ticker"])
        info[row["doc_id"]] = DocInfo(row["origin"], row["language"], CapexContext(
            currency=company.reporting_currency if company else None,
            fiscal_year=row["fiscal_year"], fiscal_quarter=row["fiscal_quarter"],
            calendar_fy=(company.fiscal_year_end_month == 12) if company else True,
            fy_end_month=company.fiscal_year_end_month if company else 12,
        ), ticker=row["ticker"], event_date=row["event_date"])
    return info


def tag_segments(segments: pa.Table, docs: dict[str, DocInfo], settings: Settings) -> tuple[list[dict], list[dict]]:
    """Sentence-level mentions and capex amounts for a table of segments, streamed per language."""
    by_lang: dict[str, list] = {}
    for seg in segments.to_pylist():
        doc = docs.get(seg["doc_id"])
        lang = doc.language if doc else "en"
        for offset, piece, lead in pieces_with_lead(seg["text"]):
            # translations keep some English paragraphs: each piece of a Chinese document in its own language
            piece_lang = detect_language(piece) if lang == "zh" else lang
            by_lang.setdefault(piece_lang, []).append(
                (piece, Context(seg, seg["char_start"] + offset, piece_lang, doc.capex if doc else None, lead)))
    mentions, capex = [], []
    for lang, items in by_lang.items():
        for ctx, found, amounts in tag_pieces(items, settings.lexicon_dir, lang):
            seg = ctx.key
            carried = {"doc_id": seg["doc_id"], "seq": seg["seq"], "role": seg["role"]}
            mentions += [{**carried, "section": seg["section"], "speaker": seg["speaker"], **m} for m in found]
            capex += [{**carried, **a} for a in amounts]
    return mentions, capex


def tag_files(keys: list[str], settings: Settings) -> dict:
    """Tags each file's shard; files that left the landing folder lose their tag shards. Many files
    are spread over worker processes (one file is never split, so results do not depend on it)."""
    ensure_empty_shards(settings)
    docs = live_doc_info(settings)
    # each landed file's live documents (a duplicate's doc_id is live under the first copy's origin)
    by_file: dict[str, list[str]] = {}
    for doc_id, info in docs.items():
        by_file.setdefault(re.sub(r"#\d+$", "", info.origin), []).append(doc_id)  # "events/x.csv#3": a row
    for lang in {d.language for d in docs.values()}:
        pipeline(lang, settings.lexicon_dir)  # loaded once here, inherited by the workers
    totals = {"files": 0, "documents": set(), "mentions": 0, "capex": 0, "links": 0, "per_topic": Counter(), "catalysts": 0}
    calendars = document_calendars(settings)
    for outcome in fan_out(partial(_tag_file, settings=settings, docs=docs, by_file=by_file, calendars=calendars), keys):
        if outcome is None:
            continue
        crash_point("tagging")
        doc_ids, per_topic, capex, catalysts, links = outcome
        totals["catalysts"] += catalysts
        totals["files"] += 1
        totals["documents"].update(doc_ids)
        totals["mentions"] += sum(per_topic.values())
        totals["capex"] += capex
        totals["links"] += links
        totals["per_topic"].update(per_topic)
    _drop_orphan_tag_shards(settings)
    return totals


def _tag_file(key: str, *, settings: Settings, docs: dict[str, DocInfo], by_file: dict[str, list[str]], calendars: dict):
    folder = shard_dir(settings, key)
    if read_manifest(folder) is None:  # no ingest shard: the file is gone
        for name, _ in SHARD_FILES.values():
            (folder / name).unlink(missing_ok=True)
        return None
    segments = segments_for(settings, [key])
    segments = segments.filter(pc.is_in(segments["doc_id"], pa.array(by_file.get(key, []), pa.string())))
    mentions, capex = tag_segments(segments, docs, settings)
    write_rows_atomic(mentions, MENTIONS_SCHEMA, folder / "mentions.parquet")
    write_rows_atomic(capex, CAPEX_SCHEMA, folder / "capex.parquet")
    catalysts = catalysts_for_segments(segments.to_pylist(), calendars, mentions, settings.lexicon_dir)
    write_rows_atomic(catalysts, CATALYSTS_SCHEMA, folder / "catalysts.parquet")
    links = supply_links(segments, docs, settings)
    write_rows_atomic(links, LINKS_SCHEMA, folder / "links.parquet")
    return (set(segments.column("doc_id").to_pylist()), Counter(m["topic"] for m in mentions), len(capex), len(catalysts),
            len(links))


def supply_links(segments: pa.Table, docs: dict[str, DocInfo], settings: Settings) -> list[dict]:
    """Links stated by management in each document's segments ("we/our" is the document's company)."""
    lexicon = link_lexicon(settings.lexicon_dir)
    by_doc: dict[str, list[dict]] = {}
    for seg in segments.to_pylist():
        by_doc.setdefault(seg["doc_id"], []).append(seg)
    rows = []
    for doc_id, segs in by_doc.items():
        doc = docs.get(doc_id)
        if doc is None or not doc.ticker:
            continue
        for link in links_for_segments(segs, doc.ticker, lexicon):
            rows.append({"doc_id": doc_id, "ticker": doc.ticker, "event_date": doc.event_date,
                         "from_company": link["from"], "to_company": link["to"],
                         **{k: link[k] for k in ("seq", "role", "section", "relation", "pattern_id", "sent_start",
                                                  "sent_end", "sentence")}})
    return rows


def _drop_orphan_tag_shards(settings: Settings) -> None:
    root = settings.parquet_dir / "shards"
    for folder in root.iterdir() if root.is_dir() else []:
        if folder.name != "_schema" and read_manifest(folder) is None:
            shutil.rmtree(folder, ignore_errors=True)


@dg.multi_asset(
    specs=[
        dg.AssetSpec("topic_mentions", group_name=GROUP, deps=INGEST_ASSETS, kinds={"spacy", "parquet"},
                     description="Sentence-level topic mentions with offsets, speaker role and section."),
        dg.AssetSpec("capex_statements", group_name=GROUP, deps=INGEST_ASSETS, kinds={"spacy", "parquet"},
                     description="Capex amounts (value or range, currency, unit, kind, period) from CAPEX sentences."),
        dg.AssetSpec("catalyst_statements", group_name=GROUP, deps=INGEST_ASSETS, kinds={"python", "parquet"},
                     description="Dated forward events said by management (kind, month window, topic, sentence, offsets)."),
        dg.AssetSpec("supply_link_statements", group_name=GROUP, deps=INGEST_ASSETS, kinds={"python", "parquet"},
                     description="Supply-chain links (supplies, partner, competes) stated in management sentences, "
                                 "each with its sentence verbatim and offsets (assets/tagging/links.py)."),
    ],
    partitions_def=LANDED_FILES,
    backfill_policy=dg.BackfillPolicy.single_run(),
    code_version=tagging_code_version(Settings.from_env().lexicon_dir),
)
def tag_documents(context: dg.AssetExecutionContext):
    settings = Settings.from_env()
    keys = list(context.partition_keys)
    context.log.info(f"tagging {len(keys)} landed file(s)")
    totals = tag_files(keys, settings)
    common = {"files_tagged": totals["files"], "documents_tagged": len(totals["documents"])}
    yield dg.MaterializeResult(asset_key="topic_mentions", metadata={
        **common, "mentions": totals["mentions"],
        "per_topic": dg.MetadataValue.json(dict(sorted(totals["per_topic"].items()))),
    })
    yield dg.MaterializeResult(asset_key="capex_statements", metadata={**common, "statements": totals["capex"]})
    yield dg.MaterializeResult(asset_key="catalyst_statements", metadata={**common, "catalysts": totals["catalysts"]})
    yield dg.MaterializeResult(asset_key="supply_link_statements", metadata={**common, "links": totals["links"]})
