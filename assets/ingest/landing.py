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
SOURCE_OF_FOLDER = {folder: source for source, folder in SOURCE_FOLDERS.items()}


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


_VARIANT = re.compile(r"^(?P<folder>[a-z]+)_(?P<lang>[a-z]{2})$")


def source_folders(landing: Path, source_type: str) -> list[Path]:
    """A source's folder and its language variants: `calls/` and e.g. `calls_zh/` (translated calls)."""
    base = SOURCE_FOLDERS[source_type]
    found = [landing / base]
    if landing.is_dir():
        found += sorted(p for p in landing.iterdir()
                        if (m := _VARIANT.match(p.name)) and m["folder"] == base and p.is_dir() and not p.is_symlink())
    return found


def source_files(landing: Path, source_type: str) -> Iterator[Path]:
    for folder in source_folders(landing, source_type):
        yield from landed_files(folder)


def folder_language(origin: str) -> str | None:
    """`calls_zh/X.txt` -> "zh"; None for a plain source folder."""
    m = _VARIANT.match(origin.split("/", 1)[0])
    return m["lang"] if m else None


def source_of_folder(folder: str) -> str | None:
    m = _VARIANT.match(folder)
    return SOURCE_OF_FOLDER.get(m["folder"] if m else folder)


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


def _as_row(item) -> dict:
    return item if isinstance(item, dict) else item.document_row()


NEAR_DUPLICATE = 0.6  # estimated Jaccard of 12-word shingles: a repeated call scores ~0.8, two calls of one company ~0


def drop_duplicates(items: list, result: IngestResult, ident: Callable = _doc_ident) -> list:
    """The first origin (in path order) of a call keeps it; later copies are quarantined, naming the first:
    the same content, the same call in another format (same ticker, date and language), or the same
    words under another name or date (near-identical fingerprint). A call of the same ticker and date in
    another language is kept as a translation (`translation_of`), so the marts can leave it out of counts.
    `ident` gives (doc_id, origin) of an item: a Document here, a documents row when compacting."""
    from .model import bands, similarity

    seen: dict[str, str] = {}
    calls: dict[tuple, str] = {}                  # (source, ticker, date, language) -> origin
    by_call: dict[tuple, dict[str, str]] = {}     # (source, ticker, date) -> language -> origin
    by_band: dict[tuple, list[tuple[str, str]]] = {}  # ((source, language), band) -> [(fingerprint, origin)]
    kept = []
    for item in sorted(items, key=lambda i: ident(i)[1]):
        doc_id, origin = ident(item)
        row = _as_row(item)
        if doc_id in seen:
            result.quarantine(origin, f"duplicate content of {seen[doc_id]}")
            continue
        source, fp, language = row.get("source_type"), row.get("fingerprint"), row.get("language")
        same_call = (source, row.get("ticker"), str(row.get("event_date")), language)
        if source == "call" and same_call in calls:
            result.quarantine(origin, f"duplicate: the same call as {calls[same_call]} "
                                      f"({row.get('ticker')}, {row.get('event_date')}) in another format")
            continue
        keys = [((source, language), band) for band in bands(fp)] if fp else []
        twin = next((o for key in keys for f, o in by_band.get(key, ()) if similarity(f, fp) >= NEAR_DUPLICATE), None)
        if twin:
            result.quarantine(origin, f"duplicate: near-identical text to {twin} (filed under another name or date)")
            continue
        if source == "call":
            languages = by_call.setdefault(same_call[:3], {})
            original = next((o for lang, o in languages.items() if lang != language), None)
            if original and isinstance(item, dict):
                item["translation_of"] = original
            languages[language] = origin
            calls[same_call] = origin
        seen[doc_id] = origin
        for key in keys:
            by_band.setdefault(key, []).append((fp, origin))
        kept.append(item)
    return kept


def ingest_folder(source_type: str, landing: Path, universe: Universe, *, as_of: date) -> IngestResult:
    """Whole-folder parse in memory; the incremental, sharded path for the pipeline is in store.py.
    A date after `as_of` (the run's as-of date, plus a day) is quarantined as implausible."""
    latest = as_of + timedelta(days=1)
    result = IngestResult(source_type)
    documents = []
    for path in source_files(landing, source_type):
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
        if folder_language(origin) and "language" not in meta:
            meta["language"] = folder_language(origin)
        yield origin, fn(body, meta, universe=universe, origin=origin, latest=latest)
    return parse


def _json_call(text: str, *, universe, origin, latest):
    yield origin, parsers.parse_call_json(text, universe=universe, origin=origin, latest=latest,
                                          name_meta=parsers.meta_from_name(origin))


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
