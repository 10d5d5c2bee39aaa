"""The document model every source is normalized into."""

from __future__ import annotations

import calendar
import hashlib
import re
import zlib
from dataclasses import asdict, dataclass, field
from datetime import date

import numpy as np
import pyarrow as pa

SOURCE_TYPES = ("call", "mdna", "event", "filing")
SECTIONS = ("prepared", "qa", "mdna", "body", "editorial")
ROLES = ("management", "analyst", "operator", "unknown", "editorial")  # editorial: a provider's summary, never counted

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
        ("notes", pa.string()),           # what ingestion noticed but did not reject (e.g. a contradicted period)
        ("fingerprint", pa.string()),     # MinHash of word shingles: the same call landed twice in two formats
        ("translation_of", pa.string()),  # origin of the original when this is its translation (set at compaction)
        # filings only: the filed figure as data, so the filed_capex mart never parses its sentence
        ("concept", pa.string()),
        ("amount", pa.float64()),         # in `currency` units (not billions)
        ("currency", pa.string()),
        ("form", pa.string()),
        ("accession", pa.string()),
        ("source_url", pa.string()),
        ("derivation", pa.string()),      # how the quarter came from year-to-date values
        # at least one segment spoken or written by management: the denominator of management-only shares
        ("has_management", pa.bool_()),
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
    notes: list[str] = field(default_factory=list)
    filed: dict | None = None  # filings: concept, amount, currency, form, accession, source_url, derivation
    cashflow: list[dict] = field(default_factory=list)  # report PDFs: the cash-flow capex line (cashflow.py)
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
            "notes": "; ".join(self.notes) or None,
            # calls only: one company's annual and interim MD&A legitimately share much of their text
            "fingerprint": fingerprint(self.text) if self.source_type == "call" else None,
            "translation_of": None,
            **{k: (self.filed or {}).get(k) for k in FILED_FIELDS},
            "has_management": any(seg.role == "management" for seg in self.segments),
        }

    def cashflow_rows(self) -> list[dict]:
        return [{**row, "doc_id": self.doc_id, "ticker": self.ticker, "origin": self.origin} for row in self.cashflow]

    def segment_rows(self) -> list[dict]:
        rows, offset = [], 0
        for seq, seg in enumerate(self.segments):
            row = asdict(seg)
            row.update(doc_id=self.doc_id, seq=seq, char_start=offset)
            rows.append(row)
            offset += len(seg.text) + len(SEGMENT_JOINER)
        return rows


FILED_FIELDS = ("concept", "amount", "currency", "form", "accession", "source_url", "derivation")
SEGMENT_JOINER = "\n"
_WORD = re.compile(r"[a-z0-9]+|[\u4e00-\u9fff]")
SIGNATURE = 64


def fingerprint(text: str, shingle: int = 12) -> str | None:
    """MinHash signature (64 slots, hex) of the text's 12-word shingles: two transcripts of one call from
    two providers share most shingles even with different headers and speaker labels."""
    words = _WORD.findall(text.lower())
    if len(words) < shingle * 4:
        return None
    hashes = np.fromiter((zlib.crc32(" ".join(words[i:i + shingle]).encode()) for i in range(len(words) - shingle + 1)),
                         dtype=np.uint64)
    salts = np.arange(1, SIGNATURE + 1, dtype=np.uint64) * np.uint64(0x9E3779B1)
    mixed = (hashes[None, :] * np.uint64(2654435761) + salts[:, None]) % np.uint64(4294967311)
    return "".join(f"{v:09x}" for v in mixed.min(axis=1))


def bands(fingerprint: str, width: int = 2) -> list[str]:
    """The fingerprint cut into bands of `width` slots: two texts above about 0.5 similarity share a band
    almost surely, two unrelated ones almost never, so only texts sharing a band need comparing."""
    step = 9 * width
    return [f"{i}:{fingerprint[i:i + step]}" for i in range(0, len(fingerprint), step)]


def similarity(a: str | None, b: str | None) -> float:
    """Estimated Jaccard similarity of two fingerprints (share of equal MinHash slots)."""
    if not a or not b or len(a) != len(b):
        return 0.0
    return sum(a[i:i + 9] == b[i:i + 9] for i in range(0, len(a), 9)) / (len(a) // 9)


def fiscal_period_end(fiscal_year: int, fiscal_quarter: int, fy_end_month: int) -> date:
    """Last day of a fiscal quarter. FY is named by the calendar year in which it ends (MSFT FY2026 ends June 2026)."""
    months_before_fy_end = 3 * (4 - fiscal_quarter)
    month_index = fiscal_year * 12 + (fy_end_month - 1) - months_before_fy_end
    year, month0 = divmod(month_index, 12)
    month = month0 + 1
    return date(year, month, calendar.monthrange(year, month)[1])
