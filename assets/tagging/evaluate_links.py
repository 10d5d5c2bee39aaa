"""Scores supply-chain links on hand-made labels of the real corpus (eval/real/relations.jsonl).

Gold: the labelled relations of sentences whose speaker is management (any other speaker's sentence has
no gold: the product must not extract from it). Predicted: the links the pipeline's extractor finds when
it runs over the whole document as the pipeline does (the parser's roles, management sentences only)
whose evidence sentence overlaps a labelled span. customer_of(A, B) is supplies(B, A); partner and
competes are unordered. Precision = matched / predicted, recall = matched / gold, per split (`dev` is
tuned on, `heldout` is printed and never tuned on).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from infrathesis.settings import Settings

from .evaluate import Score
from .evaluate_real import _check, document_text, load_labels
from .links import UNDIRECTED, link_lexicon, links_for_segments


@dataclass
class LinkResult:
    scores: dict[str, Score] = field(default_factory=dict)  # split -> score
    errors: list[str] = field(default_factory=list)


def _name(company: str) -> str:
    """Canonical names compare without case, spaces or punctuation ("Hugging Face" = "HuggingFace")."""
    return re.sub(r"[^0-9a-z\u4e00-\u9fff]", "", company.lower())


def normalized(link: dict) -> tuple[str, str, str]:
    relation = link["relation"]
    source, target = link["from"], link["to"]
    if relation == "customer_of":  # A is a customer of B: B supplies A
        relation, source, target = "supplies", target, source
    source, target = _name(source), _name(target)
    if relation in UNDIRECTED:
        source, target = sorted((source, target))
    return source, target, relation


def document_links(folder: Path, rel: str, settings: Settings, text: str | None = None) -> list[dict]:
    """Every link the extractor finds in one real document, with offsets into the labelled text."""
    from assets.ingest.landing import parse_landed_file
    from infrathesis.universe import load_universe

    universe = load_universe(settings.universe_csv)
    parsed = parse_landed_file("call", folder / rel, folder, universe, date.today())
    if not parsed.documents:
        return []
    doc = parsed.documents[0]
    text = document_text(folder, rel) if text is None else text
    found, cursor = [], 0
    for link in links_for_segments(doc.segment_rows(), doc.ticker, link_lexicon(settings.lexicon_dir)):
        at = text.find(link["sentence"], cursor)
        at = at if at >= 0 else text.find(link["sentence"])
        if at < 0:
            continue
        cursor = at
        found.append({**link, "start": at, "end": at + len(link["sentence"])})
    return found


def is_management(speaker: str | None) -> bool:
    return (speaker or "").lower() in ("management", "mdna")


def evaluate_links(folder: Path, settings: Settings) -> LinkResult:
    labels = load_labels("relations")
    result = LinkResult()
    predicted: dict[str, list[dict]] = {}
    texts: dict[str, str] = {}
    for label in labels:
        rel = label["file"]
        if rel not in predicted:
            texts[rel] = document_text(folder, rel)
            predicted[rel] = document_links(folder, rel, settings, texts[rel])
        _check(texts[rel], label)
    by_file: dict[str, list[dict]] = {}
    for label in labels:
        by_file.setdefault(label["file"], []).append(label)
    for rel, file_labels in by_file.items():
        for label in file_labels:
            score = result.scores.setdefault(label["split"], Score())
            gold = {normalized(x) for x in label.get("relations", [])} if is_management(label.get("speaker")) else set()
            got = {normalized(x) for x in predicted[rel] if x["start"] < label["end"] and label["start"] < x["end"]}
            score.tp += len(gold & got)
            score.fp += len(got - gold)
            score.fn += len(gold - got)
            where = f"{label['split']} {rel}@{label['start']}"
            result.errors += [f"{where}: extra {x}" for x in sorted(got - gold)]
            result.errors += [f"{where}: missed {x}" for x in sorted(gold - got)]
    return result


def report(result: LinkResult) -> list[str]:
    lines = [f"{'relations':10} {'precision':>9} {'recall':>7} {'gold':>5} {'predicted':>9}"]
    for split in ("dev", "heldout"):
        s = result.scores.get(split, Score())
        lines.append(f"{split:10} {s.precision:9.3f} {s.recall:7.3f} {s.tp + s.fn:5d} {s.tp + s.fp:9d}")
    return lines


def main_relations(args) -> int:
    """`python -m assets.tagging.evaluate --real --relations [--errors [--heldout]]`."""
    from .evaluate import print_scored
    from .evaluate_real import require_real

    return print_scored(lambda: evaluate_links(require_real(), Settings.from_env()), report, args)
