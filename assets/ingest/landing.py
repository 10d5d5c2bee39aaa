"""Walk one landing subfolder: every file ends as documents or as a quarantine row, never lost."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Callable, Iterator

from infrathesis.universe import Universe

from . import parsers
from .model import Document

MAX_BYTES = 60 * 1024 * 1024
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
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            yield path


def ingest_folder(source_type: str, landing: Path, universe: Universe, *, today: date | None = None) -> IngestResult:
    folder = landing / SOURCE_FOLDERS[source_type]
    latest = (today or date.today()) + timedelta(days=1)
    result = IngestResult(source_type)
    seen: dict[str, str] = {}
    for path in landed_files(folder):
        result.files_seen += 1
        origin = str(path.relative_to(landing))
        try:
            produced = list(_parse_file(source_type, path, origin, universe, latest))
        except parsers.Rejected as exc:
            result.quarantine(origin, str(exc))
            continue
        for row_origin, item in produced:
            if isinstance(item, parsers.Rejected):
                result.quarantine(row_origin, str(item))
                continue
            doc = item.finalize()
            if doc.doc_id in seen:
                result.quarantine(row_origin, f"duplicate content of {seen[doc.doc_id]}")
                continue
            seen[doc.doc_id] = row_origin
            result.documents.append(doc)
    return result


def _parse_file(source_type: str, path: Path, origin: str, universe: Universe, latest: date):
    if path.stat().st_size > MAX_BYTES:
        raise parsers.Rejected(f"oversize: {path.stat().st_size} bytes (limit {MAX_BYTES})")
    parser = _PARSERS.get((source_type, path.suffix.lower()))
    if parser is None:
        raise parsers.Rejected(f"unsupported file type {path.suffix or '(none)'} for {SOURCE_FOLDERS[source_type]}/")
    text = parsers.decode(path.read_bytes())
    return parser(text, universe=universe, origin=origin, latest=latest)


def _single(fn: Callable) -> Callable:
    def parse(text: str, *, universe, origin, latest):
        meta, body = parsers.split_front_matter(text)
        yield origin, fn(body, meta, universe=universe, origin=origin, latest=latest)
    return parse


def _json_call(text: str, *, universe, origin, latest):
    yield origin, parsers.parse_call_json(text, universe=universe, origin=origin, latest=latest)


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
    ("event", ".csv"): _events("csv"),
    ("event", ".jsonl"): _events("jsonl"),
}
