"""Every mart on a small fixture whose answers were worked out by hand (tests/fixtures/mart_landing)."""

import csv
import os
from pathlib import Path

import pytest

from conftest import settings_for
from infrathesis.pipeline import run_pipeline

FIXTURE = Path(__file__).parent / "fixtures" / "mart_landing"


@pytest.fixture(scope="module")
def marts(tmp_path_factory):
    settings = settings_for(FIXTURE, tmp_path_factory.mktemp("marts_out"))
    outcome = run_pipeline(settings)
    for key in settings.env():
        os.environ.pop(key, None)
    assert outcome.published, outcome.failed_steps
    tables = {"__out__": str(settings.out)}
    for path in (settings.out / "tables").glob("*.csv"):
        with open(path, encoding="utf-8") as fh:
            tables[path.stem] = list(csv.DictReader(fh))
    return tables


def pick(rows, *columns):
    return sorted(tuple(r[c] for c in columns) for r in rows)


def test_quarterly_capex_fiscal_calendars(marts):
    # MSFT FY26 Q1 ends Sep -> 2025Q3; ORCL FY25 Q3 ends Feb -> 2025Q1; NVDA FY26 Q1 ends Apr -> 2025Q2;
    # Tencent RMB 19.1 bn at 0.1388 USD/CNY (2025Q2) = 2.651.
    assert pick(marts["quarterly_capex"], "ticker", "calendar_quarter", "fiscal_label", "capex_usd_bn", "currency") == [
        ("MSFT", "2025Q3", "FY2026 Q1", "34.9", "USD"),
        ("NVDA", "2025Q2", "FY2026 Q1", "0.8", "USD"),
        ("ORCL", "2025Q1", "FY2025 Q3", "5.9", "USD"),
        ("TENCENT", "2025Q2", "FY2025 Q2", "2.651", "CNY"),
    ]


def test_capex_guidance_change(marts):
    assert pick(marts["capex_guidance"], "ticker", "guided_period", "low_usd_bn", "high_usd_bn", "as_of_date", "change") == [
        ("ORCL", "FY2026", "25.0", "25.0", "2025-03-10", "initial"),
        ("ORCL", "FY2026", "35.0", "35.0", "2025-09-09", "raised"),
    ]


def test_capex_floor_and_region_comparison(marts):
    assert pick(marts["capex_floor"], "ticker", "target_year", "floor_usd_bn") == [
        ("MSFT", "2026", "139.6"), ("NVDA", "2026", "3.2"), ("ORCL", "2026", "35.0"), ("TENCENT", "2026", "10.604"),
    ]
    # MSFT 139.6 + ORCL 35.0 of the five; TENCENT of BABA and TENCENT: both totals partial, so no ratio.
    # The fixture's A-share MD&A is text, not a report PDF: no filed figure for any of the eleven.
    assert pick(marts["region_comparison"], "side", "basis", "capex_usd_bn", "companies_with_figure",
                "companies_expected", "partial", "missing", "ratio_to_china") == [
        ("China A-share", "filed", "", "0", "11", "True",
         "ACCELINK, AMEC, CAMBRICON, EOPTOLINK, FII, HYGON, IFLYTEK, INNOLIGHT, INSPUR, NAURA, SUGON", ""),
        ("China cloud", "stated on the call", "10.604", "1", "2", "True", "BABA", ""),
        ("US big five", "stated on the call", "174.6", "2", "5", "True", "AMZN, GOOGL, META", ""),
    ]
    assert marts["review"] == []  # every fixture statement passes the row-level rules


def test_pattern_frequency(marts):
    rows = marts["pattern_frequency"]
    assert len(rows) == 49 * 11
    nonzero = [(r["ticker"], r["topic"], r["mentions_any"], r["mentions_management"]) for r in rows if r["mentions_any"] != "0"]
    assert sorted(nonzero) == [
        ("AMD", "CAPEX", "1", "0"),  # the analyst's question; no one from AMD speaks in that call
        ("CAMBRICON", "GPU", "1", "1"), ("CAMBRICON", "SANCTIONS", "1", "1"),
        ("MSFT", "CAPEX", "1", "1"), ("MSFT", "GPU", "1", "1"), ("MSFT", "HBM", "1", "0"),
        ("NVDA", "CAPEX", "1", "1"),
        ("ORCL", "CAPACITY_TIGHT", "1", "1"), ("ORCL", "CAPEX", "3", "3"),
        ("TENCENT", "CAPEX", "1", "1"),
    ]
    docs = {r["ticker"]: r["documents"] for r in rows if r["topic"] == "GPU"}
    assert (docs["MSFT"], docs["ORCL"], docs["CAMBRICON"], docs["AMD"]) == ("1", "2", "1", "1")


