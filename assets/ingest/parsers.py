"""Pure parsers from landed bytes to `Document`s. No Dagster here, so tests call them directly."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date

from infrathesis.universe import Universe

from .model import Document, Segment, fiscal_period_end


class Rejected(Exception):
    """The input cannot become a document; the message is the quarantine reason."""


# ---------------------------------------------------------------------------------------------
# decoding and front matter

def decode(data: bytes) -> str:
    if not data.strip():
        raise Rejected("empty file")
    if b"\x00" in data[:4096]:
        raise Rejected("undecodable: binary content")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding).replace("\r\n", "\n").replace("\r", "\n")
        except UnicodeDecodeError:
            continue
    raise Rejected("undecodable: neither UTF-8 nor GB18030")


_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    meta = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep:
            meta[key.strip().lower()] = value.strip().strip('"').strip("'")
    return meta, text[match.end():]


_NAME = re.compile(r"^(?P<ticker>[A-Za-z0-9.]+)_(?P<date>\d{4}-\d{2}-\d{2})(?:_(?P<period>[A-Za-z0-9-]+))?$")


def meta_from_name(origin: str) -> dict[str, str]:
    """`<TICKER>_<YYYY-MM-DD>[_<period>].ext`: ticker, date and fiscal period when front matter has none."""
    stem = origin.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    match = _NAME.match(stem)
    if not match:
        return {}
    meta = {"ticker": match["ticker"], "date": match["date"]}
    if match["period"]:
        meta["fiscal_period"] = match["period"].replace("-", " ")
    return meta


def parse_date(raw: str | None, *, latest: date) -> date:
    if not raw:
        raise Rejected("missing date")
    try:
        value = date.fromisoformat(str(raw).strip()[:10])
    except ValueError:
        raise Rejected(f"unparseable date: {str(raw)[:40]!r}") from None
    if value.year < 1990 or value > latest:
        raise Rejected(f"implausible date: {value.isoformat()}")
    return value


def resolve_ticker(universe: Universe, raw: str | None) -> str:
    ticker = universe.resolve(raw)
    if ticker is None:
        raise Rejected(f"unknown ticker: {str(raw)[:40]!r}" if raw else "missing ticker")
    return ticker


_FISCAL = [
    re.compile(r"\bH(?P<h>[12])\s*(?P<year>\d{4})\b|\b(?P<year2>\d{4})\s*H(?P<h2>[12])\b", re.I),
    re.compile(r"\bFY\s?(?P<year>\d{4})\s*Q(?P<q>[1-4])\b", re.I),
    re.compile(r"\bQ(?P<q>[1-4])\s*(?:FY|fiscal\s*(?:year\s*)?)?\s?(?P<year>\d{4})\b", re.I),
]


def parse_fiscal_period(raw: str | None) -> tuple[int | None, int | None]:
    for pattern in _FISCAL:
        match = pattern.search(raw or "")
        if match and "h" in match.groupdict():
            half = match["h"] or match["h2"]
            return int(match["year"] or match["year2"]), 2 * int(half)
        if match:
            return int(match["year"]), int(match["q"])
    year = re.search(r"\b(?:FY\s?)?(\d{4})\b", raw or "")
    return (int(year.group(1)), None) if year else (None, None)


def _with_period(doc: Document, fiscal_period: str | None, fy_end_month: int) -> Document:
    fy, fq = parse_fiscal_period(fiscal_period)
    doc.fiscal_year, doc.fiscal_quarter = fy, fq
    if fy is not None:
        doc.period_end = fiscal_period_end(fy, fq or 4, fy_end_month)
    return doc


# ---------------------------------------------------------------------------------------------
# earnings calls

_TURN = re.compile(r"^(?P<name>[A-Z][\w.'’\- ]{0,60}?):\s+(?P<text>\S.*)$")
_MGMT_HEADER = re.compile(r"^(corporate participants|company participants|executives|management)\s*:?\s*$", re.I)
_ANALYST_HEADER = re.compile(r"^(conference call participants|analysts|call participants)\s*:?\s*$", re.I)
_PARTICIPANT_SEP = re.compile(r"\s+[—–-]\s+|,\s*")
QA_PHRASES = re.compile(
    r"first question|question-and-answer|question and answer|open the (?:line|call|floor) (?:up )?for questions"
    r"|begin the q&a|take (?:our|your) questions",
    re.I,
)
_INTRODUCED_ANALYST = re.compile(
    r"(?:question|line) (?:comes |is )?from (?:the line of )?(?P<name>[A-Z][\w.'’\-]+(?: [A-Z][\w.'’\-]+){0,3})"
    r"(?: (?:with|of|from|at) [A-Z])",
)


def parse_call_text(text: str, meta: dict[str, str], *, universe: Universe, origin: str, latest: date) -> Document:
    """Provider-style transcript: optional front matter, title line, participants, `Name: text` turns."""
    ticker = resolve_ticker(universe, meta.get("ticker"))
    event_date = parse_date(meta.get("date"), latest=latest)
    lines = [line.rstrip() for line in text.split("\n")]
    title = meta.get("title") or next((line.strip() for line in lines if line.strip()), "")
    management, analysts = _participants(lines)
    turns: list[list[str]] = []
    for line in lines:
        match = _TURN.match(line.strip())
        if match and not _MGMT_HEADER.match(line) and not _ANALYST_HEADER.match(line):
            turns.append([match["name"].strip(), match["text"].strip()])
        elif turns and line.strip():
            turns[-1][1] += " " + line.strip()
    if not turns:
        flat = " ".join(line.strip() for line in lines if line.strip())
        if not flat:
            raise Rejected("no text")
        segments = speech_to_text_segments(flat)
        if not segments:
            raise Rejected("no speaker turns found (expected `Name: text` lines) and no sentences")
        title = meta.get("title") or f"{universe[ticker].name} call {event_date.isoformat()}"
    else:
        segments = _turns_to_segments(turns, management, analysts)
    doc = Document(ticker=ticker, source_type="call", event_date=event_date, language="en", title=title,
                   origin=origin, segments=segments)
    return _with_period(doc, meta.get("fiscal_period") or title, universe[ticker].fiscal_year_end_month)


def parse_call_json(raw: str, *, universe: Universe, origin: str, latest: date) -> Document:
    try:
        payload = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise Rejected(f"malformed JSON: {exc.msg} at line {exc.lineno}") from None
    if not isinstance(payload, dict):
        raise Rejected("malformed JSON: expected an object")
    meta = {k: str(v) for k, v in payload.items() if k in ("ticker", "date", "fiscal_period", "title") and v}
    if payload.get("turns"):
        lines = [f"{t.get('speaker', 'Unknown')}: {t.get('text', '')}" for t in payload["turns"] if isinstance(t, dict)]
        doc = parse_call_text("\n".join(lines), meta, universe=universe, origin=origin, latest=latest)
        for seg, turn in zip(doc.segments, payload["turns"]):
            if isinstance(turn, dict) and turn.get("role") in ("management", "analyst", "operator"):
                seg.role = turn["role"]
        return doc
    if isinstance(payload.get("text"), str):
        return parse_call_text(payload["text"], meta, universe=universe, origin=origin, latest=latest)
    raise Rejected("malformed JSON: neither `text` nor `turns`")


def _participants(lines: list[str]) -> tuple[set[str], set[str]]:
    """Names listed under the participants headers, as `Name — Title` or `Name, Firm`."""
    management: set[str] = set()
    analysts: set[str] = set()
    current: set[str] | None = None
    for line in lines:
        stripped = line.strip().lstrip("-*• ").strip()
        if _MGMT_HEADER.match(stripped):
            current = management
        elif _ANALYST_HEADER.match(stripped):
            current = analysts
        elif _TURN.match(stripped):
            current = None
        elif stripped and current is not None:
            name = _PARTICIPANT_SEP.split(stripped, maxsplit=1)[0].strip()
            if name:
                current.add(name)
    return management, analysts


def _turns_to_segments(turns: list[list[str]], management: set[str], analysts: set[str]) -> list[Segment]:
    segments: list[Segment] = []
    section = "prepared"
    analysts = set(analysts)
    for name, text in turns:
        is_operator = name.lower() == "operator"
        if is_operator:
            if QA_PHRASES.search(text):
                section = "qa"
            analysts.update(m["name"] for m in _INTRODUCED_ANALYST.finditer(text))
            role = "operator"
        elif name in management:
            role = "management"
        elif name in analysts:
            role = "analyst"
            section = "qa"
        else:
            role = "unknown"
        segments.append(Segment(section=section, speaker=name, role=role, text=text))
    return segments


_SENTENCE = re.compile(r"[^.!?]+[.!?]+[\"')\]]*|[^.!?]+$")


def speech_to_text_segments(text: str) -> list[Segment]:
    """A transcript with no speaker labels: prepared remarks until the operator opens the Q&A; in Q&A,
    questions are the analysts', the rest unattributed."""
    sentences = [m.group(0).strip() for m in _SENTENCE.finditer(text) if m.group(0).strip()]
    if not sentences or not any(re.search(r"[A-Za-z]{2,}", s) for s in sentences):
        return []
    segments, section = [], "prepared"
    for sentence in sentences:
        if section == "prepared" and QA_PHRASES.search(sentence):
            section = "qa"
            segments.append(Segment(section="qa", speaker="Operator", role="operator", text=sentence))
            continue
        if section == "prepared":
            role = "management"
        else:
            role = "analyst" if sentence.endswith("?") else "unknown"
        segments.append(Segment(section=section, speaker=None, role=role, text=sentence))
    return segments


