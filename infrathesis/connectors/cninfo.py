"""Cninfo (巨潮资讯) announcements: query a company's annual and semi-annual reports, download the PDFs
into landing/mdna as <symbol>_<date>.pdf. Abstracts (摘要), English versions and cancelled reports are skipped."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from infrathesis.parquet_io import write_bytes_atomic

from .http import HttpClient

QUERY_PATH = "new/hisAnnouncement/query"
CATEGORIES = {"annual": "category_ndbg_szsh", "semiannual": "category_bndbg_szsh"}
SKIP_WORDS = ("摘要", "英文", "English", "取消", "已取消")


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


def download_report(http: HttpClient, static: HttpClient, item: dict, symbol: str, landing: Path) -> Path:
    day = datetime.fromtimestamp(item["announcementTime"] / 1000, tz=timezone.utc).date().isoformat()
    data = static.request(item["adjunctUrl"])
    path = landing / "mdna" / f"{symbol}_{day}.pdf"
    write_bytes_atomic(data, path)
    return path
