"""Scores the pipeline on real documents against labels we made by hand (assets/tagging/eval/real/).

The labels hold file names, character offsets, a short hash of the labelled text and the figures; the
text itself is read from the shared real corpus at evaluation time (never copied into the repository).
Three scores, each for the `dev` split (used while building the rules) and the `heldout` split (files
set aside by a hash of their name, scored separately and never tuned on):
- topics: per-topic precision/recall of sentence labels;
- capex: a labelled amount matches when the tagger, run over the whole document with the document's
  fiscal context, finds an amount at that place with the same value or range, currency, unit, kind and
  period;
- quarterly: the quarterly_capex mart of a run over the real landing folder equals the call's headline
  figure for each labelled company-quarter.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from infrathesis.settings import ROOT, Settings
from infrathesis.sentences import detect_language

from .evaluate import Score
from .lexicon import TOPICS

LABELS = Path(__file__).parent / "eval" / "real"
REAL_ENV = "INFRATHESIS_REAL"
REQUIRE_ENV = "INFRATHESIS_REQUIRE_SHARED"
CAPEX_FIELDS = ("value", "low", "high", "currency", "unit", "kind", "period")
_IN_BILLIONS = {"trillion": 1000.0, "billion": 1.0, "million": 0.001, "thousand": 1e-6, "万亿": 1000.0, "亿": 0.1,
                "万": 0.00001, None: 1e-9}


class MissingCorpus(RuntimeError):
    pass


def real_dir() -> Path:
    """The shared real corpus: $INFRATHESIS_REAL, else ../shared/real beside the repository."""
    return Path(os.environ.get(REAL_ENV) or ROOT.parent / "shared" / "real")


def require_real() -> Path:
    folder = real_dir()
    if not (folder / "calls").is_dir():
        raise MissingCorpus(
            f"the real corpus is not at {folder} (set {REAL_ENV}, or place shared/real beside the repository); "
            f"the real-data evaluation reads its text at run time")
    return folder


def load_labels(name: str) -> list[dict]:
    return [json.loads(line) for line in (LABELS / f"{name}.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


def document_text(folder: Path, rel: str) -> str:
    """The text labels point into: a .txt file's text, or a JSON call's `transcript` field."""
    path = folder / rel
    if path.suffix == ".json":
        return json.loads(path.read_text(encoding="utf-8"))["transcript"]
    return path.read_text(encoding="utf-8")


def _check(text: str, label: dict) -> str:
    span = text[label["start"]:label["end"]]
    if hashlib.sha1(span.encode("utf-8")).hexdigest()[:12] != label["sha1"]:
        raise ValueError(f"label offsets no longer point at the labelled text: {label['file']} "
                         f"[{label['start']}:{label['end']}] (the file changed?)")
    return span


@dataclass
class Result:
    topics: dict[str, dict[str, Score]] = field(default_factory=dict)   # split -> topic -> score
    capex: dict[str, list[int]] = field(default_factory=dict)           # split -> [exact, found, labelled]
    quarterly: dict[str, list[int]] = field(default_factory=dict)       # split -> [agree, labelled]
    errors: list[str] = field(default_factory=list)


def score_topics(folder: Path, lexicon_dir: Path, result: Result) -> None:
    from .nlp import Context, tag_pieces

    labels = load_labels("topics")
    texts: dict[str, str] = {}
    by_lang: dict[str, list] = {}
    for label in labels:
        if label["file"] not in texts:
            texts[label["file"]] = document_text(folder, label["file"])
        sentence = _check(texts[label["file"]], label)
        by_lang.setdefault(detect_language(sentence), []).append((sentence, Context(label["id"], 0, "")))
    predicted: dict[str, set[str]] = {}
    for lang, items in by_lang.items():
        for ctx, mentions, _ in tag_pieces(items, lexicon_dir, lang):
            predicted[ctx.key] = {m["topic"] for m in mentions}
    for label in labels:
        scores = result.topics.setdefault(label["split"], {t: Score() for t in TOPICS})
        got, want = predicted.get(label["id"], set()), set(label["topics"])
        for topic in TOPICS:
            if topic in got and topic in want:
                scores[topic].tp += 1
            elif topic in got:
                scores[topic].fp += 1
                result.errors.append(f"{label['split']} {label['id']} {label['file']}@{label['start']}: extra {topic}")
            elif topic in want:
                scores[topic].fn += 1
                result.errors.append(f"{label['split']} {label['id']} {label['file']}@{label['start']}: missed {topic}")


def _document_amounts(folder: Path, rel: str, text: str, settings: Settings) -> list[dict]:
    """Every capex amount the tagger finds in a real document, with offsets into the labelled text and the
    document's own fiscal context (reporting currency, the quarter the call reports)."""
    from assets.ingest.landing import parse_landed_file
    from infrathesis.universe import load_universe

    from .capex import CapexContext
    from .nlp import Context, pieces_with_lead, tag_pieces

    universe = load_universe(settings.universe_csv)
    parsed = parse_landed_file("call", folder / rel, folder, universe, date.today())
    if not parsed.documents:
        return []
    doc = parsed.documents[0]
    company = universe[doc.ticker]
    ctx = CapexContext(currency=company.reporting_currency, fiscal_year=doc.fiscal_year,
                       fiscal_quarter=doc.fiscal_quarter, calendar_fy=company.fiscal_year_end_month == 12,
                       fy_end_month=company.fiscal_year_end_month)
    found = []
    for lang in ("en", "zh"):
        items = [(piece, Context(rel, offset, lang, ctx, lead)) for offset, piece, lead in pieces_with_lead(text)
                 if detect_language(piece) == lang]
        for _, _, amounts in tag_pieces(items, settings.lexicon_dir, lang):
            found += amounts
    return found


