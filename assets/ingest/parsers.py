"""Pure parsers from landed bytes to `Document`s. No Dagster here, so tests call them directly."""

from __future__ import annotations

import csv
import io
import json
import re
from contextvars import ContextVar
from datetime import date

from infrathesis.universe import Universe

from infrathesis.sentences import detect_language, sentences

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


# Dates checked against `latest` while a file is parsed (set by the caller that caches the result), so
# the cache knows for which as-of dates the parse result stays the same.
DATES_SEEN: ContextVar[list | None] = ContextVar("dates_seen", default=None)


def parse_date(raw: str | None, *, latest: date) -> date:
    if not raw:
        raise Rejected("missing date")
    try:
        value = date.fromisoformat(str(raw).strip()[:10])
    except ValueError:
        raise Rejected(f"unparseable date: {str(raw)[:40]!r}") from None
    if value.year < 1990:
        raise Rejected(f"implausible date: {value.isoformat()}")
    seen = DATES_SEEN.get()
    if seen is not None:
        seen.append(value)
    if value > latest:  # after the run's as-of date (plus a day)
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

_TURN = re.compile(
    r"^(?P<name>[A-Z][\w.'’\-]*(?: [A-Z][\w.'’\-]*| (?:de|van|von|da|di|la|le)){0,4}|[\u4e00-\u9fff·]{2,12})"
    r"[:：]\s*(?P<text>\S.*)$")
_OPERATOR_NAMES = {"operator", "接线员", "操作员", "主持人"}
_MGMT_HEADER = re.compile(r"^(corporate participants|company participants|executives|management)\s*:?\s*$", re.I)
_ANALYST_HEADER = re.compile(r"^(conference call participants|analysts)\s*:?\s*$", re.I)
_CALL_PARTICIPANTS = re.compile(r"^(?:call participants|呼叫参与者|电话会议参与者|参会人员|会议参与者)\s*[:：]?\s*$", re.I)
_EDITORIAL_HEADER = re.compile(
    r"^(takeaways|key takeaways|risks|summary|industry glossary|full conference call transcript|image source.*"
    r"|need a quote from.*|date|prepared remarks|questions (?:and|&) answers)\s*:?\s*$", re.I)
_PARTICIPANT_SEP = re.compile(r"\s+[—–-]\s+|,\s*")
_TITLE_WORDS = re.compile(
    r"\b(?:officer|president|chairman|chair|chief|ceo|cfo|coo|cto|vice|director|secretary|counsel|relations|head"
    r"|treasurer|controller|founder|manager|executive|general|analyst|partner|svp|evp|vp)\b"
    r"|官|总裁|董事|主席|总监|秘书|顾问|主管|经理|负责人", re.I)
_PERSON = re.compile(r"^(?:[A-Z][\w.'’\-]*(?: [A-Z][\w.'’\-]*| (?:de|van|von|da|di|la|le)){0,4}|[\u4e00-\u9fff·]{2,12})$")
_HEADER_FIELD = re.compile(r"^(?P<key>Company|Ticker|Quarter|Source|URL|Scraped|Characters|Date|Title)\s*:\s*(?P<value>.*)$")
_RULE = re.compile(r"^[=\-_*]{10,}$")
_LONG_DATE = re.compile(
    r"\b(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?\s+(?P<day>\d{1,2}),\s+(?P<year>\d{4})\b")
_MONTHS = {m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}

# Where Q&A really starts. Openings announce it ("a question-and-answer session will follow") long
# before it happens; those sentences never open it.
_QA_STRONG = re.compile(
    r"\b(?:first|next|initial) question (?:today |this afternoon |this morning )?(?:comes|is|will come|we have is|is coming)"
    r"(?: from)?|\bquestion (?:comes|is coming) from\b|\bfirst question\b|第一个问题来自|第一个问题", re.I)
_QA_OPEN = re.compile(
    r"\bopen (?:up )?(?:the )?(?:line|lines|call|floor|it up)(?: up)? (?:for|to) (?:questions|q&a|your questions)"
    r"|\b(?:begin|start|conduct|move to|go to|turn to|open) (?:the |our )?(?:question[- ]and[- ]answer|q&a|questions?)"
    r"|\btake (?:our|your|the) (?:first )?questions?\b|\bpoll for questions\b|\bquestion[- ]and[- ]answer session\b"
    r"|开始提问|开始问答|进入问答", re.I)
