"""Issue 17, acceptance 1: the source assets pull from a loopback server into the landing folder
(atomically, with a cursor, metadata saying what landed), one refresh carries the pulled XBRL facts and
call to `filed_capex` and `capex_reconciliation`; unconfigured, every source skips with the reason."""

import json
import os
from datetime import date

import dagster as dg
import pytest

from assets.sources.assets import SOURCE_ASSETS, SOURCE_RESOURCES
from assets.sources.pull import STATE_DIR, recent_quarters
from assets.sources.resources import CninfoSource, SecXbrlSource, TranscriptSource
from conftest import SAMPLE, settings_for
from infrathesis import cli, parquet_io
from infrathesis.pipeline import run_pipeline
from infrathesis.warehouse import read_mart
from orchestration.partitions import RANGE_END, RANGE_START
from orchestration.schedules import tick_landing_sensor
from test_connectors import FakeService
from test_sources import CHAPTERS, report_pdf

AS_OF = date(2025, 9, 30)
KEY = "loopback-key-77"
UA = "Test Desk desk@example.com"
SOURCE_ENV = ("INFRATHESIS_TRANSCRIPTS_URL", "INFRATHESIS_TRANSCRIPTS_API_KEY", "INFRATHESIS_SEC_USER_AGENT",
              "INFRATHESIS_CNINFO_URL")

# Our own figures. MSFT's fiscal year ends in June: FY2025 runs 2024-07-01 .. 2025-06-30.
CALL = {"symbol": "MSFT", "year": 2025, "quarter": 4, "date": "2025-07-30 17:30:00", "content": (
    "Operator: Welcome to the Microsoft fourth quarter call.\n"
    "Jordan Avery: Capital expenditures including finance leases were $15.5 billion this quarter.\n"
    "Operator: Our first question comes from Sam Lee with Example Securities.\n"
    "Sam Lee: How is accelerator supply?\nJordan Avery: It improved through the quarter.")}
FY_START = "2024-07-01"
YTD = (("2024-09-30", "10-Q", "2024-10-30", "0000950170-24-000101"), ("2024-12-31", "10-Q", "2025-01-29", "0000950170-25-000102"),
       ("2025-03-31", "10-Q", "2025-04-30", "0000950170-25-000103"), ("2025-06-30", "10-K", "2025-07-30", "0000950170-25-000104"))
PPE_YTD = (10.0, 21.0, 33.0, 46.0)  # quarters 10, 11, 12, 13
LEASE_YTD = (1.0, 2.5, 4.5, 7.0)  # quarters 1.0, 1.5, 2.0, 2.5


def _facts(ytd):
    return {"units": {"USD": [{"start": FY_START, "end": end, "val": int(v * 1e9), "form": form, "filed": filed,
                               "accn": accn, "fy": 2025, "fp": "FY" if form == "10-K" else "Q"}
                              for (end, form, filed, accn), v in zip(YTD, ytd)]}}


COMPANY_FACTS = {"cik": 789019, "facts": {"us-gaap": {
    "PaymentsToAcquirePropertyPlantAndEquipment": _facts(PPE_YTD), "FinanceLeasePrincipalPayments": _facts(LEASE_YTD)}}}
CAMBRICON_ORG = "9900000042"
ANNOUNCEMENTS = [  # newest first, as Cninfo answers; the abstract is never downloaded
    {"announcementId": "1224000002", "announcementTitle": "测试：2025年半年度报告摘要", "announcementTime": 1756310400000,
     "adjunctUrl": "finalpage/2025-08-28/1224000002.PDF"},
    {"announcementId": "1224000001", "announcementTitle": "测试：2025年半年度报告", "announcementTime": 1756310400000,
     "adjunctUrl": "finalpage/2025-08-28/1224000001.PDF"},  # midnight 2025-08-28 in Beijing
]


def _transcript(request):
    q = request["query"]
    if q.get("apikey") != [KEY]:
        return 401, b"bad key", {}
    if (q["symbol"], q["year"], q["quarter"]) == (["MSFT"], ["2025"], ["4"]):
        return 200, [CALL], {}
    return 200, [], {}  # the provider's answer for a period it has no call for


