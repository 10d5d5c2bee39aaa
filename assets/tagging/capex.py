"""Capex amounts in a sentence already tagged CAPEX, decided per amount, not per sentence.

Real calls put several figures in one sentence ("we expect 2025 capex of about $75 billion, up from
$52.5 billion in 2024"; "capex was $8 billion and we expect $10 billion next quarter"; free cash flow
beside capex). So the sentence is cut into clauses; each amount takes its metric (is it capex at all?),
kind (actual, guidance, revision), period, scope and subject (the company's own capex or its
customers') from its own clause, falling back to the sentence only for the metric. Periods are
resolved against the document's reported fiscal quarter when a `CapexContext` is given (the pipeline),
and left relative ("next quarter", "this year") when not (the `tag` command on bare text).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CUR_BEFORE = r"US\$|HK\$|NT\$|\$|RMB|CNY|HKD|USD|TWD|NTD|KRW|JPY|EUR|€|₩|¥|￥"
_UNIT_EN = r"trillion|billion|million|bn|mn|tn|B\b|M\b"
_CUR_AFTER_EN = r"yuan|renminbi|won|yen|euros?|dollars?"

EN_AMOUNT = re.compile(
    rf"(?P<cur>{_CUR_BEFORE})?\s?(?P<n1>{_NUM})\s?(?P<unit1>{_UNIT_EN})?(?:\s(?P<cur1>{_CUR_AFTER_EN}))?"
    rf"(?:\s?(?P<joiner>to|-|–|and)\s?(?:{_CUR_BEFORE})?\s?(?P<n2>{_NUM}))?\s?(?P<unit>{_UNIT_EN})"
    rf"(?:\s(?P<cur2>{_CUR_AFTER_EN}))?"
    rf"|(?P<cur3>{_CUR_BEFORE})\s?(?P<n3>{_NUM})\s?(?P<unit3>{_UNIT_EN})(?:\s(?P<cur4>{_CUR_AFTER_EN}))?",
    re.I,
)
ZH_AMOUNT = re.compile(
    rf"(?P<cur>人民币|美元|港币|港元)?\s?(?P<n1>{_NUM})\s?(?:[-至到~－]\s?(?P<n2>{_NUM}))?\s?(?P<unit>万亿|亿|万)"
    rf"(?P<cur2>元|美元|港元|人民币)?"
)

CURRENCY = {
    "us$": "USD", "$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD", "美元": "USD",
    "rmb": "CNY", "cny": "CNY", "yuan": "CNY", "renminbi": "CNY", "元": "CNY", "人民币": "CNY",
    "hk$": "HKD", "hkd": "HKD", "港元": "HKD", "港币": "HKD",
    "nt$": "TWD", "twd": "TWD", "ntd": "TWD",
    "krw": "KRW", "₩": "KRW", "won": "KRW",
    "jpy": "JPY", "yen": "JPY", "円": "JPY",
    "eur": "EUR", "€": "EUR", "euro": "EUR", "euros": "EUR",
}
YEN_OR_YUAN = {"¥", "￥"}  # JPY for a company reporting in yen, CNY otherwise
UNIT = {"trillion": "trillion", "tn": "trillion", "billion": "billion", "bn": "billion", "b": "billion",
        "million": "million", "mn": "million", "m": "million", "万亿": "万亿", "亿": "亿", "万": "万"}
UNIT_IN_BILLIONS = {"trillion": 1000.0, "billion": 1.0, "million": 0.001, "万亿": 1000.0, "亿": 0.1, "万": 0.00001}

CAPEX_WORDS = re.compile(
    r"capex|cap ex|capital expenditures?|capital spending|capital spend|capital investments?|capital intensity"
    r"|infrastructure investments?|purchases? of property(?:,)? (?:plant )?and equipment|PP&E"
    r"|资本开支|资本支出|购建固定资产", re.I)
OTHER_METRICS = re.compile(
    r"revenues?|sales|free cash flow|cash flows?|cash from operations|operating cash|cash generated|operating income|net income|profit|margins?|backlog|buybacks?"
    r"|repurchases?|dividends?|depreciation|amortization|opex|operating expenses?|r&d|research and development"
    r"|cash (?:and investments|balance|on hand)|debt|inventory|orders?|bookings|offsets?|grants?|partner contributions?"
    r"|prepayments?|proceeds|offering|shares|loans?|uses of cash|in cash|cash totall?ing|dividends?|acquisitions?"
    r"|收入|营收|营业收入|净利润|利润|现金流|折旧", re.I)

# clause breaks: an amount takes its kind, period and scope from its own clause
_CLAUSE_BREAK = re.compile(
    r";|\s[–—-]\s|,\s*(?=(?:and|but|while|whereas|with|up|down|compared|versus|vs\.?|as|which|reflecting|"
    r"including|excluding|or)\b)|\s(?=(?:and|but|while|whereas)\s+(?:we|our|it|they|this|that|capex|capital)\b)"
    r"|\s(?=(?:up|down)\s+from\b)|[，；。]", re.I)

FROM_TO = re.compile(r"\bfrom\s*$", re.I)
COMPARISON = re.compile(
    r"\b(?:up|down|increase[sd]?|decrease[sd]?|higher|lower)\s+(?:\w+\s+){0,2}from\s*$|\bcompared (?:to|with)\b|\bversus\b"
    r"|\bvs\.?(?=\s)|\brelative to\b|\ba year ago\b|\blast year\b|\bprior year\b|\byear[- ]ago\b", re.I)
GUIDANCE = re.compile(
    r"\b(?:expect(?:s|ed|ing)?|anticipat(?:e|es|ed|ing)|guid(?:e|es|ed|ing|ance)|outlook|will|should|forecast(?:s|ed)?"
    r"|going to|plan(?:s|ned|ning)?|intend(?:s|ed)?|target(?:s|ed|ing)?|project(?:s|ed|ing)?|estimat(?:e|es|ed)"
    r"|budget(?:ed)?|likely|could|would|next (?:quarter|year)|coming (?:quarter|year)|looking ahead"
    r"|on track to|maintain(?:s|ing)? (?:our |the )?(?:range|guid\w*|outlook|target)|to be (?:approximately|about|around|roughly|between|in the range|in a range))\b"
    r"|预计|预期|计划|拟|将", re.I)
PAST = re.compile(
    r"\b(?:were|was|spent|totaled|totalled|reached|came in|amounted|invested|had|ended|incurred)\b|同比|为", re.I)
OPEN_ENDED = re.compile(r"(?:more than|above|over|at least|in excess of|exceed(?:ing)?|north of|超过|不低于|逾)\s*$", re.I)

SCOPES = [
    ("excluding finance leases", re.compile(r"exclud\w* (?:\w+ ){0,3}finance leases?|without finance leases?", re.I)),
    # "including finance leases" only as a modifier of the figure, not "the timing of finance leases"
    ("including finance leases", re.compile(r"includ\w* (?:\w+ ){0,4}finance leases?|\bplus finance leases?|含融资租赁|包括融资租赁", re.I)),
    ("cash paid for PP&E", re.compile(
        r"cash paid for|PP&E|property(?:,)? (?:plant )?and equipment|cash capex|cash capital|购建固定资产", re.I)),
    ("gross", re.compile(r"\bgross\b", re.I)),
    ("net", re.compile(r"\bnet (?:capex|capital)|net of\b", re.I)),
]
OTHERS = re.compile(
    r"\b(?:customers?'?|customer's|hyperscalers?'?|hyperscale|cloud (?:service )?providers?'?|CSPs?'?|industry|their|"
    r"data cent(?:er|re) operators?|enterprises?'?|market|WFE|global|memory makers?'?|foundr(?:y|ies)|peers?'?|"
    r"competitors?'?|sovereigns?|utilities'?|operators'?|Chinese|China)\b[^.;]{0,30}$", re.I)

OTHERS_AFTER = re.compile(
    r"(?:capex|cap ex|capital expenditures?|capital spending|capital spend|capital investments?)\s+"
    r"(?:from|of|by|at|among) (?:the |our |their |all )?(?:customers?|hyperscalers?|cloud|CSPs?|industry|data cent(?:er|re)s?"
    r"|the top|top|largest|major|enterprises?)", re.I)
# a change, not a level: "up $12 million on the prior quarter", "$3 billion of savings in our capex plan",
# "lowered our capex guidance by roughly $5 billion"
DELTA_BEFORE = re.compile(
    r"(?:\bby|\bsavings? of|\breductions? of|\bincreases? of|\bdecreases? of|\bcuts? of|\bup|\bdown|\badditional"
    r"|\bincremental|\banother)\s*(?:about |approximately |roughly |around |nearly |over |more than )?$", re.I)
DELTA_AFTER = re.compile(r"\s*(?:of )?(?:savings|reductions?|decrease|increase|less|lower|higher|more|cut)\b", re.I)
FULL_YEAR = re.compile(r"\bfull[- ]year\b|\bfor the (?:full |fiscal )?year\b|\bfor the fiscal year\b|全年", re.I)
COUNTED = re.compile(r"\s*(?:of\s+)?(?:shares|units|users|customers|subscribers|wafers|devices|transistors|parameters"
                     r"|tokens|people|employees|square feet|sq|gallons|tons|barrels|watts|MW|GW)\b", re.I)
SEQUENTIAL = re.compile(r"\b(?:sequential|year[- ]over[- ]year|quarter[- ]over[- ]quarter)\s+(?:increase|decrease|growth|decline|step[- ]up)\b", re.I)
CAPEX_RIGHT_AFTER = re.compile(
    r"\s*(?:of|on|in|for)?\s*(?:total |gross |net |our |growth )*(?:capex|cap ex|capital expenditures?|capital spending"
    r"|capital investments?)\b", re.I)
REVISION_CUE = re.compile(
    r"\bnow (?:expect|anticipate|see|plan|forecast|target|estimate)|\bwill now be\b|\bnow to be\b"
    r"|\b(?:previous|prior|earlier|original) (?:guid|outlook|range|forecast|expectation|target)"
    r"|\b(?:reduc|lower|rais|cut|trimm?|adjust|revis)\w* (?:\w+ ){0,6}?to\b|\btaking (?:our|the) (?:\w+ )?(?:target|guid|outlook)",
    re.I)
RUN_RATE = re.compile(r"\b(?:per|a) (?:year|quarter|annum)\b|\brun[- ]rate\b|\bannual(?:ly|ized)?\b|\bevery year\b", re.I)
OTHERS_NEAR = re.compile(
    r"\b(?:in|among|across|by|from|at) (?:just |only )?(?:the |our |all )?(?:[a-z]+ ){0,2}"
    r"(?:CSPs?|hyperscalers?|cloud (?:service )?providers?|cloud companies|customers|industry)\b", re.I)
_ORD = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
_QUARTER = r"(?:Q([1-4])|(first|second|third|fourth|1st|2nd|3rd|4th) quarter|(?:fiscal )?Q([1-4]))"


@dataclass(frozen=True)
class CapexContext:
    """What the document tells about the amounts' company and time."""
    currency: str | None = None        # the company's reporting currency
    fiscal_year: int | None = None     # the fiscal quarter the document reports on
    fiscal_quarter: int | None = None
    calendar_fy: bool = True           # fiscal year = calendar year (December year end)
    fy_end_month: int = 12


