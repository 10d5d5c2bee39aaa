"""The analyst's claims registry: load it, evaluate every claim against the marts and the documents.

Pure functions: marts (dataframes) and a document-text lookup in, verdicts out. The Dagster asset
and the blocking check that wrap them are in checks.py.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd
import yaml

KINDS = ("metric", "quote", "consistency", "reconcile")
OPS: dict[str, Callable] = {
    "==": lambda a, b, tol: abs(a - b) <= tol, "!=": lambda a, b, tol: abs(a - b) > tol,
    ">=": lambda a, b, tol: a >= b - tol, "<=": lambda a, b, tol: a <= b + tol,
    ">": lambda a, b, tol: a > b, "<": lambda a, b, tol: a < b,
}
AGGS = {"sum": "sum", "min": "min", "max": "max", "mean": "mean", "count": "count", "count_distinct": "nunique"}


class ClaimsError(ValueError):
    """The registry itself is malformed; the message names the claim and the field."""


@dataclass
class Claim:
    id: str
    kind: str
    statement: str
    spec: dict
    blocking: bool = True


@dataclass
class Verdict:
    id: str
    kind: str
    statement: str
    status: str  # verified | failed | warning (a failing non-blocking reconcile claim)
    expected: str
    observed: str
    blocking: bool
    evidence: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def load_claims(path: Path) -> list[Claim]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ClaimsError(f"{path}: not valid YAML: {exc}") from None
    claims, seen = [], set()
    for n, item in enumerate(raw.get("claims") or [], start=1):
        cid = str(item.get("id") or f"#{n}")
        if cid in seen:
            raise ClaimsError(f"{path}: claim {cid}: duplicate id")
        seen.add(cid)
        kind = item.get("kind")
        if kind not in KINDS:
            raise ClaimsError(f"{path}: claim {cid}: kind must be one of {', '.join(KINDS)}, not {kind!r}")
        _validate(cid, kind, item, path)
        claims.append(Claim(id=cid, kind=kind, statement=str(item.get("statement", "")), spec=item,
                            blocking=bool(item.get("blocking", True))))
    return claims


def _validate(cid: str, kind: str, item: dict, path: Path) -> None:
    required = {"metric": ("mart", "column", "op", "value"), "quote": ("ticker", "date", "source_type", "text"),
                "consistency": ("left", "right"), "reconcile": ("tolerance_pct",)}[kind]
    missing = [k for k in required if k not in item]
    if missing:
        raise ClaimsError(f"{path}: claim {cid}: missing {', '.join(missing)}")
    if kind == "metric" and item["op"] not in OPS:
        raise ClaimsError(f"{path}: claim {cid}: op must be one of {' '.join(OPS)}")
    if kind == "reconcile" and not isinstance(item["tolerance_pct"], (int, float)):
        raise ClaimsError(f"{path}: claim {cid}: tolerance_pct must be a number")


# ------------------------------------------------------------------------------------------------

def evaluate(claims: list[Claim], marts: dict[str, pd.DataFrame], documents: "DocumentIndex") -> list[Verdict]:
    return [_evaluate_one(c, marts, documents) for c in claims]


def _evaluate_one(claim: Claim, marts, documents) -> Verdict:
    try:
        if claim.kind == "metric":
            return _metric(claim, marts)
        if claim.kind == "quote":
            return _quote(claim, documents)
        if claim.kind == "reconcile":
            return _reconcile(claim, marts)
        return _consistency(claim, marts)
    except _Unresolvable as exc:
        return Verdict(claim.id, claim.kind, claim.statement, "failed", _expected(claim), str(exc), claim.blocking)


class _Unresolvable(Exception):
    pass


def _figure(spec: dict, marts: dict[str, pd.DataFrame]) -> tuple[float, list[dict]]:
    """One number from a mart: rows filtered by `where`, then `agg` (or exactly one row)."""
    mart = spec["mart"]
    if mart not in marts:
        raise _Unresolvable(f"no mart named {mart}")
    df = marts[mart]
    column = spec["column"]
    if column not in df.columns:
        raise _Unresolvable(f"{mart} has no column {column}")
    for key, value in (spec.get("where") or {}).items():
        if key not in df.columns:
            raise _Unresolvable(f"{mart} has no column {key}")
        values = value if isinstance(value, list) else [value]
        df = df[df[key].astype(str).isin([str(v) for v in values])]
    agg = spec.get("agg")
    if agg:
        if agg not in AGGS:
            raise _Unresolvable(f"unknown agg {agg}")
        number = float(getattr(df[column], AGGS[agg])()) if len(df) or agg in ("count", "count_distinct", "sum") else math.nan
    else:
        if len(df) != 1:
            raise _Unresolvable(f"{len(df)} rows of {mart} match {spec.get('where')}, expected exactly 1")
        number = df[column].iloc[0]
        if number is None or (isinstance(number, float) and math.isnan(number)):
            raise _Unresolvable(f"{mart}.{column} is empty for {spec.get('where')}")
        number = float(number)
    _refuse_partial(df, mart, number)
    return number, _row_evidence(df)


def _refuse_partial(df: pd.DataFrame, mart: str, number: float) -> None:
    """A total added up from fewer than all the companies it stands for (column `partial`, e.g. the US
    big five with four floors) cannot verify a claim about the whole, whichever way it compares."""
    if "partial" not in df.columns or not df["partial"].fillna(False).astype(bool).any():
        return
    row = df[df["partial"].fillna(False).astype(bool)].iloc[0]
    counts = (f"{int(row['companies_with_figure'])} of {int(row['companies_expected'])} companies"
              if {"companies_with_figure", "companies_expected"} <= set(df.columns) else "some companies")
    missing = f", missing {row['missing']}" if "missing" in df.columns and isinstance(row["missing"], str) else ""
    raise _Unresolvable(f"partial: {_fmt(number)} from {counts}{missing}")


def _row_evidence(df: pd.DataFrame) -> list[dict]:
    if "sentence" not in df.columns:
        return []
    keep = [c for c in ("ticker", "event_date", "as_of_date", "doc_id", "sentence") if c in df.columns]
    return df[keep].head(3).to_dict("records")


def _metric(claim: Claim, marts) -> Verdict:
    spec = claim.spec
    observed, evidence = _figure(spec, marts)
    ok = OPS[spec["op"]](observed, float(spec["value"]), float(spec.get("tolerance", 0)))
    return Verdict(claim.id, claim.kind, claim.statement, "verified" if ok else "failed", _expected(claim),
                   _fmt(observed), claim.blocking, evidence)


def _consistency(claim: Claim, marts) -> Verdict:
    spec = claim.spec
    left, ev_left = _figure(spec["left"], marts)
    right, ev_right = _figure(spec["right"], marts)
    ok = abs(left - right) <= float(spec.get("tolerance", 0))
    return Verdict(claim.id, claim.kind, claim.statement, "verified" if ok else "failed", _expected(claim),
                   f"{_fmt(left)} vs {_fmt(right)}", claim.blocking, ev_left + ev_right)


def _reconcile(claim: Claim, marts) -> Verdict:
    """Call vs filed capex (capex_reconciliation) on the same basis after scope mapping: a gap beyond
    the tolerance fails, a warning when the claim does not block, with the call sentence and the filing
    as evidence. Quarters whose scopes differ are not judged: the definition explains the gap."""
    spec = claim.spec
    if "capex_reconciliation" not in marts:
        raise _Unresolvable("no mart named capex_reconciliation")
    df = marts["capex_reconciliation"]
    for key in ("ticker", "calendar_quarter"):
        if spec.get(key) is not None:
            values = spec[key] if isinstance(spec[key], list) else [spec[key]]
            df = df[df[key].astype(str).isin([str(v) for v in values])]
    if df.empty:
        raise _Unresolvable(f"no quarter with both a call and a filed figure for {_scope_of(spec)}")
    same = df[df["same_basis"].astype(str).str.lower().isin(["true", "1"])]
    tol_pct, tol_bn = float(spec["tolerance_pct"]), float(spec.get("tolerance_usd_bn", 0))
    gaps = same[(same["difference_pct"].astype(float).abs() > tol_pct)
                & (same["difference_usd_bn"].astype(float).abs() > tol_bn)]
    evidence = []
    for r in gaps.head(5).to_dict("records"):
        evidence.append({"ticker": r["ticker"], "source": "call", "event_date": str(r["call_date"]),
                         "doc_id": r["call_doc_id"], "sentence": r["call_sentence"]})
        evidence.append({"ticker": r["ticker"], "source": "filing", "event_date": str(r["filed"]),
                         "doc_id": r["filed_doc_id"],
                         "sentence": f"{r['form']} {r['accession'] or ''} {r['filing_url'] or ''} ({r['filed_concept']})".strip()})
    explained = len(df) - len(same)
    if gaps.empty:
        return Verdict(claim.id, claim.kind, claim.statement, "verified", _expected(claim),
                       f"{len(same)} quarters within tolerance on the same basis"
                       + (f", {explained} explained by scope" if explained else ""), claim.blocking)
    observed = "; ".join(
        f"{r['ticker']} {r['calendar_quarter']}: call {_fmt(float(r['call_capex_usd_bn']))} "
        f"({r['call_scope'] if isinstance(r['call_scope'], str) else 'capex'}, call of {r['call_date']}) vs filed "
        f"{_fmt(float(r['filed_capex_usd_bn']))} ({r['filed_concept']}, {r['form']} {r['accession'] or ''} filed {r['filed']}): "
        f"{float(r['difference_pct']):+.1f}%"
        for r in gaps.to_dict("records"))
    return Verdict(claim.id, claim.kind, claim.statement, "failed" if claim.blocking else "warning", _expected(claim),
                   observed, claim.blocking, evidence)


def _scope_of(spec: dict) -> str:
    parts = [f"{k} {spec[k]}" for k in ("ticker", "calendar_quarter") if spec.get(k) is not None]
    return ", ".join(parts) or "any company"


def _expected(claim: Claim) -> str:
    spec = claim.spec
    if claim.kind == "reconcile":
        bn = f" and {spec['tolerance_usd_bn']} bn" if spec.get("tolerance_usd_bn") else ""
        return f"call vs filed capex within {spec['tolerance_pct']}%{bn} on the same basis ({_scope_of(spec)})"
    if claim.kind == "metric":
        tol = f" ± {spec['tolerance']}" if spec.get("tolerance") else ""
        return f"{spec['mart']}.{spec['column']} {spec['op']} {spec['value']}{tol}"
    if claim.kind == "quote":
        return f"verbatim in the {spec['source_type']} of {spec['ticker']} dated {spec['date']}"
    return f"{spec['left']['mart']}.{spec['left']['column']} == {spec['right']['mart']}.{spec['right']['column']}" + (
        f" ± {spec['tolerance']}" if spec.get("tolerance") else "")


def _fmt(x: float) -> str:
    return f"{x:.4g}" if abs(x) < 1000 else f"{x:,.0f}"


# ------------------------------------------------------------------------------------------------
# quotes

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "「": '"', "」": '"', "—": "-", "–": "-"})


def normalize(text: str) -> str:
    """Whitespace folded, curly quotes and dashes made plain, Unicode compatibility forms unified."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text).translate(_QUOTES)).strip()


