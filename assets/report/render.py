"""Turns mart dataframes into the report files. Pure: dataframes in, files out."""

from __future__ import annotations

import io
from dataclasses import dataclass
from html import escape as html_escape
from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, Undefined, select_autoescape

from assets.tagging.lexicon import TOPICS

from infrathesis.faults import crash_point
from infrathesis.parquet_io import write_bytes_atomic, write_text_atomic

from . import charts
from .formats import MISSING, USD_BN_EXCEL_FORMAT, is_missing, quarter_label, text, usd_bn, usd_bn_range

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
    """A layer without documents in the window has no share to show: its cells print an em dash, not 0%."""
    ev = {}
    for row in evidence[evidence["used_in"] == "layer_topic_matrix"].itertuples():
        ev[row.used_for] = row.evidence_id
    rows = []
    for (layer, source_type), group in matrix.sort_values(["source_type", "layer"]).groupby(["layer", "source_type"], sort=False):
        by_topic = group.set_index("topic")
        documents = group["documents"].iloc[0]
        documents = 0 if is_missing(documents) else int(documents)
        cells = []
        for topic in MATRIX_TOPICS:
            share = by_topic.loc[topic, f"share_{scope}"] if topic in by_topic.index else 0.0
            if documents == 0 or is_missing(share):
                cells.append({"topic": topic, "pct": None, "text": MISSING, "style": "", "evidence": None})
                continue
            pct = round(float(share) * 100)
            cells.append({"topic": topic, "pct": pct, "text": f"{pct}%", "style": _heat(float(share)),
                          "evidence": ev.get(f"{layer} ({source_type}) / {topic}") if share > 0 else None})
        rows.append({"layer": layer, "source_type": source_type, "documents": documents,
                     "tickers": group["tickers"].iloc[0], "cells": cells})
    rows.sort(key=lambda r: (r["source_type"], r["layer"]))
    return rows


def capex_pivot(capex: pd.DataFrame) -> tuple[list[str], list[dict]]:
    """Tickers x calendar quarters; each cell carries the company's fiscal label, since the same calendar
    quarter is a different fiscal quarter for MSFT than for AMZN."""
    quarters = sorted(capex["calendar_quarter"].unique()) if len(capex) else []
    rows = []
    for ticker, group in capex.groupby("ticker"):
        by_q = group.set_index("calendar_quarter")
        rows.append({"ticker": ticker, "cells": [
            {"value": usd_bn(by_q.loc[q, 'capex_usd_bn']), "evidence": _evidence_id(q, ticker),
             "fiscal": text(by_q.loc[q, "fiscal_label"])}
            if q in by_q.index else None for q in quarters]})
    return quarters, rows


def hbm_timeline(timeline: pd.DataFrame, topic: str = "HBM") -> dict:
    """Windows x layer groups for one topic: share of documents mentioning it, anywhere and by management."""
    rows = timeline[(timeline["topic"] == topic) & (timeline["period_kind"] == "window")].dropna(subset=["period", "layer_group"])
    groups = sorted(rows["layer_group"].unique())
    periods = sorted(rows["period"].unique())
    cells = {(r.period, r.layer_group): r for r in rows.itertuples()}
    table = []
    for period in periods:
        table.append({"period": period, "cells": [
            _timeline_cell(cells[(period, g)]) if (period, g) in cells else None for g in groups]})
    return {"topic": topic, "groups": groups, "rows": table}


def _timeline_cell(row) -> dict | None:
    """A window with no documents, or no shares, has nothing to show (None), not 0%."""
    if is_missing(row.documents) or int(row.documents) == 0 or is_missing(row.share_any) or is_missing(row.share_management):
        return None
    return {"documents": int(row.documents), "any": round(100 * row.share_any), "management": round(100 * row.share_management)}


def window_note(sources: pd.DataFrame | None, as_of: str, window_months: int) -> dict | None:
    """How many call and MD&A documents the window leaves out of the matrices, counted with the rule of
    the dbt macro in_window (start exclusive, as-of inclusive), so a landing folder of older calls
    does not silently shrink to a few documents. None when the documents are not known."""
    if sources is None or not len(sources):
        return None
    docs = sources[sources["source_type"].isin(["call", "mdna"])]
    if "translation_of" in docs:  # a translation is never counted, in or out of the window
        docs = docs[docs["translation_of"].isna()]
    if not len(docs):
        return None
    end = pd.Timestamp(as_of)
    start = end - pd.DateOffset(months=window_months)  # clamps to month end, as DuckDB's interval does
    dates = pd.to_datetime(docs["event_date"], errors="coerce")
    before, after = int((dates <= start).sum()), int((dates > end).sum())
    undated = int(dates.isna().sum())
    return {"outside": before + after + undated, "total": len(docs), "before": before, "after": after,
            "undated": undated, "window_start": start.date().isoformat(), "as_of": as_of,
            "window_months": window_months}


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
        "window_note": window_note(data.sources, data.as_of, data.window_months),
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
        "review": marts["review"].to_dict("records") if "review" in marts else [],
        "hbm_timeline": timeline,
        "coverage": marts["disclosure_coverage"].sort_values("disclosure_events", ascending=False).to_dict("records"),
        "evidence": evidence.sort_values(["used_in", "used_for"]).to_dict("records"),
        "corpus": data.corpus,
        "checks": data.checks,
        "claims": data.claims,
    }


def md_cell(value) -> str:
    """Document text inside a Markdown table cell: no pipes or line breaks, no raw HTML."""
    return html_escape(text(value).replace("\n", " ").replace("|", "\\|"), quote=False)


def _shown(value):
    """Every {{ }} of both templates passes here: an absent value (or field) prints as an em dash."""
    return MISSING if isinstance(value, Undefined) or is_missing(value) else value


def _environment(templates: Path, *, html: bool) -> Environment:
    env = Environment(loader=FileSystemLoader(templates), autoescape=select_autoescape(["j2"]) if html else False,
                      trim_blocks=True, lstrip_blocks=True, finalize=_shown)
    env.filters["usd_bn"] = usd_bn
    env.filters["usd_bn_range"] = lambda row: usd_bn_range(row["low_usd_bn"], row["high_usd_bn"])
    env.filters["quarter"] = lambda row: quarter_label(row["calendar_quarter"], row["fiscal_label"])
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
        usd_bn_cells = writer.book.add_format({"num_format": USD_BN_EXCEL_FORMAT})
        for name, df in marts.items():
            df.to_excel(writer, sheet_name=name[:31], index=False)
            for i, column in enumerate(df.columns):
                if column.endswith("_usd_bn"):
                    writer.sheets[name[:31]].set_column(i, i, 12, usd_bn_cells)
        if sources is not None:
            sources.to_excel(writer, sheet_name="Sources", index=False)
    return write_bytes_atomic(buffer.getvalue(), out / "report.xlsx")
