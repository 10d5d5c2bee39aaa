"""Each suite on a clean and a broken fixture, called directly (no Dagster, no dbt)."""

import pandas as pd
import pytest

from expectations.checks import to_check_result
from expectations.gx_runner import run_suite
from expectations.suites import SUITES, SuiteContext
from assets.tagging.lexicon import TOPICS

CTX = SuiteContext(as_of="2026-03-31", layers=("US Cloud", "Memory"), tickers=("MSFT", "MU"))


def matrix() -> pd.DataFrame:
    rows = [{"layer": layer, "source_type": "call", "tickers": "x", "topic": t, "documents": 4, "documents_with_management": 3,
             "documents_management": 1, "documents_any": 2, "share_management": 1 / 3, "share_any": 0.5,
             "share_no_management": 0.25, "as_of": "2026-03-31"}
            for layer in CTX.layers for t in TOPICS]
    return pd.DataFrame(rows)


def frequency() -> pd.DataFrame:
    return pd.DataFrame([{"ticker": tk, "layer": "x", "topic": t, "mentions_any": 3, "mentions_management": 1,
                          "documents": 2, "window_start": "2024-05-31", "as_of": "2026-03-31"}
                         for tk in CTX.tickers for t in TOPICS])


def capex() -> pd.DataFrame:
    return pd.DataFrame([{"ticker": "MSFT", "calendar_quarter": "2025Q3", "fiscal_label": "FY2026 Q1", "capex_usd_bn": 34.9,
                          "currency": "USD", "amount_local": 34.9, "unit": "billion", "scope": None, "event_date": "2025-10-29",
                          "doc_id": "d1", "sentence": "Capex was $34.9 billion.", "start_offset": 1, "end_offset": 9},
                         {"ticker": "MSFT", "calendar_quarter": "2025Q4", "fiscal_label": "FY2026 Q2", "capex_usd_bn": 37.5,
                          "currency": "USD", "amount_local": 37.5, "unit": "billion", "scope": None, "event_date": "2026-01-28",
                          "doc_id": "d2", "sentence": "Capex was $37.5 billion.", "start_offset": 1, "end_offset": 9}])


def guidance() -> pd.DataFrame:
    return pd.DataFrame([{"ticker": "MSFT", "guided_period": "FY2026 Q1", "low_usd_bn": 30.0, "high_usd_bn": None,
                          "as_of_date": "2025-07-30", "change": "initial"},
                         {"ticker": "META", "guided_period": "2026", "low_usd_bn": 115.0, "high_usd_bn": 135.0,
                          "as_of_date": "2026-01-28", "change": "initial"}])


def floor() -> pd.DataFrame:
    return pd.DataFrame([{"ticker": "MSFT", "floor_usd_bn": 150.0, "basis": "run rate", "sentence": "s"}])


def region() -> pd.DataFrame:
    return pd.DataFrame([{"side": "US big five", "basis": "stated on the call", "capex_usd_bn": 589.6, "companies_expected": 5,
                          "companies_with_figure": 5, "partial": False, "ratio_to_china": 20.5,
                          "components": "AMZN 200.0, GOOGL 89.6, META 115.0, MSFT 150.0, ORCL 35.0"},
                         {"side": "China A-share", "basis": "filed", "capex_usd_bn": 1.2, "companies_expected": 11,
                          "companies_with_figure": 2, "partial": True, "ratio_to_china": None,
                          "components": "CAMBRICON 0.9, SUGON 0.3"}])


def timeline() -> pd.DataFrame:
    return pd.DataFrame([{"topic": "HBM", "period_kind": "window", "period": "2025-26", "layer_group": "US cloud",
                          "share_management": 0.0, "share_any": 0.05, "documents": 20}])


def coverage() -> pd.DataFrame:
    return pd.DataFrame([{"ticker": "MU", "disclosure_events": 3, "ai_related_events": 1, "last_event": "2026-03-31"}])


def evidence() -> pd.DataFrame:
    return pd.DataFrame([{"evidence_id": "e1", "sentence": "s", "origin": "calls/a.txt", "start_offset": 0, "end_offset": 5,
                          "event_date": "2026-01-28"}])


def review() -> pd.DataFrame:
    return pd.DataFrame([{"mart": "quarterly_capex", "rule": "currency_not_reporting", "detail": "CNY stated; MSFT reports in USD",
                          "ticker": "MSFT", "event_date": "2025-07-30", "doc_id": "d3", "sentence": "Capex was RMB 24.2 billion.",
                          "held_share": 0.2, "max_held_share": 0.25}])