# ---------------------------------------------------------------------------------------------
# MD&A: text, or the PDF of an annual/interim report

def parse_mdna_text(text: str, meta: dict[str, str], *, universe: Universe, origin: str, latest: date) -> Document:
    ticker = resolve_ticker(universe, meta.get("ticker"))
    event_date = parse_date(meta.get("date"), latest=latest)
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip()]
    if not paragraphs:
        raise Rejected("no MD&A text found")
    title = meta.get("title") or paragraphs[0][:120]
    segments = [Segment(section="mdna", speaker=None, role="management", text=p) for p in paragraphs]
    doc = Document(ticker=ticker, source_type="mdna", event_date=event_date, language=meta.get("language", "zh"),
                   title=title, origin=origin, segments=segments)
    return _with_period(doc, meta.get("fiscal_period"), universe[ticker].fiscal_year_end_month)


def parse_mdna_pdf(data: bytes, meta: dict[str, str], *, universe: Universe, origin: str, latest: date) -> Document:
    """The MD&A chapter of a report PDF; ticker and date from the file name, period from the cover."""
    from .pdf import mdna_section, paragraphs, pdf_pages, report_period

    if not data.startswith(b"%PDF"):
        raise Rejected("unparseable PDF: no %PDF header")
    pages = pdf_pages(data)
    if not "".join(pages).strip():
        raise Rejected("unparseable PDF: no text layer (scanned?)")
    ticker = resolve_ticker(universe, meta.get("ticker"))
    event_date = parse_date(meta.get("date"), latest=latest)
    period = meta.get("fiscal_period") or report_period("\n".join(pages[:2]))
    text = "\n".join(paragraphs(mdna_section(pages)))
    title = " ".join([line.strip() for line in pages[0].splitlines() if line.strip()][:2])[:120]
    doc_meta = {"ticker": ticker, "date": event_date.isoformat(), "fiscal_period": period or "", "title": title,
                "language": "zh"}
    return parse_mdna_text(text, doc_meta, universe=universe, origin=origin, latest=latest)


