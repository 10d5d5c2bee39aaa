"""Per-file Parquet shards, so a new transcript is parsed and tagged alone, whatever the corpus size.

Layout under $OUT/parquet:
  shards/<shard id>/                 one folder per landed file (id = hash of its landing path)
      manifest.json                  {key, source_type, sha256, code_version, stamp}; written last
                                     (code_version: parsers + universe seeds, see ingest_version)
      documents.parquet, segments.parquet, quarantine.parquet       (ingest)
      cashflow.parquet               (report PDFs: the cash-flow capex line, assets/ingest/cashflow.py)
      mentions.parquet, capex.parquet, links.parquet, catalysts.parquet   (tagging)
  ingest/<calls|mdna|events>/documents.parquet, quarantine.parquet  compacted per source, de-duplicated
  ingest/mdna/cashflow.parquet       the kept reports' cash-flow figures (asset mdna_cashflow)
      cache_documents.parquet, cache_quarantine.parquet, cache_index.json    every shard's rows, so
                                     compaction re-reads only changed shards
"""

from __future__ import annotations

import hashlib
import json
import stat
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache, partial
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from infrathesis.faults import crash_point
from infrathesis.parallel import fan_out
from infrathesis.parquet_io import write_rows_atomic, write_table_atomic, write_text_atomic
from infrathesis.settings import Settings
from infrathesis.universe import load_universe, universe_version
from infrathesis.versions import SEGMENTATION, digest_files

from .landing import (SOURCE_FOLDERS, IngestResult, drop_duplicates, file_key, parse_landed_file, source_files,
                      source_of_folder)
from .parsers import DATES_SEEN
from .cashflow import CASHFLOW_SCHEMA
from .model import DOCUMENTS_SCHEMA, QUARANTINE_SCHEMA, SEGMENTS_SCHEMA

MANIFEST = "manifest.json"
# Tables a source's shards hold besides documents, segments and quarantine, compacted by their own asset.
EXTRA_TABLES = {"mdna": {"cashflow": CASHFLOW_SCHEMA}}


def shard_id(key: str) -> str:
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def shard_dir(settings: Settings, key: str) -> Path:
    return settings.parquet_dir / "shards" / shard_id(key)


def compacted_paths(settings: Settings, source_type: str) -> dict[str, Path]:
    folder = settings.parquet_dir / "ingest" / SOURCE_FOLDERS[source_type]
    names = ("documents", "quarantine", *EXTRA_TABLES.get(source_type, {}))
    return {name: folder / f"{name}.parquet" for name in names}


def source_of_key(key: str) -> str | None:
    return source_of_folder(key.split("/", 1)[0])


@lru_cache(maxsize=1)
def ingest_code_version() -> str:
    """Parsers, their rules (cashflow.yml) or the sentence segmentation they share with tagging changed ->
    every shard is re-parsed."""
    here = Path(__file__).parent
    return digest_files([*sorted(here.glob("*.py")), *sorted(here.glob("*.yml")), SEGMENTATION])


def ingest_version(settings: Settings) -> str:
    """What a shard depends on besides its file: the parsers and the seeds that resolve tickers, so
    adding a company brings its file out of quarantine ("unknown ticker") on the next run."""
    return f"{ingest_code_version()}-{universe_version(settings.universe_csv)}"


def landed_keys(settings: Settings, source_types=tuple(SOURCE_FOLDERS)) -> dict[str, Path]:
    keys = {}
    for source_type in source_types:
        for path in source_files(settings.landing, source_type):
            keys[file_key(settings.landing, path)] = path
    return keys


def file_sha(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_stamp(path: Path) -> list[int] | None:
    """(size, mtime in ns) of a regular file: when both match the manifest, the content hash is reused
    instead of re-reading the file (the check git uses for its index)."""
    try:
        st = path.lstat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns] if stat.S_ISREG(st.st_mode) else None


def content_sha(path: Path, manifest: dict | None) -> tuple[str, list[int] | None]:
    stamp = file_stamp(path)
    if stamp is None:
        return "not-a-regular-file", None
    if manifest and manifest.get("stamp") == stamp and manifest.get("sha256"):
        return manifest["sha256"], stamp
    return file_sha(path), stamp


def read_manifest(folder: Path) -> dict | None:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_manifest(folder: Path, **fields) -> None:
    write_text_atomic(json.dumps(fields), folder / MANIFEST)


