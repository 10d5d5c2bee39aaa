"""Catalyst calendar: window resolution on our own sentences (each labelling convention), exclusions,
the mart's overdue logic on a fixture worked out by hand, the GE suite on clean and broken rows, the
report section, and the real-corpus floor (dev split of the hand labels)."""

import csv
import os
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from assets.tagging.catalysts import extract_catalysts
from conftest import settings_for
from infrathesis.settings import Settings

LEXICON = Settings.from_env().lexicon_dir
FIXTURE = Path(__file__).parent / "fixtures" / "catalyst_landing"

# (sentence, call date, fiscal year end month, expected [(kind, window_start, window_end)])
RESOLUTION = {
    "fiscal quarter (MSFT FY2026 Q3 = Jan-Mar 2026)": (
        "We expect to ship the new accelerator in the third quarter.", date(2025, 10, 29), 6,
        [("shipment", "2026-01-01", "2026-03-31")]),
    "calendar quarter said outright": (
        "We expect to ship the new accelerator in the third calendar quarter.", date(2025, 10, 29), 6,
        [("shipment", "2026-07-01", "2026-09-30")]),
    "fiscal quarter with its year": (
        "Volume production of the new controller starts in Q1 of fiscal 2027.", date(2025, 10, 29), 6,
        [("ramp", "2026-07-01", "2026-09-30")]),
    "next quarter = the quarter in progress (MU fiscal Q4 = Jun-Aug 2025)": (
        "We will begin sampling the new stack next quarter.", date(2025, 6, 25), 8,
        [("shipment", "2025-06-01", "2025-08-31")]),
    "the following quarter": (
        "We expect the new line to come online the following quarter.", date(2025, 6, 25), 8,
        [("capacity", "2025-09-01", "2025-11-30")]),
    "second half across a fiscal year (NVDA FY2026 H2 = Aug 2025-Jan 2026)": (
        "We plan to launch the next system in the second half of the year.", date(2025, 8, 27), 1,
        [("launch", "2025-08-01", "2026-01-31")]),
    "second half of MSFT's fiscal year said in January": (
        "Our new region is on track to come online in the second half.", date(2026, 1, 28), 6,
        [("capacity", "2026-01-01", "2026-06-30")]),
    "first half after it ended is next year's": (
        "We will introduce the smaller part in the first half.", date(2024, 8, 5), 12,
        [("launch", "2025-01-01", "2025-06-30")]),
    "early next year, calendar company": (
        "The new switch will be generally available early next year.", date(2025, 8, 5), 12,
        [("launch", "2026-01-01", "2026-03-31")]),
    "early next year, fiscal company (NVDA FY2027 Q1)": (
        "The new switch will be generally available early next year.", date(2025, 8, 27), 1,
        [("launch", "2026-02-01", "2026-04-30")]),
    "by year end = from the call's month": (
        "We expect the second plant to be operational by the end of the year.", date(2025, 5, 6), 12,
        [("capacity", "2025-05-01", "2025-12-31")]),
    "later this year on a fiscal calendar (MSFT FY2026 ends June 2026)": (
        "We will roll out the new service later this year.", date(2025, 10, 29), 6,
        [("launch", "2025-10-01", "2026-06-30")]),
    "month without a year: the next such month": (
        "We will host our analyst day in March.", date(2025, 10, 29), 6,
        [("guidance_event", "2026-03-01", "2026-03-31")]),
    "month of the call's year still ahead": (
        "We will host our analyst day in November.", date(2025, 10, 29), 6,
        [("guidance_event", "2025-11-01", "2025-11-30")]),
    "explicit date": (
        "The new export rules take effect on January 15, 2026.", date(2025, 10, 29), 6,
        [("rule_change", "2026-01-15", "2026-01-15")]),
    "a rule that takes effect": (
        "The new tariffs on imported boards are expected to be imposed in March.", date(2025, 1, 30), 12,
        [("rule_change", "2025-03-01", "2025-03-31")]),
    "delivering a product": (
        "We will deliver the first racks to the new customer in the fourth quarter.", date(2025, 4, 24), 12,
        [("shipment", "2025-10-01", "2025-12-31")]),
    "late and mid explicit years": (
        "We expect the Ohio site to start production in late 2026.", date(2025, 4, 24), 12,
        [("capacity", "2026-10-01", "2026-12-31")]),
    "by an explicit year": (
        "We expect the new fab to be online by 2027.", date(2025, 4, 24), 12,
        [("capacity", "2025-04-01", "2027-12-31")]),
    "Chinese: second half": (
        "新工厂预计将于下半年投产。", date(2025, 8, 13), 12, [("capacity", "2025-07-01", "2025-12-31")]),
    "Chinese: before year end": (
        "新一代产品计划于年底前量产。", date(2025, 8, 13), 12, [("ramp", "2025-08-01", "2025-12-31")]),
    "Chinese: next year": (
        "公司计划明年推出新一代服务器。", date(2025, 8, 13), 12, [("launch", "2026-01-01", "2026-12-31")]),
    "two events, two windows": (
        "We will start sampling in the first quarter and ramp into volume production in the second half of 2026.",
        date(2025, 11, 4), 12,
        [("shipment", "2026-01-01", "2026-03-31"), ("ramp", "2026-07-01", "2026-12-31")]),
}

