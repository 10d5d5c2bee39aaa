"""Scores the catalyst extractor on hand labels of the real corpus (eval/real/catalysts.jsonl).

The extractor runs over the whole document as the pipeline does: the parser's segments and roles (only
management segments are read), the call's date and the company's fiscal year end. A labelled catalyst
(speaker management) is window-correct when the extractor has a catalyst on that sentence (its sentence
overlaps the labelled span) with the same window_start and window_end. Detection precision: of the
extractor's catalysts on labelled sentences (any speaker: an analyst's sentence has no gold), those that
match a labelled window. Dev and held-out are printed separately; only dev is tuned on.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from infrathesis.settings import Settings

from .evaluate_real import _check, document_text, load_labels, require_real

LABELS_NAME = "catalysts"
FLOOR_DEV = 0.85  # the CI floor on dev (tests/test_catalysts.py)


@dataclass
class Tally:
    correct: int = 0        # labelled catalysts with the same window on their sentence
    labelled: int = 0
    matched_predicted: int = 0
    predicted: int = 0

    @property
    def window_correct(self) -> float:
        return self.correct / self.labelled if self.labelled else 1.0

    @property
    def precision(self) -> float:
        return self.matched_predicted / self.predicted if self.predicted else 1.0


@dataclass
class CatalystResult:
    splits: dict[str, Tally] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def document_catalysts(folder: Path, rel: str, text: str, settings: Settings) -> list[dict]:
    """Every catalyst the pipeline's extractor finds in a real document, with offsets into `text` (the
    labelled text): the parser's management sentences located in it one after another."""
    from assets.ingest.landing import parse_landed_file
    from infrathesis.universe import load_universe

    from infrathesis.sentences import sentence_spans

    from .catalysts import catalysts_in_text

    universe = load_universe(settings.universe_csv)
    parsed = parse_landed_file("call", folder / rel, folder, universe, date.today())
    if not parsed.documents:
        return []
    doc = parsed.documents[0]
    fye = universe[doc.ticker].fiscal_year_end_month
    found, cursor = [], 0
    for seg in doc.segments:  # sentence by sentence: a merged segment's text need not be verbatim as a whole
        for a, b in sentence_spans(seg.text):
            sentence = seg.text[a:b]
            at = text.find(sentence, cursor)
            if at < 0:
                continue
            cursor = at + len(sentence)
            if seg.role == "management":
                found += catalysts_in_text(sentence, doc.event_date, fye, lexicon_dir=settings.lexicon_dir,
                                           ticker=doc.ticker, offset=at)
    return found


def score_catalysts(settings: Settings, labels: list[dict] | None = None, folder: Path | None = None) -> CatalystResult:
    folder = folder or require_real()
    labels = load_labels(LABELS_NAME) if labels is None else labels
    result = CatalystResult()
    texts: dict[str, str] = {}
    predicted: dict[str, list[dict]] = {}
    for label in labels:
        rel = label["file"]
        if rel not in texts:
            texts[rel] = document_text(folder, rel)
            predicted[rel] = document_catalysts(folder, rel, texts[rel], settings)
        _check(texts[rel], label)
        tally = result.splits.setdefault(label["split"], Tally())
        gold = [c for c in label.get("catalysts", [])] if label.get("speaker") == "management" else []
        got = [c for c in predicted[rel] if c["sent_start"] < label["end"] and label["start"] < c["sent_end"]]
        want = Counter((c["window_start"], c["window_end"]) for c in gold)
        have = Counter((c["window_start"].isoformat(), c["window_end"].isoformat()) for c in got)
        common = want & have
        tally.labelled += sum(want.values())
        tally.correct += sum(common.values())
        tally.predicted += sum(have.values())
        tally.matched_predicted += sum(common.values())
        where = f"{label['split']} {label.get('id', '')} {rel}@{label['start']}"
        for window, n in (want - have).items():
            kinds = [c["kind"] for c in gold if (c["window_start"], c["window_end"]) == window]
            result.errors.append(f"{where}: missed {window[0]}..{window[1]} {kinds}; got {sorted(have)}")
        for window, n in (have - want).items():
            result.errors.append(f"{where}: extra {window[0]}..{window[1]} "
                                 f"({[c['time_text'] for c in got]}) want {sorted(want)}")
    return result


def report(result: CatalystResult) -> list[str]:
    lines = []
    for split in ("dev", "heldout"):
        t = result.splits.get(split, Tally())
        lines.append(f"== {split} == catalysts window correct: {t.window_correct:.3f} ({t.correct} of {t.labelled} "
                     f"labelled); detection precision: {t.precision:.3f} ({t.matched_predicted} of {t.predicted} "
                     f"predicted on labelled sentences)")
    return lines
