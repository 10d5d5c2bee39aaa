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

from infrathesis.settings import ROOT

from . import changes as changes_mod
from . import charts
from .links import links_section
from .formats import MISSING, USD_BN_EXCEL_FORMAT, is_missing, quarter_label, text, usd_bn, usd_bn_range
from .i18n import FILES, LANGS, Lang

MATRIX_TOPICS = TOPICS
SEEDS = ROOT / "dbt_project" / "seeds"  # topic names (topics.csv), company names (universe.csv), layer names


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
    langs: tuple[str, ...] = LANGS  # the editions to write: en -> report.html/.md/.xlsx, zh -> report.zh.*
    seeds: Path = SEEDS


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
        no_management = group["share_no_management"].iloc[0] if "share_no_management" in group else None
        rows.append({"layer": layer, "source_type": source_type, "documents": documents,
                     "tickers": group["tickers"].iloc[0], "cells": cells,
                     # beside the management-only shares: the documents they cannot count (no speaker is management)
                     "no_management": (MISSING if documents == 0 or is_missing(no_management)
                                       else f"{round(float(no_management) * 100)}%")})
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


def window_sentence(note: dict | None, lang: Lang) -> str | None:
    """The window note in the edition's words."""
    if note is None:
        return None
    s, d = lang.s, lang.date
    if not note["outside"]:
        return s.f("window_inside", total=note["total"], window_months=note["window_months"], as_of=d(note["as_of"]))
    return s.f("window_outside", outside=note["outside"], total=note["total"], window_months=note["window_months"],
               as_of=d(note["as_of"]), before=note["before"], window_start=d(note["window_start"]),
               after_part=s.f("window_after", after=note["after"], as_of=d(note["as_of"])) if note["after"] else "",
               undated_part=s.f("window_undated", undated=note["undated"]) if note["undated"] else "")


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


CATALYST_DAYS = 90


def catalyst_calendar(catalysts: pd.DataFrame | None, as_of: str, lang: Lang) -> dict:
    """The next 90 days after the as-of date (windows overlapping it; the latest mention of each company,
    kind and topic) and the overdue list, in window order, each row with its evidence anchor."""
    until = (pd.Timestamp(as_of) + pd.Timedelta(days=CATALYST_DAYS)).date().isoformat()
    if catalysts is None or not len(catalysts):
        return {"until": until, "next": [], "overdue": []}
    # a row without a window or a quote to link to is never listed (the guard stops such rows before a run publishes)
    df = catalysts.dropna(subset=["window_start", "window_end", "evidence_id"])
    df = df.sort_values(["window_start", "window_end", "ticker", "said_on"])

    def rows(frame: pd.DataFrame) -> list[dict]:
        out = []
        for r in frame.to_dict("records"):
            start, end = str(r["window_start"])[:10], str(r["window_end"])[:10]
            window = lang.date(start) if start == end else (
                start[:7] if start[:7] == end[:7] else f"{start[:7]} – {end[:7]}")
            out.append({**r, "window": window, "kind_label": lang.s["catalysts_kinds"].get(r["kind"], r["kind"]),
                        "topic_label": lang.topic(r["topic"]) if not is_missing(r["topic"]) else MISSING})
        return out
    upcoming = df[(df["in_next_90_days"] == True) & (df["is_latest"] == True)]  # noqa: E712 (missing is not True)
    return {"until": until, "next": rows(upcoming), "overdue": rows(df[df["status"] == "overdue"])}


def _evidence_id(quarter: str, ticker: str) -> str:
    return f"capex-{ticker}-{quarter}"