def _top_search(request):
    code = request["form"].get("keyWord", [""])[0]
    return 200, ([{"code": "688256", "orgId": CAMBRICON_ORG, "category": "A股", "zwjc": "测试"}] if code == "688256" else []), {}


def _announcements(request):
    stock = request["form"].get("stock", [""])[0]
    return 200, {"announcements": ANNOUNCEMENTS if stock == f"688256,{CAMBRICON_ORG}" else [], "hasMore": False}, {}


@pytest.fixture(autouse=True)
def live_instance():
    """Each materialization here runs inside a live test instance: dagster keeps the current instance's
    state storage in a context variable, and one left behind by an earlier test in the same process points
    at a disposed instance (seen in the full suite only)."""
    with dg.instance_for_test() as instance:
        yield instance


@pytest.fixture
def provider():
    service = FakeService()
    service.routes.update({
        "/transcript": _transcript,
        "/files/company_tickers.json": [(200, {"0": {"cik_str": 789019, "ticker": "MSFT", "title": "MICROSOFT CORP"}}, {})],
        "/api/xbrl/companyfacts/CIK0000789019.json": [(503, b"busy", {}), (200, COMPANY_FACTS, {})],  # retried
        "/new/information/topSearch/query": _top_search,
        "/new/hisAnnouncement/query": _announcements,
        "/finalpage/2025-08-28/1224000001.PDF": [(200, report_pdf(CHAPTERS), {})],
    })
    yield service
    service.close()


def _resources(url: str) -> dict:
    fast = {"max_per_second": 1000.0, "backoff": 0.0}
    return {"transcript_source": TranscriptSource(base_url=url, **fast),
            "sec_source": SecXbrlSource(base_url=url, tickers_url=url, user_agent=UA, max_per_second=10.0, backoff=0.0),
            "cninfo_source": CninfoSource(base_url=url, static_url=url, **fast)}


def _metadata(result, name: str) -> dict:
    [event] = result.asset_materializations_for_node(name)
    return {k: v.value for k, v in event.metadata.items()}


@pytest.fixture
def renames(monkeypatch):
    """Every atomic write's (temp, target): a landed file must arrive by rename from a temp file beside it."""
    seen = []
    real = os.replace

    def replace(src, dst):
        seen.append((os.fspath(src), os.fspath(dst)))
        return real(src, dst)

    monkeypatch.setattr(parquet_io.os, "replace", replace)
    return seen