def filed() -> pd.DataFrame:
    row = {"ticker": "MSFT", "calendar_quarter": "2025Q3", "fiscal_label": "FY2026 Q1", "period_end": "2025-09-30",
           "concept": "PaymentsToAcquirePropertyPlantAndEquipment", "capex_usd_bn": 19.4, "scope": "cash paid for PP&E",
           "is_headline": False, "filed": "2025-10-29", "form": "10-Q", "accession": "a", "filing_url": None,
           "derivation": "quarter as filed", "doc_id": "f1", "period_months": 3}
    return pd.DataFrame([row, {**row, "concept": "PaymentsToAcquirePropertyPlantAndEquipment + FinanceLeasePrincipalPayments",
                               "capex_usd_bn": 34.9, "scope": "including finance leases", "is_headline": True}])


def reconciliation() -> pd.DataFrame:
    row = {"ticker": "MSFT", "calendar_quarter": "2025Q3", "fiscal_label": "FY2026 Q1", "call_capex_usd_bn": 34.9,
           "call_scope": "including finance leases", "filed_capex_usd_bn": 34.9, "filed_concept": "c",
           "filed_scope": "including finance leases", "difference_usd_bn": 0.0, "difference_pct": 0.0,
           "same_basis": True, "scope_explains": False, "call_date": "2025-10-29", "call_doc_id": "d1",
           "call_sentence": "s", "filed": "2025-10-29", "form": "10-Q", "accession": "a", "filing_url": None,
           "filed_doc_id": "f1"}
    return pd.DataFrame([row, {**row, "calendar_quarter": "2025Q4"}])


def catalysts() -> pd.DataFrame:
    row = {"evidence_id": "e9", "ticker": "MU", "window_start": "2026-04-01", "window_end": "2026-06-30", "kind": "ramp",
           "topic": "HBM", "quote": "We will ramp the new stack in the fourth quarter.", "said_on": "2026-03-20",
           "status": "upcoming", "doc_id": "d9", "origin": "calls/MU_2026-03-20.txt"}
    return pd.DataFrame([row, {**row, "evidence_id": "e10", "window_start": "2026-05-14", "window_end": "2026-05-14"}])


CLEAN = {"catalysts": catalysts, "filed_capex": filed, "capex_reconciliation": reconciliation, "layer_topic_matrix": matrix, "pattern_frequency": frequency, "quarterly_capex": capex,
         "capex_guidance": guidance, "disclosure_coverage": coverage, "evidence": evidence,
         "capex_floor": floor, "region_comparison": region, "topic_timeline": timeline, "review": review}
CLEAN["supply_links"] = lambda: pd.DataFrame([{  # more cases in tests/test_links.py
    "from_company": "MU", "to_company": "NVDA", "relation": "supplies", "supporting_sentences": 1, "doc_id": "d1",
    "origin": "calls/MU_2025-12-17.txt", "quote_date": "2025-12-17", "first_date": "2025-12-17",
    "last_date": "2025-12-17", "sentence": "Our largest customer, NVIDIA, grew.", "start_offset": 3, "end_offset": 38,
    "quote_verbatim": True}])


