"""End to end through Dagster: the sample publishes; input that breaks an expectation blocks the report."""

import csv
import json
import re
import shutil
from pathlib import Path

import pytest

from infrathesis.pipeline import REPORT_FILES, run_pipeline
from infrathesis.warehouse import MARTS

from conftest import SAMPLE, settings_for



def read_csv(path):
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_sample_run_publishes_every_output(sample_run):
    settings, outcome = sample_run
    assert outcome.published, outcome.failed_steps
    for name in REPORT_FILES:
        assert (settings.out / name).stat().st_size > 0
    for mart in MARTS:
        assert (settings.out / "tables" / f"{mart}.csv").exists(), mart
    summary = json.loads(settings.summary_json.read_text(encoding="utf-8"))
    assert set(summary) >= {"as_of", "corpus", "checks", "claims", "report_paths"}
    assert summary["as_of"] == "2026-03-31"
    assert summary["corpus"]["documents_by_source"] == {"call": 266, "mdna": 22, "event": 178, "filing": 37}
    assert summary["corpus"]["quarantined"] == []
    assert summary["checks"] and all(c["passed"] for c in summary["checks"])
    claims = {c["id"]: c["status"] for c in summary["claims"]}
    assert len(claims) >= 20 and claims.pop("reference-report-hbm-0-vs-4") == "failed"  # non-blocking, shown as failed
    assert set(claims.values()) == {"verified"}
    assert {c["name"] for c in summary["checks"]} >= {f"gx_{m}" for m in MARTS}


def test_matrix_has_every_layer_and_the_management_split(sample_run, universe):
    settings, _ = sample_run
    rows = read_csv(settings.out / "tables" / "layer_topic_matrix.csv")
    assert {r["layer"] for r in rows} == {c.layer for c in universe}
    hbm = {(r["layer"], r["source_type"]): r for r in rows if r["topic"] == "HBM"}
    china_cloud = hbm[("China Cloud", "call")]
    assert float(china_cloud["share_management"]) == 0.0 < float(china_cloud["share_any"])
    html = (settings.out / "report.html").read_text(encoding="utf-8")
    for layer in {c.layer for c in universe}:
        assert f">{layer}</td>".replace("/", "/") in html.replace("&amp;", "&"), layer


def test_broken_input_blocks_the_report(tmp_path, small_landing, isolated_env):
    bad = small_landing / "calls" / "MSFT_2025-10-29.txt"
    bad.write_text(bad.read_text(encoding="utf-8").replace("$34.9 billion", "$900 billion"), encoding="utf-8")
    settings = settings_for(small_landing, tmp_path / "out")
    stale = [*REPORT_FILES, "report.zh.html", "tables/quarterly_capex.csv", "tables/layer_topic_matrix.csv"]
    for name in stale:  # an earlier run's published outputs
        (settings.out / name).parent.mkdir(parents=True, exist_ok=True)
        (settings.out / name).write_text("stale output from an earlier run")
    outcome = run_pipeline(settings)
    assert not outcome.published
    assert [name for name in stale if (settings.out / name).exists()] == []
    assert not list(settings.out.glob("tables/*.csv")) and not list(settings.out.glob("report.*"))
    summary = json.loads(settings.summary_json.read_text(encoding="utf-8"))
    assert summary["report_paths"] == []
    [failed] = [c for c in summary["checks"] if not c["passed"]]
    assert failed["name"] == "gx_quarterly_capex"
    assert 900.0 in failed["metadata"]["failures"][0]["unexpected"]
    assert set(summary["withheld"]["files"]) == {*REPORT_FILES, "tables/"}
    assert "check gx_quarterly_capex on quarterly_capex failed" in summary["withheld"]["because"]
    assert (settings.out / "validation.html").exists()


def test_published_files_are_readable_by_group_and_others(sample_run):
    import os
    import stat

    settings, _ = sample_run
    mask = os.umask(0o022)
    os.umask(mask)
    assert mask & 0o044 == 0, "this test needs a umask that lets group and others read"
    published = [*REPORT_FILES, "summary.json", "claims.json", "validation.html",
                 *(f"tables/{p.name}" for p in (settings.out / "tables").glob("*.csv"))]
    modes = {name: stat.S_IMODE((settings.out / name).stat().st_mode) for name in published}
    assert modes == {name: 0o666 & ~mask for name in published}