def change_rows(changes: pd.DataFrame, lang: Lang) -> list[dict]:
    """The changes table as the edition prints it: kinds, topics, layers, values and dates in its words."""
    rows = []
    for r in changes.to_dict("records"):
        item = r["item"]
        if r["kind"] in ("matrix_cell_moved", "topic_newly_mentioned"):
            item = lang.topic(item)
        subject = lang.layer(r["subject"]) if r["kind"] == "matrix_cell_moved" else r["subject"]
        if r["kind"] == "new_document":
            subject = f"{r['subject']} {lang.company(r['subject'])}" if lang.code == "zh" else r["subject"]
        detail = r["detail"]
        if r["kind"] == "new_document":
            detail = lang.value(r["source_type"])
        elif not is_missing(detail):
            detail = lang.value(detail)
        rows.append({**r, "kind_label": lang.s["change_kinds"][r["kind"]], "subject": text(subject), "item": text(item),
                     "detail": None if is_missing(detail) else detail,
                     "before": _amount(lang, r, "before"), "after": _amount(lang, r, "after"), "date": lang.date(r["date"]),
                     "origin": None if is_missing(r["origin"]) else r["origin"],
                     "sentence": None if is_missing(r["sentence"]) else r["sentence"]})
    return rows


def _amount(lang: Lang, row: dict, side: str) -> str:
    """A before/after of the changes table: an amount in the edition's money format, else a value."""
    low, high = row.get(f"{side}_low_usd_bn"), row.get(f"{side}_high_usd_bn")
    if lang.code != "en" and not (is_missing(low) and is_missing(high)):
        return lang.money_range(low, high)
    return lang.value(row[side])