@dataclass
class IngestRun:
    source_type: str
    files_seen: int = 0
    parsed: int = 0
    unchanged: int = 0
    removed: int = 0
    documents: int = 0
    quarantined: list | None = None


@dataclass(frozen=True)
class _Job:
    """One file to parse."""
    key: str
    path: Path
    sha: str
    stamp: list[int] | None


def ingest_source(source_type: str, settings: Settings, today: date | None = None) -> IngestRun:
    """Parses only new or changed files of one landing subfolder, then compacts and de-duplicates.
    Dates after the as-of date (`today` overrides it, for tests) are quarantined as implausible."""
    run = IngestRun(source_type)
    keys = landed_keys(settings, (source_type,))
    version = ingest_version(settings)
    jobs = []
    versions = {}  # key -> shard version (content hash + parser version), for compaction
    # "implausible date" means after the run's as-of date (plus a day), not after the machine's clock, so a
    # backtest quarantines what was not yet knowable and a later as-of accepts it.
    latest = (today or settings.as_of) + timedelta(days=1)
    for key, path in keys.items():
        run.files_seen += 1
        folder = shard_dir(settings, key)
        manifest = read_manifest(folder)
        sha, stamp = content_sha(path, manifest)
        if (manifest and manifest.get("sha256") == sha and manifest.get("code_version") == version
                and _same_dates_verdict(manifest, latest)):
            versions[key] = f"{sha}:{version}:{manifest.get('latest')}"
            run.unchanged += 1
            if manifest.get("stamp") != stamp:  # touched, not changed: remember the new stamp
                write_manifest(folder, **{**manifest, "stamp": stamp})
            continue
        versions[key] = f"{sha}:{version}:{latest.isoformat()}"
        jobs.append(_Job(key, path, sha, stamp))
    universe = load_universe(settings.universe_csv)
    parse = partial(_parse_into_shard, source_type=source_type, version=version, settings=settings,
                    universe=universe, latest=latest)
    for _ in fan_out(parse, jobs):
        run.parsed += 1
        crash_point("ingest")
    run.removed = remove_orphans(settings, source_type, set(keys))
    documents, quarantined = compact(settings, source_type, versions)
    run.documents, run.quarantined = documents, quarantined
    return run


def _same_dates_verdict(manifest: dict, latest: date) -> bool:
    """A shard parsed with another `latest` is still right when no date in it changes side: every
    accepted date stays on or before `latest` and every date rejected as too late stays after it."""
    if "latest" not in manifest:
        return False
    accepted, rejected = manifest.get("max_accepted_date"), manifest.get("min_rejected_date")
    return ((accepted is None or date.fromisoformat(accepted) <= latest)
            and (rejected is None or date.fromisoformat(rejected) > latest))


def _parse_into_shard(job: _Job, *, source_type: str, version: str, settings: Settings, universe, latest: date) -> str:
    folder = shard_dir(settings, job.key)
    seen: list[date] = []
    token = DATES_SEEN.set(seen)
    try:
        result = parse_landed_file(source_type, job.path, settings.landing, universe, latest)
    finally:
        DATES_SEEN.reset(token)
    write_shard(folder, result)
    accepted = [d for d in seen if d <= latest]
    rejected = [d for d in seen if d > latest]
    write_manifest(folder, key=job.key, source_type=source_type, sha256=job.sha, code_version=version,
                   stamp=job.stamp, latest=latest.isoformat(),
                   max_accepted_date=max(accepted).isoformat() if accepted else None,
                   min_rejected_date=min(rejected).isoformat() if rejected else None)
    return job.key


def write_shard(folder: Path, result: IngestResult) -> None:
    write_rows_atomic([d.document_row() for d in result.documents], DOCUMENTS_SCHEMA, folder / "documents.parquet")
    write_rows_atomic([r for d in result.documents for r in d.segment_rows()], SEGMENTS_SCHEMA, folder / "segments.parquet")
    write_rows_atomic(result.quarantined, QUARANTINE_SCHEMA, folder / "quarantine.parquet")
    if "cashflow" in EXTRA_TABLES.get(result.source_type, {}):
        write_rows_atomic([r for d in result.documents for r in d.cashflow_rows()], CASHFLOW_SCHEMA,
                          folder / "cashflow.parquet")


