"""Landing formats that need more than a parser call: speech-to-text calls, report PDFs, quarantine of
every kind of bad file, incremental re-ingest, and N mixed files accounted for end to end."""

import io
import json
import shutil
from datetime import date


from assets.ingest import landing as landing_mod
from assets.ingest.landing import ingest_folder
from assets.ingest.pdf import is_toc_page, mdna_section, paragraphs, pdf_pages
from assets.ingest.store import ingest_source
from conftest import SAMPLE, settings_for
from infrathesis.pipeline import run_pipeline

TODAY = date(2026, 11, 27)

STT = ("thank you for standing by and welcome to the quarterly call. our revenue grew and capital expenditures were "
       "$2.1 billion this quarter. we will now open the line for questions. our first question comes from a caller. "
       "how are GPU lead times trending? they have improved since the spring.")


def test_speech_to_text_transcript_without_speakers(tmp_path, universe):
    (tmp_path / "calls").mkdir()
    (tmp_path / "calls" / "VRT_2025-10-22.txt").write_text(STT, encoding="utf-8")
    [doc] = ingest_folder("call", tmp_path, universe, as_of=TODAY).documents
    assert (doc.ticker, doc.event_date) == ("VRT", date(2025, 10, 22))
    sections = [(s.section, s.role) for s in doc.segments]
    assert sections[0] == ("prepared", "management") and sections[1] == ("qa", "operator")
    assert doc.segments[0].text.endswith("capital expenditures were $2.1 billion this quarter.")  # one turn
    assert ("qa", "operator") in sections and ("qa", "analyst") in sections
    assert doc.segments[-2].text == "how are GPU lead times trending?"


def report_pdf(chapters: list[tuple[str, list[str]]], *, toc: bool = True, password: str | None = None) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, invariant=1, encrypt=password)
    pages = [["测试公司", "2025年半年度报告"]]
    if toc:
        pages.append(["目录"] + [f"{title} .......... {n + 3}" for n, (title, _) in enumerate(chapters)])
    pages += [[title, *body] for title, body in chapters]
    for page in pages:
        pdf.setFont("STSong-Light", 11)
        y = 790
        for para in page:
            for k in range(0, len(para), 30):
                pdf.drawString(50, y, para[k:k + 30])
                y -= 18
        pdf.drawString(280, 30, "5 / 40")
        pdf.showPage()
    pdf.save()
    return buf.getvalue()


CHAPTERS = [
    ("第二节 公司简介和主要财务指标", ["公司简介内容，不属于管理层讨论。"]),
    ("第三节 管理层讨论与分析", ["一、报告期内公司所处行业情况",
                          "报告期内，公司液冷服务器出货量大幅增长，高端产品供不应求，产线持续满载运行，资本开支为3.2亿元。",
                          "二、主要业务", "公司持续推进国产替代。"]),
    ("第四节 公司治理", ["公司治理章节的内容不应出现在管理层讨论中。"]),
]


def test_mdna_chapter_from_a_report_pdf_with_contents_page():
    pages = pdf_pages(report_pdf(CHAPTERS))
    assert is_toc_page(pages[1]) and not is_toc_page(pages[3])
    text = paragraphs(mdna_section(pages))
    assert text[0] == "第三节 管理层讨论与分析"
    assert "报告期内，公司液冷服务器出货量大幅增长，高端产品供不应求，产线持续满载运行，资本开支为3.2亿元。" in text
    assert not any("公司治理章节" in p or "公司简介内容" in p or "5 / 40" in p for p in text)


def test_mdna_pdf_lands_as_a_document(tmp_path, universe):
    (tmp_path / "mdna").mkdir()
    (tmp_path / "mdna" / "688256.SH_2025-08-28.pdf").write_bytes(report_pdf(CHAPTERS))
    [doc] = ingest_folder("mdna", tmp_path, universe, as_of=TODAY).documents
    assert (doc.ticker, doc.fiscal_year, doc.fiscal_quarter, doc.period_end) == ("CAMBRICON", 2025, 2, date(2025, 6, 30))
    assert doc.language == "zh" and doc.title.startswith("测试公司")