@dataclass
class CapexAmount:
    value: float | None
    low: float | None
    high: float | None
    currency: str | None
    unit: str
    kind: str
    period: str | None
    scope: str | None
    subject: str
    start: int
    end: int

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def billions(self) -> tuple[float | None, float | None]:
        """Low and high in billions of the stated currency."""
        factor = UNIT_IN_BILLIONS[self.unit]
        low = self.low if self.value is None else self.value
        high = self.high if self.value is None else self.value
        return (low * factor if low is not None else None, high * factor if high is not None else None)


def _num(text: str | None) -> float | None:
    return float(text.replace(",", "")) if text else None


def clauses(sentence: str) -> list[tuple[int, int]]:
    cuts = [0] + [m.start() if m.group(0).isspace() or m.group(0)[:1].isspace() else m.end()
                  for m in _CLAUSE_BREAK.finditer(sentence)] + [len(sentence)]
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]


@dataclass(frozen=True)
class _Raw:
    """One money figure or range as written, before deciding what it is."""
    start: int
    end: int
    n1: str
    n2: str | None
    unit: str
    currency: str | None
    joiner: str | None
    floor: bool = False  # "400 亿美元以上", "$10 billion or more"


_AFTER_FLOOR = re.compile(r"\s*(?:以上|或以上|多|\+|plus\b|or more\b|and up\b)", re.I)


