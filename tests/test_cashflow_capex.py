"""China-side filed capex: the consolidated cash-flow statement's capex line read from report PDFs we build
here with reportlab (our own figures), then through ingestion into Parquet."""

import io
from datetime import date

import pyarrow.parquet as pq
import pytest

from assets.ingest.cashflow import extract_figures, figure_rows
from assets.ingest.pdf import pdf_pages

LABEL = "购建固定资产、无形资产和其他长期资产支付的现金"


def statement_pdf(pages: list[list], *, cover: str = "2025年半年度报告") -> bytes:
    """A report PDF: a cover, then pages of paragraphs (str) and table rows (label, current, prior)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, invariant=1)
    all_pages = [["测试科技股份有限公司", cover],
                 ["第三节 管理层讨论与分析", "报告期内，公司持续投入先进封装产线建设。"],
                 ["第四节 公司治理", "本节内容与现金流量无关。"], *pages]
    for number, page in enumerate(all_pages, start=1):
        y = 790
        for row in page:
            pdf.setFont("STSong-Light", 9)
            if isinstance(row, tuple):
                pdf.drawString(50, y, row[0])
                for x, cell in zip((440, 545), row[1:]):
                    pdf.drawRightString(x, y, cell)
            else:
                pdf.drawString(50, y, row)
            y -= 16
        pdf.drawString(280, 30, f"第 {number} 页 共 {len(all_pages)} 页")
        pdf.showPage()
    pdf.save()
    return buf.getvalue()


def head(title="合并现金流量表", unit="单位：元  币种：人民币"):
    return [title, "编制单位：测试科技股份有限公司", unit, ("项目", "2025年半年度", "2024年半年度")]


OTHER = [("收回投资收到的现金", "5,000,000.00", "4,000,000.00"), ("取得投资收益收到的现金", "700,000.00", "600,000.00")]
AFTER = [("投资支付的现金", "9,100,000.00", "8,200,000.00")]


def figures(pdf: bytes):
    found, notes = extract_figures(pdf_pages(pdf))
    return [(f.column_kind, f.value, f.unit, f.statement, f.page, f.figure_page) for f in found], notes


def test_yuan_with_thousands_separators():
    pdf = statement_pdf([head() + OTHER + [(LABEL, "1,234,567,890.12", "987,654,321.05")] + AFTER])
    found, notes = figures(pdf)
    assert found == [("current", 1234567890.12, "元", "consolidated", 4, 4),
                     ("prior", 987654321.05, "元", "consolidated", 4, 4)]
    assert not notes


def test_wan_yuan_in_the_header():
    pdf = statement_pdf([head(unit="单位：人民币万元") + OTHER + [(LABEL, "45,678.90", "32,100.00")] + AFTER])
    raw, _ = extract_figures(pdf_pages(pdf))
    rows = figure_rows(raw, report_period="H1 2025", fy_end_month=12)
    assert [(r["period"], r["period_end"], r["period_months"], r["unit"], r["amount"]) for r in rows] == [
        ("H1 2025", date(2025, 6, 30), 6, "万元", pytest.approx(456_789_000.0)),
        ("H1 2024", date(2024, 6, 30), 6, "万元", pytest.approx(321_000_000.0)),
    ]
    assert rows[0]["evidence"] == f"{LABEL} 45,678.90 32,100.00"


def test_consolidated_not_parent_company():
    parent = head(title="母公司现金流量表") + OTHER + [(LABEL, "11,111.00", "22,222.00")] + AFTER
    consolidated = head() + OTHER + [(LABEL, "3,300,000.00", "2,200,000.00")] + AFTER
    for pages in ([consolidated, parent], [parent, consolidated]):  # whichever comes first in the report
        found, _ = figures(statement_pdf(pages))
        assert [(k, v, s) for k, v, _, s, _, _ in found] == [("current", 3300000.0, "consolidated"),
                                                              ("prior", 2200000.0, "consolidated")]


def test_mdna_analysis_table_is_not_the_statement_and_a_single_statement_is_read():
    mdna_table = ["现金流量表相关科目变动分析表", "单位：元", (LABEL, "4,444.00", "3,333.00")]
    single = head(title="现金流量表") + OTHER + [(LABEL, "6,600,000.00", "5,500,000.00")] + AFTER
    found, _ = figures(statement_pdf([mdna_table, single]))
    assert [(k, v, s) for k, v, _, s, _, _ in found] == [("current", 6600000.0, "single"), ("prior", 5500000.0, "single")]
    consolidated = head() + OTHER + [(LABEL, "7,700,000.00", "6,600,000.00")] + AFTER
    found, _ = figures(statement_pdf([mdna_table, consolidated]))
    assert [(k, v, s) for k, v, _, s, _, _ in found] == [("current", 7700000.0, "consolidated"),
                                                          ("prior", 6600000.0, "consolidated")]


def test_label_at_the_foot_of_a_page_figures_on_the_next():
    first = head(unit="单位：千元  币种：人民币") + OTHER + [(LABEL, "", "")]
    second = ["合并现金流量表（续）", ("项目", "2025年半年度", "2024年半年度"), ("", "8,765.43", "6,543.21")] + AFTER
    found, notes = figures(statement_pdf([first, second]))
    assert found == [("current", 8765.43, "千元", "consolidated", 4, 5), ("prior", 6543.21, "千元", "consolidated", 4, 5)]
    assert not notes


def test_statement_continued_on_the_next_page_unit_from_its_first_page():
    first = head(unit="金额单位：人民币万元") + OTHER
    second = ["合并现金流量表（续）", ("项目", "2025年半年度", "2024年半年度"), (LABEL, "777.00", "555.50")] + AFTER
    parent = head(title="母公司现金流量表", unit="单位：元") + [(LABEL, "1.00", "2.00")]
    found, _ = figures(statement_pdf([first, second, parent]))
    assert found == [("current", 777.0, "万元", "consolidated", 5, 5), ("prior", 555.5, "万元", "consolidated", 5, 5)]


def test_figures_in_parentheses_and_a_note_reference():
    pdf = statement_pdf([head() + OTHER + [(f"{LABEL}  七、31", "(2,468,000.00)", "(1,357,000.00)")] + AFTER])
    raw, _ = extract_figures(pdf_pages(pdf))
    assert [(f.value, f.printed) for f in raw] == [(-2468000.0, "(2,468,000.00)"), (-1357000.0, "(1,357,000.00)")]
    pdf = statement_pdf([head() + OTHER + [(f"{LABEL} 注3", "2,000.00", "1,000.00")] + AFTER])
    assert [f.value for f in extract_figures(pdf_pages(pdf))[0]] == [2000.0, 1000.0]
    rows = figure_rows(raw, report_period="FY2024", fy_end_month=12)
    # the line is cash paid: parentheses mark the outflow, the payment is the same
    assert [(r["period"], r["period_end"], r["amount"]) for r in rows] == [
        ("FY2024", date(2024, 12, 31), 2468000.0), ("FY2023", date(2023, 12, 31), 1357000.0)]


def test_no_statement_or_no_unit_is_a_note_not_a_figure():
    found, notes = figures(statement_pdf([["第五节 财务报告", "本报告未附财务报表。"]]))
    assert found == [] and "no cash-flow statement" in notes[0]
    found, notes = figures(statement_pdf([["合并现金流量表", ("项目", "本期", "上期"), (LABEL, "1,000.00", "900.00")]]))
    assert found == [] and "no unit" in notes[0]


def test_quarterly_report_gives_no_rows():
    pdf = statement_pdf([head() + [(LABEL, "1,000.00", "900.00")]])
    raw, _ = extract_figures(pdf_pages(pdf))
    assert figure_rows(raw, report_period="FY2025 Q1", fy_end_month=12) == []


def test_ingested_report_writes_cashflow_parquet(tmp_path):
    from assets.ingest.store import compact_cashflow, compacted_paths, ingest_source
    from conftest import settings_for

    settings = settings_for(tmp_path / "landing", tmp_path / "out")
    landing = settings.landing / "mdna"
    landing.mkdir(parents=True, exist_ok=True)
    pdf = statement_pdf([head(unit="单位：人民币万元") + OTHER + [(LABEL, "12,345.60", "10,000.00")] + AFTER])
    (landing / "CAMBRICON_2025-08-28.pdf").write_bytes(pdf)
    (landing / "CAMBRICON_copy_2025-08-28.pdf").write_bytes(pdf)  # the same report twice: counted once
    run = ingest_source("mdna", settings, today=date(2026, 3, 31))
    assert run.documents == 1
    assert compact_cashflow(settings) == 2
    rows = pq.read_table(compacted_paths(settings, "mdna")["cashflow"]).to_pylist()
    assert [(r["ticker"], r["period"], r["amount"], r["unit"], r["origin"], r["page"]) for r in rows] == [
        ("CAMBRICON", "H1 2025", pytest.approx(123_456_000.0), "万元", "mdna/CAMBRICON_2025-08-28.pdf", 4),
        ("CAMBRICON", "H1 2024", pytest.approx(100_000_000.0), "万元", "mdna/CAMBRICON_2025-08-28.pdf", 4)]
    assert rows[0]["evidence"] == f"{LABEL} 12,345.60 10,000.00"


def _table(settings, name):
    import csv

    with open(settings.out / "tables" / f"{name}.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _cny_rate(quarter: str) -> float:
    import csv

    from infrathesis.settings import ROOT

    with open(ROOT / "dbt_project" / "seeds" / "fx_rates.csv", encoding="utf-8") as fh:
        return next(float(r["usd_per_unit"]) for r in csv.DictReader(fh) if r["currency"] == "CNY" and r["quarter"] == quarter)


def test_sample_run_shows_china_filed_capex_with_its_basis(sample_run, universe):
    """The sample's report PDFs print the generator's own figures (some in 万元/千元, two statements broken
    across pages); the run reads them into filed_capex and the region comparison, basis `filed`."""
    from infrathesis.sample.build import CASHFLOW_BREAKS, CASHFLOW_UNITS, filed_capex_cny

    settings, outcome = sample_run
    assert outcome.published, outcome.failed_steps
    assert {u for u, _ in CASHFLOW_UNITS.values()} >= {"万元"} and set(CASHFLOW_BREAKS.values()) == {"label", "statement"}
    a_share = [c for c in universe if c.sources == "mdna"]
    filed = {(r["ticker"], r["fiscal_label"]): r for r in _table(settings, "filed_capex") if r["period_months"] in ("6", "12")}
    for company in a_share:
        for period, yuan in filed_capex_cny(company).items():
            row = filed[(company.ticker, period)]
            assert float(row["amount_local_bn"]) == pytest.approx(yuan / 1e9, abs=1e-6), (company.ticker, period)
            assert row["currency"] == "CNY" and row["evidence"].startswith(LABEL)
    # a statement split across pages: the label on one page, its figures on the next
    sugon = filed[("SUGON", "FY2024")]
    assert "page 9" in sugon["derivation"] and sugon["page"] == "8"

    regions = {r["side"]: r for r in _table(settings, "region_comparison")}
    assert {s: r["basis"] for s, r in regions.items()} == {
        "US big five": "stated on the call", "China cloud": "stated on the call", "China A-share": "filed"}
    china = regions["China A-share"]
    assert (china["period"], china["companies_with_figure"], china["partial"]) == ("12 months to 2025-06-30", "11", "False")
    twelve_months = sum(f["FY2024"] + f["H1 2025"] - f["H1 2024"] for f in map(filed_capex_cny, a_share))
    assert float(china["capex_usd_bn"]) == pytest.approx(twelve_months * _cny_rate("2025Q2") / 1e9, abs=0.002)
    assert china["ratio_to_china"] == ""

    for name, basis in (("report.html", "Basis"), ("report.zh.html", "依据")):
        html = (settings.out / name).read_text(encoding="utf-8")
        table = html[html.index('id="region-table"'):]
        table = table[:table.index("</table>")]
        assert basis in table and table.count('class="l region-basis"') == 3
    assert "财报披露" in (settings.out / "report.zh.html").read_text(encoding="utf-8")
