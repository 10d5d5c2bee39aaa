"""What changed since the last published run into the same output folder.

The report step keeps a snapshot of what it published (marts as CSV, the documents, the claim verdicts)
in <out>/previous/; the next run compares its marts with that snapshot. One row per change, each with
an anchor of the report where its evidence is (a quote, a capex row, a claim)."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from infrathesis.parquet_io import write_text_atomic

from .formats import is_missing, usd_bn, usd_bn_range

MATRIX_THRESHOLD_PP = 10.0  # a matrix cell is listed when its share moved by more than this many percentage points
CAPEX_TOLERANCE_BN = 0.0005  # rounding noise, not a revision
COLUMNS = ["kind", "source_type", "ticker", "subject", "item", "detail", "before", "after", "date", "evidence",
           "origin", "sentence", "before_low_usd_bn", "before_high_usd_bn", "after_low_usd_bn", "after_high_usd_bn"]
KIND_ORDER = ["new_document", "new_capex_quarter", "revised_capex_quarter", "guidance", "matrix_cell_moved",
              "topic_newly_mentioned", "claim_verdict_changed"]
SNAPSHOT_MARTS = ("quarterly_capex", "capex_guidance", "layer_topic_matrix", "pattern_frequency")


def empty() -> pd.DataFrame:
    return pd.DataFrame(columns=COLUMNS)


def load_previous(previous: Path) -> dict | None:
    """The snapshot of the last published run, or None when there is none (the first run)."""
    meta = previous / "meta.json"
    if not meta.exists():
        return None
    snap = {"meta": json.loads(meta.read_text(encoding="utf-8")), "marts": {}}
    for name in SNAPSHOT_MARTS:
        path = previous / f"{name}.csv"
        snap["marts"][name] = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""]) if path.exists() else None
    path = previous / "sources.csv"
    snap["sources"] = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""]) if path.exists() else None
    path = previous / "claims.json"
    snap["claims"] = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
    return snap


def write_snapshot(previous: Path, marts: dict[str, pd.DataFrame], sources: pd.DataFrame | None,
                   claims: list[dict], as_of: str) -> Path:
    """Replaces the snapshot with what this run published (written beside it, then swapped in)."""
    tmp = previous.with_name(previous.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for name in SNAPSHOT_MARTS:
        if name in marts:
            write_text_atomic(marts[name].to_csv(index=False), tmp / f"{name}.csv")
    if sources is not None:
        write_text_atomic(sources.to_csv(index=False), tmp / "sources.csv")
    write_text_atomic(json.dumps([{"id": c.get("id"), "status": c.get("status"), "observed": c.get("observed")}
                                  for c in claims], ensure_ascii=False, default=str), tmp / "claims.json")
    write_text_atomic(json.dumps({"as_of": as_of, "published_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}),
                      tmp / "meta.json")
    old = previous.with_name(previous.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if previous.exists():
        previous.rename(old)
    tmp.rename(previous)
    shutil.rmtree(old, ignore_errors=True)
    return previous


def _num(v) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if pd.isna(f) else f


def _str(v) -> str | None:
    return None if is_missing(v) else str(v)


def _evidence_index(evidence: pd.DataFrame) -> tuple[dict, dict]:
    by_used = {(r.used_in, r.used_for): r for r in evidence.itertuples()}
    by_doc: dict = {}
    for r in evidence.sort_values(["used_in", "used_for"]).itertuples():
        by_doc.setdefault(r.doc_id, r)
    return by_used, by_doc


def compute(marts: dict[str, pd.DataFrame], sources: pd.DataFrame | None, claims: list[dict],
            snapshot: dict | None, threshold_pp: float = MATRIX_THRESHOLD_PP) -> pd.DataFrame:
    """Every change against the snapshot; an empty frame for the first run (snapshot None)."""
    if snapshot is None:
        return empty()
    rows: list[dict] = []
    evidence = marts.get("evidence", pd.DataFrame(columns=["used_in", "used_for", "doc_id", "evidence_id"]))
    by_used, by_doc = _evidence_index(evidence)

    def add(kind, **kw):
        rows.append({c: kw.get(c) for c in COLUMNS} | {"kind": kind})

    # new documents, by source
    prev_sources = snapshot.get("sources")
    if (sources is not None and len(sources) and prev_sources is not None
            and "doc_id" in sources.columns and "doc_id" in prev_sources.columns):
        known = set(prev_sources["doc_id"].dropna())
        for r in sources[~sources["doc_id"].isin(known)].itertuples():
            ev = by_doc.get(r.doc_id)
            add("new_document", source_type=r.source_type, ticker=r.ticker, subject=r.ticker, item=_str(r.title),
                date=_str(r.event_date), origin=r.origin, after=r.source_type,
                evidence=f"ev-{ev.evidence_id}" if ev is not None else "corpus",
                sentence=ev.sentence if ev is not None else None)

    # capex quarters, new or revised
    capex, prev_capex = marts.get("quarterly_capex"), snapshot["marts"].get("quarterly_capex")
    if capex is not None and prev_capex is not None:
        before = {(r.ticker, r.calendar_quarter): _num(r.capex_usd_bn) for r in prev_capex.itertuples()}
        for r in capex.itertuples():
            key = (r.ticker, r.calendar_quarter)
            now = _num(r.capex_usd_bn)
            common = dict(source_type="call", ticker=r.ticker, subject=r.ticker, item=f"{r.calendar_quarter} ({_str(r.fiscal_label) or '—'})",
                          after=usd_bn(now), date=_str(r.event_date), evidence=f"capex-{r.ticker}-{r.calendar_quarter}",
                          sentence=r.sentence, origin=_origin(evidence, "quarterly_capex", f"{r.ticker} {r.calendar_quarter}", by_used))
            if key not in before:
                add("new_capex_quarter", detail="new", before="absent", after_low_usd_bn=now, after_high_usd_bn=now, **common)
            elif (before[key] is None) != (now is None) or (now is not None and abs(now - before[key]) > CAPEX_TOLERANCE_BN):
                add("revised_capex_quarter", detail="revised", before=usd_bn(before[key]), before_low_usd_bn=before[key],
                    before_high_usd_bn=before[key], after_low_usd_bn=now, after_high_usd_bn=now, **common)

    # guidance: a (ticker, period, date) not published before; raised, lowered or first given
    guidance, prev_guidance = marts.get("capex_guidance"), snapshot["marts"].get("capex_guidance")
    if guidance is not None and prev_guidance is not None:
        known = {(r.ticker, r.guided_period, str(r.as_of_date)) for r in prev_guidance.itertuples()}
        for r in guidance.itertuples():
            if (r.ticker, r.guided_period, str(r.as_of_date)) in known:
                continue
            used_for = f"{r.ticker} {r.guided_period} as of {r.as_of_date}"
            ev = by_used.get(("capex_guidance", used_for))
            change = "first given" if r.change == "initial" else r.change
            add("guidance", source_type="call", ticker=r.ticker, subject=r.ticker, item=r.guided_period, detail=change,
                before=usd_bn_range(r.prior_low_usd_bn, r.prior_high_usd_bn) if not is_missing(r.prior_as_of_date) else "absent",
                after=usd_bn_range(r.low_usd_bn, r.high_usd_bn), date=_str(r.as_of_date),
                before_low_usd_bn=_num(r.prior_low_usd_bn), before_high_usd_bn=_num(r.prior_high_usd_bn),
                after_low_usd_bn=_num(r.low_usd_bn), after_high_usd_bn=_num(r.high_usd_bn),
                evidence=f"ev-{ev.evidence_id}" if ev is not None else f"guide-{r.ticker}-{r.guided_period}-{r.as_of_date}",
                sentence=r.sentence, origin=ev.origin if ev is not None else None)

    # matrix cells that moved by more than the threshold
    matrix, prev_matrix = marts.get("layer_topic_matrix"), snapshot["marts"].get("layer_topic_matrix")
    if matrix is not None and prev_matrix is not None:
        before = {(r.layer, r.source_type, r.topic): r for r in prev_matrix.itertuples()}
        for r in matrix.itertuples():
            old = before.get((r.layer, r.source_type, r.topic))
            for scope in ("management", "any"):
                now = _num(getattr(r, f"share_{scope}"))
                was = _num(getattr(old, f"share_{scope}")) if old is not None else None
                now_pct, was_pct = (now or 0) * 100, (was or 0) * 100
                if abs(now_pct - was_pct) <= threshold_pp:
                    continue
                used_for = f"{r.layer} ({r.source_type}) / {r.topic}"
                ev = by_used.get(("layer_topic_matrix", used_for))
                add("matrix_cell_moved", source_type=r.source_type, subject=r.layer, item=r.topic, detail=scope,
                    before=f"{round(was_pct)}%", after=f"{round(now_pct)}%",
                    evidence=f"ev-{ev.evidence_id}" if ev is not None else f"matrix-{scope}",
                    sentence=ev.sentence if ev is not None else None, origin=ev.origin if ev is not None else None,
                    date=_str(ev.event_date) if ev is not None else None)

    # topics a company mentions now and did not before
    freq, prev_freq = marts.get("pattern_frequency"), snapshot["marts"].get("pattern_frequency")
    if freq is not None and prev_freq is not None:
        before = {(r.ticker, r.topic): _num(r.mentions_any) or 0 for r in prev_freq.itertuples()}
        for r in freq.itertuples():
            if (_num(r.mentions_any) or 0) > 0 and before.get((r.ticker, r.topic), 0) == 0:
                ev = _quote_for(evidence, r.ticker, r.topic)
                add("topic_newly_mentioned", ticker=r.ticker, subject=r.ticker, item=r.topic, detail="new",
                    before="not mentioned", after=str(int(_num(r.mentions_any))),
                    evidence=f"ev-{ev.evidence_id}" if ev is not None else f"freq-{r.ticker}",
                    sentence=ev.sentence if ev is not None else None, origin=ev.origin if ev is not None else None,
                    date=_str(ev.event_date) if ev is not None else None)

    # claims whose verdict changed
    prev_status = {c["id"]: c.get("status") for c in snapshot.get("claims") or []}
    for c in claims:
        if c.get("id") in prev_status and prev_status[c["id"]] != c.get("status"):
            add("claim_verdict_changed", subject=c["id"], item=c.get("statement"), detail=c.get("status"),
                before=prev_status[c["id"]], after=c.get("status"), evidence=f"claim-{c['id']}",
                sentence=_str(c.get("observed")))

    frame = pd.DataFrame(rows, columns=COLUMNS)
    if len(frame):
        frame["_k"] = frame["kind"].map(KIND_ORDER.index)
        frame = frame.sort_values(["_k", "source_type", "subject", "item"], na_position="last", kind="stable").drop(columns="_k")
    return frame.reset_index(drop=True)


def _origin(evidence: pd.DataFrame, used_in: str, used_for: str, by_used: dict):
    ev = by_used.get((used_in, used_for))
    return ev.origin if ev is not None else None


def _quote_for(evidence: pd.DataFrame, ticker: str, topic: str):
    """A quote of that company on that topic among the matrix evidence, if the report has one."""
    if not len(evidence) or "used_in" not in evidence:
        return None
    hits = evidence[(evidence["used_in"] == "layer_topic_matrix") & (evidence["ticker"] == ticker)
                    & evidence["used_for"].str.endswith(f"/ {topic}")]
    return next(hits.itertuples(), None)
