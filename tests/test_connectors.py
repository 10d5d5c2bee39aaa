"""Every HTTP connector against a local server on loopback: shapes like the real services, errors,
retries with backoff, the rate limit, and the API key kept out of logs."""

import json
import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from infrathesis.connectors import cninfo, edgar, transcripts
from infrathesis.connectors.http import ConnectorError, HttpClient


class FakeService:
    """Routes path -> list of (status, body, headers); the last answer repeats. Records every request.
    A route may instead be a function of the request (path, query, form) returning (status, body, headers)."""

    def __init__(self):
        self.routes: dict[str, list] = {}
        self.requests: list[dict] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                url = urlparse(self.path)
                service.requests.append({"path": url.path, "query": parse_qs(url.query), "form": parse_qs(body),
                                         "ua": self.headers.get("User-Agent"), "t": time.monotonic()})
                answers = service.routes.get(url.path) or [(404, b"not found", {})]
                if callable(answers):
                    status, payload, headers = answers(service.requests[-1])
                else:
                    status, payload, headers = answers.pop(0) if len(answers) > 1 else answers[0]
                if status == "hang":
                    time.sleep(1.5)
                    status = 200
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(payload if isinstance(payload, bytes) else json.dumps(payload).encode())

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def service():
    s = FakeService()
    yield s
    s.close()


def test_retries_on_429_and_5xx_then_succeeds(service):
    service.routes["/x"] = [(429, b"slow down", {"Retry-After": "7"}), (503, b"busy", {}), (503, b"busy", {}),
                            (429, b"now", {"Retry-After": "0"}), (200, {"ok": 1}, {})]
    waits = []  # recorded, not slept: the rate limit is set so high that only retries wait
    http = HttpClient(service.url, backoff=0.25, max_per_second=1e9, sleep=waits.append)
    assert http.get_json("x") == {"ok": 1}
    assert len(service.requests) == 5
    # the server's Retry-After, else the backoff doubling per attempt (0.25 * 2**1, 0.25 * 2**2)
    assert waits == [7.0, 0.5, 1.0, 0.0]


def test_no_wait_after_the_last_attempt(service):
    service.routes["/down"] = [(503, b"busy", {})]
    waits = []
    http = HttpClient(service.url, retries=2, backoff=0.1, max_per_second=1e9, sleep=waits.append)
    with pytest.raises(ConnectorError, match="gave up after 3 attempts"):
        http.request("down")
    assert waits == [0.1, 0.2]


def test_gives_up_after_retries_and_does_not_retry_404(service):
    service.routes["/down"] = [(500, b"err", {})]
    http = HttpClient(service.url, retries=2, backoff=0.0)
    with pytest.raises(ConnectorError, match="gave up after 3 attempts"):
        http.request("down")
    assert len(service.requests) == 3
    with pytest.raises(ConnectorError, match="HTTP 404"):
        http.request("missing")
    assert len(service.requests) == 4


def test_timeout_is_retried(service):
    service.routes["/slow"] = [("hang", {"late": True}, {}), (200, {"ok": True}, {})]
    http = HttpClient(service.url, timeout=0.5, backoff=0.0)
    assert http.get_json("slow") == {"ok": True}


def test_rate_limit_is_held(service):
    service.routes["/r"] = [(200, {}, {})]
    http = HttpClient(service.url, max_per_second=10)
    for _ in range(6):
        http.request("r")
    times = [r["t"] for r in service.requests]
    assert times[-1] - times[0] >= 0.5 - 0.02  # 6 requests at <= 10/s span at least 0.5 s


TRANSCRIPT = {"symbol": "MSFT", "year": 2025, "quarter": 4, "date": "2025-07-30 17:30:00",
              "content": "Operator: Welcome.\nAmy Hood: Capital expenditures including finance leases were $24.2 billion this quarter.\n"
                         "Operator: Our first question comes from Keith Weiss with Morgan Stanley.\nKeith Weiss: Thanks. How is GPU supply?"}


def test_transcript_provider_to_landing(service, tmp_path, monkeypatch, caplog, universe):
    service.routes["/transcript"] = [(503, b"", {}), (200, [TRANSCRIPT], {})]
    monkeypatch.setenv("INFRATHESIS_TRANSCRIPTS_API_KEY", "sekret-123")
    caplog.set_level(logging.DEBUG, logger="infrathesis.connectors")
    http, key = transcripts.client(service.url, backoff=0.0)
    record = transcripts.fetch_transcript(http, key, "MSFT", 2025, 4)
    path = transcripts.save_transcript(record, tmp_path)
    assert path.name == "MSFT_2025-07-30.txt"
    assert service.requests[-1]["query"]["apikey"] == ["sekret-123"]
    assert "sekret-123" not in caplog.text and "apikey=***" in caplog.text  # the retry was logged, redacted
    from datetime import date

    from assets.ingest.landing import ingest_folder

    [doc] = ingest_folder("call", tmp_path, universe, as_of=date(2026, 1, 1)).documents
    # no participants list: the prepared-remarks speaker is management, the one introduced an analyst
    assert [s.role for s in doc.segments] == ["operator", "management", "operator", "analyst"]
    assert (doc.fiscal_year, doc.fiscal_quarter) == (2025, 4)


