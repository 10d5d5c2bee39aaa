"""One expectation suite per mart, written as code. Each takes the run's context (as-of, universe).

Only expectations that the SQL under them does not already guarantee: a bound the data can cross (a
unit slip, a figure dated after the as-of date, a side with nobody to add up), a key that a changed
join could duplicate, a review share above its threshold. Row-level faults of single extractions are
not failed here: they are held for review by dbt (models int_capex_rules and review).
"""

from __future__ import annotations

from dataclasses import dataclass

import great_expectations as gx

from assets.tagging.catalysts import KINDS
from assets.tagging.lexicon import TOPICS

E = gx.expectations
MAX_QUARTERLY_CAPEX_USD_BN = 150  # above any hyperscaler's quarter; a larger figure is a unit or parsing error


@dataclass(frozen=True)
class SuiteContext:
    as_of: str
    layers: tuple[str, ...]
    tickers: tuple[str, ...]


def layer_topic_matrix(ctx: SuiteContext) -> list:
    return [
        E.ExpectColumnValuesToNotBeNull(column="layer"),
        E.ExpectColumnValuesToBeInSet(column="topic", value_set=list(TOPICS)),
        E.ExpectColumnDistinctValuesToContainSet(column="layer", value_set=list(ctx.layers)),
        E.ExpectColumnValuesToBeBetween(column="share_management", min_value=0, max_value=1),
        E.ExpectColumnValuesToBeBetween(column="share_any", min_value=0, max_value=1),
        E.ExpectColumnValuesToBeBetween(column="share_no_management", min_value=0, max_value=1),
        # the shares have different denominators (management-only: documents with attributable management),
        # so the counts are compared: a management mention needs a document where management speaks
        E.ExpectColumnPairValuesAToBeGreaterThanB(column_A="documents_with_management", column_B="documents_management",
                                                  or_equal=True),
        E.ExpectColumnPairValuesAToBeGreaterThanB(column_A="documents_any", column_B="documents_management", or_equal=True),
        E.ExpectCompoundColumnsToBeUnique(column_list=["layer", "source_type", "topic"]),
        E.ExpectColumnValuesToNotBeNull(column="documents"),  # printed; a weak guard, see issue 15
    ]


def pattern_frequency(ctx: SuiteContext) -> list:
    return [
        E.ExpectCompoundColumnsToBeUnique(column_list=["ticker", "topic"]),  # a ticker twice in universe.csv
        E.ExpectColumnPairValuesAToBeGreaterThanB(column_A="mentions_any", column_B="mentions_management", or_equal=True),
    ]


def quarterly_capex(ctx: SuiteContext) -> list:
    return [
        E.ExpectColumnValuesToNotBeNull(column="capex_usd_bn"),
        E.ExpectColumnValuesToBeBetween(column="capex_usd_bn", min_value=0, max_value=MAX_QUARTERLY_CAPEX_USD_BN,
                                        strict_min=True),
        E.ExpectColumnValuesToMatchRegex(column="calendar_quarter", regex=r"^\d{4}Q[1-4]$"),
        E.ExpectColumnValuesToNotBeNull(column="sentence"),
        E.ExpectColumnValuesToNotBeNull(column="doc_id"),
        E.ExpectColumnValuesToBeInSet(column="ticker", value_set=list(ctx.tickers)),
        E.ExpectCompoundColumnsToBeUnique(column_list=["ticker", "calendar_quarter", "scope"]),
        _not_after(ctx, "event_date"),
    ]


def _not_after(ctx: SuiteContext, column: str):
    """Nothing dated after the as-of date: a backtest must see only what was knowable then. (Dates are
    ISO strings, which GE's between does not compare; an empty mart passes.)"""
    return E.ExpectColumnValuesToBeNull(column=column, row_condition=f'{column} > "{ctx.as_of}"',
                                        condition_parser="pandas")


def capex_guidance(ctx: SuiteContext) -> list:
    return [
        E.ExpectColumnValuesToNotBeNull(column="guided_period"),
        E.ExpectColumnValuesToBeBetween(column="low_usd_bn", min_value=0, strict_min=True),
        E.ExpectColumnPairValuesAToBeGreaterThanB(column_A="high_usd_bn", column_B="low_usd_bn", or_equal=True,
                                                  ignore_row_if="either_value_is_missing"),
        E.ExpectColumnValuesToBeInSet(column="change", value_set=["initial", "raised", "lowered", "narrowed", "widened", "maintained"]),
        _not_after(ctx, "as_of_date"),
    ]


