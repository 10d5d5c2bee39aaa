"""How values read on the page: one place for money, missing values and quarter labels, shared by the
HTML and Markdown templates, the charts and the workbook."""

from __future__ import annotations

import math

import pandas as pd

MISSING = "—"  # em dash: what an absent value prints as, never "nan", "None" or "NaT"

# The workbook keeps USD bn as numbers so an analyst can sum them; a cell format cannot rescale to
# millions, so it applies the same 1 bn threshold and shows the small amounts' own digits instead.
USD_BN_EXCEL_FORMAT = "[>=1]0.0;0.0####"


def is_missing(value) -> bool:
    """None, NaN, NaT and pandas NA: the forms an absent value takes in a mart."""
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and arrays are values, not missing
        return False


def text(value) -> str:
    """A value as page text; absent values print as an em dash."""
    return MISSING if is_missing(value) else str(value)


def _millions(value_bn: float) -> str:
    """Millions with up to three significant digits, trailing zeros dropped: 7, 7.25, 310."""
    m = float(f"{value_bn * 1000:.3g}")
    return f"{m:.3f}".rstrip("0").rstrip(".")


def usd_bn(value) -> str:
    """An amount held in USD bn, as printed everywhere the report shows money.

    At or above 1 bn: the tables' own unit, one decimal ("37.5"). Below 1 bn: millions, with the unit
    written out and up to three significant digits ("$7M", "$310M", "$7.25M"), because one decimal of
    a billion prints a $7 million quarter as "0.0". Zero prints as "0.0"; absent values as an em dash.
    """
    if is_missing(value):
        return MISSING
    v = float(value)
    if v == 0 or abs(v) >= 1 or float(f"{abs(v) * 1000:.3g}") >= 1000:  # 0.9996 is "1.0", not "$1000M"
        return f"{v:.1f}"
    return f"{'-' if v < 0 else ''}${_millions(abs(v))}M"


def usd_bn_range(low, high) -> str:
    """A low–high amount in USD bn (e.g. guidance). Both ends below 1 bn share the millions unit
    ("$60–80M"), both at or above share the tables' unit ("75.0–85.0"), and a range across 1 bn names
    both units ("$800M–$1.2bn"). A point (low == high) prints once, an open end as "≥ low" or
    "≤ high", and nothing known as an em dash."""
    if is_missing(low) and is_missing(high):
        return MISSING
    if is_missing(high):
        return f"≥ {usd_bn(low)}"
    if is_missing(low):
        return f"≤ {usd_bn(high)}"
    if float(low) == float(high):
        return usd_bn(low)
    lo, hi = usd_bn(low), usd_bn(high)
    if lo.startswith("$") and hi.startswith("$") and lo.endswith("M") and hi.endswith("M"):
        return f"{lo[:-1]}–{hi[1:]}"
    if lo.startswith("$") != hi.startswith("$"):
        return f"{lo}–${hi}bn" if lo.startswith("$") else f"${lo}bn–{hi}"
    return f"{lo}–{hi}"


def quarter_label(calendar_quarter, fiscal_label) -> str:
    """A calendar quarter with the company's own fiscal label, as analysts cite it: "2025Q4 (FY2026 Q2)"."""
    return f"{text(calendar_quarter)} ({text(fiscal_label)})"


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten at or above value: a chart scale for any magnitude,
    so a $7 million company's bars are not drawn against a 10 bn axis."""
    if value <= 0 or math.isnan(value):
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value * (1 - 1e-12))