def test_transcript_provider_needs_a_key(monkeypatch):
    monkeypatch.delenv("INFRATHESIS_TRANSCRIPTS_API_KEY", raising=False)
    with pytest.raises(ConnectorError, match="INFRATHESIS_TRANSCRIPTS_API_KEY"):
        transcripts.client("http://127.0.0.1:1")


def test_cninfo_query_pages_and_download(service, tmp_path):
    service.routes["/new/hisAnnouncement/query"] = [
        (200, {"announcements": [
            {"secCode": "688256", "announcementTitle": "寒武纪：2025年半年度报告", "announcementTime": 1756339200000,
             "adjunctUrl": "finalpage/2025-08-28/1.PDF"},
            {"secCode": "688256", "announcementTitle": "寒武纪：2025年半年度报告摘要", "announcementTime": 1756339200000,
             "adjunctUrl": "finalpage/2025-08-28/2.PDF"}], "hasMore": True}, {}),
        (200, {"announcements": [
            {"secCode": "688256", "announcementTitle": "寒武纪：2024年年度报告", "announcementTime": 1745539200000,
             "adjunctUrl": "finalpage/2025-04-25/3.PDF"}], "hasMore": False}, {}),
    ]
    service.routes["/finalpage/2025-08-28/1.PDF"] = [(200, b"%PDF-1.4 fake", {})]
    http = HttpClient(service.url, backoff=0.0)
    items = cninfo.query_reports(http, "688256", "9900000000")
    assert [i["adjunctUrl"] for i in items] == ["finalpage/2025-08-28/1.PDF", "finalpage/2025-04-25/3.PDF"]
    assert service.requests[0]["form"]["category"] == ["category_ndbg_szsh;category_bndbg_szsh;"]
    path = cninfo.download_report(http, http, items[0], "688256.SH", tmp_path)
    assert path.name == "688256.SH_2025-08-28.pdf" and path.read_bytes() == b"%PDF-1.4 fake"


def _fact(start, end, val, form, filed, fy, fp):
    return {"start": start, "end": end, "val": val, "form": form, "filed": filed, "fy": fy, "fp": fp}


FACTS = {"facts": {"us-gaap": {"PaymentsToAcquirePropertyPlantAndEquipment": {"units": {"USD": [
    _fact("2024-07-01", "2024-09-30", 14_900_000_000, "10-Q", "2024-10-30", 2025, "Q1"),
    _fact("2024-07-01", "2024-12-31", 30_700_000_000, "10-Q", "2025-01-29", 2025, "Q2"),
    _fact("2024-07-01", "2025-03-31", 47_300_000_000, "10-Q", "2025-04-30", 2025, "Q3"),
    _fact("2024-07-01", "2025-06-30", 64_600_000_000, "10-K", "2025-07-30", 2025, "FY"),
    _fact("2024-07-01", "2024-09-30", 14_923_000_000, "10-Q", "2025-10-29", 2026, "Q1"),  # restated later: latest filing wins
]}}}}}


def test_edgar_differences_year_to_date_values(service, tmp_path, universe):
    service.routes["/api/xbrl/companyfacts/CIK0000789019.json"] = [(429, b"", {"Retry-After": "0"}), (200, FACTS, {})]
    http = edgar.edgar_client("Research Team research@example.com", service.url, backoff=0.0)
    concept, rows = edgar.quarterly_capex(edgar.company_facts(http, 789019))
    assert concept == "PaymentsToAcquirePropertyPlantAndEquipment"
    assert [(r["period_end"], r["fiscal_quarter"], r["capex"]) for r in rows] == [
        ("2024-09-30", 1, 14_923_000_000), ("2024-12-31", 2, 15_777_000_000), ("2025-03-31", 3, 16_600_000_000),
        ("2025-06-30", 4, 17_300_000_000)]
    assert all(r["ua"] == "Research Team research@example.com" for r in service.requests)
    path = edgar.save_capex("MSFT", concept, rows, tmp_path)
    from datetime import date

    from assets.ingest.landing import ingest_folder

    docs = ingest_folder("filing", tmp_path, universe, as_of=date(2026, 1, 1)).documents
    assert path.name == "MSFT_capex.csv" and len(docs) == 4
    assert docs[0].segments[0].text.startswith("Capital expenditures were USD 14.923 billion in the quarter ended 2024-09-30")


def test_edgar_requires_a_contact_user_agent():
    with pytest.raises(ConnectorError, match="User-Agent"):
        edgar.edgar_client("python-urllib")


def test_edgar_rate_is_capped_at_ten_per_second():
    assert edgar.edgar_client("a b@c.d", "http://127.0.0.1:1", max_per_second=50).max_per_second == 10.0
