"""The report in a real browser (headless Chromium), the three formats agreeing, and hostile text escaped."""

import shutil
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest

from conftest import ARTIFACTS, settings_for
from infrathesis.pipeline import run_pipeline

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed; `make test` installs it (Debian package chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield b
        b.close()


def open_report(browser, path: Path):
    """A page with a record of console errors, page errors and any request that would leave the machine."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    seen = {"console_errors": [], "page_errors": [], "external_requests": [], "dialogs": []}
    page.on("console", lambda m: m.type == "error" and seen["console_errors"].append(m.text))
    page.on("pageerror", lambda e: seen["page_errors"].append(str(e)))
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))

    def route(r):
        if r.request.url.startswith(("file://", "data:", "about:")):
            return r.continue_()
        seen["external_requests"].append(r.request.url)
        return r.abort()

    page.route("**/*", route)
    page.goto(path.as_uri())
    return page, seen


def test_report_in_chromium(sample_run, browser):
    settings, outcome = sample_run
    assert outcome.published
    page, seen = open_report(browser, settings.out / "report.html")
    assert page.locator("#sample-banner").is_visible()
    charts = page.locator("svg.chart")
    assert charts.count() == 4
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        assert box and box["width"] > 200 and box["height"] > 100
    heat = page.locator("#heatmap-management rect[data-topic]")
    assert heat.count() == 17 * 11
    assert page.locator("#capex-chart rect.actual").count() >= 20
    assert page.locator("#capex-chart line.guidance").count() >= 4
    link = page.locator("#heatmap-management a.cell-link").first
    href = link.get_attribute("href")
    link.click()
    assert page.evaluate("location.hash") == href
    target = page.locator("tr:target")
    assert target.count() == 1 and target.is_visible()
    assert len(target.locator("blockquote").inner_text()) > 20
    page.locator("#capex-table a").first.click()
    assert page.locator("tr:target td").nth(6).inner_text().startswith(("Capital", "Cash", "Capex", "Total"))
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto((settings.out / "report.html").as_uri())
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
    assert seen == {"console_errors": [], "page_errors": [], "external_requests": [], "dialogs": []}
    assert (ARTIFACTS / "report.png").stat().st_size > 50_000


class _Tables(HTMLParser):
    """Rows of every <table> with an id, as lists of cell texts."""

    def __init__(self):
        super().__init__()
        self.tables, self._id, self._row, self._cell = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._id = attrs.get("id")
        elif tag == "tr" and self._id:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(self._cell.strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables.setdefault(self._id, []).append(self._row)
            self._row = None
        elif tag == "table":
            self._id = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def _md_table(md: str, heading: str) -> list[list[str]]:
    lines = md.split(heading, 1)[1].splitlines()
    block = []
    for l in lines:
        if l.startswith("|"):
            block.append([c.strip() for c in l.strip().strip("|").split(" | ")])
        elif block and not l.strip():
            if len(block) > 2:
                break
            block = []
    return [r for r in block if not set("".join(r)) <= set("-:| ")]


def test_html_markdown_and_workbook_agree(sample_run):
    settings, _ = sample_run
    parser = _Tables()
    parser.feed((settings.out / "report.html").read_text(encoding="utf-8"))
    md = (settings.out / "report.md").read_text(encoding="utf-8")
    book = openpyxl.load_workbook(settings.out / "report.xlsx", read_only=True)
    assert "Sources" in book.sheetnames

    # quarterly capex: the pivot in HTML, the detail table in Markdown, the sheet in the workbook
    html_rows = parser.tables["capex-table"]
    quarters = html_rows[0][1:]
    html_capex = {(r[0], q): v for r in html_rows[1:] for q, v in zip(quarters, r[1:]) if v}
    md_capex = {(r[0], r[1]): r[3] for r in _md_table(md, "## Quarterly capex")[1:]}
    sheet = list(book["quarterly_capex"].iter_rows(values_only=True))
    cols = sheet[0]
    xlsx_capex = {(r[cols.index("ticker")], r[cols.index("calendar_quarter")]): f"{r[cols.index('capex_usd_bn')]:.1f}" for r in sheet[1:]}
    assert html_capex == md_capex == xlsx_capex
    assert len(html_capex) >= 25

    # the matrix, management scope: HTML table, Markdown table, workbook shares
    html_matrix = {(r[0], r[1], i): v for r in parser.tables["matrix-management"][1:] for i, v in enumerate(r[3:])}
    md_rows = _md_table(md, "### Management only")
    md_matrix = {(r[0], r[1], i): v for r in md_rows[1:] for i, v in enumerate(r[3:])}
    sheet = list(book["layer_topic_matrix"].iter_rows(values_only=True))
    cols = sheet[0]
    from assets.tagging.lexicon import TOPICS

    xlsx_matrix = {(r[cols.index("layer")], r[cols.index("source_type")], TOPICS.index(r[cols.index("topic")])):
                   f"{round(r[cols.index('share_management')] * 100)}%" for r in sheet[1:]}
    assert html_matrix == md_matrix == xlsx_matrix


HOSTILE = """---
ticker: MSFT
date: 2025-10-29
fiscal_period: FY2026 Q1
---
Microsoft (MSFT) FY2026 Q1 Earnings Call
Corporate Participants:
Ada Stone - Chief Financial Officer
Operator: Welcome.
Ada Stone: Capital expenditures were $30.0 billion this quarter <script>document.title='pwned';alert(1)</script> as planned. Our GPU fleet <img src=x onerror="document.title='pwned'"> grew | fast.
"""


def test_markup_in_a_transcript_cannot_change_the_page(tmp_path, browser, isolated_env):
    landing = tmp_path / "landing"
    (landing / "calls").mkdir(parents=True)
    (landing / "calls" / "MSFT_2025-10-29.txt").write_text(HOSTILE, encoding="utf-8")
    settings = settings_for(landing, tmp_path / "out")
    assert run_pipeline(settings).published
    html = (settings.out / "report.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;document.title=" in html
    md = (settings.out / "report.md").read_text(encoding="utf-8")
    assert "<script>" not in md and "<img" not in md and "grew \\| fast" in md
    page, seen = open_report(browser, settings.out / "report.html")
    assert page.title().startswith("infrathesis report")
    assert page.locator("script").count() == 0 and page.locator("img").count() == 0
    assert "<script>document.title" in page.locator("#capex-detail").inner_text()
    assert seen["dialogs"] == [] and seen["external_requests"] == []


def test_report_lists_the_checks_that_ran_with_their_verdicts(sample_run):
    """The Data checks list comes from the run's recorded check evaluations, not from suite names."""
    settings, outcome = sample_run
    md = (settings.out / "report.md").read_text(encoding="utf-8")
    section = md.split("Data checks: ", 1)[1].split("\n## ", 1)[0]
    listed = {line[2:] for line in section.splitlines() if line.startswith("- ")}
    assert section.startswith(f"{len(listed)} of {len(listed)} checks of this run passed.")
    recorded = {f"{'passed' if c['passed'] else 'FAILED'}: {c['name']} on {c['asset']}" for c in outcome.summary["checks"]}
    assert listed and listed == recorded
    assert "passed: gx_claims on claim_verdicts" in listed
    assert any(line.startswith("passed: every_file_accounted on ") for line in listed)
