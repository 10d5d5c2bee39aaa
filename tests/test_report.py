"""The report in a real browser (headless Chromium), the three formats agreeing, hostile text escaped, and
the report reading right on awkward data: small amounts, missing values, empty marts, an old corpus."""

import json
import re
import shutil
from html import unescape as html_unescape
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from assets.report.formats import usd_bn, usd_bn_range
from assets.report.render import ReportInput, write_report
from conftest import ARTIFACTS, settings_for
from infrathesis.pipeline import run_pipeline
from infrathesis.warehouse import read_marts

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
    assert page.locator("tr:target td").nth(5).inner_text().startswith(("Capital", "Cash", "Capex", "Total"))
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto((settings.out / "report.html").as_uri())
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
    assert seen == {"console_errors": [], "page_errors": [], "external_requests": [], "dialogs": []}
    assert (ARTIFACTS / "report.png").stat().st_size > 50_000


def test_supply_network_edge_leads_to_its_quote(sample_run, browser):
    """Who supplies whom: the sample plants links between its companies; clicking an edge of the network
    lands on that edge's quote in the evidence, in both editions."""
    settings, outcome = sample_run
    assert outcome.published
    for name in ("report.html", "report.zh.html"):
        page, seen = open_report(browser, settings.out / name)
        network = page.locator("#links-network")
        box = network.bounding_box()
        assert box and box["width"] > 600 and box["height"] > 300
        edges = page.locator("#links-network a.edge-link")
        assert edges.count() >= 20
        assert page.locator("#links-network a.edge-link[data-relation=partner]").count() >= 1
        assert page.locator("#links-network a.edge-link[data-relation=competes]").count() >= 1
        edge = page.locator("#links-network a.edge-link[data-relation=supplies]").first
        href = edge.get_attribute("href")
        edge.locator("circle.edge-handle").click()
        assert page.evaluate("location.hash") == href
        target = page.locator("tr:target")
        assert target.count() == 1 and target.is_visible()
        assert len(target.locator("blockquote").inner_text()) > 20
        assert seen == {"console_errors": [], "page_errors": [], "external_requests": [], "dialogs": []}


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
    html_capex = {(r[0], q): v.split(" (")[0] for r in html_rows[1:] for q, v in zip(quarters, r[1:]) if v != "—"}
    md_capex = {(r[0], r[1].split(" (")[0]): r[2] for r in _md_table(md, "## Quarterly capex")[1:]}
    sheet = list(book["quarterly_capex"].iter_rows(values_only=True))
    cols = sheet[0]
    xlsx_capex = {(r[cols.index("ticker")], r[cols.index("calendar_quarter")]): usd_bn(r[cols.index('capex_usd_bn')]) for r in sheet[1:]}
    assert html_capex == md_capex == xlsx_capex
    assert len(html_capex) >= 25

    # the matrix, management scope: HTML table, Markdown table, workbook shares
    # column 3: share of the layer's documents with no attributable management, beside the topic cells
    html_matrix = {(r[0], r[1], i): v for r in parser.tables["matrix-management"][1:] for i, v in enumerate(r[4:])}
    md_rows = _md_table(md, "### Management only")
    md_matrix = {(r[0], r[1], i): v for r in md_rows[1:] for i, v in enumerate(r[4:])}
    html_none = {(r[0], r[1]): r[3] for r in parser.tables["matrix-management"][1:]}
    md_none = {(r[0], r[1]): r[3] for r in md_rows[1:]}
    assert parser.tables["matrix-management"][0][3] == md_rows[0][3] == "No attributable management"
    assert html_none == md_none and set(html_none.values()) - {"—"}
    sheet = list(book["layer_topic_matrix"].iter_rows(values_only=True))
    cols = sheet[0]
    from assets.tagging.lexicon import TOPICS

    xlsx_matrix = {(r[cols.index("layer")], r[cols.index("source_type")], TOPICS.index(r[cols.index("topic")])):
                   f"{round(r[cols.index('share_management')] * 100)}%" if r[cols.index("documents")] else "—"
                   for r in sheet[1:]}
    assert html_matrix == md_matrix == xlsx_matrix
    xlsx_none = {(r[cols.index("layer")], r[cols.index("source_type")]):
                 f"{round(r[cols.index('share_no_management')] * 100)}%" if r[cols.index("documents")] else "—"
                 for r in sheet[1:]}
    assert html_none == xlsx_none


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


