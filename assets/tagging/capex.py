"""Capex amounts in a sentence already tagged CAPEX: value or range, currency, unit, kind, period."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CUR_BEFORE = r"US\$|HK\$|NT\$|\$|RMB|CNY|HKD|USD|TWD|NTD|KRW|JPY|EUR|€|₩|¥|￥"
_UNIT_EN = r"trillion|billion|million|bn|mn|tn|B\b|M\b"
_CUR_AFTER_EN = r"yuan|renminbi|won|yen|euros?|dollars?"

EN_AMOUNT = re.compile(
    rf"(?P<cur>{_CUR_BEFORE})?\s?(?P<n1>{_NUM})\s?(?P<unit1>{_UNIT_EN})?"
    rf"(?:\s?(?:to|-|–|and)\s?(?:{_CUR_BEFORE})?\s?(?P<n2>{_NUM}))?\s?(?P<unit>{_UNIT_EN})"
    rf"(?:\s(?P<cur2>{_CUR_AFTER_EN}))?",
    re.I,
)
ZH_AMOUNT = re.compile(
    rf"(?P<cur>人民币|美元|港币|港元)?\s?(?P<n1>{_NUM})\s?(?:[-至到~－]\s?(?P<n2>{_NUM}))?\s?(?P<unit>万亿|亿|万)"
    rf"(?P<cur2>元|美元|港元|人民币)?"
)

CURRENCY = {
    "us$": "USD", "$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD", "美元": "USD",
    "rmb": "CNY", "cny": "CNY", "yuan": "CNY", "renminbi": "CNY", "元": "CNY", "人民币": "CNY", "¥": "CNY", "￥": "CNY",
    "hk$": "HKD", "hkd": "HKD", "港元": "HKD", "港币": "HKD",
    "nt$": "TWD", "twd": "TWD", "ntd": "TWD",
    "krw": "KRW", "₩": "KRW", "won": "KRW",
    "jpy": "JPY", "yen": "JPY", "円": "JPY",
    "eur": "EUR", "€": "EUR", "euro": "EUR", "euros": "EUR",
}
UNIT = {"trillion": "trillion", "tn": "trillion", "billion": "billion", "bn": "billion", "b": "billion",
        "million": "million", "mn": "million", "m": "million", "万亿": "万亿", "亿": "亿", "万": "万"}
UNIT_IN_BILLIONS = {"trillion": 1000.0, "billion": 1.0, "million": 0.001, "万亿": 1000.0, "亿": 0.1, "万": 0.00001}

CAPEX_WORDS = re.compile(r"capex|capital expenditures?|capital spending|capital investments?|infrastructure investment|资本开支|资本支出|购建固定资产", re.I)
OTHER_METRICS = re.compile(
    r"revenue|sales|free cash flow|operating income|net income|profit|margin|backlog|buyback|repurchase|dividend"
    r"|收入|营收|营业收入|净利润|利润|现金流", re.I)
GUIDANCE = re.compile(
    r"\b(?:expect|expects|expected|anticipate|anticipates|guide|guidance|guiding|outlook|will|should|forecast"
    r"|going to|next year)\b"
    r"|预计|预期|将", re.I)
PAST = re.compile(r"\b(?:were|was|spent|totaled|totalled|reached|came in|amounted)\b|同比", re.I)
INTENT = re.compile(r"\b(?:plan|plans|planning|intend|intends|project|projected)\b|计划|拟", re.I)
OPEN_ENDED = re.compile(r"(?:more than|above|over|at least|in excess of|exceed(?:ing)?|超过|不低于|逾)\s*$", re.I)
PERIOD = [
    (re.compile(r"\bnext (?:three|3) years\b|未来三年", re.I), lambda m: "next 3 years"),
    (re.compile(r"\bfiscal(?: year)? ?(\d{4})\b|\bFY ?(\d{2,4})\b", re.I), lambda m: "FY" + _year(m.group(1) or m.group(2))),
    (re.compile(r"\b(?:full[- ]year|calendar(?: year)?|for|in|of) (\d{4})\b|(\d{4})年", re.I), lambda m: m.group(1) or m.group(2)),
    (re.compile(r"\bQ([1-4])\b|\b(first|second|third|fourth) quarter\b", re.I), lambda m: "Q" + (m.group(1) or _ORD[m.group(2).lower()])),
    (re.compile(r"\bnext quarter\b|下季度", re.I), lambda m: "next quarter"),
    (re.compile(r"\b(?:this|the) quarter\b|\bquarterly\b|本季度|单季", re.I), lambda m: "quarter"),
]
_ORD = {"first": "1", "second": "2", "third": "3", "fourth": "4"}


def _year(text: str) -> str:
    return text if len(text) == 4 else "20" + text


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


def extract_capex(sentence: str, lang: str = "en", default_currency: str | None = None) -> list[CapexAmount]:
    """Amounts that belong to the capex wording, not to revenue or cash flow in the same sentence."""
    capex_at = [m.start() for m in CAPEX_WORDS.finditer(sentence)]
    if not capex_at:
        return []
    other_at = [m.start() for m in OTHER_METRICS.finditer(sentence)]
    pattern = ZH_AMOUNT if lang == "zh" else EN_AMOUNT
    kind = _kind(sentence)
    period = _period(sentence)
    scope = "including finance leases" if re.search(r"finance leases?|融资租赁", sentence, re.I) else None
    found = []
    for m in pattern.finditer(sentence):
        if not _belongs_to_capex(m.start(), capex_at, other_at):
            continue
        n1, n2 = _num(m["n1"]), _num(m["n2"])
        cur_raw = (m["cur"] or m["cur2"] or "").lower()
        currency = CURRENCY.get(cur_raw) or default_currency
        unit = UNIT[m["unit"].lower()] if m["unit"].lower() in UNIT else UNIT[m["unit"]]
        if lang == "zh" and not (m["cur"] or m["cur2"]):
            continue  # a bare 亿 figure is a count, not money
        open_ended = n2 is None and OPEN_ENDED.search(sentence[max(0, m.start() - 20):m.start()])
        if open_ended:  # "more than $30 billion": a floor, not a point
            value, low, high = None, n1, None
        else:
            value, low, high = (None, n1, n2) if n2 is not None else (n1, None, None)
        found.append(CapexAmount(
            value=value, low=low, high=high,
            currency=currency, unit=unit, kind=kind, period=period, scope=scope, start=m.start(), end=m.end(),
        ))
    return found


def _kind(sentence: str) -> str:
    """Forward words win; otherwise past tense means actual; bare intent ("we plan") is guidance."""
    if GUIDANCE.search(sentence):
        return "guidance"
    if PAST.search(sentence):
        return "actual"
    return "guidance" if INTENT.search(sentence) else "actual"


def _belongs_to_capex(pos: int, capex_at: list[int], other_at: list[int]) -> bool:
    """Nearest metric word before the amount decides; if none precedes it, the nearest after it does."""
    before = [(pos - p, "capex") for p in capex_at if p < pos] + [(pos - p, "other") for p in other_at if p < pos]
    if before:
        return min(before)[1] == "capex"
    after = [(p - pos, "capex") for p in capex_at] + [(p - pos, "other") for p in other_at if p > pos]
    return bool(after) and min(after)[1] == "capex"


def _period(sentence: str) -> str | None:
    """First matching period; a fiscal year with a quarter in the same sentence becomes `FY2026 Q1`."""
    labels = []
    for pattern, label in PERIOD:
        match = pattern.search(sentence)
        if match:
            labels.append(label(match))
    if not labels:
        return None
    if labels[0].startswith("FY") and len(labels) > 1 and labels[1].startswith("Q"):
        return f"{labels[0]} {labels[1]}"
    return labels[0]