def _raw_amounts(sentence: str, lang: str) -> list[_Raw]:
    """Money amounts in order. Chinese text is also read for amounts written the English way ("$34.9
    billion" inside a translated sentence). "$25 billion and $11 billion" is two amounts unless it
    follows "between"."""
    found: list[_Raw] = []
    if lang == "zh":
        for m in ZH_AMOUNT.finditer(sentence):
            currency = m["cur"] or m["cur2"]
            if currency:  # a bare 亿 figure is a count, not money
                found.append(_Raw(m.start(), m.end(), m["n1"], m["n2"], m["unit"], currency, "to" if m["n2"] else None,
                                  bool(_AFTER_FLOOR.match(sentence, m.end()))))
    for m in EN_AMOUNT.finditer(sentence):
        start = m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
        if any(r.start <= start < r.end or start <= r.start < m.end() for r in found):
            continue
        n1, unit = m["n1"] or m["n3"], m["unit"] or m["unit3"]
        currency = m["cur"] or m["cur3"] or m["cur1"] or m["cur2"] or m["cur4"]
        if not currency and not re.match(r"(?i)trillion|billion|million|bn|mn|tn", unit):
            continue  # "3 M" with no currency is not money
        if not currency and COUNTED.match(sentence, m.end()):
            continue  # "2.3 million shares", "5 billion transistors"
        joiner = (m["joiner"] or "").lower() or None
        if joiner == "and" and m["unit1"] and not re.search(r"between\s*$", sentence[:start], re.I):
            # "$25 billion and $11 billion, respectively": two figures
            first_end = m.start("unit1") + len(m["unit1"])
            found.append(_Raw(start, first_end, n1, None, m["unit1"], currency, None))
            second = m.start("n2")
            while second > first_end and sentence[second - 1] in "$€¥￥ ":
                second -= 1
            found.append(_Raw(second, m.end(), m["n2"], None, unit, currency, None,
                              bool(_AFTER_FLOOR.match(sentence, m.end()))))
            continue
        found.append(_Raw(start, m.end(), n1, m["n2"], unit, currency, joiner, bool(_AFTER_FLOOR.match(sentence, m.end()))))
    return sorted(found, key=lambda r: r.start)