_QA_ANNOUNCE = re.compile(
    r"\bwill follow\b|\bfollowing (?:the|today's|our|management's) (?:presentation|prepared|remarks|formal)"
    r"|\bafter (?:the |our |today's )?(?:speakers'?|prepared|formal|presentation|management's)"
    r"|\bthere will be\b|\blater (?:in|on) (?:the|this|today's) call\b|\bat the end of\b|\blisten[- ]only\b"
    r"|\bwill (?:be )?(?:open|conduct|host|take)\w*\b[^.]{0,40}\bafter\b|\bwe will have\b|\binstructions\b"
    r"|\bleave time for\b|\bin order to (?:allow|give)\b", re.I)
_INTRODUCED_ANALYST = re.compile(
    r"(?:question|line) (?:today |will |this afternoon )?(?:comes |is |come |is coming )?from (?:the line of )?"
    r"(?P<name>[A-Z][\w.'’\-]+(?: [A-Z][\w.'’\-]+){0,3})(?: (?:with|of|from|at) [A-Z])",
)


def opens_qa(sentence: str) -> bool:
    """A sentence that starts the Q&A now (not one announcing that it will follow later)."""
    if _QA_STRONG.search(sentence):
        return True
    return bool(_QA_OPEN.search(sentence)) and not _QA_ANNOUNCE.search(sentence)


def qa_start(sentences: list[str]) -> int | None:
    """Index of the first Q&A sentence: the operator's opening line just before the first question
    comes from someone, or the first real opening phrase; None when the call has no Q&A."""
    strong = next((i for i, s in enumerate(sentences) if _QA_STRONG.search(s) and not _QA_ANNOUNCE.search(s)), None)
    if strong is not None:
        for i in range(max(0, strong - 4), strong):
            if _QA_OPEN.search(sentences[i]) and not _QA_ANNOUNCE.search(sentences[i]):
                return i
        return strong
    return next((i for i, s in enumerate(sentences) if opens_qa(s)), None)


def parse_call_text(text: str, meta: dict[str, str], *, universe: Universe, origin: str, latest: date) -> Document:
    """A call transcript: provider text with `Name: text` (or `Name:text`) turns, optional header block,
    participants lists and editorial blocks before the call; or speech-to-text with no speakers."""
    lines = [line.rstrip() for line in text.split("\n")]
    header, lines = _header_block(lines)
    meta = {**header, **meta} if header else meta
    ticker = resolve_ticker(universe, meta.get("ticker"))
    # a provider's header block may carry the date only in its text ("Wednesday, January 28, 2026")
    in_text = _date_in_text("\n".join(lines[:40])) if header else None
    event_date = parse_date(meta.get("date") or in_text, latest=latest)
    company = universe[ticker]
    language = meta.get("language") or detect_language(text)
    management, analysts = _participants(lines)
    first_turn = next((i for i, line in enumerate(lines) if _is_turn(line.strip(), management | analysts)), None)
    title = meta.get("title") or next((line.strip() for line in lines if line.strip()), "")
    if first_turn is None:
        flat = " ".join(line.strip() for line in lines if line.strip())
        if not flat:
            raise Rejected("no text")
        segments = speech_to_text_segments(flat)
        if not segments:
            raise Rejected("no speaker turns found (expected `Name: text` lines) and no sentences")
        title = meta.get("title") or f"{company.name} call {event_date.isoformat()}"
    else:
        segments = _editorial_segments(lines[:first_turn], management | analysts, title)
        turns: list[list[str]] = []
        for line in lines[first_turn:]:
            match = _is_turn(line.strip(), management | analysts)
            if match:
                turns.append([match["name"].strip(), match["text"].strip()])
            elif turns and line.strip():
                turns[-1][1] += "\n" + line.strip()
        segments += _turns_to_segments(turns, management, analysts)
    # the document's own title counts as naming the company; the one made up for speech-to-text does not
    _check_company(segments, company, language, title if first_turn is not None else meta.get("title", ""))
    doc = Document(ticker=ticker, source_type="call", event_date=event_date, language=language, title=title,
                   origin=origin, segments=segments)
    opening = " ".join(s.text for s in segments[:25] if re.search(r"welcome", s.text, re.I))
    stated = meta.get("fiscal_period") or _stated_period(title, opening[:2000])
    return _call_period(doc, stated, company.fiscal_year_end_month)


