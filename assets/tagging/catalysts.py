"""Catalyst calendar: dated forward events said by management, resolved into month windows.

A catalyst is an event word (launch, ramp, shipment, capacity online, guidance event, rule change) with a
time expression in the same sentence, resolved against the document's date with the company's fiscal
calendar (the parser's `reported_quarter` and the model's `fiscal_period_end`, not a calendar of our
own). Windows are month-granular (first day .. last day), or one day for an explicit date. Outlook
figures, past events and vague timing are not catalysts. Words and patterns live in
`lexicon/catalysts.yml`; the conventions are those of the hand labels (eval/real/README.md).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from assets.ingest.model import fiscal_period_end
from assets.ingest.parsers import reported_quarter
from infrathesis.sentences import sentence_spans

SOURCES = ("call", "mdna")
KINDS = ("launch", "ramp", "shipment", "capacity", "guidance_event", "rule_change", "other")
MAX_DISTANCE = 100  # characters between a time expression and its event word
LEXICON_FILE = "catalysts.yml"


@dataclass(frozen=True)
class Lexicon:
    events: tuple[tuple[str, re.Pattern], ...]
    times: tuple[tuple[str, re.Pattern], ...]
    months: dict[str, int]
    ordinals: dict[str, int]
    forward: re.Pattern
    past_event: re.Pattern
    outlook_metric: re.Pattern
    amount: re.Pattern
    metric_event: re.Pattern
    vague: re.Pattern
    not_event: re.Pattern
    by: re.Pattern
    by_zh_after: re.Pattern
    year_tail: re.Pattern
    clause_break: re.Pattern
    growth: re.Pattern
    span_join: re.Pattern
    not_time_before: re.Pattern
    time_hint: re.Pattern
    own_time: re.Pattern
    calendar_habit: frozenset[str]


@lru_cache(maxsize=4)
def load_lexicon(folder: Path) -> Lexicon:
    raw = yaml.safe_load((folder / LEXICON_FILE).read_text(encoding="utf-8"))
    unknown = set(raw["events"]) - set(KINDS)
    if unknown:
        raise ValueError(f"{folder / LEXICON_FILE}: unknown catalyst kinds {sorted(unknown)} (known: {', '.join(KINDS)})")

    def rx(key: str) -> re.Pattern:
        return re.compile(raw[key], re.I)
    return Lexicon(
        events=tuple((kind, re.compile(p, re.I)) for kind, pats in raw["events"].items() for p in pats),
        times=tuple((t["type"], re.compile(t["re"], re.I)) for t in raw["times"]),
        months={k.lower(): int(v) for k, v in raw["months"].items()},
        ordinals={str(k).lower(): int(v) for k, v in raw["ordinals"].items()},
        forward=rx("forward"), past_event=rx("past_event"), outlook_metric=rx("outlook_metric"),
        amount=rx("amount"), metric_event=rx("metric_event"), vague=rx("vague"), not_event=rx("not_event"),
        by=rx("by"), by_zh_after=rx("by_zh_after"), year_tail=rx("year_tail"), clause_break=rx("clause_break"), growth=rx("growth"),
        span_join=rx("span_join"), not_time_before=rx("not_time_before"), time_hint=rx("time_hint"),
        own_time=rx("own_time"),
        calendar_habit=frozenset(raw.get("calendar_habit") or ()),
    )


# ---------------------------------------------------------------------------------------------
# the fiscal calendar, in month indexes (year * 12 + month - 1)

def _mi(d: date) -> int:
    return d.year * 12 + d.month - 1


def _month_start(mi: int) -> date:
    return date(mi // 12, mi % 12 + 1, 1)


def _month_end(mi: int) -> date:
    y, m = mi // 12, mi % 12 + 1
    return date(y, m, calendar.monthrange(y, m)[1])


@dataclass(frozen=True)
class Calendar:
    """A company's year as the call speaks of it: fiscal (named by the calendar year it ends in) or calendar."""
    said_on: date
    fy_end_month: int = 12

    @property
    def call(self) -> int:
        return _mi(self.said_on)

    def quarter(self, year: int, q: int, fiscal: bool) -> tuple[int, int]:
        if not fiscal:
            return year * 12 + 3 * q - 3, year * 12 + 3 * q - 1
        end = _mi(fiscal_period_end(year, q, self.fy_end_month))
        return end - 2, end

    def year(self, year: int, fiscal: bool) -> tuple[int, int]:
        return self.quarter(year, 1, fiscal)[0], self.quarter(year, 4, fiscal)[1]

    def current_quarter(self, fiscal: bool) -> tuple[int, int]:
        """The quarter in progress at the call (the one an earnings call guides)."""
        if not fiscal:
            return self.said_on.year, (self.said_on.month - 1) // 3 + 1
        fy, fq = reported_quarter(self.said_on, self.fy_end_month)
        return (fy + 1, 1) if fq == 4 else (fy, fq + 1)

    def current_year(self, fiscal: bool) -> int:
        return self.current_quarter(fiscal)[0]


