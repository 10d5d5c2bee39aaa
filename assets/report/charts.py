"""Inline SVG charts: no script, no network, every mark linked to its evidence where one exists."""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from .formats import is_missing, nice_ceiling, quarter_label, text, usd_bn, usd_bn_range
from .i18n import load_strings

EN = load_strings("en")

BLUE = (33, 102, 172)
GUIDE = "#d95f02"
NO_DATA_FILL = "#eeeeee"


def no_data(sentence: str) -> Markup:
    """What stands in for a chart with nothing to draw: a sentence, never an empty frame."""
    return Markup(f'<p class="muted no-data">{escape(sentence)}</p>')


def _fill(share: float) -> str:
    level = max(0.0, min(1.0, share))
    r, g, b = (int(255 - (255 - c) * level) for c in BLUE)
    return f"rgb({r},{g},{b})"


def heatmap(rows: list[dict], topics: list[str], labels: dict[str, str], title: str, chart_id: str, s=EN,
            row_label=None) -> Markup:
    """rows: {layer, source_type, cells: [{topic, pct, text, evidence}]} as built by render.matrix_rows;
    a cell without documents (pct None) is grey with an em dash rather than a white 0%."""
    if not any(c["pct"] is not None for row in rows for c in row["cells"]):
        return no_data(s.chart_no_matrix)
    row_label = row_label or (lambda row: f"{text(row['layer'])} ({text(row['source_type'])})")
    cell_w, cell_h, left, top = 62, 22, 190, 70
    width, height = left + cell_w * len(topics) + 10, top + cell_h * len(rows) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" id="{chart_id}" class="chart heatmap" role="img" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}"><title>{escape(title)}</title>']
    for j, topic in enumerate(topics):
        x = left + j * cell_w + cell_w / 2
        parts.append(f'<text x="{x}" y="{top - 8}" font-size="10" text-anchor="start" '
                     f'transform="rotate(-35 {x} {top - 8})">{escape(labels[topic])}</text>')
    for i, row in enumerate(rows):
        y = top + i * cell_h
        parts.append(f'<text x="{left - 6}" y="{y + 15}" font-size="11" text-anchor="end">'
                     f'{escape(row_label(row))}</text>')
        for j, cell in enumerate(row["cells"]):
            x = left + j * cell_w
            share = (cell["pct"] or 0) / 100
            fill = NO_DATA_FILL if cell["pct"] is None else _fill(share)
            rect = (f'<rect x="{x}" y="{y}" width="{cell_w - 2}" height="{cell_h - 2}" fill="{fill}" '
                    f'data-topic="{escape(cell["topic"])}" data-layer="{escape(text(row["layer"]))}" '
                    f'data-pct="{text(cell["pct"])}"/>'
                    f'<text x="{x + cell_w / 2 - 1}" y="{y + 15}" font-size="10" text-anchor="middle" '
                    f'fill="{"#fff" if share > 0.55 else "#111"}">{escape(cell["text"])}</text>')
            if cell.get("evidence"):
                rect = f'<a href="#ev-{escape(cell["evidence"])}" class="cell-link">{rect}</a>'
            parts.append(rect)
    parts.append("</svg>")
    return Markup("".join(parts))


