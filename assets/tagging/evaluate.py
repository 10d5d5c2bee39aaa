"""Scores the tagger on the evaluation set we wrote (assets/tagging/eval/sentences.jsonl).

Per topic: precision and recall of sentence-level topic labels. Capex: a sentence matches when its
extracted amounts equal the expected ones exactly (value or low/high, currency, unit, kind).
Run: python -m assets.tagging.evaluate
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from infrathesis.settings import Settings

from .lexicon import TOPICS
from .nlp import Context, tag_pieces

EVAL_SET = Path(__file__).parent / "eval" / "sentences.jsonl"
THRESHOLD = 0.9
CAPEX_KEYS = ("value", "low", "high", "currency", "unit", "kind")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def load_eval(path: Path = EVAL_SET) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def predict(items: list[dict], lexicon_dir: Path) -> dict[str, tuple[set[str], list[dict]]]:
    out: dict[str, tuple[set[str], list[dict]]] = {}
    for lang in ("en", "zh"):
        batch = [(it["text"], Context(it["id"], 0, lang)) for it in items if it["lang"] == lang]
        for ctx, mentions, capex in tag_pieces(batch, lexicon_dir, lang):
            out[ctx.key] = ({m["topic"] for m in mentions}, [{k: c[k] for k in CAPEX_KEYS} for c in capex])
    return out


def evaluate(items: list[dict], lexicon_dir: Path) -> dict:
    predicted = predict(items, lexicon_dir)
    scores = {t: Score() for t in TOPICS}
    errors = []
    capex_total = capex_exact = 0
    for it in items:
        got, amounts = predicted[it["id"]]
        want = set(it["topics"])
        for topic in TOPICS:
            if topic in got and topic in want:
                scores[topic].tp += 1
            elif topic in got:
                scores[topic].fp += 1
                errors.append((it["id"], f"extra {topic}", it["text"]))
            elif topic in want:
                scores[topic].fn += 1
                errors.append((it["id"], f"missed {topic}", it["text"]))
        if "capex" in it:
            capex_total += 1
            if amounts == it["capex"]:
                capex_exact += 1
            else:
                errors.append((it["id"], f"capex {amounts} != {it['capex']}", it["text"]))
    return {
        "sentences": len(items),
        "topics": {t: {"precision": round(s.precision, 3), "recall": round(s.recall, 3), "positives": s.tp + s.fn}
                   for t, s in scores.items()},
        "capex": {"sentences": capex_total, "exact_match": round(capex_exact / capex_total, 3) if capex_total else 1.0},
        "errors": errors,
    }


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m assets.tagging.evaluate")
    parser.add_argument("--real", action="store_true", help="score on hand-made labels of the real corpus")
    parser.add_argument("--quarterly", metavar="CSV", help="quarterly_capex.csv of a run over the real landing "
                        "folder (default: run the pipeline into a temporary folder)")
    parser.add_argument("--errors", action="store_true", help="list every miss (dev split only unless --heldout)")
    parser.add_argument("--heldout", action="store_true", help="with --errors, also list held-out misses")
    parser.add_argument("--catalysts", action="store_true", help="with --real: score the catalyst extractor only")
    parser.add_argument("--relations", action="store_true", help="with --real, score supply-chain links only "
                        "(eval/real/relations.jsonl; assets/tagging/evaluate_links.py)")
    args = parser.parse_args(argv)
    if args.catalysts:
        return _main_catalysts(args)
    if args.real and args.relations:
        from .evaluate_links import main_relations
        return main_relations(args)
    if args.real:
        return _main_real(args)
    result = evaluate(load_eval(), Settings.from_env().lexicon_dir)
    print(f"{'topic':16} {'precision':>9} {'recall':>7} {'positives':>9}")
    for topic, s in result["topics"].items():
        print(f"{topic:16} {s['precision']:9.3f} {s['recall']:7.3f} {s['positives']:9d}")
    print(f"capex exact match: {result['capex']['exact_match']:.3f} over {result['capex']['sentences']} sentences")
    print(f"sentences: {result['sentences']}")
    for sid, what, text in result["errors"]:
        print(f"  {sid}: {what}: {text}", file=sys.stderr)
    ok = all(s["precision"] >= THRESHOLD and s["recall"] >= THRESHOLD for s in result["topics"].values())
    return 0 if ok and result["capex"]["exact_match"] >= THRESHOLD else 1


def _main_real(args) -> int:
    import tempfile

    from .evaluate_real import evaluate_real, real_dir, report, run_real_pipeline

    def score():
        with tempfile.TemporaryDirectory(prefix="infrathesis-real-") as tmp:
            quarterly = Path(args.quarterly) if args.quarterly else run_real_pipeline(real_dir(), Path(tmp) / "out")
            return evaluate_real(Settings.from_env(), quarterly)

    return print_scored(score, report, args)


def _main_catalysts(args) -> int:
    from .evaluate_catalysts import report, score_catalysts

    return print_scored(lambda: score_catalysts(Settings.from_env()), report, args)


def print_scored(score, report, args) -> int:
    """One shape for every real-corpus scorer: score, print the report, and with --errors the dev errors
    (held-out ones only with --heldout); exit 2 with the reason when the corpus is missing."""
    from .evaluate_real import MissingCorpus

    try:
        result = score()
    except MissingCorpus as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print("\n".join(report(result)))
    if args.errors:
        for line in result.errors:
            if args.heldout or line.startswith("dev "):
                print("  " + line, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