def _year(text: str | None) -> int | None:
    if not text:
        return None
    digits = text.strip("'’ ")
    if not digits.isdigit():
        return None
    y = int(digits)
    return y if y >= 100 else 2000 + y


def _quarter_no(text: str, lex: Lexicon) -> int:
    return int(text) if text.isdigit() else lex.ordinals[text.lower()]


def _group(m: re.Match, prefix: str) -> str | None:
    return next((v for k, v in m.groupdict().items() if k.startswith(prefix) and v), None)


def resolve(kind: str, m: re.Match, cal: Calendar, lex: Lexicon, fiscal_default: bool,
            tail: str = "") -> tuple[date, date] | None:
    """The window a time expression names, or None (unresolvable). `fiscal_default`: a period without
    "fiscal" or "calendar" said is fiscal (the company's habit) unless the company's year is the calendar's."""
    said_cal = bool(_group(m, "cal")) or "calendar" in tail.lower()
    said_fis = bool(_group(m, "fis")) or "fiscal" in tail.lower()
    fiscal = said_fis or (fiscal_default and not said_cal)
    year = _year(_group(m, "year"))
    current_named = (kind == "year" and fiscal and not said_fis and not said_cal and not _group(m, "part")
                     and year == cal.said_on.year == cal.current_year(True))
    if year is not None and kind in ("year", "half") and not said_fis and not current_named:
        fiscal = False  # "in 2026", "second half of 25": a year named by its number is the calendar's
    if year is None and tail:
        found = re.search(r"(20\d\d|'?\d\d)\s*$", tail)
        year = _year(found.group(1)) if found else None
    rel = (_group(m, "rel") or "").lower()
    part = (_group(m, "part") or "").lower()
    if part == "earlier":
        return None  # "earlier this year": already past
    this_year = cal.current_year(fiscal)
    if rel in ("next", "明年"):
        year = this_year + 1
    elif rel in ("this", "今年") and year is None and kind != "rel_quarter":
        year = this_year
    call = cal.call
    if kind == "date":
        month = _month_no(m["mon"], lex)
        day = int(m["day"])
        y = year or cal.said_on.year
        try:
            d = date(y, month, day)
            if year is None and d < cal.said_on:
                d = date(y + 1, month, day)
        except ValueError:
            return None
        return d, d
    if kind == "month":
        month = _month_no(m["mon"], lex)
        if year is not None:
            mi = year * 12 + month - 1
        else:
            mi = cal.said_on.year * 12 + month - 1
            if mi < call:
                mi += 12
        return _month_start(mi), _month_end(mi)
    if kind == "month_quarter":
        month = _month_no(m["mon"], lex)
        end = (year if year else cal.said_on.year) * 12 + month - 1
        if year is None and end < call:
            end += 12
        return _month_start(end - 2), _month_end(end)
    if kind == "quarter":
        q = _quarter_no(_group(m, "q"), lex)
        if year is None:
            cy, cq = cal.current_quarter(fiscal)
            year = cy if q >= cq else cy + 1
        a, b = cal.quarter(year, q, fiscal)
        return _month_start(a), _month_end(b)
    if kind == "rel_quarter":
        cy, cq = cal.current_quarter(fiscal)
        if rel.endswith("following"):
            cy, cq = (cy + 1, 1) if cq == 4 else (cy, cq + 1)
        a, b = cal.quarter(cy, cq, fiscal)
        return _month_start(a), _month_end(b)
    if kind == "half":
        h = _group(m, "half")
        first = h.lower() in ("first", "front", "1st", "1", "上")
        explicit = year is not None
        y = year if explicit else this_year
        a, b = cal.year(y, fiscal)
        window = (a, a + 5) if first else (a + 6, b)
        if not explicit and window[1] < call:
            a, b = cal.year(y + 1, fiscal)
            window = (a, a + 5) if first else (a + 6, b)
        return _month_start(window[0]), _month_end(window[1])
    if kind in ("rel_year", "year"):
        if year is None:
            year = this_year
        a, b = cal.year(year, fiscal)
        part = part or (_group(m, "part2") or "").lower() or ("end" if "end of year" in m.group(0).lower() else "")
        if part in ("early", "earlier", "beginning of", "the beginning of", "start of", "the start of", "初", "年初"):
            return _month_start(a), _month_end(a + 2)
        if part.startswith("mid") or part.startswith("middle") or part == "the middle of":
            return _month_start(a + 4), _month_end(a + 7)
        ending = part in ("end", "the end", "close", "the close", "end of", "the end of", "late", "year-end", "year end",
                          "底", "年底", "末", "年末")
        if kind == "year" and part in ("late", "end of", "the end of", "底", "年底", "末", "年末"):
            return _month_start(b - 2), _month_end(b)  # "late 2025", "end of 2025": its last quarter
        if kind == "rel_year" and rel in ("next", "明年") and part in ("late", "end of", "the end of", "底", "年底", "末", "年末"):
            return _month_start(b - 2), _month_end(b)
        if ending and kind == "rel_year" and part not in ("year-end", "year end", "底", "年底", "末", "年末"):
            return _month_start(b - 2), _month_end(b)  # "toward the end of this year": its last quarter
        if (kind == "rel_year" and year == this_year) or current_named or part in ("later", "内", "年内") or ending:
            # "this year", "later this year", "year-end", "in 2025" said in 2025: from the call's month to the year's end
            return _month_start(max(a, call)), _month_end(b)
        return _month_start(a), _month_end(b)
    return None