def parse_call_json(raw: str, *, universe: Universe, origin: str, latest: date,
                    name_meta: dict[str, str] | None = None) -> Document:
    """`{"ticker","date"?,"fiscal_period"?,"title"?, "text"|"transcript"|"content"|"turns"}`; a provider's
    `year`/`quarter` fields are its stated period; the date may come from the text or the file name."""
    try:
        payload = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise Rejected(f"malformed JSON: {exc.msg} at line {exc.lineno}") from None
    if not isinstance(payload, dict):
        raise Rejected("malformed JSON: expected an object")
    meta = {k: str(v) for k, v in payload.items() if k in ("ticker", "date", "fiscal_period", "title") and v}
    if "fiscal_period" not in meta and payload.get("year") and payload.get("quarter"):
        meta["fiscal_period"] = f"FY{payload['year']} Q{payload['quarter']}"
    for key, value in (name_meta or {}).items():
        meta.setdefault(key, value)
    if payload.get("turns"):
        # glued `Name:text`, the provider form in which a one-word speaker ("Jen") still opens a turn
        lines = [f"{t.get('speaker', 'Unknown')}:{t.get('text', '')}" for t in payload["turns"] if isinstance(t, dict)]
        doc = parse_call_text("\n".join(lines), meta, universe=universe, origin=origin, latest=latest)
        for seg, turn in zip(doc.segments, payload["turns"]):
            if isinstance(turn, dict) and turn.get("role") in ("management", "analyst", "operator"):
                seg.role = turn["role"]
        return doc
    body = next((payload[k] for k in ("text", "transcript", "content") if isinstance(payload.get(k), str)), None)
    if body is None:
        raise Rejected("malformed JSON: none of `text`, `transcript`, `content` or `turns`")
    if "date" not in meta or meta.get("date") == (name_meta or {}).get("date"):
        in_text = _date_in_text(body[:2000])
        if in_text:
            meta["date"] = in_text
    return parse_call_text(body, meta, universe=universe, origin=origin, latest=latest)


