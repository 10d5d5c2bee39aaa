"""Turns mart dataframes into the report files. Pure: dataframes in, files out."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from html import escape as html_escape
from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape

from assets.tagging.lexicon import TOPICS

from infrathesis.faults import crash_point
from infrathesis.parquet_io import write_bytes_atomic, write_text_atomic

from . import charts

MATRIX_TOPICS = TOPICS
TOPIC_LABELS = {
    "GPU": "GPU", "HBM": "HBM", "CUSTOM_SILICON": "Custom silicon", "LIQUID_COOLING": "Liquid cool",
    "OPTICAL_800G": "800G/CPO", "ADVANCED_NODE": "Adv node", "CAPACITY_TIGHT": "Capacity tight",
    "SANCTIONS": "Sanctions", "CAPEX": "Capex", "DOMESTIC_CHIP": "Domestic chip", "AI_REVENUE": "AI revenue",
}


@dataclass
class ReportInput:
    marts: dict[str, pd.DataFrame]
    corpus: dict
    as_of: str
    window_months: int
    is_sample: bool
    checks: list[dict]
    claims: list[dict]
    sources: pd.DataFrame | None = None


def _heat(share: float) -> str:
    """Background colour for a share in [0, 1]: white to deep blue, readable text either way."""
    level = max(0.0, min(1.0, float(share)))
    r, g, b = (int(255 - (255 - c) * level) for c in (33, 102, 172))
    return f"background-color: rgb({r},{g},{b}); color: {'#fff' if level > 0.55 else '#111'}"


def matrix_rows(matrix: pd.DataFrame, evidence: pd.DataFrame, scope: str) -> list[dict]:
    ev = {}
    for row in evidence[evidence["used_in"] == "layer_topic_matrix"].itertuples():
        ev[row.used_for] = row.evidence_id
    rows = []
    for (layer, source_type), group in matrix.sort_values(["source_type", "layer"]).groupby(["layer", "source_type"], sort=False):
        by_topic = group.set_index("topic")
        cells = []
        for topic in MATRIX_TOPICS:
            share = float(by_topic.loc[topic, f"share_{scope}"]) if topic in by_topic.index else 0.0
            cells.append({"topic": topic, "pct": round(share * 100), "style": _heat(share),
                          "evidence": ev.get(f"{layer} ({source_type}) / {topic}") if share > 0 else None})
        rows.append({"layer": layer, "source_type": source_type, "documents": int(group["documents"].iloc[0]),
                     "tickers": group["tickers"].iloc[0], "cells": cells})
    rows.sort(key=lambda r: (r["source_type"], r["layer"]))
    return rows


def capex_pivot(capex: pd.DataFrame) -> tuple[list[str], list[dict]]:
    quarters = sorted(capex["calendar_quarter"].unique()) if len(capex) else []
    rows = []
    for ticker, group in capex.groupby("ticker"):
        by_q = group.set_index("calendar_quarter")
        rows.append({"ticker": ticker, "cells": [
            {"value": bn(by_q.loc[q, 'capex_usd_bn']), "evidence": _evidence_id(q, ticker), "fiscal": by_q.loc[q, "fiscal_label"]}
            if q in by_q.index else None for q in quarters]})
    return quarters, rows


def hbm_timeline(timeline: pd.DataFrame, topic: str = "HBM") -> dict:
    """Windows x layer groups for one topic: share of documents mentioning it, anywhere and by management."""
    rows = timeline[(timeline["topic"] == topic) & (timeline["period_kind"] == "window")]
    groups = sorted(rows["layer_group"].unique())
    periods = sorted(rows["period"].unique())
    cells = {(r.period, r.layer_group): r for r in rows.itertuples()}
    table = []
    for period in periods:
        table.append({"period": period, "cells": [
            {"documents": int(cells[(period, g)].documents), "any": round(100 * cells[(period, g)].share_any),
             "management": round(100 * cells[(period, g)].share_management)} if (period, g) in cells else None
            for g in groups]})
    return {"topic": topic, "groups": groups, "rows": table}


def _evidence_id(quarter: str, ticker: str) -> str:
    return f"capex-{ticker}-{quarter}"


def context(data: ReportInput) -> dict:
    marts = data.marts
    evidence = marts["evidence"]
    quarters, capex_rows = capex_pivot(marts["quarterly_capex"])
    freq = marts["pattern_frequency"]
    freq_pivot = (freq.pivot_table(index="ticker", columns="topic", values="mentions_any", aggfunc="sum")
                  .reindex(columns=list(TOPICS)).fillna(0).astype(int))
    freq_pivot = freq_pivot[freq_pivot.sum(axis=1) > 0]
    matrix_management = matrix_rows(marts["layer_topic_matrix"], evidence, "management")
    matrix_any = matrix_rows(marts["layer_topic_matrix"], evidence, "any")
    guidance = marts["capex_guidance"].sort_values(["ticker", "as_of_date"]).to_dict("records")
    timeline = hbm_timeline(marts["topic_timeline"])
    capex_records = marts["quarterly_capex"].to_dict("records")
    return {
        "charts": {
            "heatmap_management": charts.heatmap(matrix_management, list(TOPICS), TOPIC_LABELS,
                                                 "Layer x topic, management only", "heatmap-management"),
            "heatmap_any": charts.heatmap(matrix_any, list(TOPICS), TOPIC_LABELS,
                                          "Layer x topic, anywhere in the document", "heatmap-any"),
            "capex": charts.capex_bars(capex_records, guidance),
            "timeline": charts.timeline_bars(timeline),
        },
        "as_of": data.as_of,
        "window_months": data.window_months,
        "is_sample": data.is_sample,
        "topics": list(TOPICS),
        "topic_labels": TOPIC_LABELS,
        "matrix_management": matrix_management,
        "matrix_any": matrix_any,
        "capex_quarters": quarters,
        "capex_rows": capex_rows,
        "capex_detail": marts["quarterly_capex"].sort_values(["ticker", "calendar_quarter"]).to_dict("records"),
        "guidance": guidance,
        "frequency": [{"ticker": t, "counts": [int(v) for v in row]} for t, row in freq_pivot.iterrows()],
        "floors": marts["capex_floor"].to_dict("records"),
        "regions": marts["region_comparison"].to_dict("records"),
        "hbm_timeline": timeline,
        "coverage": marts["disclosure_coverage"].sort_values("disclosure_events", ascending=False).to_dict("records"),
        "evidence": evidence.sort_values(["used_in", "used_for"]).to_dict("records"),
        "corpus": data.corpus,
        "checks": data.checks,
        "claims": data.claims,
    }


def bn(value) -> str:
    """USD bn with one decimal; an open end (no upper bound) prints as an en dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{float(value):.1f}"