def _month_no(text: str, lex: Lexicon) -> int:
    return int(text) if text.isdigit() else lex.months[text.lower()]


# ---------------------------------------------------------------------------------------------
# extraction

@dataclass(frozen=True)
class Catalyst:
    kind: str
    window_start: date
    window_end: date
    topic: str | None
    time_text: str
    start: int  # the time expression, in sentence offsets
    end: int
    event_text: str

    def as_dict(self) -> dict:
        return {"kind": self.kind, "window_start": self.window_start, "window_end": self.window_end, "topic": self.topic,
                "time_text": self.time_text, "start": self.start, "end": self.end, "event_text": self.event_text}


def _times(sentence: str, lex: Lexicon) -> list[tuple[str, re.Match]]:
    found: list[tuple[str, re.Match]] = []
    for kind, pattern in lex.times:
        for m in pattern.finditer(sentence):
            if m.end() == m.start():
                continue
            if any(m.start() < o.end() and o.start() < m.end() for _, o in found):
                continue
            found.append((kind, m))
    return sorted(found, key=lambda x: x[1].start())


def extract_catalysts(sentence: str, said_on: date, fy_end_month: int = 12, *, lexicon_dir: Path,
                      ticker: str | None = None, topics: list[tuple[str, int]] | None = None) -> list[Catalyst]:
    """Catalysts of one management sentence. `topics`: the topic lexicon's mentions of the sentence as
    (topic, offset in the sentence); the one nearest the event word is the catalyst's topic."""
    lex = load_lexicon(lexicon_dir)
    text = sentence.strip()
    if not lex.time_hint.search(text) or text.endswith("?") or lex.not_event.search(text):
        return []
    if lex.amount.search(text) and lex.outlook_metric.search(text):
        return []  # an outlook figure ("we expect revenue of $X in the second half")
    events = [(kind, m) for kind, pattern in lex.events for m in pattern.finditer(sentence)]
    events = [(k, m) for k, m in events if not _inside_metric(sentence, m, lex)]
    # an event with a past or vague time of its own ("the investor day earlier this year", "an IPO in the coming
    # years") is not the event another time in the sentence dates
    events = [(k, m) for k, m in events if not lex.own_time.match(sentence, m.end())]
    # overlapping event words of two kinds ("volume production ... starts"): the one said first decides
    events = _first_said(events)
    if not events:
        return []
    vague = [m.span() for m in lex.vague.finditer(sentence)]
    cal = Calendar(said_on, fy_end_month)
    fiscal_default = fy_end_month != 12 and ticker not in lex.calendar_habit
    breaks = [0] + [b.end() for b in lex.clause_break.finditer(sentence)] + [len(sentence)]
    call_start = _month_start(cal.call)
    found: list[list] = []  # [time match, start, end, event, wrapped]
    for kind, m in _times(sentence, lex):
        if any(a <= m.start() < b or m.start() <= a < m.end() for a, b in vague):
            continue
        tail = lex.year_tail.match(sentence[m.end():m.end() + 40])
        tail_text = tail.group(0) if tail and kind in ("quarter", "half") and not _group(m, "year") and not _group(m, "rel") else ""
        window = resolve(kind, m, cal, lex, fiscal_default, tail_text)
        if window is None:
            continue
        start, end = window
        if start == end == said_on:
            continue  # "as of today"
        before = sentence[max(0, m.start() - 30):m.start()]
        after = sentence[m.end():m.end() + 4]
        if (lex.by.search(before) or lex.by_zh_after.match(after)) and start != end:
            start = min(start, call_start)
        if end < call_start or (start == end and end < said_on):
            continue  # a past event
        lo = max(b for b in breaks if b <= m.start())
        hi = min(b for b in breaks if b >= m.end())
        event = _nearest([(k, e) for k, e in events if lo <= e.start() and e.end() <= hi], m.start(), m.end())
        if event is None:
            continue
        em = event[1]
        clause = sentence[lo:hi]
        near = sentence[max(lo, min(em.start(), m.start()) - 60):min(hi, max(em.end(), m.end()) + 15)]
        if lex.growth.search(near) or lex.not_time_before.search(sentence[max(0, m.start() - 40):m.start()]):
            continue  # a figure moving ("revenue to grow in Q3"), or the period of results being discussed
        undated = kind in ("quarter", "half", "month", "month_quarter", "date") and not _group(m, "year") \
            and not _group(m, "rel") and not tail_text
        wrapped = undated and _wrapped(kind, m, cal, lex, fiscal_default, start)
        forward = bool(lex.forward.search(clause))
        past = bool(lex.past_event.search(clause))
        if wrapped and (past or not forward):
            continue  # "we began sampling in the first quarter": that quarter, not next year's
        ahead = bool(_group(m, "year")) and start > _month_start(cal.call + 1)
        running_out = start <= call_start and end <= _month_end(cal.call + 2)
        if not forward and (running_out or (past and not ahead)):
            continue  # told in the past tense, or a window running out soon with nothing saying it is still to come
        if lex.past_event.fullmatch(em.group(0)) and not re.search(r"\bbe(?:en)?\s+$", sentence[max(0, em.start() - 8):em.start()]):
            continue  # the event itself in the past tense ("we delivered"), not "will be delivered"
        found.append([m, start, end, event])
    # "later this year and into the first half of 2025": one window from the first to the last
    merged: list[list] = []
    for item in found:
        if merged and lex.span_join.match(sentence[merged[-1][0].end():item[0].start()]):
            merged[-1] = [merged[-1][0], min(merged[-1][1], item[1]), max(merged[-1][2], item[2]), merged[-1][3]]
            continue
        merged.append(item)
    out: dict[tuple, Catalyst] = {}
    for m, start, end, (event_kind, em) in merged:
        topic = min(topics, key=lambda t: abs(t[1] - em.start()))[0] if topics else None
        key = (event_kind, start, end)
        if key not in out:
            out[key] = Catalyst(event_kind, start, end, topic, m.group(0), m.start(), m.end(), em.group(0))
    return list(out.values())


