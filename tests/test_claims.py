"""The claims registry: loading, each kind on a clean and a broken fixture, drift, which registry a run uses."""

from pathlib import Path

import pandas as pd
import pytest

from expectations.checks import claims_check_result, find_drift
from expectations.claims import ClaimsError, DocumentIndex, evaluate, load_claims, normalize
from infrathesis.settings import ROOT, SAMPLE_CLAIMS, resolve_claims

MARTS = {
    "region_comparison": pd.DataFrame([{"side": "US big five", "capex_usd_bn": 589.6}, {"side": "China cloud", "capex_usd_bn": 28.7}]),
    "capex_floor": pd.DataFrame([{"ticker": "MSFT", "floor_usd_bn": 150.0, "sentence": "Capex was $37.5 billion."},
                                 {"ticker": "AMZN", "floor_usd_bn": 439.6, "sentence": "About $200 billion."}]),
}
DOCS = DocumentIndex(
    pd.DataFrame([{"doc_id": "d1", "ticker": "NVDA", "event_date": "2024-08-28", "source_type": "call", "origin": "calls/NVDA.txt"}]),
    pd.DataFrame([{"doc_id": "d1", "seq": 0, "text": "Operator: welcome."},
                  {"doc_id": "d1", "seq": 1, "text": "Blackwell demand is well  above supply, and we’re shipping."}]),
)


def registry(tmp_path: Path, body: str) -> list:
    path = tmp_path / "claims.yml"
    path.write_text(body, encoding="utf-8")
    return load_claims(path)


METRIC = """claims:
  - id: floor
    kind: metric
    statement: floor at least {value}
    mart: region_comparison
    where: {{side: US big five}}
    column: capex_usd_bn
    op: ">="
    value: {value}
"""
QUOTE = """claims:
  - id: anchor
    kind: quote
    statement: anchor quote
    ticker: NVDA
    date: 2024-08-28
    source_type: call
    text: "{text}"
"""
CONSISTENCY = """claims:
  - id: adds-up
    kind: consistency
    statement: floor equals the sum
    left: {{mart: region_comparison, where: {{side: US big five}}, column: capex_usd_bn}}
    right: {{mart: capex_floor, where: {{ticker: [MSFT, AMZN]}}, column: floor_usd_bn, agg: sum}}
    tolerance: {tol}
"""


@pytest.mark.parametrize("body,status", [
    (METRIC.format(value=585), "verified"),
    (METRIC.format(value=600), "failed"),
    (QUOTE.format(text="Blackwell demand is well above supply, and we're shipping."), "verified"),
    (QUOTE.format(text="Blackwell demand is far above supply."), "failed"),
    (CONSISTENCY.format(tol=0.01), "verified"),
    (CONSISTENCY.format(tol=0.01).replace("[MSFT, AMZN]", "[MSFT]"), "failed"),
])
def test_each_kind_clean_and_broken(tmp_path, body, status):
    [verdict] = evaluate(registry(tmp_path, body), MARTS, DOCS)
    assert verdict.status == status
    assert verdict.expected and verdict.observed


def test_failed_metric_names_expected_and_observed(tmp_path):
    [verdict] = evaluate(registry(tmp_path, METRIC.format(value=600)), MARTS, DOCS)
    assert (verdict.expected, verdict.observed) == ("region_comparison.capex_usd_bn >= 600", "589.6")


def test_unresolvable_claim_fails_with_reason(tmp_path):
    body = METRIC.format(value=1).replace("US big five", "Europe")
    [verdict] = evaluate(registry(tmp_path, body), MARTS, DOCS)
    assert verdict.status == "failed" and "0 rows" in verdict.observed


def test_quote_evidence_points_at_the_document(tmp_path):
    [verdict] = evaluate(registry(tmp_path, QUOTE.format(text="well above supply")), MARTS, DOCS)
    assert verdict.evidence[0]["origin"] == "calls/NVDA.txt"


def test_normalize_quotes_and_space():
    assert normalize("we’re  “sold\nout”") == 'we\'re "sold out"'


@pytest.mark.parametrize("body,message", [
    ("claims:\n  - id: x\n    kind: guess\n", "kind must be one of"),
    ("claims:\n  - id: x\n    kind: metric\n    mart: m\n", "missing column, op, value"),
    ("claims:\n  - {id: a, kind: quote, ticker: T, date: 2024-01-01, source_type: call, text: t}\n"
     "  - {id: a, kind: quote, ticker: T, date: 2024-01-01, source_type: call, text: t}\n", "duplicate id"),
])
def test_malformed_registry_is_rejected(tmp_path, body, message):
    with pytest.raises(ClaimsError, match=message):
        registry(tmp_path, body)


def test_claims_check_clean_and_broken():
    ok = {"id": "a", "statement": "s", "status": "verified", "expected": "e", "observed": "o", "blocking": True, "evidence": []}
    soft = {**ok, "id": "b", "status": "failed", "blocking": False}
    hard = {**ok, "id": "c", "status": "failed"}
    assert claims_check_result([ok, soft]).passed is True
    result = claims_check_result([ok, soft, hard])
    assert result.passed is False
    assert [f["id"] for f in result.metadata["failures"].value] == ["c"]


def test_drift_names_claims_that_stopped_passing():
    now = [{"id": "a", "status": "failed"}, {"id": "b", "status": "failed"}, {"id": "c", "status": "verified"}]
    assert [d["id"] for d in find_drift({"a": "verified", "b": "failed"}, now)] == ["a"]


def test_bundled_registry_loads_and_has_every_kind():
    claims = load_claims(SAMPLE_CLAIMS)
    assert len(claims) >= 20
    assert {c.kind for c in claims} == {"metric", "quote", "consistency", "reconcile"}


def test_claims_belong_to_a_corpus(tmp_path):
    sample = ROOT / "data" / "sample" / "landing"
    assert resolve_claims(sample, None) == SAMPLE_CLAIMS
    assert resolve_claims(tmp_path, None) is None
    (tmp_path / "claims.yml").write_text("claims: []\n")
    assert resolve_claims(tmp_path, None) == (tmp_path / "claims.yml").resolve()
    assert resolve_claims(tmp_path, "none") is None
    assert resolve_claims(sample, str(tmp_path / "x.yml")) == (tmp_path / "x.yml").resolve()


def test_floor_claim_fails_when_the_total_is_partial(tmp_path):
    """The US total from 4 of 5 companies clears 585 but stands for fewer than the five: the claim fails
    and says which company is missing; the same total from all five verifies."""
    def marts(with_figure: int, missing):
        return {"region_comparison": pd.DataFrame([{
            "side": "US big five", "capex_usd_bn": 600.0, "companies_expected": 5, "companies_with_figure": with_figure,
            "partial": with_figure < 5, "missing": missing}])}

    claims = registry(tmp_path, METRIC.format(value=585))
    [partial] = evaluate(claims, marts(4, "ORCL"), DOCS)
    assert partial.status == "failed"
    assert "partial" in partial.observed and "4 of 5" in partial.observed and "ORCL" in partial.observed
    [whole] = evaluate(claims, marts(5, None), DOCS)
    assert whole.status == "verified", whole.observed