def extract_capex(sentence: str, lang: str = "en", context: CapexContext | None = None,
                  carried: bool = False, previous: str = "") -> list[CapexAmount]:
    """Amounts that belong to the capex wording, not to revenue or cash flow in the same sentence.
    `carried`: the capex word was in the previous sentence ("Turning to capex. We spent $2 billion.").
    `previous`: the sentence before, whose explicit year a guidance with no period of its own takes."""
    context = context or CapexContext()
    capex_at = [m.start() for m in CAPEX_WORDS.finditer(sentence)]
    if not capex_at and not carried:
        return []
    other_at = [m.start() for m in OTHER_METRICS.finditer(sentence)]
    bounds = clauses(sentence)
    raws = _raw_amounts(sentence, lang)
    found = []
    for index, raw in enumerate(raws):
        start = raw.start
        clause = next((a, b) for a, b in bounds if a <= start < b)
        if not (CAPEX_RIGHT_AFTER.match(sentence, raw.end) or _belongs_to_capex(start, clause, capex_at, other_at, carried)):
            continue
        if (DELTA_BEFORE.search(sentence[max(0, start - 40):start]) or DELTA_AFTER.match(sentence, raw.end)
                or SEQUENTIAL.search(sentence[clause[0]:start])):
            continue  # a change in capex, not capex
        before = sentence[clause[0]:start]
        value1, value2 = _num(raw.n1), _num(raw.n2)
        kind = None
        if value2 is not None and raw.joiner == "to" and FROM_TO.search(before):
            # "from $375 million to $310 million": the new figure is what stands
            value, low, high, kind = value2, None, None, "revision"
        elif value2 is not None:
            value, low, high = None, min(value1, value2), max(value1, value2)
        elif raw.floor or OPEN_ENDED.search(before[-25:]):
            value, low, high = None, value1, None
        else:
            value, low, high = value1, None, None
        clause_text = sentence[clause[0]:clause[1]]
        # its own part of the clause: from the previous amount to the next one ("$21 to 23 million for the
        # second quarter and $105 to 115 million for the fiscal year")
        lo = max([clause[0]] + [r.end for r in raws[:index] if r.end <= start])
        hi = min([clause[1]] + [r.start for r in raws[index + 1:] if r.start >= raw.end])
        own = sentence[lo:hi]
        kind = kind or _kind(before, clause_text, sentence)
        if REVISION_CUE.search(sentence[lo:start]) and (kind == "guidance" or not PAST.search(sentence[lo:start])):
            kind = "revision"  # "we now expect", "reducing ... to", "below our previous guide"
        found.append([raw, value, low, high, kind, own, clause_text])
    if any(item[4] == "revision" for item in found):
        # "reducing 2024 gross capex to $25-27 billion, with net capex of $11-13 billion": the figures
        # beside a revision are forward too, unless told in the past tense
        for item in found:
            if item[4] == "actual" and not PAST.search(item[5]) and not COMPARISON.search(item[5]):
                item[4] = "guidance"
    amounts = []
    for raw, value, low, high, kind, own, clause_text in found:
        subject = _subject(sentence, raw.start, capex_at)
        # the reported quarter is assumed only for the company's own figure, and for a sentence that carries
        # the capex word over ("So we are holding to roughly 9 billion") only when told in the past tense
        assume_quarter = subject == "self" and (not carried or capex_at or bool(PAST.search(own)))
        period = _period(own, context, kind, own_company=assume_quarter)
        if (kind == "actual" and context.fiscal_quarter == 4 and FULL_YEAR.search(previous)
                and _period(own, CapexContext(), kind) is None and "quarter" not in own.lower()):
            period = f"FY{context.fiscal_year}"  # a Q4 call's full-year paragraph: "Full year EPS ... made $24 billion"
        if period is None and kind == "revision":
            period = _period(sentence[:raw.start], context, kind)
        if kind == "guidance" and period == f"FY{context.fiscal_year} Q{context.fiscal_quarter}" and not _period(own, CapexContext(), kind):
            period = None  # no period of its own: not the reported quarter
        if period is None and kind in ("guidance", "revision"):
            # "Capex for 2027, including finance leases, should land at $40-45 billion";
            # "Looking at calendar 2027 ... We plan to put about $60 billion to work"
            period = _explicit_period(sentence[:raw.start], context, kind) or _explicit_period(previous, context, kind)
        unit = raw.unit
        amounts.append(CapexAmount(
            value=value, low=low, high=high,
            currency=_currency(raw.currency, context),
            unit=UNIT[unit.lower()] if unit.lower() in UNIT else UNIT[unit],
            kind=kind,
            period=period,
            scope=_scope(clause_text) or _scope(sentence),
            subject=subject,
            start=raw.start, end=raw.end,
        ))
    return amounts