EXCLUDED = {
    "an outlook figure": ("We expect revenue of $4.2 billion in the second half.", date(2025, 8, 5), 12),
    "a margin outlook": ("Gross margin should improve by about 2% in the fourth quarter.", date(2025, 8, 5), 12),
    "a past event": ("We launched the new switch in the first quarter.", date(2025, 8, 5), 12),
    "a past year": ("The plant came online in 2024.", date(2025, 8, 5), 12),
    "vague timing": ("We will launch more products over the coming months.", date(2025, 8, 5), 12),
    "next few quarters": ("We will ramp the part over the next few quarters.", date(2025, 8, 5), 12),
    "no event": ("We remain focused on execution in the second half.", date(2025, 8, 5), 12),
    "a question": ("Will you ship the new part in the third quarter?", date(2025, 8, 5), 12),
    "the call itself": ("The webcast replay will be available until the fourth quarter.", date(2025, 8, 5), 12),
    "an outlook in words, not digits": (
        "This year we will have over a billion dollars of shipments into the new node.", date(2025, 8, 5), 12),
    "a cost outlook in a percentage range": (
        "We expect fiscal 2026 cost reductions, excluding volume production, in the low single-digit percentage range.",
        date(2025, 9, 25), 8),
    "a market cycle, not a product event": (
        "We remain upbeat about the coming refresh cycle in the market next year.", date(2025, 8, 5), 12),
    "an adjective, not a launch": (
        "We plan higher research spending in 2026 on next-generation device transitions.", date(2025, 8, 5), 12),
    "a figure growing as a part ramps": (
        "It can grow significantly next year as the new node ramps.", date(2025, 8, 5), 12),
    "an event with a past time of its own": (
        "At our investor day earlier this year we set goals for 2028.", date(2025, 7, 30), 12),
    "an event with a vague time of its own": (
        "We will bring in a partner this year to prepare the unit for an IPO in the coming years.", date(2025, 4, 24), 12),
    "an award won at a show this year": (
        "Our new board won two awards at CES 2025.", date(2025, 2, 20), 1),
    "an event word too far from the time to govern it": (
        "The launch of the board is a priority for a team of many engineers who support the company across all "
        "of its regions and product lines and who meet in the fourth quarter.", date(2025, 8, 5), 12),
    "tariffs talked about, not taking effect": (
        "From a tariff point of view, this year may be uneven for the whole industry.", date(2025, 4, 24), 12),
    "delivering something that is not a product": (
        "We have a full roadmap this year to deliver fresh features for our users.", date(2025, 4, 24), 12),
    "an outlook figure in hundreds of millions": (
        "We expect a volume ramp of the module with several hundred million dollars of revenue in the second half.",
        date(2025, 3, 20), 8),
    "an analyst's question run into management's turn": (
        "And you suggested the new board could start shipping in the fourth quarter.", date(2025, 8, 5), 12),
    "an analyst addressing the company": (
        "How are you thinking about the ramp of your new plant next year.", date(2025, 8, 5), 12),
}