def capex_bars(capex_rows: list[dict], guidance: list[dict], chart_id: str = "capex-chart", s=EN) -> Markup:
    """Small multiples per ticker: solid bars = actual quarters (USD bn); dashed orange line = latest
    guidance expressed per quarter (annual guidance / 4), labelled with the guided period. Each panel has
    its own scale (named under the ticker): a $30 million quarter next to a $30 billion one stays visible."""
    capex_rows = [r for r in capex_rows if not is_missing(r["capex_usd_bn"])]
    by_ticker: dict[str, list[dict]] = {}
    for r in capex_rows:
        by_ticker.setdefault(r["ticker"], []).append(r)
    latest_guide: dict[str, dict] = {}
    for g in sorted(guidance, key=lambda g: str(g["as_of_date"])):
        latest_guide[g["ticker"]] = g
    tickers = sorted(by_ticker)
    if not tickers:
        return no_data(s.chart_capex_none)
    quarters = sorted({r["calendar_quarter"] for r in capex_rows})
    panel_w, panel_h, bar_gap = 30 + 22 * len(quarters), 170, 4
    width = 20 + (panel_w + 20) * len(tickers)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" id="{chart_id}" class="chart bars" role="img" width="{width}" '
             f'height="{panel_h + 60}" viewBox="0 0 {width} {panel_h + 60}"><title>{escape(s.chart_capex_title)}</title>']
    for k, ticker in enumerate(tickers):
        x0 = 20 + k * (panel_w + 20)
        guide = latest_guide.get(ticker)
        per_q = _per_quarter(guide) if guide else None
        top_value = nice_ceiling(max([float(r["capex_usd_bn"]) for r in by_ticker[ticker]] + [per_q or 0]))
        parts.append(f'<text x="{x0 + panel_w / 2}" y="14" font-size="12" font-weight="600" text-anchor="middle">{escape(ticker)}</text>')
        parts.append(f'<text x="{x0 + panel_w / 2}" y="26" font-size="9" fill="#555" text-anchor="middle">'
                     f'{escape(s.f("chart_panel_scale", top=usd_bn(top_value)))}</text>')
        parts.append(f'<line x1="{x0}" y1="{panel_h + 20}" x2="{x0 + panel_w}" y2="{panel_h + 20}" stroke="#999"/>')
        rows = {r["calendar_quarter"]: r for r in by_ticker[ticker]}
        for i, q in enumerate(quarters):
            if q not in rows:
                continue
            value = float(rows[q]["capex_usd_bn"])
            h = (panel_h - 12) * value / top_value  # 12 px kept for the panel's scale label
            x = x0 + 15 + i * 22
            parts.append(f'<a href="#capex-{escape(ticker)}-{escape(q)}" class="bar-link"><rect class="actual" x="{x}" '
                         f'y="{panel_h + 20 - h:.1f}" width="{22 - bar_gap}" height="{h:.1f}" fill="rgb{BLUE}">'
                         f'<title>{escape(ticker)} {escape(quarter_label(q, rows[q].get("fiscal_label")))}: '
                         f'{escape(usd_bn(value))}</title></rect></a>')
        if per_q:
            y = panel_h + 20 - (panel_h - 12) * per_q / top_value
            parts.append(f'<line class="guidance" x1="{x0}" y1="{y:.1f}" x2="{x0 + panel_w}" y2="{y:.1f}" stroke="{GUIDE}" '
                         f'stroke-dasharray="5,3" stroke-width="2"><title>'
                         f'{escape(s.f("chart_guide_title", period=text(guide["guided_period"]), range=usd_bn_range(guide["low_usd_bn"], guide.get("high_usd_bn")), per_quarter=usd_bn(per_q)))}'
                         f'</title></line>')
            parts.append(f'<text x="{x0 + panel_w}" y="{y - 4:.1f}" font-size="9" fill="{GUIDE}" text-anchor="end">'
                         f'{escape(s.f("chart_guide_label", period=text(guide["guided_period"])))}</text>')
    parts.append(f'<text x="20" y="{panel_h + 45}" font-size="10" fill="#555">'
                 f'{escape(s.f("chart_capex_legend"))}</text></svg>')
    return Markup("".join(parts))


def _per_quarter(guide: dict | None) -> float | None:
    if not guide or is_missing(guide.get("low_usd_bn")):
        return None
    period = text(guide["guided_period"])
    low = float(guide["low_usd_bn"])
    if " Q" in period or period == "next quarter":
        return low
    if period.startswith("next ") and period.endswith(" years"):
        return low / (4 * int(period.split()[1]))
    return low / 4


def timeline_bars(timeline: dict, chart_id: str = "timeline-chart", s=EN, topic_label=None, group_label=None) -> Markup:
    """Grouped bars per window: light = share of documents mentioning the topic anywhere, dark = management."""
    groups, rows = timeline["groups"], timeline["rows"]
    if not any(cell for row in rows for cell in row["cells"]):
        return no_data(s.f("chart_timeline_none", topic=topic_label or timeline["topic"]))
    group_label = group_label or (lambda g: text(g))
    bar_w, group_gap, h = 18, 24, 150
    block = len(groups) * bar_w + group_gap
    width = 60 + block * len(rows) + 160
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" id="{chart_id}" class="chart bars" role="img" width="{width}" '
             f'height="{h + 60}" viewBox="0 0 {width} {h + 60}"><title>{escape(s.f("chart_timeline_title", topic=topic_label or timeline["topic"]))}</title>']
    shades = ["#9ecae1", "#6baed6", "#3182bd", "#08519c"]
    for i, row in enumerate(rows):
        x0 = 50 + i * block
        parts.append(f'<text x="{x0 + block / 2 - group_gap / 2}" y="{h + 40}" font-size="11" text-anchor="middle">{escape(text(row["period"]))}</text>')
        for j, cell in enumerate(row["cells"]):
            if not cell:
                continue
            x = x0 + j * bar_w
            any_h, mgmt_h = h * cell["any"] / 100, h * cell["management"] / 100
            parts.append(f'<rect class="share-any" x="{x}" y="{h + 20 - any_h:.1f}" width="{bar_w - 2}" height="{any_h:.1f}" '
                         f'fill="{shades[j % 4]}" opacity="0.45"><title>'
                         f'{escape(s.f("chart_timeline_bar", group=group_label(groups[j]), period=text(row["period"]), any=cell["any"], management=cell["management"], n=cell["documents"]))}'
                         f'</title></rect>')
            parts.append(f'<rect class="share-management" x="{x + 3}" y="{h + 20 - mgmt_h:.1f}" width="{bar_w - 8}" '
                         f'height="{mgmt_h:.1f}" fill="{shades[j % 4]}"/>')
    for j, g in enumerate(groups):
        parts.append(f'<rect x="{width - 150}" y="{20 + j * 16}" width="10" height="10" fill="{shades[j % 4]}"/>'
                     f'<text x="{width - 135}" y="{29 + j * 16}" font-size="10">{escape(group_label(g))}</text>')
    parts.append(f'<line x1="45" y1="{h + 20}" x2="{width - 160}" y2="{h + 20}" stroke="#999"/>'
                 f'<text x="45" y="12" font-size="10" fill="#555">{escape(s.chart_timeline_axis)}</text></svg>')
    return Markup("".join(parts))