def _header_block(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """A provider header between two rules of `=`: `Ticker: MSFT`, `Quarter: Q2 2026`, ..."""
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    if not nonblank or not _RULE.match(lines[nonblank[0]].strip()):
        return {}, lines
    meta: dict[str, str] = {}
    for j in range(nonblank[0] + 1, len(lines)):
        line = lines[j].strip()
        if _RULE.match(line):
            return meta, lines[j + 1:]
        field = _HEADER_FIELD.match(line)
        if field:
            key = {"quarter": "fiscal_period"}.get(field["key"].lower(), field["key"].lower())
            if key in ("ticker", "fiscal_period", "date", "title"):
                meta[key] = field["value"].strip()
    return {}, lines


def _date_in_text(text: str) -> str | None:
    match = _LONG_DATE.search(text)
    if not match:
        return None
    try:
        return date(int(match["year"]), _MONTHS[match["month"][:3].lower()], int(match["day"])).isoformat()
    except ValueError:
        return None


def _is_turn(line: str, known: set[str]):
    """`Name: text` with a name of two or more words, a listed name or the operator; a one-word name only
    in the provider form with no space after the colon (`Morgan:Thank you.`)."""
    match = _TURN.match(line)
    if not match or _MGMT_HEADER.match(line) or _ANALYST_HEADER.match(line) or _HEADER_FIELD.match(line):
        return None
    name = match["name"].strip()
    if name in known or name.lower() in _OPERATOR_NAMES:
        return match
    if re.match(r"[\u4e00-\u9fff]", name):  # a Chinese turn: a listed name or a transliterated one (·)
        return match if "·" in name else None
    if len(name.split()) >= 2:
        return match
    glued = line[len(match["name"]) + 1:][:1] not in (" ", "\t")
    return match if glued and name.lower() not in _NOT_NAMES else None


_NOT_NAMES = {"note", "date", "source", "title", "url", "company", "ticker", "quarter", "nasdaq", "nyse", "summary",
              "risks", "takeaways", "image", "http", "https"}


def _participants(lines: list[str]) -> tuple[set[str], set[str]]:
    """Names under the participants headers, written `Name — Title`, `Name, Firm` or `Title — Name`.
    A single "Call participants" list holds the company's people (providers list executives there)."""
    management: set[str] = set()
    analysts: set[str] = set()
    current: set[str] | None = None
    for line in lines:
        stripped = line.strip().lstrip("-*• ").strip()
        if _MGMT_HEADER.match(stripped) or _CALL_PARTICIPANTS.match(stripped):
            current = management
        elif _ANALYST_HEADER.match(stripped):
            current = analysts
        elif _TURN.match(stripped) or _EDITORIAL_HEADER.match(stripped):
            current = None
        elif stripped and current is not None:
            parts = [p.strip() for p in _PARTICIPANT_SEP.split(stripped, maxsplit=1)]
            if len(parts) == 2:
                title_first = _TITLE_WORDS.search(parts[0]) and not _TITLE_WORDS.search(parts[1])
                name = parts[1] if title_first else parts[0]
            else:
                name = parts[0] if not _TITLE_WORDS.search(parts[0]) else ""
            if _PERSON.match(name):
                current.add(name)
            else:
                current = None  # prose or a summary line: the list has ended
    return management, analysts


def _editorial_segments(lines: list[str], names: set[str], title: str) -> list[Segment]:
    """What a provider writes before the call (takeaways, risks, summary): kept, never management's words.
    The title line, headers and participants lines are not part of it."""
    segments = []
    for line in lines:
        stripped = line.strip()
        if (not stripped or stripped == title or _EDITORIAL_HEADER.match(stripped) or _CALL_PARTICIPANTS.match(stripped)
                or _MGMT_HEADER.match(stripped) or _ANALYST_HEADER.match(stripped)):
            continue
        if any(stripped.endswith(n) or stripped.startswith(n) for n in names) and len(stripped) < 120:
            continue  # a participants line
        segments.append(Segment(section="editorial", speaker=None, role="editorial", text=stripped))
    return segments


def _turns_to_segments(turns: list[list[str]], management: set[str], analysts: set[str]) -> list[Segment]:
    """Roles from the participants lists; without them, prepared-remarks speakers and those who answer
    are management, and those the operator introduces are analysts."""
    segments: list[Segment] = []
    section = "prepared"
    management, analysts = set(management), set(analysts)
    operators = {name for name, _ in turns if name.lower() in _OPERATOR_NAMES}
    by_speaker: dict[str, list[str]] = {}
    for name, text in turns:
        by_speaker.setdefault(name, []).append(text)
    for name, texts in by_speaker.items():  # an operator with a name: short turns that introduce questioners
        if name not in management and sorted(len(t) for t in texts)[len(texts) // 2] < 400 and any(
                _INTRODUCED_ANALYST.search(t) or re.search(r"\byour (?:conference )?operator\b", t, re.I) for t in texts):
            operators.add(name)
    last_role = None
    for name, text in turns:
        if name in operators:
            if section == "prepared" and qa_start(sentences(text)) is not None:
                section = "qa"
            analysts.update(m["name"] for m in _INTRODUCED_ANALYST.finditer(text))
            role = "operator"
        elif name in management or _same_person(name, management):
            role = "management"
        elif name in analysts or _same_person(name, analysts):
            role = "analyst"
            section = "qa"
        elif section == "prepared":
            role = "management"
            management.add(name)
        else:
            role = "management" if last_role == "analyst" else "unknown"
        if role != "operator":
            last_role = role
        segments.append(Segment(section=section, speaker=name, role=role, text=text))
    return segments


def _same_person(name: str, names: set[str]) -> bool:
    """"Lena Park" introduced, "Lena J. Park" speaking: first and last names agree."""
    parts = name.lower().replace(".", "").split()
    if len(parts) < 2:
        return False
    return any((p := n.lower().replace(".", "").split()) and p[0] == parts[0] and p[-1] == parts[-1] for n in names)


def speech_to_text_segments(text: str) -> list[Segment]:
    """A transcript with no speaker labels: prepared remarks (management) until the operator really opens
    the Q&A; in Q&A, the operator's lines, the analysts' questions (from the operator's introduction to
    the question mark) and the answers (management)."""
    found = sentences(text)
    if not found or not any(re.search(r"[A-Za-z]{2,}|[\u4e00-\u9fff]", s) for s in found):
        return []
    start = qa_start(found)
    segments = [Segment(section="prepared", speaker=None, role="management", text=s) for s in found[:start]]
    if start is None:
        return _merge_runs(segments)
    asking = False
    for sentence in found[start:]:
        if _INTRODUCED_ANALYST.search(sentence) or opens_qa(sentence) or _OPERATOR_LINE.search(sentence):
            segments.append(Segment(section="qa", speaker="Operator", role="operator", text=sentence))
            asking = bool(_INTRODUCED_ANALYST.search(sentence) or _QA_STRONG.search(sentence))
            continue
        if sentence.rstrip().endswith("?"):
            segments.append(Segment(section="qa", speaker=None, role="analyst", text=sentence))
            asking = False
            continue
        segments.append(Segment(section="qa", speaker=None, role="analyst" if asking else "management", text=sentence))
    return _merge_runs(segments)


def _merge_runs(segments: list[Segment]) -> list[Segment]:
    """Consecutive sentences of one role in one section are one turn, so tagging sees the sentence before
    ("Turning to capex. We spent $2 billion.") as it would in a labelled transcript."""
    merged: list[Segment] = []
    for seg in segments:
        last = merged[-1] if merged else None
        if last and (last.section, last.role, last.speaker) == (seg.section, seg.role, seg.speaker) and seg.role != "operator":
            last.text += " " + seg.text
        else:
            merged.append(Segment(seg.section, seg.speaker, seg.role, seg.text))
    return merged


_OPERATOR_LINE = re.compile(
    r"\bplease (?:go ahead|proceed)\b|\byour line is (?:now )?open\b|\bno further questions\b|\bthis concludes\b"
    r"|\bthat concludes\b|\byou may (?:now )?disconnect\b|\bnext question\b", re.I)


def _check_company(segments: list[Segment], company, language: str, title: str = "") -> None:
    """A call that never names its company is most likely another company's call filed under this name."""
    text = " ".join([title or ""] + [s.text for s in segments])
    if len(text) < 5000:
        return
    words = [w.strip(",.") for w in company.name.split()]
    names = {company.ticker, words[0], company.name, "".join(words[:2]), "".join(words)}  # "Supermicro"
    if company.name_zh:
        names.add(company.name_zh)
    lowered = text.lower()
    if not any(n and re.search(rf"(?<![a-z]){re.escape(n.lower())}", lowered) for n in names):
        raise Rejected(f"content does not name {company.name} ({company.ticker}): another company's call filed "
                       f"under this name?")


_STATED = [
    re.compile(r"\b(?P<q>first|second|third|fourth|1st|2nd|3rd|4th) (?:fiscal )?quarter (?:of |for |in )?"
               r"(?:the )?(?:fiscal |financial )?(?:year )?(?P<year>\d{4})\b", re.I),
    re.compile(r"\bfiscal (?:year )?(?P<year>\d{4}),? (?P<q>first|second|third|fourth) quarter\b", re.I),
    re.compile(r"\bQ(?P<qn>[1-4]) (?:FY|fiscal (?:year )?)?(?P<year>\d{4})\b", re.I),
]
_QORD = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}