def has_money(text: str, lang: str = "en") -> bool:
    return bool(_raw_amounts(text, lang))


def _currency(raw: str | None, context: CapexContext) -> str | None:
    if not raw:
        return context.currency
    if raw in YEN_OR_YUAN:
        return "JPY" if context.currency == "JPY" else "CNY"
    return CURRENCY.get(raw.lower(), context.currency)


def _belongs_to_capex(pos: int, clause: tuple[int, int], capex_at: list[int], other_at: list[int],
                      carried: bool) -> bool:
    """The nearest metric word before the amount in its clause decides; else the nearest before it in the
    sentence; else the nearest after it; else (capex named in the previous sentence) it is capex."""
    def nearest_before(lo: int) -> str | None:
        marks = [(p, "capex") for p in capex_at if lo <= p < pos] + [(p, "other") for p in other_at if lo <= p < pos]
        return max(marks)[1] if marks else None
    decided = nearest_before(clause[0]) or nearest_before(0)
    if decided:
        return decided == "capex"
    after = [(p - pos, "capex") for p in capex_at if p > pos] + [(p - pos, "other") for p in other_at if p > pos]
    if after:
        return min(after)[1] == "capex"
    return carried


def _kind(before: str, clause: str, sentence: str) -> str:
    """A comparison ("up from $X") is an actual; forward words in the clause make guidance; past tense an
    actual; with neither, the sentence's forward words decide."""
    if COMPARISON.search(before[-40:]):
        return "actual"
    if GUIDANCE.search(before):  # the words leading to the amount decide first
        return "guidance"
    if PAST.search(before):
        return "actual"
    if GUIDANCE.search(clause):
        return "guidance"
    if PAST.search(clause):
        return "actual"
    return "guidance" if GUIDANCE.search(sentence) and not PAST.search(sentence) else "actual"