def context(data: ReportInput, lang: Lang | None = None, changes: dict | None = None) -> dict:
    lang = lang or Lang.load("en", data.seeds)
    s = lang.s
    topic_labels = {t: lang.topic(t) for t in TOPICS}
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
    other = "zh" if lang.code == "en" else "en"

    def row_label(row):
        return f"{lang.layer(row['layer'])} ({lang.value(row['source_type'])})"

    return {
        "charts": {
            "heatmap_management": charts.heatmap(matrix_management, list(TOPICS), topic_labels,
                                                 s.chart_heatmap_management, "heatmap-management", s, row_label),
            "heatmap_any": charts.heatmap(matrix_any, list(TOPICS), topic_labels,
                                          s.chart_heatmap_any, "heatmap-any", s, row_label),
            "capex": charts.capex_bars(capex_records, guidance, s=s),
            "timeline": charts.timeline_bars(timeline, s=s, topic_label=lang.topic(timeline["topic"]), group_label=lang.layer),
        },
        "s": s,
        "L": lang,
        "changes": changes or {"compared": False, "rows": []},
        "other_lang": other,
        "other_lang_href": FILES[other][0] if other in data.langs else None,
        "other_lang_href_md": FILES[other][1] if other in data.langs else None,
        "html_file": FILES[lang.code][0],
        "as_of": data.as_of,
        "window_note": window_sentence(window_note(data.sources, data.as_of, data.window_months), lang),
        "window_months": data.window_months,
        "is_sample": data.is_sample,
        "topics": list(TOPICS),
        "topic_labels": topic_labels,
        "matrix_management": matrix_management,
        "matrix_any": matrix_any,
        "capex_quarters": quarters,
        "capex_rows": capex_rows,
        "capex_detail": marts["quarterly_capex"].sort_values(["ticker", "calendar_quarter"]).to_dict("records"),
        "guidance": guidance,
        "catalysts": catalyst_calendar(marts.get("catalysts"), data.as_of, lang),
        "reconciliation": (marts["capex_reconciliation"].sort_values(["ticker", "calendar_quarter"]).to_dict("records")
                           if "capex_reconciliation" in marts else []),
        "frequency": [{"ticker": t, "counts": [int(v) for v in row]} for t, row in freq_pivot.iterrows()],
        "floors": marts["capex_floor"].to_dict("records"),
        "regions": marts["region_comparison"].to_dict("records"),
        "review": marts["review"].to_dict("records") if "review" in marts else [],
        "hbm_timeline": timeline,
        "coverage": marts["disclosure_coverage"].sort_values("disclosure_events", ascending=False).to_dict("records"),
        "evidence": evidence.sort_values(["used_in", "used_for"]).to_dict("records"),
        "links": links_section(marts, lang, data.seeds),
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
    """Every edition of data.langs, the tables and workbook(s), then the snapshot the next run compares with."""
    out.mkdir(parents=True, exist_ok=True)
    previous = out / "previous"
    snapshot = changes_mod.load_previous(previous)
    changes = changes_mod.compute(data.marts, data.sources, data.claims, snapshot)
    paths = []
    for code in data.langs:
        lang = Lang.load(code, data.seeds)
        info = {"compared": snapshot is not None, "rows": change_rows(changes, lang),
                "threshold": f"{changes_mod.MATRIX_THRESHOLD_PP:g}",
                "previous_as_of": snapshot["meta"].get("as_of") if snapshot else None,
                "published_at": (snapshot["meta"].get("published_at") or "").replace("T", " ").replace("+00:00", " UTC")
                if snapshot else None}
        ctx = context(data, lang, info)
        html_name, md_name, _ = FILES[code]
        html = out / html_name
        write_text_atomic(_environment(templates, html=True).get_template("report.html.j2").render(**ctx), html)
        crash_point("report")
        md = out / md_name
        write_text_atomic(_environment(templates, html=False).get_template("report.md.j2").render(**ctx), md)
        paths += [html, md]
    tables = {**data.marts, "changes": changes}
    paths.append(write_tables(tables, out, data.sources, workbook="en" in data.langs))
    if "zh" in data.langs:
        paths.append(write_workbook(tables, out / FILES["zh"][2], data.sources, Lang.load("zh", data.seeds)))
    changes_mod.write_snapshot(previous, data.marts, data.sources, data.claims, data.as_of)
    return paths


def write_tables(marts: dict[str, pd.DataFrame], out: Path, sources: pd.DataFrame | None = None,
                 workbook: bool = True) -> Path:
    """tables/<mart>.csv and report.xlsx, each written whole (temp file, then rename)."""
    tables = out / "tables"
    for name, df in marts.items():
        write_text_atomic(df.to_csv(index=False), tables / f"{name}.csv")
    return write_workbook(marts, out / "report.xlsx", sources) if workbook else tables


def write_workbook(marts: dict[str, pd.DataFrame], path: Path, sources: pd.DataFrame | None = None,
                   lang: Lang | None = None) -> Path:
    """One sheet per mart plus Sources. The Chinese edition (lang zh) names its sheets and headers in
    Chinese (strings/zh.yml: sheets, columns) and adds the topic's and company's Chinese names beside
    their ids; the values are the same numbers."""
    buffer = io.BytesIO()
    sheets = dict(marts)
    if sources is not None:
        sheets["Sources"] = sources
    with pd.ExcelWriter(buffer, engine="xlsxwriter") as writer:  # about twice as fast as openpyxl on large sheets
        usd_bn_cells = writer.book.add_format({"num_format": USD_BN_EXCEL_FORMAT})
        for name, df in sheets.items():
            sheet_name = name[:31]
            if lang is not None and lang.code != "en":
                df = _localized(df, lang)
                sheet_name = lang.s["sheets"].get(name, name)[:31]
            df.to_excel(writer, sheet_name=sheet_name, index=False)
            for i, column in enumerate(df.columns):
                if str(column).endswith("_usd_bn") or "十亿美元" in str(column):
                    writer.sheets[sheet_name].set_column(i, i, 12, usd_bn_cells)
    return write_bytes_atomic(buffer.getvalue(), path)


def _localized(df: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    df = df.copy()
    if "topic" in df.columns:
        df.insert(df.columns.get_loc("topic") + 1, "topic_zh", df["topic"].map(lang.topic))
    if "ticker" in df.columns and "name" not in df.columns and "company" not in df.columns:
        df.insert(df.columns.get_loc("ticker") + 1, "name_zh", df["ticker"].map(lang.company))
    if "kind" in df.columns and "evidence" in df.columns:  # the changes sheet
        df["kind"] = df["kind"].map(lambda k: lang.s["change_kinds"].get(k, k))
    for column in ("source_type", "change", "layer", "layer_group", "side", "status", "detail", "before", "after"):
        if column in df.columns:
            df[column] = df[column].map(lambda v: v if is_missing(v) else lang.value(v))
    return df.rename(columns=lambda c: lang.s["columns"].get(c, c))