def _wrapped(kind: str, m: re.Match, cal: Calendar, lex: Lexicon, fiscal: bool, start: date) -> bool:
    """An expression without a year that resolved into next year because this year's has passed ("the
    first quarter" said in May): on an earnings call that is usually the passed one, told in the past."""
    if kind in ("month", "date", "month_quarter"):
        return start.year > cal.said_on.year
    if kind == "quarter":
        return _quarter_no(_group(m, "q"), lex) < cal.current_quarter(fiscal)[1]
    if kind == "half":
        return start > _month_start(cal.call + 6)
    return False


def _first_said(events: list[tuple[str, re.Match]]) -> list[tuple[str, re.Match]]:
    """Drops an event word that starts inside an earlier match ("export rules take effect": the rule change,
    not "take effect"), or at the same place as a longer one."""
    kept, reach, last_start = [], -1, -1
    for kind, m in sorted(events, key=lambda e: (e[1].start(), -e[1].end())):
        if not (m.start() == last_start or m.start() < reach):
            kept.append((kind, m))
        reach, last_start = max(reach, m.end()), m.start()
    return kept


def _inside_metric(sentence: str, m: re.Match, lex: Lexicon) -> bool:
    around = sentence[max(0, m.start() - 25):m.end() + 45]
    return bool(lex.metric_event.search(around))


