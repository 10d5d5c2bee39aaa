"""An HTTP transcript provider: JSON {symbol, year, quarter, date, content}, one `Name: text` line per
turn. The API key comes from the environment and is sent as a query parameter."""

from __future__ import annotations

import os
from pathlib import Path

from infrathesis.parquet_io import write_text_atomic

from .http import ConnectorError, HttpClient

API_KEY_ENV = "INFRATHESIS_TRANSCRIPTS_API_KEY"
URL_ENV = "INFRATHESIS_TRANSCRIPTS_URL"


class NoTranscript(ConnectorError):
    """The provider has no transcript for that period (yet): asked again on the next pull, not an error."""


def client(base_url: str | None = None, **kwargs) -> tuple[HttpClient, str]:
    key = os.environ.get(API_KEY_ENV)
    if not key:
        raise ConnectorError(f"set {API_KEY_ENV} to the transcript provider's API key")
    url = base_url or os.environ.get(URL_ENV)
    if not url:
        raise ConnectorError(f"set {URL_ENV} (or pass a base URL) for the transcript provider")
    return HttpClient(url, secrets=(key,), **kwargs), key


def fetch_transcript(http: HttpClient, key: str, symbol: str, year: int, quarter: int) -> dict:
    payload = http.get_json("transcript", params={"symbol": symbol, "year": year, "quarter": quarter, "apikey": key})
    record = payload[0] if isinstance(payload, list) and payload else payload
    if not isinstance(record, dict) or not record.get("content"):
        raise NoTranscript(f"no transcript for {symbol} {year} Q{quarter}")
    return record


def save_transcript(record: dict, landing: Path) -> Path:
    """Provider JSON -> the landing text format (front matter + `Name: text` lines)."""
    day = str(record["date"])[:10]
    symbol = str(record["symbol"]).upper()
    path = landing / "calls" / f"{symbol}_{day}.txt"
    front = (f"---\nticker: {symbol}\ndate: {day}\nfiscal_period: Q{record['quarter']} {record['year']}\n"
             f"title: {symbol} Q{record['quarter']} {record['year']} earnings call\n---\n")
    write_text_atomic(front + str(record["content"]).strip() + "\n", path)
    return path
