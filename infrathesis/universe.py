"""Company universe and ticker symbology, read from the dbt seed the user edits."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True)
class Company:
    ticker: str
    name: str
    name_zh: str
    symbol: str
    country: str
    layer: str
    sources: str
    fiscal_year_end_month: int
    reporting_currency: str


class Universe:
    def __init__(self, companies: list[Company]):
        self.companies = {c.ticker: c for c in companies}
        self._aliases: dict[str, str] = {}
        for c in companies:
            for alias in _aliases_for(c):
                self._aliases[alias] = c.ticker

    def resolve(self, raw: str | None) -> str | None:
        """Canonical ticker for a canonical ticker or an exchange symbol; None when unknown."""
        if not raw:
            return None
        key = raw.strip().upper()
        return self._aliases.get(key)

    def add_alias(self, alias: str, ticker: str) -> None:
        if ticker not in self.companies:
            raise ValueError(f"alias {alias!r} points at {ticker!r}, which is not in the universe")
        self._aliases[alias.strip().upper()] = ticker

    def __getitem__(self, ticker: str) -> Company:
        return self.companies[ticker]

    def __iter__(self):
        return iter(self.companies.values())

    def __len__(self) -> int:
        return len(self.companies)


def _aliases_for(c: Company) -> set[str]:
    aliases = {c.ticker.upper(), c.symbol.upper()}
    symbol = c.symbol.upper()
    if symbol.endswith(".SS"):
        aliases.add(symbol[:-3] + ".SH")  # Shanghai is written both ways
    if "." in symbol:
        code, _, exchange = symbol.partition(".")
        if exchange == "HK":
            aliases.add(code.lstrip("0") + ".HK")  # 700.HK as well as 0700.HK
    return aliases


@lru_cache(maxsize=4)
def load_universe(path: Path) -> Universe:
    """The universe seed, plus extra listings from ticker_aliases.csv beside it when present."""
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    universe = Universe(
        [
            Company(
                ticker=r["ticker"],
                name=r["name"],
                name_zh=r["name_zh"],
                symbol=r["symbol"],
                country=r["country"],
                layer=r["layer"],
                sources=r["sources"],
                fiscal_year_end_month=int(r["fiscal_year_end_month"]),
                reporting_currency=r["reporting_currency"],
            )
            for r in rows
        ]
    )
    aliases = path.with_name("ticker_aliases.csv")
    if aliases.exists():
        with open(aliases, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                universe.add_alias(row["alias"], row["ticker"])
    return universe
