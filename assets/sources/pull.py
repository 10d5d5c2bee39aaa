"""What each source pulls into the landing folder, and its cursor of what it already pulled.

The cursor is a small JSON file beside the data it describes, `<landing>/.sources/<source>.json`
(dot-folders are never read as landed files). It lives with the landing folder rather than in the
Dagster instance so that `infrathesis fetch`, an ephemeral instance or a wiped instance do not re-pull
everything, and deleting the landing folder resets both. Files land atomically (temp file, rename)
through the connectors; the cursor is written after them, so a crash in between re-pulls at worst.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from infrathesis.connectors import cninfo, edgar, transcripts
from infrathesis.connectors.http import ConnectorError, HttpClient
from infrathesis.parquet_io import write_text_atomic
from infrathesis.universe import Company

STATE_DIR = ".sources"


@dataclass
class Pull:
    """One pull of one source: what landed, what was there already, what is not published yet, what failed."""

    source: str
    skipped: str | None = None  # why nothing was asked for (unconfigured, or the bundled sample)
    companies: int = 0
    files: list[str] = field(default_factory=list)  # landed this time, relative to the landing folder
    already: int = 0  # items the cursor says were pulled before
    unavailable: list[str] = field(default_factory=list)  # nothing (yet) at the provider: asked again next time
    failed: list[str] = field(default_factory=list)  # errors, per company
    last_pulled: str | None = None  # when this source last landed a file (UTC, ISO), from the cursor
    cursor: Path | None = None


def cursor_path(landing: Path, source: str) -> Path:
    return landing / STATE_DIR / f"{source}.json"


def load_cursor(landing: Path, source: str) -> dict:
    path = cursor_path(landing, source)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def save_cursor(landing: Path, source: str, state: dict) -> Path:
    return write_text_atomic(json.dumps(state, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                             cursor_path(landing, source))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class _Cursor:
    """Load, note what landed, save even when a company's pull raises (what landed stays recorded)."""

    def __init__(self, pull: Pull, landing: Path):
        self.pull, self.landing = pull, landing
        self.state = load_cursor(landing, pull.source)

    def __enter__(self) -> dict:
        return self.state

    def landed(self, path: Path) -> str:
        rel = path.relative_to(self.landing).as_posix()
        self.pull.files.append(rel)
        self.state["last_pulled"] = _now()
        return rel

    def __exit__(self, *exc) -> None:
        self.pull.last_pulled = self.state.get("last_pulled")
        self.pull.cursor = save_cursor(self.landing, self.pull.source, self.state)


def recent_quarters(as_of: date, fy_end_month: int, lookback: int) -> list[tuple[int, int]]:
    """The last `lookback` fiscal quarters that ended before the as-of date, newest first."""
    from assets.ingest.parsers import reported_quarter

    fy, fq = reported_quarter(as_of, fy_end_month)
    quarters = []
    for _ in range(lookback):
        quarters.append((fy, fq))
        fy, fq = (fy, fq - 1) if fq > 1 else (fy - 1, 4)
    return quarters


def pull_transcripts(http: HttpClient, key: str, companies: list[Company], landing: Path, as_of: date,
                     lookback: int) -> Pull:
    """Each company's recent fiscal quarters not pulled yet; a quarter without a transcript is asked again next time."""
    pull = Pull("transcripts", companies=len(companies))
    cursor = _Cursor(pull, landing)
    with cursor as state:
        pulled = state.setdefault("pulled", {})
        for company in companies:
            for fy, fq in recent_quarters(as_of, company.fiscal_year_end_month, lookback):
                item = f"{company.ticker} FY{fy} Q{fq}"
                if item in pulled:
                    pull.already += 1
                    continue
                try:
                    record = transcripts.fetch_transcript(http, key, company.symbol, fy, fq)
                except transcripts.NoTranscript:
                    pull.unavailable.append(item)
                    continue
                except ConnectorError as exc:
                    pull.failed.append(f"{item}: {exc}")
                    break  # the provider refuses this company; the next one may work
                pulled[item] = {"file": cursor.landed(transcripts.save_transcript(record, landing)), "at": _now()}
    return pull


def pull_sec(http: HttpClient, tickers_http: HttpClient, companies: list[Company], landing: Path,
             ciks: dict[str, int]) -> Pull:
    """Every capex concept of each company's XBRL company facts; a company's CSV is rewritten only when
    its content changed (a new filing, a restatement). CIKs: configured, else SEC's ticker list (kept)."""
    pull = Pull("sec_xbrl", companies=len(companies))
    cursor = _Cursor(pull, landing)
    with cursor as state:
        known = {**state.setdefault("ciks", {}), **ciks}
        if any(c.ticker not in known for c in companies):
            listed = edgar.ticker_ciks(tickers_http)
            for c in companies:
                if c.ticker not in known and c.symbol.upper() in listed:
                    known[c.ticker] = state["ciks"][c.ticker] = listed[c.symbol.upper()]
        done = state.setdefault("companies", {})
        for company in companies:
            cik = known.get(company.ticker)
            if not cik:
                pull.unavailable.append(f"{company.ticker}: not in SEC's ticker list")
                continue
            try:
                rows = edgar.capex_facts(edgar.company_facts(http, int(cik)))
            except edgar.NoCapexFacts:
                pull.unavailable.append(f"{company.ticker}: no capex concept in its company facts")
                continue
            except ConnectorError as exc:
                pull.failed.append(f"{company.ticker}: {exc}")
                continue
            text = edgar.capex_csv(company.ticker, None, rows, int(cik))
            sha = hashlib.sha256(text.encode()).hexdigest()
            path = edgar.capex_path(company.ticker, landing)
            if done.get(company.ticker, {}).get("sha256") == sha and path.exists():
                pull.already += 1
                continue
            write_text_atomic(text, path)
            done[company.ticker] = {"file": cursor.landed(path), "cik": int(cik), "sha256": sha, "rows": len(rows),
                                    "last_filed": max((r.get("filed") or "" for r in rows), default=""), "at": _now()}
    return pull


def pull_cninfo(http: HttpClient, static: HttpClient, companies: list[Company], landing: Path,
                per_company: int, org_ids: dict[str, str]) -> Pull:
    """Each A-share company's newest annual and semi-annual reports not downloaded yet (by announcement)."""
    pull = Pull("cninfo", companies=len(companies))
    cursor = _Cursor(pull, landing)
    with cursor as state:
        known = {**state.setdefault("org_ids", {}), **org_ids}
        pulled = state.setdefault("pulled", {})
        for company in companies:
            code = company.symbol.split(".")[0]
            try:
                org_id = known.get(company.ticker) or cninfo.find_org_id(http, code)
                if not org_id:
                    pull.unavailable.append(f"{company.ticker}: Cninfo knows no stock {code}")
                    continue
                state["org_ids"][company.ticker] = org_id
                done = pulled.setdefault(company.ticker, {})
                for item in cninfo.query_reports(http, code, org_id)[:per_company]:
                    ident = str(item.get("announcementId") or item["adjunctUrl"])
                    if ident in done:
                        pull.already += 1
                        continue
                    path = cninfo.download_report(http, static, item, company.ticker, landing)
                    done[ident] = {"file": cursor.landed(path), "title": item.get("announcementTitle", ""), "at": _now()}
            except ConnectorError as exc:
                pull.failed.append(f"{company.ticker}: {exc}")
    return pull