def _windows(sentence, said_on, fye):
    return sorted((c.kind, c.window_start.isoformat(), c.window_end.isoformat())
                  for c in extract_catalysts(sentence, said_on, fye, lexicon_dir=LEXICON))


@pytest.mark.parametrize("case", sorted(RESOLUTION))
def test_window_resolution(case):
    sentence, said_on, fye, expected = RESOLUTION[case]
    assert _windows(sentence, said_on, fye) == sorted(expected)


@pytest.mark.parametrize("case", sorted(EXCLUDED))
def test_not_a_catalyst(case):
    assert _windows(*EXCLUDED[case]) == []


def test_topic_comes_from_the_topic_mentions():
    sentence = "We will ramp the new memory stack in the fourth quarter."
    [c] = extract_catalysts(sentence, date(2025, 8, 5), 12, lexicon_dir=LEXICON,
                            topics=[("HBM", sentence.index("memory"))])
    assert c.topic == "HBM" and c.kind == "ramp"


# ---------------------------------------------------------------------------------------------
# the mart, on a fixture worked out by hand (tests/fixtures/catalyst_landing, as of 2025-12-31)

@pytest.fixture(scope="module")
def catalyst_run(tmp_path_factory):
    from infrathesis.pipeline import run_pipeline

    settings = settings_for(FIXTURE, tmp_path_factory.mktemp("catalysts_out"), as_of=date(2025, 12, 31))
    outcome = run_pipeline(settings)
    for key in settings.env():
        os.environ.pop(key, None)
    assert outcome.published, outcome.failed_steps
    with open(settings.out / "tables" / "catalysts.csv", encoding="utf-8") as fh:
        return settings, list(csv.DictReader(fh))


def test_mart_status_overdue_and_next_90_days(catalyst_run):
    _, rows = catalyst_run
    got = sorted((r["said_on"], r["kind"], r["window_start"], r["window_end"], r["status"], r["in_next_90_days"])
                 for r in rows)
    assert got == [
        # Feb call: the launch was mentioned again in May (superseded); the line's March window passed with
        # no later capacity mention (overdue). The analyst's September question is not a catalyst.
        ("2025-02-04", "capacity", "2025-03-01", "2025-03-31", "overdue", "False"),
        ("2025-02-04", "launch", "2025-04-01", "2025-06-30", "superseded", "False"),
        ("2025-05-06", "launch", "2025-07-01", "2025-09-30", "superseded", "False"),
        ("2025-11-04", "launch", "2026-02-01", "2026-02-28", "upcoming", "True"),
        ("2025-11-04", "shipment", "2026-01-01", "2026-06-30", "upcoming", "True"),
    ]
    assert all(r["quote"] and r["origin"].startswith("calls/AMD_") and r["evidence_id"] for r in rows)


def test_report_calendar_links_to_the_quotes(catalyst_run):
    settings, rows = catalyst_run
    html = (settings.out / "report.html").read_text(encoding="utf-8")
    section = html[html.index('id="catalysts"'):html.index('id="reconcile"')]
    overdue = [r for r in rows if r["status"] == "overdue"]
    upcoming = [r for r in rows if r["in_next_90_days"] == "True"]
    for r in overdue + upcoming:
        assert f'href="#ev-{r["evidence_id"]}"' in section
        assert f'id="ev-{r["evidence_id"]}"' in html  # the anchor exists in the evidence table
    assert 'id="catalysts-next"' in section and 'id="catalysts-overdue"' in section
    zh = (settings.out / "report.zh.html").read_text(encoding="utf-8")
    assert "催化事件日历" in zh and "已逾期" in zh
    md = (settings.out / "report.md").read_text(encoding="utf-8")
    assert f"report.html#ev-{overdue[0]['evidence_id']}" in md
    import openpyxl

    assert "catalysts" in openpyxl.load_workbook(settings.out / "report.xlsx", read_only=True).sheetnames


# ---------------------------------------------------------------------------------------------
# the guard: the GE suite on clean and broken rows (the blocking check runs this suite)

def _rows() -> pd.DataFrame:
    row = {"evidence_id": "e1", "ticker": "AMD", "window_start": "2026-01-01", "window_end": "2026-03-31",
           "kind": "launch", "topic": None, "quote": "We plan to introduce the next board in the first quarter.",
           "said_on": "2025-11-04", "status": "upcoming", "doc_id": "d1", "origin": "calls/AMD_2025-11-04.txt"}
    return pd.DataFrame([row])


