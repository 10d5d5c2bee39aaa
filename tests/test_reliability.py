"""Hostile input, crashes, concurrent runs and repeated runs: nothing is lost, nothing escapes."""

import hashlib
import io
import json
import re
import os
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from assets.ingest.landing import SOURCE_FOLDERS, landed_files
from assets.ingest.store import ingest_source, live_documents
from conftest import SAMPLE, make_small_landing, settings_for
from infrathesis.settings import ROOT
from test_sources import CHAPTERS, report_pdf

GOOD = (SAMPLE / "calls" / "MSFT_2025-07-30.txt").read_text(encoding="utf-8")


def call_of(name: str) -> str:
    """Another company's own sample call: a call under a ticker must be that company's call (a text that
    never names its company is quarantined as another company's call filed under the wrong name)."""
    return (SAMPLE / "calls" / name).read_text(encoding="utf-8")
GOOD_PDF = (SAMPLE / "mdna" / "CAMBRICON_2025-08-28.pdf").read_bytes()


def hostile_landing(root: Path, outside: Path) -> dict[str, str]:
    """Writes one file per kind of hostile input; returns path -> the kind, for the report of the test."""
    kinds: dict[str, str] = {}

    def put(rel: str, data, kind: str):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        kinds[rel] = kind

    put("calls/empty.txt", b"", "empty file")
    put("calls/junk.txt", os.urandom(4096), "binary junk")
    put("mdna/TRUNC_2025-08-28.pdf", GOOD_PDF[: len(GOOD_PDF) // 2], "truncated PDF")
    put("mdna/300502.SZ_2025-08-28.pdf", report_pdf(CHAPTERS, password="pw"), "encrypted PDF")
    put("mdna/688041.SS_2025-08-28.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF", "malformed PDF")
    turn = "Alex Fairbanks: Capital expenditures were $1.0 billion this quarter and we keep building. " * 40 + "\n"
    put("calls/AMD_2025-08-05.txt", call_of("AMD_2025-08-23.txt") + turn * 15_000, "50 MB transcript")
    put("calls/INTC_2025-07-25.txt", call_of("INTC_2025-08-06.txt") + "Alex Fairbanks: " + "we grew " * 250_000 + "\n",
        "a 2 MB line")
    put("mdna/688012.SS_2025-08-28.txt", "---\nticker: 688012.SS\ndate: 2025-08-28\nfiscal_period: H1 2025\n---\n"
        .encode() + "公司刻蚀设备收入增长，国产替代持续推进。".encode("gbk"), "GBK encoding")
    put("mdna/002371.SZ_2025-08-28.txt", "---\nticker: 002371.SZ\ndate: 2025-08-28\n---\n".encode() + "国产化".encode("gbk")
        + " and then UTF-8 — ".encode() + "液冷".encode("utf-8"), "mixed encodings")
    put("calls/META_2025-07-30.txt", "\ufeff" + call_of("META_2025-07-30.txt"), "UTF-8 BOM")
    put("calls/unknown.txt", GOOD.replace("ticker: MSFT", "ticker: ZZZZ"), "unknown ticker")
    put("calls/nodate.txt", GOOD.replace("date: 2025-07-30\n", ""), "missing date")
    put("calls/future.txt", GOOD.replace("date: 2025-07-30", "date: 2099-12-31"), "future date")
    put("calls/MSFT_2025-07-30.txt", GOOD, "original")
    put("calls/MSFT_same_content.txt", GOOD, "same content under two names")
    put("calls/odd name  (final) 数据.txt", call_of("GOOGL_2025-07-23.txt"), "odd characters in the file name")
    put("calls/ORCL_2025-09-09.txt", call_of("ORCL_2025-09-09.txt").replace("Operator:",
        "Operator: <script>alert('x')</script>", 1), "markup and script in text")
    put("calls/sql.txt", GOOD.replace("ticker: MSFT", "ticker: MSFT'; DROP TABLE documents; --"), "SQL-like ticker")
    put("calls/bad.json", '{"ticker": "MSFT", "date": "2025-07-30", "turns": [', "malformed JSON")
    put("calls/types.json", '{"ticker": ["MSFT"], "date": 20250730, "text": 5}', "JSON with wrong types")
    put("events/bad.csv", "ticker;date;type\nMSFT;2025-01-01;product\n", "malformed CSV")
    put("events/rows.csv", "ticker,date,type,title,text\nMSFT,2025-01-01,product,Launch,ok\nNOPE,2025-01-01,x,y,z\n"
        "MSFT,not-a-date,product,a,b\n", "CSV with bad rows")
    put("calls/NVDA_2025-05-28.txt", "... --- !!! 123 456 ???", "text with no sentences")
    put("calls/notes.docx", b"PK\x03\x04 not a transcript", "unsupported file type")
    put("mdna/IMAGE_2025-08-28.pdf", _image_only_pdf(), "PDF without a text layer")
    put("calls/nul.txt", GOOD.encode() + b"\x00" * 10, "NUL bytes after the header")
    (outside / "secret.txt").write_text("outside the landing folder", encoding="utf-8")
    (root / "calls" / "link.txt").symlink_to(outside / "secret.txt")
    kinds["calls/link.txt"] = "symlink to a file outside the landing folder"
    (root / "calls" / "linkdir").symlink_to(outside, target_is_directory=True)
    kinds["calls/linkdir"] = "symlinked directory"
    return kinds


def _image_only_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, invariant=1)
    pdf.rect(50, 50, 200, 200, fill=1)
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


def test_hostile_inputs_end_processed_or_quarantined(tmp_path):
    landing, outside = tmp_path / "landing", tmp_path / "outside"
    outside.mkdir()
    kinds = hostile_landing(landing, outside)
    assert len(set(kinds.values())) >= 25
    settings = settings_for(landing, tmp_path / "out")
    processed: set[str] = set()
    quarantined: dict[str, str] = {}
    files_in = 0
    for source in ("call", "mdna", "event"):
        files_in += sum(1 for _ in landed_files(landing / SOURCE_FOLDERS[source]))
        run = ingest_source(source, settings, today=date(2026, 11, 27))
        quarantined.update({q["path"].split("#")[0]: q["reason"] for q in run.quarantined})
    processed = {o.split("#")[0] for o in live_documents(settings).column("origin").to_pylist()}
    assert files_in == len(kinds)
    assert processed | set(quarantined) == set(kinds)  # every file is accounted for ...
    assert not processed & {k for k in quarantined if k != "events/rows.csv"}  # ... exactly once
    expect_quarantined = {
        "calls/empty.txt": "empty", "calls/junk.txt": "undecodable", "mdna/TRUNC_2025-08-28.pdf": "unparseable PDF",
        "mdna/300502.SZ_2025-08-28.pdf": "encrypted PDF", "mdna/688041.SS_2025-08-28.pdf": "unparseable PDF",
        "calls/unknown.txt": "unknown ticker", "calls/nodate.txt": "missing date", "calls/future.txt": "implausible date",
        "calls/MSFT_same_content.txt": "duplicate content", "calls/sql.txt": "unknown ticker",
        "calls/bad.json": "malformed JSON", "calls/types.json": "malformed JSON", "events/bad.csv": "malformed CSV",
        "calls/NVDA_2025-05-28.txt": "no speaker turns", "calls/notes.docx": "unsupported file type",
        "mdna/IMAGE_2025-08-28.pdf": "unparseable PDF", "calls/nul.txt": "undecodable",
        "calls/link.txt": "symlink not followed", "calls/linkdir": "symlink not followed",
    }
    for path, reason in expect_quarantined.items():
        assert quarantined.get(path, "").startswith(reason), (path, quarantined.get(path))
    for path in ("calls/AMD_2025-08-05.txt", "calls/INTC_2025-07-25.txt", "mdna/688012.SS_2025-08-28.txt",
                 "calls/META_2025-07-30.txt", "calls/odd name  (final) 数据.txt", "calls/ORCL_2025-09-09.txt"):
        assert path in processed, (path, quarantined.get(path))
    assert "mdna/002371.SZ_2025-08-28.txt" in processed | set(quarantined)
    rows = [q for q in quarantined if q.startswith("events/rows.csv")]
    assert rows and "events/rows.csv" in processed  # good rows kept, bad rows quarantined one by one
    assert not any("outside the landing folder" in t for t in _all_segment_text(settings))


def _all_segment_text(settings):
    import pyarrow.parquet as pq

    for path in (settings.parquet_dir / "shards").rglob("segments.parquet"):
        yield from pq.read_table(path, columns=["text"]).column(0).to_pylist()


def _run_cli(landing: Path, out: Path, extra_env: dict | None = None, new_session: bool = True):
    env = {**os.environ, **(extra_env or {})}
    for key in ("INFRATHESIS_LANDING", "INFRATHESIS_OUT", "INFRATHESIS_AS_OF", "INFRATHESIS_CLAIMS"):
        env.pop(key, None)
    exe = Path(sys.executable).with_name("infrathesis")
    return subprocess.Popen([str(exe), "run", "--landing", str(landing), "--out", str(out), "--as-of", "2026-03-31"],
                            env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=new_session)


def mart_hashes(out: Path) -> dict[str, str]:
    """Content hashes of every mart, rows sorted, so two runs compare on content, not on file bytes."""
    hashes = {}
    for path in sorted((out / "tables").glob("*.csv")):
        lines = path.read_text(encoding="utf-8").splitlines()
        hashes[path.stem] = hashlib.sha256("\n".join([lines[0], *sorted(lines[1:])]).encode()).hexdigest()
    return hashes


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("clean")
    landing = make_small_landing(base / "landing")
    proc = _run_cli(landing, base / "out")
    output, _ = proc.communicate(timeout=600)
    assert proc.returncode == 0, output
    return landing, base / "out", mart_hashes(base / "out")


@pytest.mark.parametrize("stage", ["ingest", "tagging", "dbt", "report"])
def test_killed_run_then_next_run_equals_a_clean_run(clean_run, tmp_path, stage):
    landing, _, clean = clean_run
    out = tmp_path / "out"
    proc = _run_cli(landing, out, {"INFRATHESIS_CRASH_AT": stage})
    proc.communicate(timeout=600)
    assert proc.returncode == -signal.SIGKILL, f"the run was not killed at {stage}"
    proc = _run_cli(landing, out)
    output, _ = proc.communicate(timeout=600)
    assert proc.returncode == 0, output
    assert mart_hashes(out) == clean
    leftovers = [p for p in out.rglob("*.tmp")]
    assert not [p for p in leftovers if p.suffix == ".parquet"]  # temp files are never named *.parquet


def test_two_runs_at_once_finish_without_lock_errors(clean_run, tmp_path):
    landing, _, clean = clean_run
    out = tmp_path / "out"
    first, second = _run_cli(landing, out), _run_cli(landing, out)
    outputs = [p.communicate(timeout=900)[0] for p in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outputs
    assert not any("Could not set lock" in o for o in outputs)
    assert mart_hashes(out) == clean
    doc_ids = live_documents(settings_for(landing, out)).column("doc_id").to_pylist()
    assert len(doc_ids) == len(set(doc_ids))


def _without_changes(report: str) -> str:
    return re.sub(r"## What changed\n.*?(?=\n## )", "", report, flags=re.S)


def test_rerun_is_idempotent(clean_run, tmp_path):
    landing, first_out, clean = clean_run
    proc = _run_cli(landing, first_out)
    output, _ = proc.communicate(timeout=600)
    assert proc.returncode == 0, output
    assert mart_hashes(first_out) == clean
    report = (first_out / "report.md").read_text(encoding="utf-8")
    out2 = tmp_path / "again"
    proc = _run_cli(landing, out2)
    assert proc.communicate(timeout=600)[1] is None and proc.returncode == 0
    # the same report, except "What changed": the rerun compares with the first run (nothing changed), a
    # fresh folder has nothing to compare with
    rerun = report
    assert "0 changes" in re.search(r"## What changed\n(.*?)\n## ", rerun, re.S).group(1)
    fresh = (out2 / "report.md").read_text(encoding="utf-8")
    assert _without_changes(fresh) == _without_changes(rerun)
    summary = json.loads((out2 / "summary.json").read_text())
    assert summary["published"] is True


DRIFTING_CLAIM = """claims:
  - id: msft-q3-drifts
    kind: metric
    statement: A figure that held in the previous run and fails now.
    mart: quarterly_capex
    where: {ticker: MSFT, calendar_quarter: 2025Q3}
    column: capex_usd_bn
    op: "=="
    value: 1.0
    blocking: false
"""


def test_secrets_never_reach_logs_or_outputs(clean_run, tmp_path):
    """The secret is one the run reads: the alert webhook URL (its path is the token, as with chat
    webhooks). A claim that drifts makes the run POST to it; the secret appears nowhere else."""
    import shutil
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    posts = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):
            posts.append((self.path, json.loads(self.rfile.read(int(self.headers["Content-Length"])))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    landing, out = tmp_path / "landing", tmp_path / "out"
    shutil.copytree(clean_run[0], landing)
    (landing / "claims.yml").write_text(DRIFTING_CLAIM, encoding="utf-8")
    out.mkdir()
    (out / "claims.json").write_text(json.dumps({"verdicts": [{"id": "msft-q3-drifts", "status": "verified"}],
                                                 "drift": []}), encoding="utf-8")
    secret = "T0123ABCD-sk-live-0123456789abcdef"
    try:
        proc = _run_cli(landing, out, {"INFRATHESIS_ALERT_WEBHOOK": f"http://127.0.0.1:{server.server_port}/hooks/{secret}"})
        output, _ = proc.communicate(timeout=600)
    finally:
        server.shutdown()
        server.server_close()
    assert proc.returncode == 0, output
    assert [(path, body["text"].split(":")[0]) for path, body in posts] == [(f"/hooks/{secret}", "DRIFT claim msft-q3-drifts")]
    assert secret not in output
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".log", ".json", ".html", ".md", ".csv", ".xlsx", ".yml", ""):
            assert secret.encode() not in path.read_bytes(), path


def test_ingest_command_keeps_files_inside_the_landing_root(tmp_path):
    from infrathesis.cli import main

    src = tmp_path / "weird..name.txt"
    src.write_text(GOOD, encoding="utf-8")
    landing = tmp_path / "landing"
    assert main(["ingest", str(src), "--source", "calls", "--landing", str(landing)]) == 0
    [copied] = list(landing.rglob("*.txt"))
    assert copied.resolve().is_relative_to(landing.resolve())


def test_mart_names_are_never_pasted_into_sql(tmp_path):
    from infrathesis.warehouse import read_mart

    (tmp_path / "w.duckdb").touch()
    with pytest.raises(ValueError, match="not a mart name"):
        read_mart(tmp_path / "w.duckdb", "evidence; drop table evidence")