def md_cell(value) -> str:
    """Document text inside a Markdown table cell: no pipes or line breaks, no raw HTML."""
    text = "" if value is None else str(value)
    return html_escape(text.replace("\n", " ").replace("|", "\\|"), quote=False)


def _environment(templates: Path, *, html: bool) -> Environment:
    env = Environment(loader=FileSystemLoader(templates), autoescape=select_autoescape(["j2"]) if html else False,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["bn"] = bn
    env.filters["md"] = md_cell
    return env


def write_report(data: ReportInput, out: Path, templates: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    ctx = context(data)
    paths = []
    html = out / "report.html"
    write_text_atomic(_environment(templates, html=True).get_template("report.html.j2").render(**ctx), html)
    crash_point("report")
    md = out / "report.md"
    write_text_atomic(_environment(templates, html=False).get_template("report.md.j2").render(**ctx), md)
    paths += [html, md]
    paths.append(write_tables(data.marts, out, data.sources))
    return paths


def write_tables(marts: dict[str, pd.DataFrame], out: Path, sources: pd.DataFrame | None = None) -> Path:
    """tables/<mart>.csv and report.xlsx, each written whole (temp file, then rename)."""
    tables = out / "tables"
    for name, df in marts.items():
        write_text_atomic(df.to_csv(index=False), tables / f"{name}.csv")
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter") as writer:  # about twice as fast as openpyxl on large sheets
        for name, df in marts.items():
            df.to_excel(writer, sheet_name=name[:31], index=False)
        if sources is not None:
            sources.to_excel(writer, sheet_name="Sources", index=False)
    return write_bytes_atomic(buffer.getvalue(), out / "report.xlsx")