def capex_floor(ctx: SuiteContext) -> list:
    return [
        E.ExpectColumnValuesToBeUnique(column="ticker"),
        E.ExpectColumnValuesToBeBetween(column="floor_usd_bn", min_value=0, strict_min=True),
        E.ExpectColumnValuesToNotBeNull(column="basis"),
        E.ExpectColumnValuesToNotBeNull(column="sentence"),
    ]


def region_comparison(ctx: SuiteContext) -> list:
    return [
        E.ExpectColumnValuesToBeInSet(column="side", value_set=["US big five", "China cloud", "China A-share"]),
        E.ExpectColumnValuesToBeUnique(column="side"),
        E.ExpectColumnValuesToBeInSet(column="basis", value_set=["stated on the call", "filed"]),
        E.ExpectColumnValuesToNotBeNull(column="basis"),  # every figure says where it comes from
        # each company's figure as added up: a ticker and a non-negative amount (a negative twelve months
        # means a filed half-year that does not fit its year)
        E.ExpectColumnValuesToMatchRegex(column="components", regex=r"^[A-Z0-9.]+ \d+\.\d(?:, [A-Z0-9.]+ \d+\.\d)*$"),
        E.ExpectColumnValuesToBeBetween(column="capex_usd_bn", min_value=0),  # printed; a side with no figure (null) passes
        E.ExpectColumnValuesToBeBetween(column="companies_expected", min_value=1),  # nobody to add up
        E.ExpectColumnPairValuesAToBeGreaterThanB(column_A="companies_expected", column_B="companies_with_figure",
                                                  or_equal=True),
        E.ExpectColumnValuesToBeBetween(column="ratio_to_china", min_value=0),
    ]


def topic_timeline(ctx: SuiteContext) -> list:
    return [
        E.ExpectColumnValuesToBeInSet(column="topic", value_set=list(TOPICS)),
        E.ExpectColumnValuesToBeInSet(column="period_kind", value_set=["year", "window"]),
        E.ExpectColumnValuesToBeBetween(column="share_any", min_value=0, max_value=1),
        E.ExpectColumnPairValuesAToBeGreaterThanB(column_A="share_any", column_B="share_management", or_equal=True),
        E.ExpectCompoundColumnsToBeUnique(column_list=["topic", "period_kind", "period", "layer_group"]),
        E.ExpectColumnValuesToNotBeNull(column="documents"),  # printed; a weak guard, see issue 15
    ]


def disclosure_coverage(ctx: SuiteContext) -> list:
    return [
        E.ExpectColumnValuesToBeUnique(column="ticker"),
        _not_after(ctx, "last_event"),
        E.ExpectColumnValuesToNotBeNull(column="disclosure_events"),  # printed; a weak guard, see issue 15
        E.ExpectColumnValuesToNotBeNull(column="ai_related_events"),
    ]


def evidence(ctx: SuiteContext) -> list:
    return [
        E.ExpectColumnValuesToBeUnique(column="evidence_id"),
        E.ExpectColumnValuesToNotBeNull(column="sentence"),
        E.ExpectColumnValuesToNotBeNull(column="origin"),
        E.ExpectColumnPairValuesAToBeGreaterThanB(column_A="end_offset", column_B="start_offset"),
        _not_after(ctx, "event_date"),
    ]


def review(ctx: SuiteContext) -> list:
    """Held rows are fine; too many of one mart's rows held means the extraction, not a row, is broken."""
    return [
        E.ExpectColumnValuesToNotBeNull(column="rule"),
        E.ExpectColumnValuesToNotBeNull(column="sentence"),
        E.ExpectColumnPairValuesAToBeGreaterThanB(column_A="max_held_share", column_B="held_share", or_equal=True),
    ]


