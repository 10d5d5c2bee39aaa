"""Transcript, MD&A and event parsing, and the quarantine reasons, on inputs written here."""

from datetime import date

import pytest

from assets.ingest import parsers
from assets.ingest.landing import ingest_folder
from assets.ingest.model import fiscal_period_end

LATEST = date(2026, 11, 27)

CALL = """---
ticker: 0700.HK
date: 2025-08-13
fiscal_period: Q2 2025
---
Tencent Holdings (TENCENT) Q2 2025 Earnings Call

Corporate Participants:
Ana Pereira - Chief Strategy Officer
Ben Kato - Chief Financial Officer

Conference Call Participants:
Cleo Marsh - Harbor Peak Securities

Operator: Welcome to the call. I will hand over to Ana Pereira.
Ana Pereira: Thank you. Our GPU fleet grew again.
Ben Kato: Total capex for the quarter was RMB 19.1 billion.
Operator: We will now open the line for questions. Our first question comes from Cleo Marsh with Harbor Peak Securities.
Cleo Marsh: Do HBM constraints matter to you?
Ben Kato: We see no impact today.
This line continues the answer.
Dan Roe: A late joiner without a participants entry.
"""


def parse(text, **kw):
    meta, body = parsers.split_front_matter(text)
    return parsers.parse_call_text(body, meta, origin="calls/x.txt", latest=LATEST, **kw)


def test_call_roles_sections_and_period(universe):
    doc = parse(CALL, universe=universe)
    assert doc.ticker == "TENCENT" and doc.event_date == date(2025, 8, 13)
    assert (doc.fiscal_year, doc.fiscal_quarter, doc.period_end) == (2025, 2, date(2025, 6, 30))
    got = [(s.speaker, s.role, s.section) for s in doc.segments]
    assert got == [
        ("Operator", "operator", "prepared"),
        ("Ana Pereira", "management", "prepared"),
        ("Ben Kato", "management", "prepared"),
        ("Operator", "operator", "qa"),
        ("Cleo Marsh", "analyst", "qa"),
        ("Ben Kato", "management", "qa"),
        ("Dan Roe", "unknown", "qa"),
    ]
    assert doc.segments[5].text.endswith("This line continues the answer.")


def test_analyst_introduced_by_operator_only(universe):
    text = CALL.replace("Cleo Marsh - Harbor Peak Securities\n", "")
    doc = parse(text, universe=universe)
    assert {s.speaker: s.role for s in doc.segments}["Cleo Marsh"] == "analyst"


def test_segment_offsets_index_the_document_text(universe):
    doc = parse(CALL, universe=universe).finalize()
    text = doc.text
    for row in doc.segment_rows():
        assert text[row["char_start"]:row["char_start"] + len(row["text"])] == row["text"]


def test_json_call_with_turns(universe):
    raw = '{"ticker": "NVDA", "date": "2024-08-28", "fiscal_period": "Q2 FY2025", "turns": [' \
          '{"speaker": "Operator", "text": "Welcome."}, {"speaker": "Jen", "role": "management", "text": "Blackwell ships."}]}'
    doc = parsers.parse_call_json(raw, universe=universe, origin="calls/n.json", latest=LATEST)
    assert doc.ticker == "NVDA" and [s.role for s in doc.segments] == ["operator", "management"]
    assert doc.period_end == date(2024, 7, 31)  # NVDA's fiscal year ends in January


@pytest.mark.parametrize("symbol,ticker", [("688256.SH", "CAMBRICON"), ("688256.SS", "CAMBRICON"), ("300308.SZ", "INNOLIGHT"),
                                           ("000660.KS", "HYNIX"), ("2330.TW", "TSM"), ("8035.T", "TEL"), ("700.HK", "TENCENT"),
                                           ("msft", "MSFT"), ("ZZZZ", None)])
def test_symbology(universe, symbol, ticker):
    assert universe.resolve(symbol) == ticker


@pytest.mark.parametrize("fy,q,fye,expected", [
    (2026, 1, 6, date(2025, 9, 30)),   # MSFT fiscal Q1 ends in September
    (2026, 4, 1, date(2026, 1, 31)),   # NVDA fiscal year ends in January
    (2025, 3, 5, date(2025, 2, 28)),   # ORCL fiscal Q3 ends in February
    (2025, 4, 12, date(2025, 12, 31)),
])
def test_fiscal_period_end(fy, q, fye, expected):
    assert fiscal_period_end(fy, q, fye) == expected


def test_quarantine_reasons(tmp_path, universe):
    calls = tmp_path / "calls"
    calls.mkdir()
    (calls / "empty.txt").write_bytes(b"")
    (calls / "binary.txt").write_bytes(b"\x00\x01\x02garbage")
    (calls / "unknown.txt").write_text(CALL.replace("0700.HK", "NOPE"), encoding="utf-8")
    (calls / "nodate.txt").write_text(CALL.replace("date: 2025-08-13\n", ""), encoding="utf-8")
    (calls / "future.txt").write_text(CALL.replace("2025-08-13", "2031-01-01"), encoding="utf-8")
    (calls / "good.txt").write_text(CALL, encoding="utf-8")
    (calls / "copy.txt").write_text(CALL, encoding="utf-8")
    (calls / "bad.json").write_text("{not json", encoding="utf-8")
    (calls / "notes.docx").write_bytes(b"PK\x03\x04")
    result = ingest_folder("call", tmp_path, universe, as_of=date(2026, 11, 27))
    reasons = {q["path"]: q["reason"] for q in result.quarantined}
    assert len(result.documents) == 1 and result.files_seen == 9
    assert len(result.documents) + len(result.quarantined) == result.files_seen
    assert reasons["calls/empty.txt"] == "empty file"
    assert reasons["calls/binary.txt"].startswith("undecodable")
    assert reasons["calls/unknown.txt"].startswith("unknown ticker")
    assert reasons["calls/nodate.txt"] == "missing date"
    assert reasons["calls/future.txt"].startswith("implausible date")
    duplicates = [p for p in ("calls/copy.txt", "calls/good.txt") if p in reasons]
    assert len(duplicates) == 1 and reasons[duplicates[0]].startswith("duplicate content of calls/")
    assert reasons["calls/bad.json"].startswith("malformed JSON")
    assert reasons["calls/notes.docx"].startswith("unsupported file type")


def test_gbk_transcript_is_decoded(tmp_path, universe):
    (tmp_path / "mdna").mkdir()
    text = "---\nticker: 688256.SH\ndate: 2025-08-28\nfiscal_period: H1 2025\n---\n公司资本开支为10亿元。\n"
    (tmp_path / "mdna" / "gbk.txt").write_bytes(text.encode("gbk"))
    result = ingest_folder("mdna", tmp_path, universe, as_of=LATEST)
    assert not result.quarantined
    assert result.documents[0].segments[0].text == "公司资本开支为10亿元。"
    assert result.documents[0].period_end == date(2025, 6, 30)


def test_events_rows_fail_alone(tmp_path, universe):
    (tmp_path / "events").mkdir()
    (tmp_path / "events" / "e.csv").write_text(
        "ticker,date,type,title,text\n"
        "300502.SZ,2025-03-01,product,Launch,New 1.6T module\n"
        "NOPE,2025-03-01,product,Launch,x\n"
        "AMEC,,capital,Buyback,y\n", encoding="utf-8")
    result = ingest_folder("event", tmp_path, universe, as_of=LATEST)
    assert [d.ticker for d in result.documents] == ["EOPTOLINK"]
    assert {q["path"] for q in result.quarantined} == {"events/e.csv#3", "events/e.csv#4"}