def remove_orphans(settings: Settings, source_type: str, live_keys: set[str]) -> int:
    """Shards of files that left the landing folder go too (documents, segments and their tags)."""
    import shutil

    root = settings.parquet_dir / "shards"
    removed = 0
    if not root.is_dir():
        return 0
    for folder in root.iterdir():
        manifest = read_manifest(folder)
        if manifest and manifest.get("source_type") == source_type and manifest["key"] not in live_keys:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def compact(settings: Settings, source_type: str, versions: dict[str, str]) -> tuple[int, list[dict]]:
    """One documents and one quarantine file per source: what dbt reads. Later copies of the same
    content are quarantined here, so removing the first copy brings the second back.

    Every shard's rows are also kept together in cache files beside them, with the shard's version
    (content hash + parser version); only shards whose version changed are read again, so one new
    file costs one shard read, not one per landed file. `versions`: landed key -> shard version."""
    paths = compacted_paths(settings, source_type)
    folder = paths["documents"].parent
    index_path = folder / "cache_index.json"
    try:
        index = json.loads(index_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        index = {}
    schemas = {"documents": DOCUMENTS_SCHEMA, "quarantine": QUARANTINE_SCHEMA}
    caches = {name: folder / f"cache_{name}.parquet" for name in schemas}
    ready = all(c.exists() for c in caches.values())
    fresh = {k for k, v in versions.items() if ready and index.get(k) == v}
    index_path.unlink(missing_ok=True)  # until rewritten below, a crash means "rebuild the cache"
    tables = {}
    for name, schema in schemas.items():
        cache_path = caches[name]
        parts = []
        if fresh:
            cached = pq.read_table(cache_path)
            parts.append(cached.filter(pc.is_in(cached["shard_key"], pa.array(sorted(fresh), pa.string()))))
        for key in sorted(set(versions) - fresh):
            shard = shard_dir(settings, key) / f"{name}.parquet"
            table = pq.read_table(shard) if shard.exists() else schema.empty_table()
            parts.append(table.append_column("shard_key", pa.array([key] * table.num_rows, pa.string())))
        tables[name] = (pa.concat_tables(parts) if parts else schema.empty_table().append_column(
            "shard_key", pa.array([], pa.string()))).sort_by("shard_key")
        write_table_atomic(tables[name], cache_path)
    write_text_atomic(json.dumps(versions), index_path)  # last: it vouches for the cache files
    documents = tables["documents"].drop_columns(["shard_key"]).to_pylist()
    quarantined = tables["quarantine"].drop_columns(["shard_key"]).to_pylist()
    holder = IngestResult(source_type)
    kept = drop_duplicates(documents, holder, ident=lambda row: (row["doc_id"], row["origin"]))
    quarantined += holder.quarantined
    write_rows_atomic(kept, DOCUMENTS_SCHEMA, paths["documents"])
    write_rows_atomic(quarantined, QUARANTINE_SCHEMA, paths["quarantine"])
    return len(kept), quarantined


def compact_cashflow(settings: Settings) -> int:
    """The cash-flow figures of the report PDFs kept as documents (a duplicate report adds none), from their
    shards into one file dbt reads. Returns the number of rows."""
    paths = compacted_paths(settings, "mdna")
    kept = pq.read_table(paths["documents"], columns=["doc_id", "origin"]).to_pylist() if paths["documents"].exists() else []
    parts = []
    for doc in kept:
        shard = shard_dir(settings, doc["origin"]) / "cashflow.parquet"
        if shard.exists():
            table = pq.read_table(shard, schema=CASHFLOW_SCHEMA)
            parts.append(table.filter(pc.equal(table["doc_id"], doc["doc_id"])))
    table = pa.concat_tables(parts) if parts else CASHFLOW_SCHEMA.empty_table()
    write_table_atomic(table, paths["cashflow"])
    return table.num_rows


def live_documents(settings: Settings, source_types=tuple(SOURCE_FOLDERS)):
    """Compacted documents of every source as one Arrow table (empty with the schema when none)."""
    tables = [pq.read_table(p["documents"]) for s in source_types
              if (p := compacted_paths(settings, s))["documents"].exists()]
    return pa.concat_tables(tables) if tables else DOCUMENTS_SCHEMA.empty_table()


def segments_for(settings: Settings, keys) -> pa.Table:
    tables = [pq.read_table(f / "segments.parquet") for k in keys if (f := shard_dir(settings, k)).joinpath("segments.parquet").exists()]
    return pa.concat_tables(tables) if tables else SEGMENTS_SCHEMA.empty_table()
