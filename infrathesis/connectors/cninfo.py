"""Cninfo (巨潮资讯) announcements: query a company's annual and semi-annual reports, download the PDFs
into landing/mdna as <symbol>_<date>.pdf. Abstracts (摘要), English versions and cancelled reports are skipped."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from infrathesis.parquet_io import write_bytes_atomic

from .http import HttpClient

QUERY_PATH = "new/hisAnnouncement/query"
SEARCH_PATH = "new/information/topSearch/query"
CATEGORIES = {"annual": "category_ndbg_szsh", "semiannual": "category_bndbg_szsh"}
SKIP_WORDS = ("摘要", "英文", "English", "取消", "已取消")
BEIJING = timezone(timedelta(hours=8))  # announcementTime is midnight Beijing time in ms: 16:00 UTC the day before


def find_org_id(http: HttpClient, code: str) -> str | None:
    """Cninfo's orgId for a stock code (the announcement query needs both), from its search box's API:
    a list of `{code, orgId, category, zwjc}`; the A-share listing is preferred."""
    items = http.get_json(SEARCH_PATH, data={"keyWord": code, "maxNum": 10}) or []
    matches = [i for i in items if isinstance(i, dict) and str(i.get("code")) == code and i.get("orgId")]
    matches.sort(key=lambda i: i.get("category") != "A股")
    return str(matches[0]["orgId"]) if matches else None


def query_reports(http: HttpClient, code: str, org_id: str, kinds=("annual", "semiannual"), page_size: int = 30) -> list[dict]:
    """Report announcements for one stock code (e.g. 688256), newest first, across result pages."""
    found: list[dict] = []
    category = ";".join(CATEGORIES[k] for k in kinds) + ";"
    page = 1
    while True:
        payload = http.get_json(QUERY_PATH, data={
            "stock": f"{code},{org_id}", "tabName": "fulltext", "pageSize": page_size, "pageNum": page,
            "category": category, "isHLtitle": "true",
        })
        items = payload.get("announcements") or []
        found += [a for a in items if not any(w in a.get("announcementTitle", "") for w in SKIP_WORDS)]
        if not payload.get("hasMore") or not items:
            return found
        page += 1


def report_path(item: dict, symbol: str, landing: Path) -> Path:
    day = datetime.fromtimestamp(item["announcementTime"] / 1000, tz=BEIJING).date().isoformat()
    return landing / "mdna" / f"{symbol}_{day}.pdf"


def download_report(http: HttpClient, static: HttpClient, item: dict, symbol: str, landing: Path) -> Path:
    data = static.request(item["adjunctUrl"])
    return write_bytes_atomic(data, report_path(item, symbol, landing))