def _nearest(events: list[tuple[str, re.Match]], start: int, end: int):
    """The event word nearest the time; one after the time counts double ("ship in Q3" reads backwards)."""
    best, best_distance = None, MAX_DISTANCE + 1
    for kind, m in events:
        distance = start - m.end() if m.end() <= start else (2 * (m.start() - end) if m.start() >= end else 0)
        if distance < best_distance:
            best, best_distance = (kind, m), distance
    return best


def catalysts_in_text(text: str, said_on: date, fy_end_month: int, *, lexicon_dir: Path, ticker: str | None = None,
                      offset: int = 0, topics_at: dict[int, list[tuple[str, int]]] | None = None) -> list[dict]:
    """Every catalyst of a management text (a segment), one row per catalyst with its sentence verbatim and
    the sentence's offsets in the document (`offset` = the text's own start). `topics_at`: topic mentions
    keyed by the sentence's document offset, as (topic, document offset)."""
    rows = []
    for a, b in sentence_spans(text):
        sentence = text[a:b]
        mentions = [(t, pos - offset - a) for t, pos in (topics_at or {}).get(offset + a, [])]
        for c in extract_catalysts(sentence, said_on, fy_end_month, lexicon_dir=lexicon_dir, ticker=ticker, topics=mentions):
            rows.append({**c.as_dict(), "start": offset + a + c.start, "end": offset + a + c.end,
                         "sent_start": offset + a, "sent_end": offset + b, "sentence": sentence})
    return rows


# ---------------------------------------------------------------------------------------------
# the pipeline's use: per landed file, beside the mentions

CATALYSTS_SCHEMA_FIELDS = (
    ("doc_id", "string"), ("seq", "int32"), ("role", "string"), ("ticker", "string"), ("said_on", "date32"),
    ("window_start", "date32"), ("window_end", "date32"), ("kind", "string"), ("topic", "string"),
    ("time_text", "string"), ("event_text", "string"), ("start", "int64"), ("end", "int64"),
    ("sent_start", "int64"), ("sent_end", "int64"), ("sentence", "string"),
)


def catalysts_schema():
    import pyarrow as pa

    return pa.schema([(name, getattr(pa, kind)()) for name, kind in CATALYSTS_SCHEMA_FIELDS])


@dataclass(frozen=True)
class DocCalendar:
    ticker: str | None
    said_on: date | None
    fy_end_month: int


def document_calendars(settings) -> dict[str, DocCalendar]:
    """Each live document's company, date and fiscal year end: what a catalyst's window resolves against."""
    from assets.ingest.store import live_documents
    from infrathesis.universe import load_universe

    universe = load_universe(settings.universe_csv)
    out = {}
    for row in live_documents(settings).select(["doc_id", "ticker", "event_date", "source_type"]).to_pylist():
        if row["source_type"] not in SOURCES:
            continue  # disclosure events and filings are not management's words
        company = universe.companies.get(row["ticker"])
        out[row["doc_id"]] = DocCalendar(row["ticker"], row["event_date"], company.fiscal_year_end_month if company else 12)
    return out


def catalysts_for_segments(segments: list[dict], calendars: dict[str, DocCalendar], mentions: list[dict],
                           lexicon_dir: Path) -> list[dict]:
    """Catalyst rows of a file's segments: management only (prepared remarks, answers, MD&A), never
    analysts, the operator or editorial text. Topics come from the topic mentions of the same sentence."""
    topics_at: dict[str, dict[int, list[tuple[str, int]]]] = {}
    for m in mentions:
        topics_at.setdefault(m["doc_id"], {}).setdefault(m["sent_start"], []).append((m["topic"], m["start"]))
    rows = []
    for seg in segments:
        doc = calendars.get(seg["doc_id"])
        if seg["role"] != "management" or doc is None or doc.said_on is None:
            continue
        by_sentence = topics_at.get(seg["doc_id"], {})
        for row in catalysts_in_text(seg["text"], doc.said_on, doc.fy_end_month, lexicon_dir=lexicon_dir,
                                     ticker=doc.ticker, offset=seg["char_start"], topics_at=by_sentence):
            rows.append({"doc_id": seg["doc_id"], "seq": seg["seq"], "role": seg["role"], "ticker": doc.ticker,
                         "said_on": doc.said_on, **row})
    return rows