def filed_capex(ctx: SuiteContext) -> list:
    """A differenced quarter below zero means a restatement or a missing year-to-date span, not capex."""
    return [
        E.ExpectColumnValuesToNotBeNull(column="capex_usd_bn"),
        E.ExpectColumnValuesToBeBetween(column="capex_usd_bn", min_value=0, max_value=MAX_QUARTERLY_CAPEX_USD_BN),
        E.ExpectColumnValuesToMatchRegex(column="calendar_quarter", regex=r"^\d{4}Q[1-4]$"),
        E.ExpectColumnValuesToBeInSet(column="period_months", value_set=[3, 6, 12]),  # quarter, first half, year
        E.ExpectColumnValuesToBeInSet(column="ticker", value_set=list(ctx.tickers)),
        E.ExpectCompoundColumnsToBeUnique(column_list=["ticker", "calendar_quarter", "concept"]),
        E.ExpectColumnValuesToNotBeNull(column="concept"),
        E.ExpectColumnValuesToNotBeNull(column="form"),
        _not_after(ctx, "filed"),
    ]


def capex_reconciliation(ctx: SuiteContext) -> list:
    return [
        E.ExpectCompoundColumnsToBeUnique(column_list=["ticker", "calendar_quarter"]),
        E.ExpectColumnValuesToNotBeNull(column="call_capex_usd_bn"),
        E.ExpectColumnValuesToNotBeNull(column="filed_capex_usd_bn"),
        E.ExpectColumnValuesToNotBeNull(column="difference_usd_bn"),
        E.ExpectColumnValuesToNotBeNull(column="call_sentence"),
        E.ExpectColumnValuesToNotBeNull(column="filed_concept"),
        E.ExpectColumnValuesToNotBeNull(column="same_basis"),
    ]


def catalysts(ctx: SuiteContext) -> list:
    """A catalyst with no evidence (no quote, document or source file) or a window that ends before it
    starts cannot reach the report."""
    return [
        E.ExpectColumnValuesToNotBeNull(column="quote"),
        E.ExpectColumnValuesToNotBeNull(column="doc_id"),
        E.ExpectColumnValuesToNotBeNull(column="origin"),
        E.ExpectColumnValuesToNotBeNull(column="evidence_id"),
        E.ExpectColumnValuesToNotBeNull(column="window_start"),
        E.ExpectColumnPairValuesAToBeGreaterThanB(column_A="window_end", column_B="window_start", or_equal=True),
        E.ExpectColumnValuesToBeInSet(column="kind", value_set=list(KINDS)),
        E.ExpectColumnValuesToBeInSet(column="status", value_set=["upcoming", "overdue", "superseded"]),
        E.ExpectColumnValuesToBeInSet(column="ticker", value_set=list(ctx.tickers)),
        _not_after(ctx, "said_on"),
    ]


def supply_links(ctx: SuiteContext) -> list:
    """An edge reaches the report only with its evidence: a dated document, a quote and offsets into it.
    (The check also confirms the quote is verbatim in that document: column quote_verbatim.)"""
    return [
        E.ExpectColumnValuesToBeInSet(column="relation", value_set=["supplies", "partner", "competes"]),
        E.ExpectCompoundColumnsToBeUnique(column_list=["from_company", "to_company", "relation"]),
        E.ExpectColumnValuesToBeBetween(column="supporting_sentences", min_value=1),
        E.ExpectColumnValuesToNotBeNull(column="doc_id"),
        E.ExpectColumnValuesToNotBeNull(column="origin"),
        E.ExpectColumnValuesToNotBeNull(column="quote_date"),
        E.ExpectColumnValuesToNotBeNull(column="sentence"),
        E.ExpectColumnValueLengthsToBeBetween(column="sentence", min_value=1),
        E.ExpectColumnPairValuesAToBeGreaterThanB(column_A="end_offset", column_B="start_offset"),
        E.ExpectColumnValuesToBeInSet(column="quote_verbatim", value_set=[True]),
        E.ExpectColumnValuesToBeNull(column="first_date", row_condition="first_date > last_date",
                                     condition_parser="pandas"),
        _not_after(ctx, "last_date"),
    ]


SUITES = {
    "layer_topic_matrix": layer_topic_matrix,
    "pattern_frequency": pattern_frequency,
    "quarterly_capex": quarterly_capex,
    "capex_guidance": capex_guidance,
    "capex_floor": capex_floor,
    "region_comparison": region_comparison,
    "topic_timeline": topic_timeline,
    "disclosure_coverage": disclosure_coverage,
    "evidence": evidence,
    "review": review,
    "filed_capex": filed_capex,
    "capex_reconciliation": capex_reconciliation,
    "catalysts": catalysts,
    "supply_links": supply_links,
}
