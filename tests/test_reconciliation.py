"""Acceptance 3 of issue 17: calls vs filings. On the bundled sample every hyperscaler quarter with a call
figure and a filed figure shows both, with the scope explanation; a gap beyond tolerance on the same
basis is a `reconcile` warning (or a blocking failure) naming the call and the filing."""

import pandas as pd
import pytest

from expectations.claims import Claim, ClaimsError, evaluate, load_claims


def _row(**over):
    row = {"ticker": "MSFT", "calendar_quarter": "2025Q3", "fiscal_label": "FY2026 Q1", "call_capex_usd_bn": 40.0,
           "call_scope": "including finance leases", "filed_capex_usd_bn": 34.9,
           "filed_concept": "PaymentsToAcquirePropertyPlantAndEquipment + FinanceLeasePrincipalPayments",
           "filed_scope": "including finance leases", "difference_usd_bn": 5.1, "difference_pct": 14.6,
           "same_basis": True, "scope_explains": False, "call_date": "2025-10-29", "call_doc_id": "call-doc-1",
           "call_sentence": "Capital expenditures including finance leases were $40.0 billion this quarter.",
           "filed": "2025-10-29", "form": "10-Q", "accession": "0001193125-25-256321",
           "filing_url": "https://www.sec.gov/Archives/edgar/data/789019/000119312525256321/", "filed_doc_id": "filing-doc-1"}
    row.update(over)
    return row


def _claim(blocking, **spec):
    return Claim(id="c", kind="reconcile", statement="calls match filings", blocking=blocking,
                 spec={"kind": "reconcile", "tolerance_pct": 2, **spec})


def test_gap_beyond_tolerance_is_a_warning_naming_both_sources():
    marts = {"capex_reconciliation": pd.DataFrame([
        _row(),
        _row(ticker="GOOGL", call_scope=None, filed_concept="PaymentsToAcquirePropertyPlantAndEquipment",
             call_capex_usd_bn=22.4, filed_capex_usd_bn=22.4, difference_usd_bn=0.0, difference_pct=0.0),
    ])}
    [v] = evaluate([_claim(False)], marts, None)
    assert v.status == "warning" and not v.blocking
    assert "MSFT 2025Q3" in v.observed and "GOOGL" not in v.observed
    assert "0001193125-25-256321" in v.observed and "2025-10-29" in v.observed
    sources = {e["source"]: e for e in v.evidence}
    assert sources["call"]["doc_id"] == "call-doc-1" and "$40.0 billion" in sources["call"]["sentence"]
    assert sources["filing"]["doc_id"] == "filing-doc-1" and "000119312525256321" in sources["filing"]["sentence"]
    [blocking] = evaluate([_claim(True)], marts, None)
    assert blocking.status == "failed" and blocking.blocking


def test_scope_explained_gap_and_small_gap_pass():
    marts = {"capex_reconciliation": pd.DataFrame([
        _row(same_basis=False, scope_explains=True, call_scope="cash paid for PP&E"),  # definitions differ
        _row(ticker="ORCL", difference_pct=1.5, difference_usd_bn=0.1),                # within 2%
    ])}
    [v] = evaluate([_claim(True)], marts, None)
    assert v.status == "verified", v.observed
    [bn] = evaluate([_claim(True, tolerance_pct=1, tolerance_usd_bn=0.5, ticker="ORCL")], marts, None)
    assert bn.status == "verified"  # 1.5% but only 0.1 bn: both tolerances must be exceeded
    [none] = evaluate([_claim(True, ticker="NVDA")], marts, None)
    assert none.status == "failed" and "no quarter" in none.observed


def test_reconcile_claim_needs_a_tolerance(tmp_path):
    path = tmp_path / "claims.yml"
    path.write_text("claims:\n  - {id: x, kind: reconcile, statement: s}\n", encoding="utf-8")
    with pytest.raises(ClaimsError, match="tolerance_pct"):
        load_claims(path)


# the sample: both figures and the scope explanation for every hyperscaler quarter that has both
EXPECTED = {  # (ticker, quarter): (call, filed, same basis) -- from the sample's calls and filings as written
    ("MSFT", "2025Q4"): (37.5, 37.5, True), ("MSFT", "2024Q3"): (20.0, 20.0, True),
    ("META", "2025Q1"): (13.7, 13.7, True), ("GOOGL", "2025Q2"): (22.4, 22.4, True),
    ("ORCL", "2025Q1"): (5.9, 5.9, True),
    ("AMZN", "2025Q2"): (31.4, 32.2, False), ("AMZN", "2025Q3"): (34.2, 35.1, False),
}


def test_sample_shows_calls_beside_filings(sample_run):
    settings, outcome = sample_run
    assert outcome.published, outcome.failed_steps
    tables = settings.out / "tables"
    rec = pd.read_csv(tables / "capex_reconciliation.csv")
    capex = pd.read_csv(tables / "quarterly_capex.csv")
    filed = pd.read_csv(tables / "filed_capex.csv")
    hyperscalers = ["MSFT", "GOOGL", "AMZN", "META", "ORCL"]
    both = (set(map(tuple, capex[capex.ticker.isin(hyperscalers)][["ticker", "calendar_quarter"]].values))
            & set(map(tuple, filed[filed.is_headline][["ticker", "calendar_quarter"]].values)))
    assert len(both) >= 20
    assert set(map(tuple, rec[["ticker", "calendar_quarter"]].values)) == both
    got = {(r.ticker, r.calendar_quarter): (r.call_capex_usd_bn, r.filed_capex_usd_bn, bool(r.same_basis))
           for r in rec.itertuples()}
    for key, (call, filed_bn, same) in EXPECTED.items():
        assert got[key] == pytest.approx((call, filed_bn, same)), key
    amzn = rec[rec.ticker == "AMZN"]
    assert amzn.scope_explains.all() and (amzn.call_scope == "cash paid for PP&E").all()
    report = (settings.out / "report.md").read_text(encoding="utf-8")
    section = report.split("## What the calls said vs what was filed", 1)[1].split("\n## ", 1)[0]
    for ticker, quarter in both:
        assert f"| {ticker} | {quarter}" in section, (ticker, quarter)
    assert "yes: different definitions" in section and "no: same basis" in section
    zh = (settings.out / "report.zh.md").read_text(encoding="utf-8")
    assert "## 电话会议所说与申报数据对照" in zh and "能：定义不同" in zh
    import json

    claims = {c["id"]: c for c in json.loads((settings.out / "summary.json").read_text(encoding="utf-8"))["claims"]}
    assert claims["hyperscaler-calls-match-filings"]["status"] == "verified", claims["hyperscaler-calls-match-filings"]