def score_capex(folder: Path, settings: Settings, result: Result) -> None:
    labels = load_labels("capex")
    predicted: dict[str, list[dict]] = {}
    texts: dict[str, str] = {}
    for label in labels:
        if label["file"] not in predicted:
            texts[label["file"]] = document_text(folder, label["file"])
            predicted[label["file"]] = _document_amounts(folder, label["file"], texts[label["file"]], settings)
        _check(texts[label["file"]], label)
        tally = result.capex.setdefault(label["split"], [0, 0, 0])
        tally[2] += 1
        overlapping = [a for a in predicted[label["file"]] if a["start"] < label["end"] and label["start"] < a["end"]]
        if not overlapping:
            result.errors.append(f"{label['split']} capex {label['file']}@{label['start']}: not found")
            continue
        tally[1] += 1
        got, want = _normalized(overlapping[0]), _normalized(label)
        if got == want:
            tally[0] += 1
        else:
            diff = {f: (got[f], want[f]) for f in got if got[f] != want[f]}
            result.errors.append(f"{label['split']} capex {label['file']}@{label['start']}: got/want {diff}")


def _normalized(amount: dict) -> dict:
    """Value or range in billions of the stated currency (so 349亿 and 34.9 billion agree), plus currency,
    kind and period: the unit is part of the amount's magnitude, not compared as a word."""
    factor = _IN_BILLIONS.get(amount["unit"], 1.0)
    def scaled(v):
        return None if v is None else round(float(v) * factor, 6)
    return {"value": scaled(amount["value"]), "low": scaled(amount["low"]), "high": scaled(amount["high"]),
            "currency": amount["currency"], "kind": amount["kind"], "period": amount["period"]}


def score_quarterly(quarterly_csv: Path, result: Result) -> None:
    with open(quarterly_csv, encoding="utf-8") as fh:
        mart = {(r["ticker"], r["fiscal_label"]): float(r["capex_usd_bn"]) for r in csv.DictReader(fh)}
    for label in load_labels("quarterly"):
        tally = result.quarterly.setdefault(label["split"], [0, 0])
        tally[1] += 1
        got = mart.get((label["ticker"], label["fiscal_label"]))
        if got is not None and abs(got - label["capex_usd_bn"]) <= 0.0005:
            tally[0] += 1
        else:
            result.errors.append(f"{label['split']} quarterly {label['ticker']} {label['fiscal_label']}: "
                                 f"mart {got} vs label {label['capex_usd_bn']}")


def run_real_pipeline(folder: Path, out: Path) -> Path:
    """`infrathesis run --landing <real> --out <out>`; returns the quarterly mart CSV."""
    import subprocess
    import sys

    subprocess.run([sys.executable, "-m", "infrathesis.cli", "run", "--landing", str(folder), "--out", str(out),
                    "--claims", "none"], check=False, capture_output=True)
    path = out / "tables" / "quarterly_capex.csv"
    if not path.exists():
        raise RuntimeError(f"the run over {folder} published no quarterly_capex table; see {out / 'summary.json'}")
    return path


def evaluate_real(settings: Settings, quarterly_csv: Path | None) -> Result:
    folder = require_real()
    result = Result()
    score_topics(folder, settings.lexicon_dir, result)
    score_capex(folder, settings, result)
    if quarterly_csv is not None:
        score_quarterly(quarterly_csv, result)
    return result


def report(result: Result) -> list[str]:
    lines = []
    for split in ("dev", "heldout"):
        lines.append(f"== {split} ==")
        lines.append(f"{'topic':16} {'precision':>9} {'recall':>7} {'positives':>9}")
        for topic, s in result.topics.get(split, {}).items():
            lines.append(f"{topic:16} {s.precision:9.3f} {s.recall:7.3f} {s.tp + s.fn:9d}")
        exact, found, total = result.capex.get(split, [0, 0, 0])
        lines.append(f"capex exact match: {exact / total if total else 1:.3f} ({exact} of {total} labelled amounts; "
                     f"{found} found)")
        if split in result.quarterly:
            agree, total = result.quarterly[split]
            lines.append(f"quarterly table agreement: {agree / total if total else 1:.3f} ({agree} of {total} "
                         f"labelled company-quarters)")
    return lines