def _break(name: str, df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    if name == "layer_topic_matrix":
        df.loc[0, "documents_with_management"] = 0  # a management mention in no document where management speaks
    elif name == "pattern_frequency":
        df = pd.concat([df, df.iloc[:1]], ignore_index=True)  # a ticker listed twice in universe.csv
    elif name == "quarterly_capex":
        df.loc[0, "capex_usd_bn"] = 900.0  # a unit slip: millions read as billions
    elif name == "capex_guidance":
        df.loc[1, "high_usd_bn"] = 100.0  # high below low
    elif name == "disclosure_coverage":
        df.loc[0, "last_event"] = "2026-04-01"  # an event after the as-of date
    elif name == "capex_floor":
        df.loc[0, "floor_usd_bn"] = -1.0  # a negative floor
    elif name == "region_comparison":
        df.loc[1, "side"] = "US big five"  # the same side twice
    elif name == "topic_timeline":
        df.loc[0, "share_management"] = 0.5  # management share above the anywhere share
    elif name == "evidence":
        df.loc[0, "origin"] = None  # a quote without a source
    elif name == "review":
        df.loc[0, "held_share"] = 0.3  # more of the mart held than the threshold
    elif name == "filed_capex":
        df.loc[0, "capex_usd_bn"] = -2.0  # a differenced quarter below zero: a missing or restated span
    elif name == "catalysts":
        df.loc[0, "window_end"] = "2026-03-31"  # a window that ends before it starts
    elif name == "supply_links":
        df.loc[0, "sentence"] = None  # an edge with no evidence
    elif name == "capex_reconciliation":
        df.loc[1, "calendar_quarter"] = "2025Q3"  # one quarter paired with two filed figures
    return df


# Each expectation added for issue 15 on its own broken fixture: (mart, what breaks, the column named).
SPECIFIC_BREAKS = {
    "quarterly_capex duplicate quarter and scope": ("quarterly_capex", lambda df: df.assign(calendar_quarter="2025Q3"),
                                                     "calendar_quarter"),
    "quarterly_capex after the as-of date": ("quarterly_capex", lambda df: df.assign(event_date=["2025-10-29", "2026-04-29"]),
                                              "event_date"),
    "capex_guidance after the as-of date": ("capex_guidance", lambda df: df.assign(as_of_date=["2025-07-30", "2026-04-28"]),
                                             "as_of_date"),
    "evidence after the as-of date": ("evidence", lambda df: df.assign(event_date="2026-05-01"), "event_date"),
    "region with more figures than companies": ("region_comparison", lambda df: df.assign(companies_with_figure=[6, 2]),
                                                "companies_with_figure"),
    "region with nobody to add up": ("region_comparison", lambda df: df.assign(companies_expected=[5, 0]),
                                     "companies_expected"),
    "region without its basis": ("region_comparison", lambda df: df.assign(basis=["stated on the call", None]), "basis"),
    "region with a negative company figure": ("region_comparison",
                                              lambda df: df.assign(components=[df.components[0], "CAMBRICON 0.9, SUGON -0.3"]),
                                              "components"),
    "region with an unknown basis": ("region_comparison", lambda df: df.assign(basis=["stated on the call", "guessed"]),
                                     "basis"),
    "filed period neither a quarter, a half nor a year": ("filed_capex", lambda df: df.assign(period_months=[3, 9]),
                                                          "period_months"),
    "matrix management mention nowhere anyone spoke": ("layer_topic_matrix",
                                                        lambda df: df.assign(documents_any=0), "documents_any"),
    "matrix share without management above 1": ("layer_topic_matrix",
                                                lambda df: df.assign(share_no_management=1.5), "share_no_management"),
    "matrix cell twice": ("layer_topic_matrix", lambda df: pd.concat([df, df.iloc[:1]], ignore_index=True), "topic"),
    "timeline cell twice": ("topic_timeline", lambda df: pd.concat([df, df], ignore_index=True), "layer_group"),
    "catalyst with no evidence": ("catalysts", lambda df: df.assign(quote=[None, "s"], origin=[None, "o"]), "quote"),
    "catalyst window ending before it starts": ("catalysts", lambda df: df.assign(window_end="2026-01-31"), "window_end"),
    "review row without its rule": ("review", lambda df: df.assign(rule=None), "rule"),
}


@pytest.mark.parametrize("case", sorted(SPECIFIC_BREAKS))
def test_new_expectation_fails_its_broken_fixture(case):
    mart, breaks, column = SPECIFIC_BREAKS[case]
    clean = run_suite(mart, CLEAN[mart](), SUITES[mart](CTX))
    assert clean.success, [f.describe() for f in clean.failures]
    outcome = run_suite(mart, breaks(CLEAN[mart]()), SUITES[mart](CTX))
    assert not outcome.success
    assert any(column in f.describe() for f in outcome.failures), [f.describe() for f in outcome.failures]



def test_every_suite_has_fixtures():
    assert set(CLEAN) == set(SUITES)


@pytest.mark.parametrize("name", sorted(SUITES))
def test_suite_passes_clean_fixture(name):
    outcome = run_suite(name, CLEAN[name](), SUITES[name](CTX))
    assert outcome.success, [f.describe() for f in outcome.failures]


@pytest.mark.parametrize("name", sorted(SUITES))
def test_suite_fails_broken_fixture(name):
    outcome = run_suite(name, _break(name, CLEAN[name]()), SUITES[name](CTX))
    assert not outcome.success
    result = to_check_result(outcome)
    assert result.passed is False
    assert result.metadata["failed"].value == len(outcome.failures) >= 1


def test_failure_metadata_lists_unexpected_values():
    outcome = run_suite("quarterly_capex", _break("quarterly_capex", capex()), SUITES["quarterly_capex"](CTX))
    [failure] = outcome.failures
    assert "capex_usd_bn" in failure.describe() and failure.unexpected == [900.0]