def _scope(text: str) -> str | None:
    return next((name for name, pattern in SCOPES if pattern.search(text)), None)


def _subject(sentence: str, pos: int, capex_at: list[int]) -> str:
    """Customers' or the industry's capex ("hyperscaler capex of $200 billion") is not the company's."""
    cue = max((p for p in capex_at if p < pos), default=None)
    if cue is None:
        cue = min((p for p in capex_at if p > pos), default=None)
    if cue is None:
        return "self"
    if OTHERS.search(sentence[max(0, cue - 45):cue]) or OTHERS_AFTER.match(sentence, cue):
        return "other"
    if OTHERS_NEAR.search(sentence[cue:pos + 80]):  # "capex at the three biggest CSPs rose to some $300 billion"
        return "other"
    return "self"


_FY = re.compile(r"\bfiscal(?: year)?\s?'?(\d{4}|\d{2})\b|\bFY\s?'?(\d{4}|\d{2})\b", re.I)
_CY = re.compile(r"\bcalendar(?: year)?\s?(\d{4})\b|\bCY\s?(\d{4}|\d{2})\b", re.I)
_YEAR = re.compile(r"(?<![\d$.,])(20\d{2})(?![\d%])|(\d{4})\s?年")
_Q = re.compile(rf"\b{_QUARTER}\b|第(?P<zq>[一二三四1-4])季度", re.I)
_ZH_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_HALF = re.compile(r"\b(first|second|back|front) half\b|(上|下)半年", re.I)