def _stated_period(title: str, opening: str) -> str | None:
    """The fiscal quarter a call says it reports ("the second quarter of fiscal 2025"), if it says one."""
    for text in (title, opening):
        for pattern in _STATED:
            match = pattern.search(text or "")
            if match:
                q = int(match["qn"]) if match.groupdict().get("qn") else _QORD[match["q"].lower()]
                return f"FY{match['year']} Q{q}"
    return None


def reported_quarter(event_date: date, fy_end_month: int) -> tuple[int, int]:
    """The fiscal quarter that ended last before a call's date: (fiscal year, quarter). Fiscal years are
    named by the calendar year in which they end."""
    month_index = event_date.year * 12 + event_date.month - 1 - 1  # the month before the call's month
    while (month_index % 12 + 1 - fy_end_month) % 3:
        month_index -= 1
    year, month0 = divmod(month_index, 12)
    quarter_end_month = month0 + 1
    months_to_fy_end = (fy_end_month - quarter_end_month) % 12
    fiscal_year = year + (1 if quarter_end_month + months_to_fy_end > 12 else 0)
    return fiscal_year, 4 - months_to_fy_end // 3


def _call_period(doc: Document, stated: str | None, fy_end_month: int) -> Document:
    """A call reports the quarter that ended before its date; a stated period that contradicts the date is
    noted (never trusted silently) and the date wins."""
    fy, fq = reported_quarter(doc.event_date, fy_end_month)
    if stated:
        sfy, sfq = parse_fiscal_period(stated)
        if sfy is not None and sfq is not None and (sfy, sfq) != (fy, fq) and sfq <= 4:
            doc.notes.append(f"stated period FY{sfy} Q{sfq} contradicts the call date {doc.event_date.isoformat()} "
                             f"(FY{fy} Q{fq} by the company's fiscal calendar); the date was used")
    doc.fiscal_year, doc.fiscal_quarter = fy, fq
    doc.period_end = fiscal_period_end(fy, fq, fy_end_month)
    return doc


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
    doc = parse_mdna_text(text, doc_meta, universe=universe, origin=origin, latest=latest)
    return _with_cashflow(doc, pages, period, universe[ticker].fiscal_year_end_month)


