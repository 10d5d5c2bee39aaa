"""The report's languages: UI strings from strings/<lang>.yml, names from the seeds (the universe's
name_zh, topics.csv's name_zh, layer_groups.csv's layer_zh), and how each edition writes dates and money."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml
from jinja2 import Undefined

from .formats import MISSING, usd_bn, usd_bn_range
from .formats import is_missing as _is_missing


def is_missing(value) -> bool:
    """An absent value, or a field a template row does not have (jinja's Undefined)."""
    return isinstance(value, Undefined) or _is_missing(value)

STRINGS_DIR = Path(__file__).parent / "strings"
LANGS = ("en", "zh")
FILES = {"en": ("report.html", "report.md", "report.xlsx"), "zh": ("report.zh.html", "report.zh.md", "report.zh.xlsx")}


class Strings(dict):
    """A strings file: s.key in templates; s.f("key", **values) fills its placeholders."""

    def __getattr__(self, key):
        try:
            return self[key]
        except KeyError:
            raise AttributeError(f"no UI string {key!r}") from None

    def f(self, key: str, **values) -> str:
        return self[key].format(**values)


def load_strings(lang: str) -> Strings:
    return Strings(yaml.safe_load((STRINGS_DIR / f"{lang}.yml").read_text(encoding="utf-8")))


def _rows(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return [{k.strip(): (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(fh)]


@dataclass
class Lang:
    code: str
    s: Strings
    topics: dict[str, str] = field(default_factory=dict)     # topic id -> label in this language
    companies: dict[str, str] = field(default_factory=dict)  # ticker -> company name in this language
    layers: dict[str, str] = field(default_factory=dict)     # layer or layer group -> name in this language

    @classmethod
    def load(cls, code: str, seeds: Path) -> "Lang":
        zh = code == "zh"
        topics = {r["topic"]: (r.get("name_zh") if zh and r.get("name_zh") else r.get("label") or r["topic"])
                  for r in _rows(seeds / "topics.csv")}
        companies = {r["ticker"]: (r.get("name_zh") if zh and r.get("name_zh") else r.get("name") or r["ticker"])
                     for r in _rows(seeds / "universe.csv")}
        layers = {}
        if zh:
            for r in _rows(seeds / "layer_groups.csv"):
                if r.get("layer_zh"):
                    layers[r["layer"]] = r["layer_zh"]
                if r.get("layer_group_zh"):
                    layers[r["layer_group"]] = r["layer_group_zh"]
        return cls(code, load_strings(code), topics, companies, layers)

    # --- values -----------------------------------------------------------------------------
    def topic(self, topic_id) -> str:
        return self.topics.get(str(topic_id), str(topic_id))

    def company(self, ticker) -> str:
        return self.companies.get(str(ticker), MISSING if is_missing(ticker) else str(ticker))

    def layer(self, name) -> str:
        return MISSING if is_missing(name) else self.layers.get(str(name), str(name))

    def value(self, v) -> str:
        """A data value the report prints (source type, guidance change, claim status, SQL-made text)."""
        if is_missing(v):
            return MISSING
        v = str(v)
        if v in self.s["values"]:
            return self.s["values"][v]
        if v in self.layers:
            return self.layers[v]
        for pattern, replacement in self.s["patterns"]:
            if re.match(pattern, v):
                return re.sub(pattern, replacement, v)
        return v

    def date(self, v) -> str:
        """ISO dates as the edition's readers write them: 2026-03-31 or 2026年3月31日."""
        if is_missing(v):
            return MISSING
        if self.code != "zh":
            return str(v)
        try:
            d = date.fromisoformat(str(v)[:10])
        except ValueError:
            return str(v)
        return f"{d.year}年{d.month}月{d.day}日"

    def money(self, v) -> str:
        """USD bn as the tables print it; the Chinese edition adds 亿美元 (1 bn = 10 亿)."""
        v = None if is_missing(v) else v
        shown = usd_bn(v)
        if self.code != "zh" or is_missing(v):
            return shown
        return f"{shown}（{yi(v)}）"

    def money_range(self, low, high) -> str:
        low, high = (None if is_missing(x) else x for x in (low, high))
        shown = usd_bn_range(low, high)
        if self.code != "zh" or shown == MISSING:
            return shown
        if is_missing(high) or is_missing(low) or float(low) == float(high):
            return f"{shown}（{yi(low if not is_missing(low) else high)}）"
        return f"{shown}（{yi(low)}–{yi(high)}）"


def yi(value_bn) -> str:
    """USD bn in 亿美元 (hundred millions): 37.5 -> 375亿美元; below 1 亿 in 万美元 (0.007 -> 70万美元)."""
    v = float(value_bn) * 10
    if v == 0:
        text, suffix = "0", "亿美元"
    elif abs(v) >= 1:
        text, suffix = f"{v:.1f}".rstrip("0").rstrip("."), "亿美元"
    else:
        text, suffix = f"{v * 10000:.3g}", "万美元"
        if "e" in text:
            text = f"{v * 10000:.0f}"
    return text + suffix
