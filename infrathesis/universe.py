"""Company universe and ticker symbology, read from the dbt seed the user edits."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .versions import digest_files


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


ALIASES_CSV = "ticker_aliases.csv"
COLUMNS = ("ticker", "name", "name_zh", "symbol", "country", "layer", "sources", "fiscal_year_end_month",
           "reporting_currency")


class UniverseError(ValueError):
    """A universe or alias seed that cannot be read; the message names the file and the line."""


def universe_files(path: Path) -> list[Path]:
    """The seeds ticker resolution reads: the universe and the extra listings beside it."""
    return [path, path.with_name(ALIASES_CSV)]


def universe_version(path: Path) -> str:
    """Changes whenever a seed that ticker resolution reads changes, so parsed files are redone."""
    return digest_files(universe_files(path))


def load_universe(path: Path) -> Universe:
    """The universe seed, plus extra listings from ticker_aliases.csv beside it when present. Cached on
    the files' contents, so an edit is seen by the next run even in the same process."""
    aliases = path.with_name(ALIASES_CSV)
    return _load_universe(path, path.read_bytes(), aliases, aliases.read_bytes() if aliases.exists() else None)


@lru_cache(maxsize=4)
def _load_universe(path: Path, data: bytes, aliases_path: Path, aliases: bytes | None) -> Universe:
    companies = []
    for line, r in _csv_rows(path, data, COLUMNS):
        try:
            month = int(r["fiscal_year_end_month"])
        except ValueError:
            month = 0
        if not r["ticker"] or not 1 <= month <= 12:
            raise UniverseError(f"{path}, line {line}: needs a ticker and a fiscal_year_end_month from 1 to 12")
        companies.append(Company(**{**r, "fiscal_year_end_month": month}))
    universe = Universe(companies)
    for line, row in _csv_rows(aliases_path, aliases, ("alias", "ticker")) if aliases is not None else ():
        try:
            universe.add_alias(row["alias"], row["ticker"])
        except ValueError as exc:
            raise UniverseError(f"{aliases_path}, line {line}: {exc}") from None
    return universe


def _csv_rows(path: Path, data: bytes, required: tuple[str, ...]):
    """(line number, row) per non-blank row. Any line ending is accepted (files get rows appended in
    other editors); a row whose field count differs from the header's is an error naming its line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UniverseError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    missing = [c for c in required if c not in header]
    if missing:
        raise UniverseError(f"{path}, line 1: header lacks {', '.join(missing)}")
    for fields in reader:
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(header):
            raise UniverseError(f"{path}, line {reader.line_num}: {len(fields)} fields, the header has "
                                f"{len(header)} (a row appended without a line break, or a stray comma?)")
        yield reader.line_num, {k: v.strip() for k, v in zip(header, fields) if k in required}