def _period(clause: str, ctx: CapexContext, kind: str, own_company: bool = True) -> str | None:
    """The amount's period from its clause, e.g. `FY2025 Q3`, `FY2025`, `CY2025`, `FY2025 H2`, or a
    relative label when the document's quarter is unknown."""
    text = clause
    if re.search(r"\bnext (?:three|3) years\b|未来三年", text, re.I):
        return "next 3 years"
    if re.search(r"\bthis calendar year\b", text, re.I) and ctx.fiscal_year is not None and ctx.fiscal_quarter:
        index = ctx.fiscal_year * 12 + ctx.fy_end_month - 1 - 3 * (4 - ctx.fiscal_quarter)  # the quarter's last month
        return f"CY{index // 12}" if not ctx.calendar_fy else f"FY{index // 12}"
    fy = _FY.search(text)
    cy = _CY.search(text)
    quarter = _Q.search(text)
    half = _HALF.search(text)
    year = None
    if fy:
        year = _year4(fy.group(1) or fy.group(2))
    elif cy:
        y = _year4(cy.group(1) or cy.group(2))
        if not ctx.calendar_fy and not quarter:
            return f"CY{y}"
        year = y
    else:
        plain = _YEAR.search(text)
        if plain:
            year = int(plain.group(1) or plain.group(2))
    q = None
    if quarter:
        q = (_ZH_NUM[quarter.group("zq")] if quarter.group("zq")
             else int(quarter.group(1) or quarter.group(3) or _ORD[quarter.group(2).lower()]))
    known = ctx.fiscal_year is not None and ctx.fiscal_quarter is not None
    forward_year = None
    if known:
        forward_year = ctx.fiscal_year + (1 if ctx.fiscal_quarter == 4 else 0)
    month_q = _MONTH_QUARTER.search(text)
    if month_q and known and not q:
        return _month_quarter(month_q.group(1), ctx, kind, year)
    if re.search(r"\bnext quarter\b|\bcoming quarter\b|\bcurrent quarter\b|下季度|下个季度", text, re.I) and not q:
        return _shift(ctx, 1) if known else "next quarter"
    if q:
        if year:
            return f"FY{year} Q{q}"
        if known:
            # a quarter named without a year: this fiscal year, except a guided quarter not after the
            # reported one, which is next year's
            later = kind != "actual" and q <= ctx.fiscal_quarter
            return f"FY{ctx.fiscal_year + later} Q{q}"
        return f"Q{q}"
    if half:
        h = 1 if (half.group(1) or "").lower() in ("first", "front") or half.group(2) == "上" else 2
        y = year or (forward_year if kind != "actual" else ctx.fiscal_year)
        return f"FY{y} H{h}" if y else f"H{h}"
    if year:
        return f"FY{year}"
    if re.search(r"\b(?:this|the) quarter\b|\bin the quarter\b|\bquarterly\b|\bfor the quarter\b|本季度|单季", text, re.I):
        return f"FY{ctx.fiscal_year} Q{ctx.fiscal_quarter}" if known else "quarter"
    if re.search(r"\bnext year\b|\bcoming year\b|明年", text, re.I):
        return f"FY{forward_year + 1 if ctx.fiscal_quarter != 4 else forward_year}" if known else "next year"
    if re.search(r"\b(?:this|the|full|for the) (?:fiscal )?year\b|\bfull-year\b|今年|全年", text, re.I):
        if not known:
            return "this year"
        return f"FY{forward_year if kind != 'actual' else ctx.fiscal_year}"
    if re.search(r"\blast year\b|\bprior year\b|\ba year ago\b|去年", text, re.I):
        return f"FY{ctx.fiscal_year - 1}" if known else "last year"
    if RUN_RATE.search(text):
        return None  # "$600 billion a year": a rate, not a period
    if kind == "actual" and known and own_company:
        return f"FY{ctx.fiscal_year} Q{ctx.fiscal_quarter}"  # "capex was $X" on a call: the quarter it reports
    return None


_MONTH_QUARTER = re.compile(r"\b(March|June|September|December) quarter\b", re.I)
_MONTH = {"march": 3, "june": 6, "september": 9, "december": 12}


def _month_quarter(month: str, ctx: CapexContext, kind: str, year: int | None) -> str:
    """"The March quarter" for a June fiscal year end is fiscal Q3: the latest such quarter up to the
    reported one for an actual, the next one for guidance."""
    m = _MONTH[month.lower()]
    q = 4 - ((ctx.fy_end_month - m) % 12) // 3
    reported = ctx.fiscal_year * 4 + ctx.fiscal_quarter - 1
    candidates = [fy * 4 + q - 1 for fy in (ctx.fiscal_year - 1, ctx.fiscal_year, ctx.fiscal_year + 1)]
    pick = max(c for c in candidates if c <= reported) if kind == "actual" else min(c for c in candidates if c > reported)
    return f"FY{pick // 4} Q{pick % 4 + 1}"


_EXPLICIT = re.compile(r"\b(?:fiscal|calendar|FY|CY)\s?'?\d{2,4}\b|(?<![\d$.,])20\d{2}(?![\d%])|\d{4}\s?年", re.I)


def _explicit_period(text: str, ctx: CapexContext, kind: str) -> str | None:
    """A period named outright (a year, a fiscal or calendar year), for amounts that name none."""
    if not text:
        return None
    spots = list(_EXPLICIT.finditer(text))
    if not spots:
        return None
    last = spots[-1]  # the year words only: a quarter elsewhere in that sentence is not this amount's
    return _period(text[max(0, last.start() - 14):last.end()], ctx, kind)


def _shift(ctx: CapexContext, quarters: int) -> str:
    index = ctx.fiscal_year * 4 + ctx.fiscal_quarter - 1 + quarters
    return f"FY{index // 4} Q{index % 4 + 1}"


def _year4(text: str) -> int:
    return int(text) if len(text) == 4 else 2000 + int(text)
