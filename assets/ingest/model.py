"""The document model every source is normalized into."""

from __future__ import annotations

import calendar
import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date

import pyarrow as pa

SOURCE_TYPES = ("call", "mdna", "event", "filing")
SECTIONS = ("prepared", "qa", "mdna", "body")
ROLES = ("management", "analyst", "operator", "unknown")

DOCUMENTS_SCHEMA = pa.schema(
    [
        ("doc_id", pa.string()),
        ("ticker", pa.string()),
        ("source_type", pa.string()),
        ("event_date", pa.date32()),
        ("fiscal_year", pa.int32()),
        ("fiscal_quarter", pa.int32()),
        ("period_end", pa.date32()),
        ("language", pa.string()),
        ("title", pa.string()),
        ("event_type", pa.string()),
        ("origin", pa.string()),
        ("sha256", pa.string()),
        ("n_chars", pa.int64()),
    ]
)

SEGMENTS_SCHEMA = pa.schema(
    [
        ("doc_id", pa.string()),
        ("seq", pa.int32()),
        ("section", pa.string()),
        ("speaker", pa.string()),
        ("role", pa.string()),
        ("char_start", pa.int64()),
        ("text", pa.string()),
    ]
)

QUARANTINE_SCHEMA = pa.schema([("path", pa.string()), ("source_type", pa.string()), ("reason", pa.string())])


@dataclass
class Segment:
    section: str
    speaker: str | None
    role: str
    text: str


@dataclass
class Document:
    ticker: str
    source_type: str
    event_date: date
    language: str
    title: str
    origin: str
    segments: list[Segment]
    fiscal_year: int | None = None
    fiscal_quarter: int | None = None
    period_end: date | None = None
    event_type: str | None = None
    doc_id: str = field(default="")

    @property
    def text(self) -> str:
        return SEGMENT_JOINER.join(s.text for s in self.segments)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def finalize(self) -> "Document":
        """Stable id from source, ticker, date and content: the same call landed twice is one document."""
        key = "|".join([self.source_type, self.ticker, self.event_date.isoformat(), self.sha256])
        self.doc_id = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
        return self

    def document_row(self) -> dict:
        return {
            "doc_id": self.doc_id,
            "ticker": self.ticker,
            "source_type": self.source_type,
            "event_date": self.event_date,
            "fiscal_year": self.fiscal_year,
            "fiscal_quarter": self.fiscal_quarter,
            "period_end": self.period_end,
            "language": self.language,
            "title": self.title,
            "event_type": self.event_type,
            "origin": self.origin,
            "sha256": self.sha256,
            "n_chars": len(self.text),
        }

    def segment_rows(self) -> list[dict]:
        rows, offset = [], 0
        for seq, seg in enumerate(self.segments):
            row = asdict(seg)
            row.update(doc_id=self.doc_id, seq=seq, char_start=offset)
            rows.append(row)
            offset += len(seg.text) + len(SEGMENT_JOINER)
        return rows


SEGMENT_JOINER = "\n"


def fiscal_period_end(fiscal_year: int, fiscal_quarter: int, fy_end_month: int) -> date:
    """Last day of a fiscal quarter. FY is named by the calendar year in which it ends (MSFT FY2026 ends June 2026)."""
    months_before_fy_end = 3 * (4 - fiscal_quarter)
    month_index = fiscal_year * 12 + (fy_end_month - 1) - months_before_fy_end
    year, month0 = divmod(month_index, 12)
    month = month0 + 1
    return date(year, month, calendar.monthrange(year, month)[1])
