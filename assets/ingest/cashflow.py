"""Filed capex of A-share companies: the consolidated cash-flow statement's line 购建固定资产、无形资产和
其他长期资产支付的现金, current and prior period, read from the report PDF whose MD&A ingestion reads.

Why here and not in dbt: the figure exists only in the PDF's page text. Labels, headings, units and the
lines skipped between a label and its figures are data (cashflow.yml).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyarrow as pa

RULES_FILE = Path(__file__).with_name("cashflow.yml")
# Only annual and half-year reports: a quarterly report's cash flows are year-to-date spans.
PERIODS = {"FY": (4, 12), "H1": (2, 6)}  # kind -> (fiscal quarter the period ends in, months)

CASHFLOW_SCHEMA = pa.schema(
    [
        ("doc_id", pa.string()),
        ("ticker", pa.string()),
        ("origin", pa.string()),          # the report PDF, relative to the landing folder
        ("line", pa.string()),            # key of the line in cashflow.yml
        ("column_kind", pa.string()),     # current or prior (the statement's comparative column)
        ("period", pa.string()),          # FY2024, H1 2025
        ("period_kind", pa.string()),     # FY or H1
        ("fiscal_year", pa.int32()),
        ("period_end", pa.date32()),
        ("period_months", pa.int32()),
        ("amount", pa.float64()),         # in currency units (yuan), the unit applied
        ("currency", pa.string()),
        ("unit", pa.string()),            # as printed in the table header: 元, 万元, ...
        ("figure", pa.string()),          # the figure as printed: "(1,234.56)"
        ("statement", pa.string()),       # consolidated, or single when the report has only one
        ("page", pa.int32()),             # page of the label (1-based)
        ("figure_page", pa.int32()),      # page of the figure: later than `page` when the table broke
        ("evidence", pa.string()),        # the line as it appears: label and both figures
    ]
)

_FIGURE = r"[（(]?\s*-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*[)）]?"
_DASH = r"(?<!\S)[-—–－]+(?!\S)"
_TOKEN = re.compile(rf"(?P<fig>{_FIGURE})|(?P<dash>{_DASH})")


@dataclass(frozen=True)
class Rules:
    lines: tuple[tuple[str, re.Pattern], ...]
    consolidated: tuple[str, ...]
    parent: tuple[str, ...]
    single: tuple[str, ...]
    not_statements: tuple[str, ...]
    ends: tuple[str, ...]
    units: dict
    unit_pattern: re.Pattern
    currencies: dict
    currency_pattern: re.Pattern
    default_currency: str
    note_reference: re.Pattern
    page_number: re.Pattern
    skip_lines: tuple[re.Pattern, ...]


@lru_cache(maxsize=4)
def load_rules(path: Path = RULES_FILE) -> Rules:
    import yaml

    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    gap = rf"(?:\s|{_FIGURE})*?"  # a wrapped label: line breaks, page breaks, even its figures, between characters
    return Rules(
        lines=tuple((l["key"], re.compile(gap.join(map(re.escape, l["label"])))) for l in raw["lines"]),
        consolidated=tuple(raw["statements"]["consolidated"]),
        parent=tuple(raw["statements"]["parent"]),
        single=tuple(raw["statements"]["single"]),
        not_statements=tuple(raw["not_statements"]),
        ends=tuple(raw["ends"]),
        units={str(k): float(v) for k, v in raw["units"].items()},
        unit_pattern=re.compile(raw["unit_pattern"]),
        currencies=dict(raw["currencies"]),
        currency_pattern=re.compile(raw["currency_pattern"]),
        default_currency=raw["default_currency"],
        note_reference=re.compile(raw["note_reference"]),
        page_number=re.compile(raw["page_number"]),
        skip_lines=tuple(re.compile(p) for p in raw["skip_lines"]),
    )


@dataclass(frozen=True)
class Figure:
    line: str
    column_kind: str       # current or prior
    value: float | None    # as printed, before the unit (None: a dash, no figure)
    printed: str
    unit: str
    currency: str
    statement: str
    page: int
    figure_page: int
    evidence: str


class _Text:
    """The report's pages as one string, page furniture dropped, with the page of every offset."""

    def __init__(self, pages: list[str], rules: Rules):
        from .pdf import is_toc_page

        parts, starts = [], []
        offset = 0
        for text in pages:
            lines = [] if is_toc_page(text) else text.splitlines()  # a contents line is not a heading
            # a page number at the top or foot of a page is furniture, not a figure
            while lines and rules.page_number.match(lines[-1]):
                lines.pop()
            while lines and rules.page_number.match(lines[0]):
                lines.pop(0)
            chunk = "\n".join(lines) + "\n"
            starts.append(offset)
            parts.append(chunk)
            offset += len(chunk)
        self.text = "".join(parts)
        self.starts = starts

    def page(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)


def _headings(text: str, rules: Rules) -> list[tuple[int, str]]:
    """(offset, kind) of every statement heading and every heading that ends a statement."""
    found = []
    offset = 0
    for line in text.splitlines(keepends=True):
        flat = re.sub(r"\s+", "", line)
        if flat and len(flat) <= 30 and not any(w in flat for w in rules.not_statements):
            if flat.startswith(rules.parent) or flat.startswith(rules.ends):
                found.append((offset, "end"))
            elif flat.startswith(rules.consolidated):
                found.append((offset, "consolidated"))
            elif flat.startswith(rules.single):
                found.append((offset, "single"))
        offset += len(line)
    return found


