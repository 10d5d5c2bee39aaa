"""End to end through Dagster: the sample publishes; input that breaks an expectation blocks the report."""

import csv
import json
import os

import pytest

from infrathesis.pipeline import REPORT_FILES, run_pipeline
from infrathesis.settings import ROOT
from infrathesis.warehouse import MARTS

from conftest import SAMPLE, settings_for

REFERENCE = ROOT.parent / "shared" / "reference" / "facts" / "quarterly_capex.csv"


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    settings = settings_for(SAMPLE, tmp_path_factory.mktemp("sample_out"))
    yield settings, run_pipeline(settings)
    for key in settings.env():  # run_pipeline exports these for the dbt subprocess
        os.environ.pop(key, None)


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
    assert summary["corpus"]["documents_by_source"] == {"call": 266, "mdna": 22, "event": 178, "filing": 0}
    assert summary["corpus"]["quarantined"] == []
    assert summary["checks"] and all(c["passed"] for c in summary["checks"])
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


@pytest.mark.skipif(not REFERENCE.exists(), reason="shared reference facts not beside the repository")
def test_quarterly_capex_matches_the_reference_figures(sample_run):
    settings, _ = sample_run
    ours = {(r["ticker"], r["calendar_quarter"]): float(r["capex_usd_bn"])
            for r in read_csv(settings.out / "tables" / "quarterly_capex.csv")}
    compared = 0
    for ref in read_csv(REFERENCE):
        if "not a single quarter" in ref["note"]:
            assert (ref["ticker"], ref["calendar_quarter"]) not in ours  # cumulative figures stay out
            continue
        assert ours[(ref["ticker"], ref["calendar_quarter"])] == pytest.approx(float(ref["capex_usd_bn"]))
        compared += 1
    assert compared == 23


def test_broken_input_blocks_the_report(tmp_path, small_landing, isolated_env):
    bad = small_landing / "calls" / "MSFT_2025-10-29.txt"
    bad.write_text(bad.read_text(encoding="utf-8").replace("$34.9 billion", "$900 billion"), encoding="utf-8")
    settings = settings_for(small_landing, tmp_path / "out")
    (settings.out).mkdir(parents=True)
    (settings.out / "report.html").write_text("stale report from an earlier run")
    outcome = run_pipeline(settings)
    assert not outcome.published
    assert not (settings.out / "report.html").exists()
    summary = json.loads(settings.summary_json.read_text(encoding="utf-8"))
    assert summary["report_paths"] == []
    [failed] = [c for c in summary["checks"] if not c["passed"]]
    assert failed["name"] == "gx_quarterly_capex"
    assert 900.0 in failed["metadata"]["failures"][0]["unexpected"]
