"""SEC EDGAR XBRL company facts -> quarterly capex, written to landing/filings/<TICKER>_capex.csv.

Concepts in order of preference: PaymentsToAcquirePropertyPlantAndEquipment, then
PaymentsToAcquireProductiveAssets, then the IFRS PurchaseOfPropertyPlantAndEquipment...
10-Q cash-flow values are year-to-date: quarters are differenced from them (Q2 = H1 - Q1, Q4 = FY - 9M).
`capex_facts` keeps every concept (finance-lease principal too: some companies' headline capex includes
it); which concept is a company's headline is data, decided in dbt (seeds capex_concepts, capex_headline).
The fiscal year and quarter come from the year-to-date span itself, not the filing's `fy`/`fp` (a
filing's comparatives carry the filing's own year).
SEC asks for a declared User-Agent and at most 10 requests per second."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

from infrathesis.parquet_io import write_text_atomic

from .http import ConnectorError, HttpClient

CONCEPTS = (
    ("us-gaap", "PaymentsToAcquirePropertyPlantAndEquipment"),
    ("us-gaap", "PaymentsToAcquireProductiveAssets"),
    ("ifrs-full", "PurchaseOfPropertyPlantAndEquipmentClassifiedAsInvestingActivities"),
    ("ifrs-full", "PurchaseOfPropertyPlantAndEquipment"),
)
COMPONENTS = (("us-gaap", "FinanceLeasePrincipalPayments"),)  # never a headline alone
CSV_COLUMNS = ("ticker", "period_end", "fiscal_year", "fiscal_quarter", "capex", "currency", "concept", "form", "filed",
               "accession", "filing_url", "derivation")
SPAN_NAMES = {3: "first quarter", 6: "first half", 9: "nine months", 12: "full year"}


class NoCapexFacts(ConnectorError):
    """The company files with the SEC but tags none of the capex concepts (nothing to pull, not an error)."""


def edgar_client(user_agent: str, base_url: str = "https://data.sec.gov", **kwargs) -> HttpClient:
    if "@" not in user_agent:
        raise ConnectorError("SEC requires a User-Agent with a contact e-mail, e.g. 'Research Team research@example.com'")
    return HttpClient(base_url, user_agent=user_agent, max_per_second=min(10.0, kwargs.pop("max_per_second", 10.0)), **kwargs)


def company_facts(http: HttpClient, cik: int) -> dict:
    return http.get_json(f"api/xbrl/companyfacts/CIK{int(cik):010d}.json")


def ticker_ciks(http: HttpClient) -> dict[str, int]:
    """SEC's ticker -> CIK list (files/company_tickers.json on www.sec.gov): `{"0": {"cik_str", "ticker", "title"}, ...}`."""
    payload = http.get_json("files/company_tickers.json")
    rows = payload.values() if isinstance(payload, dict) else payload
    return {str(r["ticker"]).upper(): int(r["cik_str"]) for r in rows if r.get("ticker") and r.get("cik_str")}


def quarterly_capex(facts: dict) -> tuple[str, list[dict]]:
    """The first concept that has data, as discrete quarters (YTD values differenced)."""
    for taxonomy, concept in CONCEPTS:
        units = facts.get("facts", {}).get(taxonomy, {}).get(concept, {}).get("units", {})
        for currency, values in units.items():
            rows = _quarters(values, currency)
            if rows:
                return concept, rows
    raise ConnectorError("no capex concept with quarterly or annual values in these company facts")


def capex_facts(facts: dict) -> list[dict]:
    """Every capex concept (and finance-lease principal) with data, as discrete quarters with the concept."""
    rows = []
    for taxonomy, concept in (*CONCEPTS, *COMPONENTS):
        units = facts.get("facts", {}).get(taxonomy, {}).get(concept, {}).get("units", {})
        for currency, values in units.items():
            rows += [{**r, "concept": concept} for r in _quarters(values, currency)]
    if not any(r["concept"] in {c for _, c in CONCEPTS} for r in rows):
        raise NoCapexFacts("no capex concept with quarterly or annual values in these company facts")
    return rows


def _months(start: str, end: str) -> int:
    a, b = date.fromisoformat(start), date.fromisoformat(end)
    return round(((b - a).days + 1) / 30.44)


def _quarters(values: list[dict], currency: str) -> list[dict]:
    latest: dict[tuple[str, str], dict] = {}
    first: dict[tuple[str, str, float], dict] = {}
    for v in values:  # the latest filing wins for a (start, end) span
        if v.get("form") not in ("10-Q", "10-K", "20-F", "40-F", "6-K") or not v.get("start"):
            continue
        key = (v["start"], v["end"])
        if key not in latest or v.get("filed", "") > latest[key].get("filed", ""):
            latest[key] = v
        vkey = (*key, v["val"])  # a comparative repeats the figure: it was filed when it first appeared
        if vkey not in first or v.get("filed", "") < first[vkey].get("filed", ""):
            first[vkey] = v
    by_start: dict[str, list[dict]] = {}
    for (start, end), v in latest.items():
        months = _months(start, end)
        if months in (3, 6, 9, 12):
            origin = first[(start, end, v["val"])]
            by_start.setdefault(start, []).append({**v, "months": months, "form": origin.get("form"),
                                                   "filed": origin.get("filed"), "accn": origin.get("accn")})
    rows = []
    for start, spans in by_start.items():
        spans.sort(key=lambda v: v["months"])
        previous = None
        fiscal_year = (date.fromisoformat(start) + timedelta(days=360)).year  # named by the year it ends in
        for span in spans:
            if previous is None and span["months"] != 3:
                break  # a year-to-date series must start with its first quarter
            value = span["val"] - (previous["val"] if previous else 0)
            quarter = span["months"] // 3
            if previous and span["months"] - previous["months"] != 3:
                break
            derivation = (f"{SPAN_NAMES[span['months']]} {span['val'] / 1e9:.3f} less "
                          f"{SPAN_NAMES[previous['months']]} {previous['val'] / 1e9:.3f}" if previous else "quarter as filed")
            rows.append({"period_end": span["end"], "fiscal_year": fiscal_year, "fiscal_quarter": quarter,
                         "capex": value, "currency": currency, "form": span.get("form"), "filed": span.get("filed"),
                         "accession": span.get("accn") or "", "derivation": derivation})
            previous = span
    rows.sort(key=lambda r: r["period_end"])
    unique = {r["period_end"]: r for r in rows}
    return list(unique.values())


def filing_url(cik: int | None, accession: str) -> str:
    """The filing's folder on EDGAR (companyfacts names the accession, not the primary document)."""
    if not cik or not accession:
        return ""
    return f"https://www.sec.gov/Archives/edgar/data/{int(cik)}/{accession.replace('-', '')}/"


def capex_csv(ticker: str, concept: str | None, rows: list[dict], cik: int | None = None) -> str:
    """The landing CSV's text. Rows that carry their own concept (capex_facts) keep it; `concept` names it for the others."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for r in rows:
        writer.writerow({"ticker": ticker, "concept": concept, "filing_url": filing_url(cik, r.get("accession", "")), **r})
    return out.getvalue()


def capex_path(ticker: str, landing: Path) -> Path:
    return landing / "filings" / f"{ticker}_capex.csv"


def save_capex(ticker: str, concept: str | None, rows: list[dict], landing: Path, cik: int | None = None) -> Path:
    return write_text_atomic(capex_csv(ticker, concept, rows, cik), capex_path(ticker, landing))