class DocumentIndex:
    """Document text by (ticker, date, source type). Text comes from `segments` when given, else from
    `text_of(row)`, called only for the documents a quote names."""

    def __init__(self, documents: pd.DataFrame, segments: pd.DataFrame | None = None, text_of=None):
        self.meta = documents
        if segments is not None:
            texts = {doc_id: self.join_text(group) for doc_id, group in segments.groupby("doc_id")}
            text_of = lambda row: texts.get(row["doc_id"], "")  # noqa: E731
        self.text_of = text_of

    @staticmethod
    def join_text(segments: pd.DataFrame) -> str:
        return "\n".join(segments.sort_values("seq")["text"])

    def find(self, ticker: str, day: str, source_type: str) -> list[tuple[dict, str]]:
        rows = self.meta[(self.meta["ticker"] == ticker) & (self.meta["event_date"].astype(str) == str(day))
                         & (self.meta["source_type"] == source_type)]
        return [(r, self.text_of(r)) for r in rows.to_dict("records")]


def _quote(claim: Claim, documents: DocumentIndex) -> Verdict:
    spec = claim.spec
    docs = documents.find(str(spec["ticker"]), str(spec["date"]), str(spec["source_type"]))
    if not docs:
        raise _Unresolvable(f"no {spec['source_type']} document of {spec['ticker']} dated {spec['date']}")
    wanted = normalize(str(spec["text"]))
    for meta, text in docs:
        flat = normalize(text)
        at = flat.find(wanted)
        if at >= 0:
            evidence = [{"ticker": meta["ticker"], "event_date": str(meta["event_date"]), "doc_id": meta["doc_id"],
                         "origin": meta["origin"], "sentence": flat[at:at + len(wanted)]}]
            return Verdict(claim.id, claim.kind, claim.statement, "verified", _expected(claim), "found verbatim",
                           claim.blocking, evidence)
    origins = ", ".join(m["origin"] for m, _ in docs)
    return Verdict(claim.id, claim.kind, claim.statement, "failed", _expected(claim),
                   f"not found in {origins}", claim.blocking)


VERDICT_COLUMNS = ["id", "kind", "statement", "status", "expected", "observed", "blocking"]


def verdict_frame(verdicts: list[dict]) -> pd.DataFrame:
    return pd.DataFrame([{k: v.get(k) for k in VERDICT_COLUMNS} for v in verdicts], columns=VERDICT_COLUMNS)