def test_sources_pull_once_then_a_refresh_reconciles(provider, tmp_path, isolated_env, renames, capsys, live_instance):
    landing, out = tmp_path / "landing", tmp_path / "out"
    landing.mkdir()
    isolated_env.setenv("INFRATHESIS_LANDING", str(landing))
    isolated_env.setenv("INFRATHESIS_AS_OF", AS_OF.isoformat())
    isolated_env.setenv("INFRATHESIS_TRANSCRIPTS_API_KEY", KEY)  # the key only ever travels through the environment

    first = dg.materialize(SOURCE_ASSETS, resources=_resources(provider.url), instance=live_instance)
    assert first.success
    landed = {p.relative_to(landing).as_posix() for p in landing.rglob("*") if p.is_file() and STATE_DIR not in p.parts}
    assert landed == {"calls/MSFT_2025-07-30.txt", "filings/MSFT_capex.csv", "mdna/CAMBRICON_2025-08-28.pdf"}
    arrived = {os.path.relpath(dst, landing): src for src, dst in renames}
    for rel in landed:  # by rename from a hidden temp file in the same folder; no temp file left behind
        src = arrived[rel]
        assert os.path.dirname(src) == os.path.dirname(str(landing / rel)) and os.path.basename(src).startswith(".")
    assert not [p for p in landing.rglob("*.tmp")]

    transcripts, sec, reports = (_metadata(first, n) for n in ("transcripts_api", "sec_xbrl_capex", "cninfo_reports"))
    assert transcripts["skipped"] is False and transcripts["pulled"] == 1 and "calls/MSFT_2025-07-30.txt" in transcripts["files"]
    assert transcripts["companies"] == 38  # every call company of the universe (universe.csv, sources = call)
    assert "MSFT FY2025 Q3" in transcripts["not_available"] and transcripts["last_pulled"] > 0
    assert sec["pulled"] == 1 and "filings/MSFT_capex.csv" in sec["files"] and "TSM: not in SEC's ticker list" in sec["not_available"]
    assert reports["pulled"] == 1 and "mdna/CAMBRICON_2025-08-28.pdf" in reports["files"]
    assert all(req["query"].get("apikey") in (None, [KEY]) for req in provider.requests)
    asked = [r for r in provider.requests if r["path"] == "/transcript" and r["query"]["symbol"] == ["MSFT"]]
    assert [(r["query"]["year"][0], r["query"]["quarter"][0]) for r in asked] == [("2025", "4"), ("2025", "3"), ("2025", "2"), ("2025", "1")]
    assert all(r["ua"] == UA for r in provider.requests if r["path"].startswith(("/api/", "/files/")))
    cursor = json.loads((landing / STATE_DIR / "transcripts.json").read_text(encoding="utf-8"))
    assert cursor["pulled"]["MSFT FY2025 Q4"]["file"] == "calls/MSFT_2025-07-30.txt"
    assert json.loads((landing / STATE_DIR / "cninfo.json").read_text(encoding="utf-8"))["org_ids"] == {"CAMBRICON": CAMBRICON_ORG}

    # the landing sensor carries what landed on: one run over exactly the pulled files
    isolated_env.setenv("INFRATHESIS_OUT", str(out))
    with dg.instance_for_test() as instance:
        tick = tick_landing_sensor(instance)
        assert sorted(instance.get_dynamic_partitions("landed_files")) == sorted(landed)
    [request] = tick.run_requests
    assert (request.tags[RANGE_START], request.tags[RANGE_END]) == (min(landed), max(landed))

    # the cursor: a second materialization pulls nothing new and rewrites no landed file
    renames.clear()
    second = dg.materialize(SOURCE_ASSETS, resources=_resources(provider.url), instance=live_instance)
    for name in ("transcripts_api", "sec_xbrl_capex", "cninfo_reports"):
        meta = _metadata(second, name)
        assert (meta["pulled"], meta["already_pulled"]) == (0, 1), name
    assert all(STATE_DIR in dst for _, dst in renames)  # only the cursors were written
    assert sum(r["path"].endswith(".PDF") for r in provider.requests) == 1  # the PDF was downloaded once
    # the fetch command is the same pull: same cursor, nothing new
    assert cli.main(["fetch", "--landing", str(landing), "edgar", "MSFT", "--url", provider.url, "--user-agent", UA]) == 0
    assert "sec_xbrl: 0 new, 1 already pulled" in capsys.readouterr().out

    # one refresh over that landing folder carries the filed facts and the call to the marts
    isolated_env.delenv("INFRATHESIS_AS_OF")
    for name, value in (("INFRATHESIS_CLAIMS", "none"), ("INFRATHESIS_LANG", "both")):
        isolated_env.setenv(name, value)  # run_pipeline exports these; restored after the test
    settings = settings_for(landing, out, as_of=AS_OF)
    outcome = run_pipeline(settings)
    assert not outcome.summary["failures"], outcome.summary["failures"]
    filed = read_mart(settings.warehouse, "filed_capex")
    rows = {(r.calendar_quarter, r.concept, round(r.capex_usd_bn, 3), bool(r.is_headline)) for r in filed.itertuples()}
    both = "PaymentsToAcquirePropertyPlantAndEquipment + FinanceLeasePrincipalPayments"
    expected = set()
    for quarter, ppe, lease in (("2024Q3", 10.0, 1.0), ("2024Q4", 11.0, 1.5), ("2025Q1", 12.0, 2.0), ("2025Q2", 13.0, 2.5)):
        expected |= {(quarter, "PaymentsToAcquirePropertyPlantAndEquipment", ppe, False),
                     (quarter, "FinanceLeasePrincipalPayments", lease, False), (quarter, both, ppe + lease, True)}
    assert rows == expected
    assert set(filed["ticker"]) == {"MSFT"}
    headline_q2 = filed[(filed.calendar_quarter == "2025Q2") & filed.is_headline].iloc[0]
    assert (headline_q2.accession, headline_q2.filed) == ("0000950170-25-000104", "2025-07-30")
    assert headline_q2.filing_url == "https://www.sec.gov/Archives/edgar/data/789019/000095017025000104/"

    [rec] = read_mart(settings.warehouse, "capex_reconciliation").itertuples()
    assert (rec.ticker, rec.calendar_quarter, rec.call_capex_usd_bn, rec.filed_capex_usd_bn) == ("MSFT", "2025Q2", 15.5, 15.5)
    assert (rec.call_scope, rec.filed_concept, bool(rec.same_basis), rec.difference_usd_bn) == (
        "including finance leases", both, True, 0.0)
    assert "$15.5 billion" in rec.call_sentence and rec.accession == "0000950170-25-000104"


