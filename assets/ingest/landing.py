"""Walk one landing subfolder: every file ends as documents or as a quarantine row, never lost."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Callable, Iterator

from infrathesis.universe import Universe

from . import parsers
from .model import Document

MAX_BYTES = 60 * 1024 * 1024
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
SOURCE_FOLDERS = {"call": "calls", "mdna": "mdna", "event": "events", "filing": "filings"}


@dataclass
class IngestResult:
    source_type: str
    documents: list[Document] = field(default_factory=list)
    quarantined: list[dict] = field(default_factory=list)
    files_seen: int = 0

    def quarantine(self, path: str, reason: str) -> None:
        self.quarantined.append({"path": path, "source_type": self.source_type, "reason": reason})


def landed_files(folder: Path) -> Iterator[Path]:
    """Every entry under a landing subfolder that could be a document, symlinks included (they are
    quarantined, never followed). Names starting with "." are editor and OS files, not documents."""
    if not folder.is_dir() or folder.is_symlink():
        return
    found = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        base = Path(root)
        found += [base / d for d in dirs if (base / d).is_symlink() and not d.startswith(".")]
        dirs[:] = [d for d in dirs if not d.startswith(".") and not (base / d).is_symlink()]
        found += [base / f for f in files if not f.startswith(".")]
    yield from sorted(found)


def file_key(landing: Path, path: Path) -> str:
    """A landed file's identity: its path inside the landing folder (also its Dagster partition key)."""
    return path.relative_to(landing).as_posix()


def parse_landed_file(source_type: str, path: Path, landing: Path, universe: Universe, latest: date) -> IngestResult:
    """One file -> its documents (not yet de-duplicated) and quarantine rows."""
    result = IngestResult(source_type, files_seen=1)
    origin = file_key(landing, path)
    try:
        produced = list(_parse_file(source_type, path, origin, universe, latest))
    except parsers.Rejected as exc:
        result.quarantine(origin, str(exc))
        return result
    for row_origin, item in produced:
        if isinstance(item, parsers.Rejected):
            result.quarantine(row_origin, str(item))
        else:
            result.documents.append(item.finalize())
    return result


def _doc_ident(doc: Document) -> tuple[str, str]:
    return doc.doc_id, doc.origin


def drop_duplicates(items: list, result: IngestResult, ident: Callable = _doc_ident) -> list:
    """The first origin (in path order) of a content keeps it; later copies are quarantined.
    `ident` gives (doc_id, origin) of an item: a Document here, a documents row when compacting."""
    seen: dict[str, str] = {}
    kept = []
    for item in sorted(items, key=lambda i: ident(i)[1]):
        doc_id, origin = ident(item)
        if doc_id in seen:
            result.quarantine(origin, f"duplicate content of {seen[doc_id]}")
        else:
            seen[doc_id] = origin
            kept.append(item)
    return kept


def ingest_folder(source_type: str, landing: Path, universe: Universe, *, today: date | None = None) -> IngestResult:
    """Whole-folder parse in memory; the incremental, sharded path for the pipeline is in store.py."""
    latest = (today or date.today()) + timedelta(days=1)
    result = IngestResult(source_type)
    documents = []
    for path in landed_files(landing / SOURCE_FOLDERS[source_type]):
        one = parse_landed_file(source_type, path, landing, universe, latest)
        result.files_seen += 1
        result.quarantined += one.quarantined
        documents += one.documents
    result.documents = drop_duplicates(documents, result)
    return result


def _parse_file(source_type: str, path: Path, origin: str, universe: Universe, latest: date):
    if path.is_symlink():
        raise parsers.Rejected("symlink not followed: landing files must be regular files inside the landing folder")
    if _CONTROL.search(path.name):
        raise parsers.Rejected("file name contains control characters")
    if not path.is_file():
        raise parsers.Rejected("not a regular file")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise parsers.Rejected(f"oversize: {size} bytes (limit {MAX_BYTES})")
    parser = _PARSERS.get((source_type, path.suffix.lower()))
    if parser is None:
        raise parsers.Rejected(f"unsupported file type {path.suffix or '(none)'} for {SOURCE_FOLDERS[source_type]}/")
    data = path.read_bytes()
    if parser is _pdf:
        return parser(data, universe=universe, origin=origin, latest=latest)
    return parser(parsers.decode(data), universe=universe, origin=origin, latest=latest)


def _single(fn: Callable) -> Callable:
    def parse(text: str, *, universe, origin, latest):
        meta, body = parsers.split_front_matter(text)
        meta = {**parsers.meta_from_name(origin), **meta}
        yield origin, fn(body, meta, universe=universe, origin=origin, latest=latest)
    return parse


def _json_call(text: str, *, universe, origin, latest):
    yield origin, parsers.parse_call_json(text, universe=universe, origin=origin, latest=latest)


def _pdf(data: bytes, *, universe, origin, latest):
    yield origin, parsers.parse_mdna_pdf(data, parsers.meta_from_name(origin), universe=universe, origin=origin, latest=latest)


def _events(kind: str) -> Callable:
    def parse(text: str, *, universe, origin, latest):
        return parsers.parse_events_table(text, kind=kind, universe=universe, origin=origin, latest=latest)
    return parse


_PARSERS: dict[tuple[str, str], Callable] = {
    ("call", ".txt"): _single(parsers.parse_call_text),
    ("call", ".md"): _single(parsers.parse_call_text),
    ("call", ".json"): _json_call,
    ("mdna", ".txt"): _single(parsers.parse_mdna_text),
    ("mdna", ".md"): _single(parsers.parse_mdna_text),
    ("mdna", ".pdf"): _pdf,
    ("event", ".csv"): _events("csv"),
    ("event", ".jsonl"): _events("jsonl"),
    ("filing", ".csv"): lambda text, **kw: parsers.parse_filing_csv(text, **kw),
}