def _suite(df):
    from expectations.gx_runner import run_suite
    from expectations.suites import SUITES, SuiteContext

    return run_suite("catalysts", df, SUITES["catalysts"](SuiteContext(as_of="2025-12-31", layers=("x",),
                                                                        tickers=("AMD", "NVDA"))))


def test_suite_passes_clean_catalysts():
    assert _suite(_rows()).success


@pytest.mark.parametrize("broken, column", [
    ({"window_end": "2025-12-31"}, "window_end"),          # a window that ends before it starts
    ({"quote": None}, "quote"),                              # a catalyst with no evidence
    ({"origin": None, "doc_id": None}, "origin"),
])
def test_suite_fails_broken_catalysts(broken, column):
    outcome = _suite(_rows().assign(**broken))
    assert not outcome.success
    assert any(column in f.describe() for f in outcome.failures)


def test_blocking_check_on_the_mart():
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    keys = {k.name: k for k in graph.asset_check_keys if k.asset_key.to_user_string() == "catalysts"}
    assert graph.get_check_spec(keys["gx_catalysts"]).blocking
    # and dbt's own tests on the mart: the window order and the evidence link
    assert any(name.startswith("not_before_catalysts_window_end") for name in keys)
    assert any(name.startswith("relationships_catalysts_evidence_id") for name in keys)


# ---------------------------------------------------------------------------------------------
# the sample report in a browser: a calendar item lands on its quote

def test_sample_calendar_item_lands_on_its_quote(sample_run):
    from test_report import CHROMIUM, BROWSER_ARGS, open_report

    settings, outcome = sample_run
    assert outcome.published
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed; `make test` installs it (Debian package chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        for name in ("report.html", "report.zh.html"):
            page, seen = open_report(browser, settings.out / name)
            items = page.locator("#catalysts-next a.catalyst-link")
            assert items.count() >= 3  # the sample plants dated events after each call
            assert page.locator("#catalysts-overdue a.catalyst-link").count() >= 1
            link = items.first
            href = link.get_attribute("href")
            quote = page.locator("#catalysts-next tr.catalyst").first.locator("blockquote").inner_text()
            link.click()
            assert page.evaluate("location.hash") == href
            target = page.locator("tr:target")
            assert target.count() == 1 and target.is_visible()
            assert target.locator("blockquote").inner_text() == quote
            assert not seen["page_errors"] and not seen["external_requests"]
        browser.close()


# ---------------------------------------------------------------------------------------------
# the real corpus: hand labels (eval/real/catalysts.jsonl); floors reached on the dev split

DEV_WINDOW_CORRECT_FLOOR = 0.80   # printed by `python -m assets.tagging.evaluate --real --catalysts`: 0.851 (63 of 74); the floor leaves four items of slack
DEV_PRECISION_FLOOR = 0.88        # printed: 0.940 (63 of 67); four false events of slack


@pytest.fixture(scope="module")
def real_catalysts(real_corpus):
    from assets.tagging.evaluate_catalysts import score_catalysts

    return score_catalysts(Settings.from_env(), folder=real_corpus)


def test_real_dev_window_correct_floor(real_catalysts):
    dev = real_catalysts.splits["dev"]
    assert dev.labelled >= 60
    assert dev.window_correct >= DEV_WINDOW_CORRECT_FLOOR, [e for e in real_catalysts.errors if e.startswith("dev ")]
    assert dev.precision >= DEV_PRECISION_FLOOR, [e for e in real_catalysts.errors if e.startswith("dev ")]
    assert "heldout" in real_catalysts.splits  # scored and printed, never tuned on


def test_labels_hold_no_real_sentences():
    import json

    from assets.tagging.evaluate_real import LABELS

    for line in (LABELS / "catalysts.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        assert set(row) <= {"file", "start", "end", "sha1", "split", "speaker", "catalysts", "agreed"}
        for c in row["catalysts"]:
            assert len(c["what"].split()) <= 8  # the labellers' own short words, not the sentence