def test_unconfigured_sources_skip_with_the_reason_and_pull_nothing(tmp_path, isolated_env, capsys, live_instance):
    for name in SOURCE_ENV:
        isolated_env.delenv(name, raising=False)
    landing = tmp_path / "landing"
    landing.mkdir()
    isolated_env.setenv("INFRATHESIS_LANDING", str(landing))
    result = dg.materialize(SOURCE_ASSETS, resources=SOURCE_RESOURCES, instance=live_instance)
    assert result.success
    reasons = {}
    for name in ("transcripts_api", "sec_xbrl_capex", "cninfo_reports"):
        meta = _metadata(result, name)
        assert meta["skipped"] is True and meta["pulled"] == 0
        reasons[name] = meta["reason"]
    assert "INFRATHESIS_TRANSCRIPTS_API_KEY" in reasons["transcripts_api"]
    assert "INFRATHESIS_SEC_USER_AGENT" in reasons["sec_xbrl_capex"]
    assert "INFRATHESIS_CNINFO_URL" in reasons["cninfo_reports"]
    assert list(landing.iterdir()) == []  # no file, no cursor
    assert cli.main(["fetch", "--landing", str(landing), "cninfo"]) == 2
    assert "INFRATHESIS_CNINFO_URL" in capsys.readouterr().err


def test_the_bundled_sample_is_never_pulled_into(provider, isolated_env, live_instance):
    """Configured or not, a source skips the bundled sample's landing folder: its run stays offline and unchanged."""
    isolated_env.setenv("INFRATHESIS_LANDING", str(SAMPLE))
    isolated_env.setenv("INFRATHESIS_TRANSCRIPTS_API_KEY", KEY)
    before = sorted(p.relative_to(SAMPLE) for p in SAMPLE.rglob("*"))
    result = dg.materialize(SOURCE_ASSETS, resources=_resources(provider.url), instance=live_instance)
    for name in ("transcripts_api", "sec_xbrl_capex", "cninfo_reports"):
        assert "bundled sample" in _metadata(result, name)["reason"]
    assert provider.requests == [] and sorted(p.relative_to(SAMPLE) for p in SAMPLE.rglob("*")) == before


def test_a_provider_that_refuses_every_company_fails_the_pull(provider, tmp_path, isolated_env, live_instance):
    isolated_env.setenv("INFRATHESIS_LANDING", str(tmp_path))
    isolated_env.setenv("INFRATHESIS_AS_OF", AS_OF.isoformat())
    isolated_env.setenv("INFRATHESIS_TRANSCRIPTS_API_KEY", "wrong-key")
    resources = {"transcript_source": TranscriptSource(base_url=provider.url, tickers=["MSFT", "NVDA"], backoff=0.0)}
    result = dg.materialize([SOURCE_ASSETS[0]], resources=resources, raise_on_error=False, instance=live_instance)
    assert not result.success
    [failure] = result.get_step_failure_events()
    assert "every company failed" in failure.step_failure_data.error.message and "wrong-key" not in str(failure.step_failure_data.error)


def test_recent_quarters_follow_the_fiscal_calendar():
    assert recent_quarters(date(2025, 9, 30), 6, 3) == [(2025, 4), (2025, 3), (2025, 2)]  # June year end
    assert recent_quarters(date(2026, 2, 10), 12, 2) == [(2025, 4), (2025, 3)]
