"""SEC EDGAR XBRL company facts -> quarterly capex, written to landing/filings/<TICKER>_capex.csv.

Concepts in order of preference: PaymentsToAcquirePropertyPlantAndEquipment, then
PaymentsToAcquireProductiveAssets, then the IFRS PurchaseOfPropertyPlantAndEquipment...
10-Q cash-flow values are year-to-date: quarters are differenced from them (Q2 = H1 - Q1, Q4 = FY - 9M).
SEC asks for a declared User-Agent and at most 10 requests per second."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from infrathesis.parquet_io import write_text_atomic

from .http import ConnectorError, HttpClient

CONCEPTS = (
    ("us-gaap", "PaymentsToAcquirePropertyPlantAndEquipment"),
    ("us-gaap", "PaymentsToAcquireProductiveAssets"),
    ("ifrs-full", "PurchaseOfPropertyPlantAndEquipmentClassifiedAsInvestingActivities"),
    ("ifrs-full", "PurchaseOfPropertyPlantAndEquipment"),
)
CSV_COLUMNS = ("ticker", "period_end", "fiscal_year", "fiscal_quarter", "capex", "currency", "concept", "form", "filed")


def edgar_client(user_agent: str, base_url: str = "https://data.sec.gov", **kwargs) -> HttpClient:
    if "@" not in user_agent:
        raise ConnectorError("SEC requires a User-Agent with a contact e-mail, e.g. 'Research Team research@example.com'")
    return HttpClient(base_url, user_agent=user_agent, max_per_second=min(10.0, kwargs.pop("max_per_second", 10.0)), **kwargs)


def company_facts(http: HttpClient, cik: int) -> dict:
    return http.get_json(f"api/xbrl/companyfacts/CIK{int(cik):010d}.json")


def quarterly_capex(facts: dict) -> tuple[str, list[dict]]:
    """The first concept that has data, as discrete quarters (YTD values differenced)."""
    for taxonomy, concept in CONCEPTS:
        units = facts.get("facts", {}).get(taxonomy, {}).get(concept, {}).get("units", {})
        for currency, values in units.items():
            rows = _quarters(values, currency)
            if rows:
                return concept, rows
    raise ConnectorError("no capex concept with quarterly or annual values in these company facts")


def _months(start: str, end: str) -> int:
    a, b = date.fromisoformat(start), date.fromisoformat(end)
    return round(((b - a).days + 1) / 30.44)


def _quarters(values: list[dict], currency: str) -> list[dict]:
    latest: dict[tuple[str, str], dict] = {}
    for v in values:  # the latest filing wins for a (start, end) span
        if v.get("form") not in ("10-Q", "10-K", "20-F", "40-F", "6-K") or not v.get("start"):
            continue
        key = (v["start"], v["end"])
        if key not in latest or v.get("filed", "") > latest[key].get("filed", ""):
            latest[key] = v
    by_start: dict[str, list[dict]] = {}
    for (start, end), v in latest.items():
        months = _months(start, end)
        if months in (3, 6, 9, 12):
            by_start.setdefault(start, []).append({**v, "months": months})
    rows = []
    for start, spans in by_start.items():
        spans.sort(key=lambda v: v["months"])
        previous = None
        for span in spans:
            if previous is None and span["months"] != 3:
                break  # a year-to-date series must start with its first quarter
            value = span["val"] - (previous["val"] if previous else 0)
            quarter = span["months"] // 3
            if previous and span["months"] - previous["months"] != 3:
                break
            rows.append({"period_end": span["end"], "fiscal_year": span.get("fy"), "fiscal_quarter": quarter,
                         "capex": value, "currency": currency, "form": span.get("form"), "filed": span.get("filed")})
            previous = span
    rows.sort(key=lambda r: r["period_end"])
    unique = {r["period_end"]: r for r in rows}
    return list(unique.values())


def save_capex(ticker: str, concept: str, rows: list[dict], landing: Path) -> Path:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({"ticker": ticker, "concept": concept, **r})
    path = landing / "filings" / f"{ticker}_capex.csv"
    write_text_atomic(out.getvalue(), path)
    return path