# ---------------------------------------------------------------------------------------------
# disclosure events

EVENT_TYPES = ("product", "alliance", "lawsuit", "capital", "earnings", "other")
EVENT_COLUMNS = ("ticker", "date", "type", "title", "text")


def parse_events_table(text: str, *, kind: str, universe: Universe, origin: str, latest: date):
    """Yields (row_origin, Document | Rejected) so one bad row never costs the others."""
    if kind == "jsonl":
        records = []
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                records.append((n, json.loads(line)))
            except json.JSONDecodeError as exc:
                records.append((n, Rejected(f"malformed JSON line: {exc.msg}")))
    else:
        reader = csv.DictReader(io.StringIO(text))
        missing = [c for c in EVENT_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise Rejected(f"malformed CSV: missing columns {', '.join(missing)}")
        records = [(n, row) for n, row in enumerate(reader, start=2)]
    for n, record in records:
        row_origin = f"{origin}#{n}"
        if isinstance(record, Rejected):
            yield row_origin, record
            continue
        try:
            yield row_origin, _event(record, universe=universe, origin=row_origin, latest=latest)
        except Rejected as exc:
            yield row_origin, exc


def _event(record: dict, *, universe: Universe, origin: str, latest: date) -> Document:
    ticker = resolve_ticker(universe, record.get("ticker"))
    event_date = parse_date(record.get("date"), latest=latest)
    event_type = (record.get("type") or "other").strip().lower()
    if event_type not in EVENT_TYPES:
        event_type = "other"
    title = (record.get("title") or "").strip()
    body = (record.get("text") or "").strip()
    if not title and not body:
        raise Rejected("empty event: no title or text")
    segments = [Segment(section="body", speaker=None, role="management", text=t) for t in (title, body) if t]
    language = "zh" if re.search(r"[\u4e00-\u9fff]", title + body) else "en"
    return Document(ticker=ticker, source_type="event", event_date=event_date, language=language, title=title,
                    origin=origin, segments=segments, event_type=event_type)


# ---------------------------------------------------------------------------------------------
# filed facts: quarterly capex from XBRL (written by the EDGAR connector)

FILING_COLUMNS = ("ticker", "period_end", "fiscal_year", "fiscal_quarter", "capex", "currency", "concept", "form", "filed")


def parse_filing_csv(text: str, *, universe: Universe, origin: str, latest: date):
    """One document per filed quarter, phrased as a sentence so tagging and evidence treat it like text."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in FILING_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise Rejected(f"malformed CSV: missing columns {', '.join(missing)}")
    for n, row in enumerate(reader, start=2):
        row_origin = f"{origin}#{n}"
        try:
            ticker = resolve_ticker(universe, row["ticker"])
            filed = parse_date(row["filed"], latest=latest)
            period_end = date.fromisoformat(row["period_end"])
            amount = float(row["capex"])
        except (Rejected, ValueError) as exc:
            yield row_origin, exc if isinstance(exc, Rejected) else Rejected(f"malformed row: {exc}")
            continue
        quarter = int(row["fiscal_quarter"]) if row["fiscal_quarter"] else None
        text = (f"Capital expenditures were {row['currency']} {amount / 1e9:.3f} billion in the quarter ended "
                f"{period_end.isoformat()}, as filed on form {row['form']} ({row['concept']}).")
        yield row_origin, Document(
            ticker=ticker, source_type="filing", event_date=filed, language="en",
            title=f"{ticker} {row['form']} capex, quarter ended {period_end.isoformat()}", origin=row_origin,
            segments=[Segment(section="body", speaker=None, role="management", text=text)],
            fiscal_year=int(row["fiscal_year"]) if row["fiscal_year"] else None, fiscal_quarter=quarter,
            period_end=period_end,
        )
