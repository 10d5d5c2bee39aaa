"""The "Who supplies whom" section: the supply_links mart as a layered network (inline SVG, no script, no
network) and a table, every edge linked to its quote in the report's evidence."""

from __future__ import annotations

import math
from html import escape
from pathlib import Path

import pandas as pd
from markupsafe import Markup

from .formats import is_missing
from .i18n import Lang, _rows

OUTSIDE = "__outside__"  # the band of named companies outside the universe
WIDTH, LEFT, BAND, TOP = 1100, 150, 78, 20
PER_ROW = 12  # companies per row of a band; more wrap onto the next row
STYLE = {  # relation -> stroke, dash pattern
    "supplies": ("#2166ac", ""),
    "partner": ("#1b7f3b", "6 4"),
    "competes": ("#b2182b", "2 4"),
}


def evidence_ids(evidence: pd.DataFrame) -> dict[str, str]:
    """used_for ("NVDA supplies MSFT") -> evidence_id of the edge's quote in the evidence mart."""
    rows = evidence[evidence["used_in"] == "supply_links"]
    return dict(zip(rows["used_for"], rows["evidence_id"]))


def edge_rows(links: pd.DataFrame | None, evidence: pd.DataFrame, lang: Lang) -> list[dict]:
    """The mart's edges as the edition prints them; an edge whose quote is not in the evidence is left
    out (the guard should never let one through: no evidence, no edge)."""
    if links is None or not len(links):
        return []
    ids = evidence_ids(evidence)
    rows = []
    for r in links.sort_values(["relation", "from_company", "to_company"]).to_dict("records"):
        evidence_id = ids.get(f"{r['from_company']} {r['relation']} {r['to_company']}")
        if evidence_id is None:
            continue
        rows.append({**r, "evidence_id": evidence_id, "relation_label": lang.s[f"links_rel_{r['relation']}"],
                     "from_label": _label(r["from_company"], lang), "to_label": _label(r["to_company"], lang),
                     "first": lang.date(r["first_date"]), "last": lang.date(r["last_date"])})
    return rows


def _label(company: str, lang: Lang) -> str:
    name = lang.companies.get(company)
    return f"{company} {name}" if name and name != company else company


def band_order(seeds: Path) -> list[str]:
    """Layers in the order of layer_groups.csv (buyers at the top, then the supplier side), then the band
    of companies outside the universe."""
    return [r["layer"] for r in _rows(seeds / "layer_groups.csv")] + [OUTSIDE]


def network_svg(edges: list[dict], lang: Lang, seeds: Path) -> Markup:
    """Nodes in horizontal bands by layer; an edge per row, styled by relation, each a link to its quote."""
    s = lang.s
    if not edges:
        return Markup(f'<p class="muted no-data" id="links-none">{escape(s.links_none)}</p>')
    layer_of: dict[str, str] = {}
    for e in edges:
        layer_of[e["from_company"]] = OUTSIDE if is_missing(e.get("from_layer")) else e["from_layer"]
        layer_of[e["to_company"]] = OUTSIDE if is_missing(e.get("to_layer")) else e["to_layer"]
    order = band_order(seeds)
    bands = [b for b in order if b in layer_of.values()] + sorted(set(layer_of.values()) - set(order))
    pos: dict[str, tuple[float, float]] = {}
    spans: list[tuple[str, float, int]] = []  # band, top, rows: a crowded band wraps onto several rows
    top = TOP
    for i, band in enumerate(bands):
        members = _ordered([c for c, layer in layer_of.items() if layer == band], edges, pos)
        rows = [members[k:k + PER_ROW] for k in range(0, len(members), PER_ROW)]
        for r, row in enumerate(rows):
            step = (WIDTH - LEFT - 40) / max(1, len(row))
            shift = (((i + r) % 3) - 1) * min(step * 0.3, 45)  # staggered: edges rarely cross a third node
            for j, company in enumerate(row):
                pos[company] = (LEFT + 20 + step * (j + 0.5) + shift, top + BAND * r + BAND / 2)
        spans.append((band, top, len(rows)))
        top += BAND * len(rows)
    height = top + 40
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" id="links-network" class="links-network" role="img" '
             f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" font-size="11">'
             f'<title>{escape(s.links_chart_title)}</title><defs>'
             f'<marker id="links-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" markerHeight="9" '
             f'markerUnits="userSpaceOnUse" orient="auto-start-reverse">'
             f'<path d="M0,0 L10,5 L0,10 z" fill="{STYLE["supplies"][0]}"/></marker></defs>']
    for i, (band, y, rows) in enumerate(spans):
        name = s.links_outside if band == OUTSIDE else lang.layer(band)
        parts.append(f'<rect x="0" y="{y}" width="{WIDTH}" height="{BAND * rows}" fill="{"#f7f7f7" if i % 2 else "#ffffff"}"/>'
                     f'<text x="8" y="{y + BAND / 2 + 4}" font-weight="600" data-band="{escape(band)}">{escape(name)}</text>')
    seen: dict[frozenset, int] = {}  # a second relation between the same pair bends away from the first
    for n, e in enumerate(edges):
        pair = frozenset((e["from_company"], e["to_company"]))
        parts.append(_edge(e, pos, n, bend=seen.get(pair, 0)))
        seen[pair] = seen.get(pair, 0) + 1
    for company, (x, y) in pos.items():
        outside = layer_of[company] == OUTSIDE
        parts.append(f'<g class="node" data-company="{escape(company)}"><title>{escape(_label(company, lang))}</title>'
                     f'<circle cx="{x:.1f}" cy="{y:.1f}" r="13" fill="{"#fde0c5" if outside else "#d1e5f0"}" stroke="#555"/>'
                     f'<text x="{x:.1f}" y="{y + 26:.1f}" text-anchor="middle">{escape(company)}</text></g>')
    legend_y = top + 22
    x = LEFT
    for relation, (colour, dash) in STYLE.items():
        parts.append(f'<line x1="{x}" y1="{legend_y - 4}" x2="{x + 36}" y2="{legend_y - 4}" stroke="{colour}" stroke-width="2.5" '
                     f'stroke-dasharray="{dash}"/><text x="{x + 42}" y="{legend_y}">{escape(s[f"links_rel_{relation}"])}</text>')
        x += 200
    parts.append("</svg>")
    return Markup("".join(parts))