def test_layer_topic_matrix(marts):
    rows = marts["layer_topic_matrix"]
    cells = {(r["layer"], r["source_type"], r["topic"]): (r["documents"], float(r["share_management"]), float(r["share_any"])) for r in rows}
    assert len(rows) == 17 * 11  # every (layer, source type) pair of the universe x every topic, zeros kept
    assert cells[("US Cloud", "call", "CAPEX")] == ("3", 1.0, 1.0)
    assert cells[("US Cloud", "call", "HBM")] == ("3", 0.0, pytest.approx(1 / 3))
    assert cells[("US Cloud", "call", "GPU")] == ("3", pytest.approx(1 / 3), pytest.approx(1 / 3))
    assert cells[("China Cloud", "call", "CAPEX")] == ("1", 1.0, 1.0)
    assert cells[("GPU Design", "mdna", "SANCTIONS")] == ("1", 1.0, 1.0)
    # GPU Design calls: NVDA (management states capex) and AMD (operator and an analyst asking about capex,
    # no management passage). Management-only: 1 of the 1 document with attributable management, not 1 of 2;
    # anywhere: 2 of 2; half the layer's calls have no attributable management.
    assert cells[("GPU Design", "call", "CAPEX")] == ("2", 1.0, 1.0)
    assert cells[("GPU Design", "call", "GPU")] == ("2", 0.0, 0.0)
    extra = {(r["layer"], r["source_type"], r["topic"]): (r["documents_with_management"], float(r["share_no_management"]))
             for r in rows}
    assert extra[("GPU Design", "call", "CAPEX")] == ("1", 0.5)
    assert extra[("GPU Design", "call", "GPU")] == ("1", 0.5)  # per layer, the same for every topic
    assert extra[("US Cloud", "call", "CAPEX")] == ("3", 0.0)
    assert extra[("GPU Design", "mdna", "SANCTIONS")] == ("1", 0.0)  # MD&A is management's own text
    assert extra[("Optical", "mdna", "OPTICAL_800G")] == ("0", 0.0)
    assert cells[("Optical", "mdna", "OPTICAL_800G")] == ("0", 0.0, 0.0)


def test_topic_timeline(marts):
    rows = {(r["topic"], r["period_kind"], r["period"], r["layer_group"]): r for r in marts["topic_timeline"]}
    hbm = rows[("HBM", "window", "2025-26", "US cloud")]
    assert (hbm["documents"], hbm["documents_management"], hbm["documents_any"]) == ("3", "0", "1")
    assert rows[("GPU", "year", "2025", "supplier side")]["documents_any"] == "1"


def test_disclosure_coverage(marts):
    assert pick(marts["disclosure_coverage"], "ticker", "disclosure_events", "ai_related_events", "top_event_types") == [
        ("CAMBRICON", "2", "1", "earnings (1), product (1)"),
        ("MSFT", "1", "0", "other (1)"),
    ]


def test_evidence_covers_every_figure(marts):
    used = pick(marts["evidence"], "used_in", "used_for")
    assert used == sorted([
        ("capex_guidance", "ORCL FY2026 as of 2025-03-10"), ("capex_guidance", "ORCL FY2026 as of 2025-09-09"),
        ("layer_topic_matrix", "China Cloud (call) / CAPEX"), ("layer_topic_matrix", "GPU Design (call) / CAPEX"),
        ("layer_topic_matrix", "GPU Design (mdna) / GPU"), ("layer_topic_matrix", "GPU Design (mdna) / SANCTIONS"),
        ("layer_topic_matrix", "US Cloud (call) / CAPACITY_TIGHT"), ("layer_topic_matrix", "US Cloud (call) / CAPEX"),
        ("layer_topic_matrix", "US Cloud (call) / GPU"),
        ("quarterly_capex", "MSFT 2025Q3"), ("quarterly_capex", "NVDA 2025Q2"), ("quarterly_capex", "ORCL 2025Q1"),
        ("quarterly_capex", "TENCENT 2025Q2"),
    ])
    for row in marts["evidence"]:
        assert row["sentence"] and row["origin"].startswith(("calls/", "mdna/"))


def test_dbt_docs_generate(marts, tmp_path):
    """Every mart is documented; `dbt docs generate` builds the catalog against the fixture's warehouse."""
    import json
    import subprocess
    import sys

    from infrathesis.settings import ROOT

    out = Path(marts["__out__"]) if "__out__" in marts else None
    env = {**os.environ, "INFRATHESIS_OUT": str(out)}
    dbt = Path(sys.executable).with_name("dbt")
    proc = subprocess.run([str(dbt), "docs", "generate", "--profiles-dir", ".", "--target-path", str(tmp_path / "docs")],
                          cwd=ROOT / "dbt_project", env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-2000:]
    catalog = json.loads((tmp_path / "docs" / "catalog.json").read_text())
    manifest = json.loads((tmp_path / "docs" / "manifest.json").read_text())
    marts_nodes = [n for n in manifest["nodes"].values() if n["resource_type"] == "model" and "marts" in n["fqn"]]
    assert len(marts_nodes) == 14  # issue 17 added filed_capex and capex_reconciliation, issue 19 catalysts and supply_links
    for node in marts_nodes:
        assert node["description"], node["name"]
        assert all(c["description"] for c in node["columns"].values()), node["name"]
        assert node["unique_id"] in catalog["nodes"], node["name"]