def test_every_quarantine_reason(tmp_path, universe, monkeypatch):
    calls, mdna, events = (tmp_path / d for d in ("calls", "mdna", "events"))
    for d in (calls, mdna, events):
        d.mkdir()
    good = (SAMPLE / "calls" / "MSFT_2025-07-30.txt").read_text(encoding="utf-8")
    (calls / "empty.txt").write_bytes(b"   \n")
    (calls / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (calls / "unknown.txt").write_text(good.replace("ticker: MSFT", "ticker: ZZZZ"), encoding="utf-8")
    (calls / "nodate.txt").write_text(good.replace("date: 2025-07-30\n", ""), encoding="utf-8")
    (calls / "future.txt").write_text(good.replace("date: 2025-07-30", "date: 2099-01-01"), encoding="utf-8")
    (calls / "a.txt").write_text(good, encoding="utf-8")
    (calls / "b_copy.txt").write_text(good, encoding="utf-8")
    (calls / "big.txt").write_text(good, encoding="utf-8")
    (mdna / "688256.SH_2025-08-28.pdf").write_bytes(b"%PDF-1.4\n% truncated")
    (mdna / "300308.SZ_2025-08-28.pdf").write_bytes(report_pdf([("第四节 公司治理", ["只有治理。"])]))
    (mdna / "300502.SZ_2025-08-28.pdf").write_bytes(report_pdf(CHAPTERS, password="secret"))
    (events / "bad.csv").write_text("ticker;date\nMSFT;2025-01-01\n", encoding="utf-8")
    monkeypatch.setattr(landing_mod, "MAX_BYTES", 200_000)
    (calls / "big.txt").write_text(good + " " * 200_000, encoding="utf-8")
    reasons = {}
    for source in ("call", "mdna", "event"):
        result = ingest_folder(source, tmp_path, universe, as_of=TODAY)
        reasons.update({q["path"]: q["reason"] for q in result.quarantined})
        assert result.files_seen == len(result.documents) + len({q["path"].split("#")[0] for q in result.quarantined})
    expected = {
        "calls/empty.txt": "empty file", "calls/binary.txt": "undecodable", "calls/unknown.txt": "unknown ticker",
        "calls/nodate.txt": "missing date", "calls/future.txt": "implausible date", "calls/b_copy.txt": "duplicate content",
        "calls/big.txt": "oversize", "mdna/688256.SH_2025-08-28.pdf": "unparseable PDF",
        "mdna/300308.SZ_2025-08-28.pdf": "no MD&A section found", "mdna/300502.SZ_2025-08-28.pdf": "encrypted PDF",
        "events/bad.csv": "malformed CSV",
    }
    assert {p: r.split(":")[0].split(" of ")[0].split(" (")[0] for p, r in reasons.items()} == expected


def test_rerun_over_unchanged_landing_reingests_nothing(tmp_path, small_landing):
    settings = settings_for(small_landing, tmp_path / "out")
    first = ingest_source("call", settings)
    again = ingest_source("call", settings)
    assert (first.parsed, again.parsed, again.unchanged) == (8, 0, 8)
    path = small_landing / "calls" / "KC_2025-03-19.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nOperator: Thank you.\n", encoding="utf-8")
    path.with_name("NVDA_2024-08-28.txt").unlink()
    third = ingest_source("call", settings)
    assert (third.parsed, third.unchanged, third.removed, third.documents) == (1, 6, 1, 7)


def test_mixed_good_and_bad_files_are_all_accounted_for(tmp_path, small_landing, isolated_env):
    (small_landing / "calls" / "empty.txt").write_bytes(b"")
    (small_landing / "calls" / "junk.json").write_text("{oops", encoding="utf-8")
    (small_landing / "mdna" / "688256.SH_2025-08-28.pdf").write_bytes(b"not a pdf")
    shutil.copy(small_landing / "calls" / "MSFT_2025-07-30.txt", small_landing / "calls" / "MSFT_copy.txt")
    n_files = sum(1 for p in small_landing.rglob("*") if p.is_file())
    settings = settings_for(small_landing, tmp_path / "out")
    outcome = run_pipeline(settings)
    assert outcome.published, outcome.failed_steps
    summary = json.loads(settings.summary_json.read_text(encoding="utf-8"))
    quarantined = summary["corpus"]["quarantined"]
    assert {q["path"] for q in quarantined} == {"calls/empty.txt", "calls/junk.json", "mdna/688256.SH_2025-08-28.pdf",
                                               "calls/MSFT_copy.txt"}
    checks = [c for c in summary["checks"] if c["name"] == "every_file_accounted"]
    assert sum(c["metadata"]["files"] for c in checks) == n_files
    files_with_docs = n_files - len(quarantined)
    assert files_with_docs == 8 + 2 + 1  # 8 calls, 2 MD&A files, 1 events file (many rows)
    html = (settings.out / "report.html").read_text(encoding="utf-8")
    assert "Quarantined files (4)" in html and "calls/junk.json" in html