def _ordered(members: list[str], edges: list[dict], placed: dict[str, tuple[float, float]]) -> list[str]:
    """A band's companies under the mean position of their neighbours in the bands already drawn (fewer
    crossings); those with no placed neighbour keep alphabetical order after them."""
    def key(company: str):
        xs = [placed[other][0] for e in edges for me, other in ((e["from_company"], e["to_company"]),
                                                               (e["to_company"], e["from_company"]))
              if me == company and other in placed]
        return (0, sum(xs) / len(xs), company) if xs else (1, 0.0, company)
    return sorted(members, key=key)


def _edge(e: dict, pos: dict[str, tuple[float, float]], n: int, bend: int = 0) -> str:
    (x1, y1), (x2, y2) = pos[e["from_company"]], pos[e["to_company"]]
    colour, dash = STYLE.get(e["relation"], ("#555", ""))
    # an edge inside one band arcs above it; between bands it is straight (shortened to the node's rim);
    # the k-th further relation between the same pair bends sideways by 36 px per k
    if abs(y1 - y2) < 1:
        cx, cy = (x1 + x2) / 2, y1 - min(60, 18 + abs(x2 - x1) / 6) - 24 * bend
    else:
        d = math.hypot(x2 - x1, y2 - y1) or 1
        cx, cy = (x1 + x2) / 2 + 36 * bend * (y2 - y1) / d, (y1 + y2) / 2 - 36 * bend * (x2 - x1) / d
    length = math.hypot(x2 - cx, y2 - cy) or 1
    ex, ey = x2 - (x2 - cx) / length * 15, y2 - (y2 - cy) / length * 15
    mx, my = 0.25 * x1 + 0.5 * cx + 0.25 * ex, 0.25 * y1 + 0.5 * cy + 0.25 * ey  # the curve's midpoint
    width = 1.5 + min(3.0, math.log2(max(1, int(e["supporting_sentences"]))))
    arrow = ' marker-end="url(#links-arrow)"' if e["relation"] == "supplies" else ""
    title = f'{e["from_company"]} {e["relation_label"]} {e["to_company"]} ({e["supporting_sentences"]})'
    return (f'<a href="#ev-{escape(e["evidence_id"])}" class="edge-link" id="edge-{n}" data-relation="{escape(e["relation"])}">'
            f'<title>{escape(title)}</title>'
            f'<path d="M{x1:.1f},{y1:.1f} Q{cx:.1f},{cy:.1f} {ex:.1f},{ey:.1f}" fill="none" stroke="{colour}" '
            f'stroke-width="{width:.1f}" stroke-dasharray="{dash}" class="edge {escape(e["relation"])}"{arrow}/>'
            f'<circle cx="{mx:.1f}" cy="{my:.1f}" r="4.5" fill="{colour}" class="edge-handle"/></a>')


def links_section(marts: dict[str, pd.DataFrame], lang: Lang, seeds: Path) -> dict:
    edges = edge_rows(marts.get("supply_links"), marts["evidence"], lang)
    return {"edges": edges, "chart": network_svg(edges, lang, seeds)}