def _segments(text: str, rules: Rules) -> list[tuple[str, int, int]]:
    """(kind, start, end) of each cash-flow statement: from its heading to the next heading that ends it
    (a repeated heading, 合并现金流量表（续）, continues it). Consolidated first, then single ones."""
    heads = _headings(text, rules)
    segments = []
    i = 0
    while i < len(heads):
        start, kind = heads[i]
        if kind == "end":
            i += 1
            continue
        j = i + 1
        while j < len(heads) and heads[j][1] == kind:
            j += 1
        end = heads[j][0] if j < len(heads) else len(text)
        segments.append((kind, start, end))
        i = j
    return sorted(segments, key=lambda s: (s[0] != "consolidated", s[1]))


def _parse_number(printed: str) -> float:
    negative = printed.strip().startswith(("(", "（")) or "-" in printed
    value = float(re.sub(r"[^\d.]", "", printed))
    return -value if negative else value


def _figures_after(text: str, start: int, end: int, rules: Rules, wanted: int) -> list[tuple[int, str]]:
    """Figures (offset, as printed) following a label: on its line, or on the next lines that hold only
    figures, passing page furniture and repeated headers; stops at the next line item or statement end."""
    found: list[tuple[int, str]] = []
    pos = start
    first = True
    while pos < end and len(found) < wanted:
        stop = text.find("\n", pos, end)
        stop = end if stop < 0 else stop
        line = text[pos:stop]
        cleaned = rules.note_reference.sub(lambda m: " " * len(m.group()), line)
        tokens = list(_TOKEN.finditer(cleaned))
        residue = re.sub(r"\s+", "", _TOKEN.sub("", cleaned))
        if residue and not first:
            if any(p.search(line) for p in rules.skip_lines):
                pos = stop + 1
                continue
            break  # the next line item
        found += [(pos + t.start(), t.group().strip()) for t in tokens]
        if residue and first and not tokens:
            break
        first = False
        pos = stop + 1
    return found[:wanted]


def _last(pattern: re.Pattern, text: str) -> re.Match | None:
    match = None
    for match in pattern.finditer(text):
        pass
    return match


def extract_figures(pages: list[str], rules: Rules | None = None) -> tuple[list[Figure], list[str]]:
    """The capex line of the consolidated (else the only) cash-flow statement: current and prior figures.
    Returns the figures and notes on what was not found."""
    rules = rules or load_rules()
    doc = _Text(pages, rules)
    text = doc.text
    figures: list[Figure] = []
    notes: list[str] = []
    segments = _segments(text, rules)
    if not segments:
        return [], ["no cash-flow statement found (looked for 合并现金流量表, 现金流量表)"]
    for key, label in rules.lines:
        for kind, seg_start, seg_end in segments:
            match = label.search(text, seg_start, seg_end)
            if not match:
                continue
            inside = [(match.start() + t.start(), t.group().strip())
                      for t in re.finditer(_FIGURE, match.group())]
            found = (inside + _figures_after(text, match.end(), seg_end, rules, 2 - len(inside)))[:2]
            header = text[max(0, seg_start - 120):match.start()]
            unit_match = _last(rules.unit_pattern, header)
            if not unit_match:
                notes.append(f"{key}: no unit (单位：...) in the {kind} statement's header on page {doc.page(seg_start)}")
                break
            if not found:
                notes.append(f"{key}: no figures after the label on page {doc.page(match.start())}")
                break
            currency_match = _last(rules.currency_pattern, header)
            currency = rules.currencies[currency_match["currency"]] if currency_match else rules.default_currency
            label_text = re.sub(r"\s+", "", _TOKEN.sub("", match.group()))
            evidence = " ".join([label_text, *(p for _, p in found)])
            for column_kind, (offset, printed) in zip(("current", "prior"), found):
                dash = re.fullmatch(_DASH, printed) is not None
                figures.append(Figure(
                    line=key, column_kind=column_kind, value=None if dash else _parse_number(printed),
                    printed=printed, unit=unit_match["unit"], currency=currency, statement=kind,
                    page=doc.page(match.start()), figure_page=doc.page(offset), evidence=evidence))
            break
        else:
            notes.append(f"{key}: line not found in the cash-flow statement")
    return figures, notes


def period_of(report_period: str | None) -> tuple[str, int] | None:
    """'FY2024' -> ('FY', 2024); 'H1 2025' -> ('H1', 2025); anything else (a quarterly report) -> None."""
    match = re.fullmatch(r"(FY|H1)\s?(\d{4})", (report_period or "").strip())
    return (match[1], int(match[2])) if match else None


def figure_rows(figures: list[Figure], *, report_period: str | None, fy_end_month: int, rules: Rules | None = None) -> list[dict]:
    """Rows of CASHFLOW_SCHEMA (without doc_id, ticker, origin) for the report's period and the prior one."""
    from .model import fiscal_period_end

    rules = rules or load_rules()
    period = period_of(report_period)
    if period is None:
        return []
    kind, year = period
    quarter, months = PERIODS[kind]
    rows = []
    for f in figures:
        if f.value is None:
            continue
        y = year if f.column_kind == "current" else year - 1
        rows.append({
            "line": f.line, "column_kind": f.column_kind,
            "period": f"FY{y}" if kind == "FY" else f"H1 {y}", "period_kind": kind, "fiscal_year": y,
            "period_end": fiscal_period_end(y, quarter, fy_end_month), "period_months": months,
            # the line is cash paid: an outflow printed in parentheses is the same payment
            "amount": abs(f.value) * rules.units[f.unit], "currency": f.currency, "unit": f.unit,
            "figure": f.printed, "statement": f.statement, "page": f.page, "figure_page": f.figure_page,
            "evidence": f.evidence,
        })
    return rows