def test_changed_fact_fails_the_claims_and_names_them(sample_run, tmp_path, isolated_env):
    from infrathesis.settings import SAMPLE_CLAIMS

    landing = tmp_path / "landing"
    shutil.copytree(SAMPLE, landing)
    call = landing / "calls" / "MSFT_2026-01-28.txt"
    call.write_text(call.read_text(encoding="utf-8").replace("$37.5 billion", "$27.5 billion"), encoding="utf-8")
    settings = settings_for(landing, tmp_path / "out", claims=SAMPLE_CLAIMS)
    settings.out.mkdir(parents=True)
    shutil.copy(sample_run[0].claims_json, settings.claims_json)  # the previous run, where every claim held

    outcome = run_pipeline(settings)

    assert not outcome.published
    assert not (settings.out / "report.html").exists() and not (settings.out / "report.md").exists()
    summary = json.loads(settings.summary_json.read_text(encoding="utf-8"))
    claims = {c["id"]: c for c in summary["claims"]}
    assert claims["msft-2025q4-capex"]["status"] == "failed"
    assert claims["msft-2025q4-capex"]["expected"] == "quarterly_capex.capex_usd_bn == 37.5 ± 0.05"
    assert claims["msft-2025q4-capex"]["observed"] == "27.5"
    assert claims["us-big-five-2026-floor"]["observed"] == "549.6"
    [gate] = [c for c in summary["checks"] if c["name"] == "gx_claims"]
    assert gate["passed"] is False
    assert {f["id"] for f in gate["metadata"]["failures"]} == {"msft-2025q4-capex", "us-big-five-2026-floor"}
    # the non-blocking reconcile claim sees the call no longer matching the 10-Q and warns, naming both
    assert claims["hyperscaler-calls-match-filings"]["status"] == "warning"
    assert "MSFT 2025Q4: call 27.5" in claims["hyperscaler-calls-match-filings"]["observed"]
    assert "filed 37.5" in claims["hyperscaler-calls-match-filings"]["observed"]
    assert {d["id"] for d in summary["drift"]} == {"msft-2025q4-capex", "us-big-five-2026-floor",
                                                   "hyperscaler-calls-match-filings"}
    assert "DRIFT claim msft-2025q4-capex" in settings.alerts_log.read_text(encoding="utf-8")
    assert "report BLOCKED" in (settings.out / "validation.html").read_text(encoding="utf-8")


NUMBER = re.compile(r"(?<![\w.$-])\d+(?:,\d{3})*(?:\.\d+)?(?![\w-])")
TEXT_COLUMNS = {"Source sentence", "Quote", "Statement", "Expected", "Observed", "Claim", "Path", "Reason", "For",
                "Used in", "Source", "Company", "Most frequent types", "Basis", "Call date", "Given on", "Date",
                "Quarter", "Fiscal", "Period", "Window", "Ticker", "Layer", "Status", "Side"}
SECTION_MARTS = {
    "Cross-layer keyword matrix": ["layer_topic_matrix"], "Quarterly capex": ["quarterly_capex"],
    "Forward capex guidance": ["capex_guidance"], "Implied capex floor": ["region_comparison", "capex_floor"],
    "HBM timeline": ["topic_timeline"], "Pattern frequency": ["pattern_frequency"],
    "Disclosure-event coverage": ["disclosure_coverage"],
}


def _checked_values(tables: Path, marts: list[str]) -> set[str]:
    """Every printed form of every value in a column that some expectation of the mart's suite names."""
    import pandas as pd

    from expectations.checks import suite_context
    from expectations.suites import SUITES
    from infrathesis.settings import Settings

    values: set[str] = set()
    for mart in marts:
        ctx = suite_context(Settings.from_env())
        columns = {getattr(e, k, None) for e in SUITES[mart](ctx) for k in ("column", "column_A", "column_B")} - {None}
        df = pd.read_csv(tables / f"{mart}.csv")
        for column in columns:
            for v in df[column].dropna():
                if isinstance(v, (int, float)):
                    values |= {f"{v:.1f}", f"{round(v * 100)}", f"{v:g}", str(v)}
                    if float(v).is_integer():
                        values.add(str(int(v)))
                else:
                    values |= set(NUMBER.findall(str(v)))
    return values


def test_every_figure_in_the_report_is_covered_by_a_check(sample_run):
    """Numbers in the report's tables must come from columns that an expectation checks."""
    settings, _ = sample_run
    summary = json.loads(settings.summary_json.read_text(encoding="utf-8"))
    section, header, uncovered, seen = None, [], [], 0
    for line in (settings.out / "report.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = next((s for s in [*SECTION_MARTS, "Corpus"] if line[3:].startswith(s)), None)
            allowed = _checked_values(settings.out / "tables", SECTION_MARTS[section]) if section in SECTION_MARTS else set()
            if section == "Corpus":  # counted by the blocking every_file_accounted checks on the ingest assets
                allowed = {str(c["metadata"]["documents"]) for c in summary["checks"] if c["name"] == "every_file_accounted"}
            header = []
            continue
        if section == "Corpus" and line.startswith("- "):
            for number in NUMBER.findall(line):
                seen += 1
                if number not in allowed:
                    uncovered.append((section, "documents", line))
            continue
        if not section or not line.startswith("|") or set(line) <= set("|-: "):
            continue
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        if not header:
            header = cells
            continue
        for name, cell in zip(header, cells):
            if name in TEXT_COLUMNS:
                continue
            for number in NUMBER.findall(cell.replace("%", "")):
                seen += 1
                if number not in allowed:
                    uncovered.append((section, name, cell))
    assert seen > 500
    assert not uncovered, sorted({(s, n) for s, n, _ in uncovered})