def _with_cashflow(doc: Document, pages: list[str], period: str | None, fy_end_month: int) -> Document:
    """The report's filed capex (cash-flow statement) travels with its MD&A document; a report without
    it is still an MD&A document, with a note saying what was not found."""
    from .cashflow import extract_figures, figure_rows, period_of

    if period_of(period) is None:
        return doc
    figures, notes = extract_figures(pages)
    doc.cashflow = figure_rows(figures, report_period=period, fy_end_month=fy_end_month)
    doc.notes += [f"cash-flow capex: {n}" for n in notes]
    return doc


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
FILING_OPTIONAL = ("accession", "filing_url", "derivation")  # added later: older files without them still parse
FILING_PHRASES = {"FinanceLeasePrincipalPayments": "Principal payments on finance leases were"}


def parse_filing_csv(text: str, *, universe: Universe, origin: str, latest: date):
    """One document per filed quarter and concept, phrased as a sentence so tagging and evidence treat it
    like text; the figure itself travels as data (Document.filed) to the filed_capex mart."""
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
        extra = {k: (row.get(k) or "").strip() or None for k in FILING_OPTIONAL}
        phrase = FILING_PHRASES.get(row["concept"], "Capital expenditures were")
        text = (f"{phrase} {row['currency']} {amount / 1e9:.3f} billion in the quarter ended "
                f"{period_end.isoformat()}, as filed on form {row['form']} ({row['concept']}"
                + (f", accession {extra['accession']}" if extra["accession"] else "") + ").")
        yield row_origin, Document(
            ticker=ticker, source_type="filing", event_date=filed, language="en",
            title=f"{ticker} {row['form']} capex, quarter ended {period_end.isoformat()}", origin=row_origin,
            segments=[Segment(section="body", speaker=None, role="management", text=text)],
            fiscal_year=int(row["fiscal_year"]) if row["fiscal_year"] else None, fiscal_quarter=quarter,
            period_end=period_end,
            filed={"concept": row["concept"], "amount": amount, "currency": row["currency"], "form": row["form"],
                   "accession": extra["accession"], "source_url": extra["filing_url"], "derivation": extra["derivation"]},
        )
