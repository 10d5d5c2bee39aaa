"""Lineage as a contract: every asset key, dependency, group and check, compared with a snapshot.

After an intended change, rewrite the snapshot with `UPDATE_SNAPSHOTS=1 pytest tests/test_lineage.py`.
"""

import json
import os
from pathlib import Path

import pytest

from infrathesis.warehouse import MARTS
from orchestration.definitions import defs

SNAPSHOT = Path(__file__).parent / "snapshots" / "lineage.json"


def current_lineage() -> dict:
    graph = defs.resolve_asset_graph()
    assets = {}
    for spec in sorted(defs.resolve_all_asset_specs(), key=lambda s: s.key.to_user_string()):
        partitions = spec.partitions_def
        assets[spec.key.to_user_string()] = {
            "group": spec.group_name,
            "deps": sorted(d.asset_key.to_user_string() for d in spec.deps),
            "partitions": getattr(partitions, "name", None) if partitions else None,
        }
    checks = sorted(
        f"{key.asset_key.to_user_string()}:{key.name}:{'blocking' if graph.get_check_spec(key).blocking else 'warn'}"
        for key in graph.asset_check_keys
    )
    return {"assets": assets, "checks": checks}


def test_lineage_matches_snapshot():
    lineage = current_lineage()
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_text(json.dumps(lineage, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        pytest.skip("snapshot written")
    assert lineage == json.loads(SNAPSHOT.read_text(encoding="utf-8"))


def _upstream(assets: dict, key: str) -> set[str]:
    seen, stack = set(), [key]
    while stack:
        for dep in assets.get(stack.pop(), {}).get("deps", []):
            if dep not in seen:
                seen.add(dep)
                stack.append(dep)
    return seen


def test_stages_connect_in_order():
    lineage = current_lineage()
    assets = lineage["assets"]
    groups = {k: v["group"] for k, v in assets.items()}
    assert {k for k, g in groups.items() if g == "ingest"} == {"calls_documents", "mdna_documents", "events_documents",
                                                               "filings_documents", "mdna_cashflow"}
    # each source asset pulls into the landing folder one ingest asset reads, upstream of everything after it
    assert {k for k, g in groups.items() if g == "sources"} == {"transcripts_api", "sec_xbrl_capex", "cninfo_reports"}
    assert assets["calls_documents"]["deps"] == ["transcripts_api"]
    assert assets["filings_documents"]["deps"] == ["sec_xbrl_capex"]
    assert assets["mdna_documents"]["deps"] == ["cninfo_reports"]
    assert {"transcripts_api", "sec_xbrl_capex"} <= _upstream(assets, "capex_reconciliation")
    assert {"transcripts_api", "sec_xbrl_capex", "cninfo_reports"} <= _upstream(assets, "research_report")
    # the A-share reports' filed capex reaches the region comparison through its own ingest asset
    assert {"mdna_cashflow", "mdna_documents", "filed_capex"} <= _upstream(assets, "region_comparison")
    assert groups["topic_mentions"] == groups["capex_statements"] == "tagging"
    assert assets["topic_mentions"]["partitions"] == "landed_files"  # one partition per landed file
    marts = set(MARTS)
    assert all(groups[m] == "transform" for m in marts)
    upstream_of_report = _upstream(assets, "research_report")
    assert marts | {"topic_mentions", "capex_statements", "calls_documents", "mdna_documents", "events_documents"} <= upstream_of_report
    for mart in ("layer_topic_matrix", "pattern_frequency"):
        assert {"topic_mentions", "calls_documents"} <= _upstream(assets, mart)
    blocking = {c.split(":")[0] for c in lineage["checks"] if c.endswith(":blocking") and ":gx_" in c}
    assert marts <= blocking
    assert set(assets["research_report"]["deps"]) == marts | {"claim_verdicts"}
    assert marts <= set(assets["claim_verdicts"]["deps"])
    assert "claim_verdicts:gx_claims:blocking" in lineage["checks"]