def test_money_keeps_its_significant_digits():
    """One rule for every amount in USD bn: one decimal from 1 bn up, millions with up to three
    significant digits below, an em dash when absent."""
    assert usd_bn(37.5) == "37.5"
    assert usd_bn(0.007) == "$7M"  # a smaller company's quarter, not "0.0"
    assert usd_bn(0.31) == "$310M"
    assert usd_bn(0.00725) == "$7.25M"
    assert usd_bn(0.9996) == "1.0"  # rounds up into billions, not "$1000M"
    assert usd_bn(None) == usd_bn(float("nan")) == usd_bn(pd.NA) == "—"
    assert usd_bn_range(0.06, 0.08) == "$60–80M"  # not "0.1-0.1"
    assert usd_bn_range(75, 85) == "75.0–85.0"
    assert usd_bn_range(0.8, 1.2) == "$800M–$1.2bn"
    assert usd_bn_range(125, 125) == "125.0"
    assert usd_bn_range(52.288, None) == "≥ 52.3"
    assert usd_bn_range(None, float("nan")) == "—"


class _VisibleText(HTMLParser):
    """What a reader can see or hover: text outside <style>, and title attributes."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], False

    def handle_starttag(self, tag, attrs):
        self._skip = tag == "style"
        self.parts += [v for k, v in attrs if k == "title" and v]

    def handle_endtag(self, tag):
        self._skip = False

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def _visible(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


NOT_A_VALUE = re.compile(r"\b(nan|NaN|None|NaT|<NA>)\b")
KEYS = {"ticker", "layer", "source_type", "topic", "calendar_quarter", "period", "period_kind", "layer_group",
        "used_in", "used_for", "evidence_id", "doc_id", "side", "guided_period"}


def _render(tmp_path, settings, marts, sources=None, corpus=None, as_of="2026-03-31", window_months=22):
    data = ReportInput(marts=marts, corpus=corpus or {"documents_by_source": {}, "quarantined": []}, as_of=as_of,
                       window_months=window_months, is_sample=False, checks=[], claims=[], sources=sources)
    write_report(data, tmp_path, settings.report_templates)
    return (tmp_path / "report.html").read_text(encoding="utf-8"), (tmp_path / "report.md").read_text(encoding="utf-8")


def test_missing_values_and_small_amounts_read_right(sample_run, tmp_path):
    """Marts with holes (NaN, None) in every value column, a $7 million quarter and a $60-80 million
    guidance: the page shows em dashes and millions, never "nan", "None" or "0.0"."""
    settings, _ = sample_run
    marts = read_marts(settings.warehouse)
    for name, df in marts.items():
        df = df.astype(object)
        for column in df.columns.difference(sorted(KEYS)):
            df.loc[df.index[:2], column] = None if column.endswith(("_date", "label", "sentence")) else float("nan")
        marts[name] = df
    capex, guidance = marts["quarterly_capex"], marts["capex_guidance"]
    small = {**capex.iloc[-1].to_dict(), "ticker": "SMALLCO", "calendar_quarter": "2025Q4", "fiscal_label": "FY2026 Q2",
             "capex_usd_bn": 0.007, "sentence": "Capital expenditures were $7 million in the quarter."}
    marts["quarterly_capex"] = pd.concat([capex, pd.DataFrame([small])], ignore_index=True)
    guide = {**guidance.iloc[-1].to_dict(), "ticker": "SMALLCO", "guided_period": "FY2026", "low_usd_bn": 0.06,
             "high_usd_bn": 0.08, "as_of_date": "2026-01-20"}
    marts["capex_guidance"] = pd.concat([guidance, pd.DataFrame([guide])], ignore_index=True)
    html, md = _render(tmp_path, settings, marts)
    text = _visible(html)
    assert not NOT_A_VALUE.search(text), NOT_A_VALUE.search(text)
    assert not NOT_A_VALUE.search(md), NOT_A_VALUE.search(md)
    assert "—" in text and "—" in md
    for page in (text, md):
        assert "$7M" in page and "$60–80M" in page
        assert "2025Q4 (FY2026 Q2)" in page
    assert re.search(r"\| SMALLCO \| 2025Q4 \(FY2026 Q2\) \| \$7M \|", md)
    book = openpyxl.load_workbook(tmp_path / "report.xlsx")
    sheet = book["quarterly_capex"]
    column = [c.value for c in sheet[1]].index("capex_usd_bn") + 1
    small_cell = next(row[column - 1] for row in sheet.iter_rows(min_row=2) if row[0].value == "SMALLCO")
    assert small_cell.value == 0.007 and small_cell.number_format == "[>=1]0.0;0.0####"


def test_empty_marts_say_there_is_no_data(sample_run, tmp_path):
    """Zero-row marts: every chart and table gives way to a sentence, with no empty SVG frame."""
    settings, _ = sample_run
    marts = {name: df.iloc[0:0] for name, df in read_marts(settings.warehouse).items()}
    html, md = _render(tmp_path, settings, marts)
    text = _visible(html)
    assert "<svg" not in html and "<table" not in html
    assert not NOT_A_VALUE.search(text) and not NOT_A_VALUE.search(md)
    assert "Implied capex floor (USD bn)" in text and "Implied capex floor (USD bn)" in md
    for sentence in ("No layer rows in the matrix", "No quarterly capex statements", "No quarterly capex figures",
                     "No forward capex guidance", "No regional capex comparison", "No topic mentions in the window",
                     "No disclosure events", "No quotes are used as evidence"):
        assert sentence in text, sentence
    for sentence in ("No layer rows in the matrix", "No quarterly capex figures", "No forward capex guidance",
                     "No per-company capex floor", "No documents in the HBM timeline windows",
                     "No topic mentions in the window", "No disclosure events", "No quotes are used as evidence"):
        assert sentence in md, sentence
    assert "\n|" not in md  # no header-only table either

    # layers listed but no document in the window: no shares to draw, em dashes rather than 0%
    full = read_marts(settings.warehouse)
    marts["layer_topic_matrix"] = full["layer_topic_matrix"].assign(documents=0, share_management=0.0, share_any=0.0)
    html, md = _render(tmp_path, settings, marts)
    assert "there is no matrix to draw" in _visible(html) and 'class="chart heatmap"' not in html
    parser = _Tables()
    parser.feed(html)
    assert {v for r in parser.tables["matrix-management"][1:] for v in r[3:]} == {"—"}
    assert "0%" not in md.split("## Quarterly capex")[0]


def test_capex_table_names_every_fiscal_quarter(sample_run):
    settings, _ = sample_run
    parser = _Tables()
    parser.feed((settings.out / "report.html").read_text(encoding="utf-8"))
    cells = [v for r in parser.tables["capex-table"][1:] for v in r[1:] if v != "—"]
    assert cells and all(re.fullmatch(r"\S+ \((FY\d{4} Q[1-4]|H[12] \d{4}|FY\d{4})\)", v) for v in cells), cells
    md = (settings.out / "report.md").read_text(encoding="utf-8")
    quarters = [r[1] for r in _md_table(md, "## Quarterly capex")[1:]]
    assert len(quarters) == len(cells)
    assert all(re.fullmatch(r"\d{4}Q[1-4] \(\S.*\)", q) and "(—)" not in q for q in quarters), quarters


def test_report_counts_the_documents_the_window_leaves_out(sample_run, tmp_path):
    """As-of 2026-03-31 with a 22-month window starts after 2024-05-31 (exclusive, as dbt's in_window):
    two old calls, one on the start date and one after the as-of date are out; events and translations
    are never counted in the matrices, so they are in neither number."""
    settings, _ = sample_run
    docs = pd.DataFrame([
        ("call", "2023-02-01", None), ("call", "2024-05-01", None), ("call", "2024-05-31", None),
        ("call", "2024-06-01", None), ("mdna", "2025-08-28", None), ("call", "2026-03-31", None),
        ("call", "2026-04-15", None), ("event", "2020-01-01", None), ("call", "2023-02-01", "calls/X.txt"),
    ], columns=["source_type", "event_date", "translation_of"])
    docs["event_date"] = pd.to_datetime(docs["event_date"]).dt.date
    html, md = _render(tmp_path, settings, read_marts(settings.warehouse), sources=docs)
    sentence = ("4 of 7 call and MD&A documents fall outside the 22-month window ending 2026-03-31 and are not "
                "counted in the matrices (3 dated on or before 2024-05-31, 1 after 2026-03-31).")
    assert sentence in md.split("### Management only")[0]
    assert sentence in _visible(html.split('id="matrix-management"')[0])
    inside = docs[docs["event_date"].between(pd.Timestamp("2024-06-01").date(), pd.Timestamp("2026-03-31").date())]
    html, md = _render(tmp_path, settings, read_marts(settings.warehouse), sources=inside.iloc[:3])
    assert "All 3 call and MD&A documents fall inside the 22-month window ending 2026-03-31." in md


# --- the Chinese edition -------------------------------------------------------------------------

CJK_PROBE = "产业链原始资料资本开支"
GLYPH_PROBE_JS = """([chars, font]) => {
  // draws each character alone and returns its bitmap: a missing glyph renders as the same .notdef box
  // (tofu) for every character, a real font gives each character its own shape
  const c = document.createElement('canvas'); c.width = 64; c.height = 64;
  const g = c.getContext('2d');
  const shot = (ch) => { g.clearRect(0, 0, 64, 64); g.fillStyle = '#000'; g.font = font; g.textBaseline = 'top';
                         g.fillText(ch, 4, 4); return Array.from(g.getImageData(0, 0, 64, 64).data).join(','); };
  const width = (ch) => { g.font = font; return g.measureText(ch).width; };
  return {shapes: chars.map(shot), widths: chars.map(width), tofu: shot('\\u{10FFFD}'), latin: width('M')};
}"""


def test_chinese_edition_in_chromium(sample_run, browser):
    """Both editions: lang set, the link to the other edition works, a cell click shows its quote, no
    console error and no request off the machine; the Chinese page draws Chinese glyphs, not boxes."""
    settings, outcome = sample_run
    assert outcome.published
    for name, lang, other in (("report.html", "en", "report.zh.html"), ("report.zh.html", "zh-CN", "report.html")):
        page, seen = open_report(browser, settings.out / name)
        assert page.locator("html").get_attribute("lang") == lang
        link = page.locator("#heatmap-management a.cell-link").first
        href = link.get_attribute("href")
        link.click()
        assert page.evaluate("location.hash") == href
        target = page.locator("tr:target")
        assert target.count() == 1 and target.is_visible() and len(target.locator("blockquote").inner_text()) > 10
        assert page.locator("#changes").is_visible()
        page.locator("#lang-link").click()
        page.wait_for_load_state()
        assert page.url.endswith("/" + other)
        assert page.locator("html").get_attribute("lang") == ("zh-CN" if lang == "en" else "en")
        assert seen == {"console_errors": [], "page_errors": [], "external_requests": [], "dialogs": []}, name

    page, seen = open_report(browser, settings.out / "report.zh.html")
    assert CJK_PROBE[:3] in page.locator("h1").inner_text()
    font = page.evaluate("(() => { const s = getComputedStyle(document.querySelector('h1')); "
                         "return s.fontWeight + ' ' + s.fontSize + ' ' + s.fontFamily; })()")
    probe = page.evaluate(GLYPH_PROBE_JS, [list(dict.fromkeys(CJK_PROBE)), font])
    shapes = probe["shapes"]
    assert len(set(shapes)) == len(shapes), "Chinese characters render as identical boxes (no CJK font)"
    assert probe["tofu"] not in shapes, "a Chinese character renders as the .notdef box"
    assert all(w >= probe["latin"] * 0.9 for w in probe["widths"]), probe["widths"]  # full-width glyphs
    # the screenshot: the heading as rendered differs from the same heading drawn with missing glyphs
    ARTIFACTS.mkdir(exist_ok=True)
    heading = page.locator("h1")
    real = heading.screenshot()
    page.evaluate("t => { const h = document.querySelector('h1'); h.dataset.text = h.textContent; h.textContent = t; }",
                  "\U0010FFFD" * len(heading.inner_text()))
    boxes = heading.screenshot()
    page.evaluate("() => { const h = document.querySelector('h1'); h.textContent = h.dataset.text; }")
    assert real != boxes
    page.screenshot(path=str(ARTIFACTS / "report.zh.png"), full_page=True)
    assert (ARTIFACTS / "report.zh.png").stat().st_size > 50_000
    assert seen["console_errors"] == [] and seen["external_requests"] == []


def _ui_fragments(strings) -> set[str]:
    """The English UI text of strings/en.yml, cut at placeholders: what the English template prints."""
    skip = {"html_lang", "other_lang_link", "values", "sheets", "columns", "patterns"}
    leaves = []
    for key, value in strings.items():
        if key in skip:
            continue
        leaves += list(value.values()) if isinstance(value, dict) else [value]
    fragments = set()
    for leaf in leaves:
        for part in re.split(r"\{[^}]*\}", str(leaf)):
            part = part.strip(" .,:;()–-%x")
            if re.search(r"[A-Za-z]{2,}", part):
                fragments.add(part)
    return fragments


class _TextOutsideQuotes(_VisibleText):
    """Visible text without the verbatim quotes (<blockquote>)."""

    def __init__(self):
        super().__init__()
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        if tag == "blockquote":
            self._depth += 1
        super().handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "blockquote":
            self._depth -= 1
        super().handle_endtag(tag)

    def handle_data(self, data):
        if not self._depth:
            super().handle_data(data)


def _data_text(settings, outcome) -> str:
    """Every piece of text the report takes from data (marts, documents, claims, checks, corpus)."""
    from assets.report.corpus import sources_frame

    parts = [json.dumps(outcome.summary, ensure_ascii=False, default=str)]
    for df in [*read_marts(settings.warehouse).values(), sources_frame(settings)]:
        parts += [str(v) for v in df.astype(str).to_numpy().ravel()]
    return "\n".join(parts)


def test_chinese_edition_keeps_no_english_ui_text(sample_run):
    """No English UI string of the English template survives in the Chinese edition; what English
    remains is data (quotes, tickers, file names, claim texts, fiscal labels) or a unit."""
    from assets.report.i18n import load_strings

    settings, outcome = sample_run
    data = _data_text(settings, outcome)
    en_html = (settings.out / "report.html").read_text(encoding="utf-8")
    for name in ("report.zh.html", "report.zh.md"):
        page = (settings.out / name).read_text(encoding="utf-8")
        if name.endswith(".html"):
            parser = _TextOutsideQuotes()
            parser.feed(page)
            shown = " ".join(parser.parts)
        else:  # Markdown: table cells and lines, the quotes' cells included (they are data)
            shown = html_unescape(page)  # the Markdown escapes <, > and & of data
        leftovers = [f for f in _ui_fragments(load_strings("en")) if f in shown and f not in data]
        assert not leftovers, (name, leftovers)
        # and word by word: every English word on the page is data, a unit or the English link
        words = set(re.findall(r"[A-Za-z][A-Za-z&]{2,}", shown)) - {"English", "USD", "infrathesis"}
        foreign = sorted(w for w in words if w not in data)
        assert not foreign, (name, foreign)
    # the English edition does print those strings, so the test has teeth
    assert "Cross-layer keyword matrix" in en_html and "What changed" in en_html
    zh = (settings.out / "report.zh.html").read_text(encoding="utf-8")
    assert "亿美元" in zh and "年" in zh and "微软" in zh and "高带宽存储" in zh
