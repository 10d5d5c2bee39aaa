"""spaCy blank pipelines (no downloaded models) with a span_ruler fed from the lexicon files."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from .capex import extract_capex
from .lexicon import Lexicon, load_lexicon

SPANS_KEY = "topics"
MAX_PIECE = 2000  # characters handed to spaCy at once; Chinese char segmentation slows sharply on big docs
_CJK = re.compile(r"[\u4e00-\u9fff]")
_ZH_PUNCT = ["。", "！", "？", "；", "!", "?", "…"]  # no ".": it is the decimal point in 14.6亿元


def detect_language(text: str) -> str:
    if not text:
        return "en"
    cjk = len(_CJK.findall(text[:5000]))
    return "zh" if cjk / max(1, min(len(text), 5000)) > 0.05 else "en"


@lru_cache(maxsize=4)
def lexicon_for(folder: Path) -> Lexicon:
    return load_lexicon(folder)


@lru_cache(maxsize=8)
def pipeline(lang: str, lexicon_dir: Path):
    import spacy  # heavy; only when tagging actually happens

    lexicon = lexicon_for(lexicon_dir)
    nlp = spacy.blank(lang)
    nlp.max_length = 10 * MAX_PIECE
    if lang == "en":
        # "HBM4E." and "N3P." end sentences too: split the final period off alphanumeric product names.
        suffixes = list(nlp.Defaults.suffixes) + [r"(?<=[0-9][A-Za-z])\.$", r"(?<=[A-Za-z][0-9])\.$"]
        nlp.tokenizer.suffix_search = spacy.util.compile_suffix_regex(suffixes).search
    nlp.add_pipe("sentencizer", config={"punct_chars": _ZH_PUNCT} if lang == "zh" else {})
    ruler = nlp.add_pipe(
        "span_ruler", config={"spans_key": SPANS_KEY, "phrase_matcher_attr": "LOWER", "validate": True}
    )
    ruler.add_patterns(lexicon.patterns[lang])
    return nlp


def pieces(text: str, limit: int = MAX_PIECE) -> Iterator[tuple[int, str]]:
    """Split at line breaks, then at sentence ends, so no piece exceeds `limit`; yields (offset, piece)."""
    offset = 0
    for line in text.split("\n"):
        start = 0
        while len(line) - start > limit:
            window = line[start:start + limit]
            cut = max(window.rfind(p) for p in (". ", "。", "！", "？", "; ", "? ", "! "))
            cut = cut + 1 if cut > limit // 4 else limit
            yield offset + start, line[start:start + cut]
            start += cut
        if line[start:].strip():
            yield offset + start, line[start:]
        offset += len(line) + 1


@dataclass
class Context:
    """What the caller wants carried onto every mention of a text piece."""
    key: object
    offset: int
    lang: str


def tag_pieces(items: Iterable[tuple[str, Context]], lexicon_dir: Path, lang: str) -> Iterator[tuple[Context, list[dict], list[dict]]]:
    """Yields, per piece, its sentence-level topic mentions and capex amounts (offsets shifted by ctx.offset)."""
    nlp = pipeline(lang, lexicon_dir)
    lexicon = lexicon_for(lexicon_dir)
    prefilter = lexicon.prefilter[lang]
    candidates = []
    for text, ctx in items:  # most filler never reaches spaCy: no lexicon term, no mention, no capex
        if prefilter.search(text.lower()):
            candidates.append((text, ctx))
        else:
            yield ctx, [], []
    for doc, ctx in nlp.pipe(candidates, as_tuples=True, batch_size=256):
        mentions: list[dict] = []
        capex: list[dict] = []
        best: dict[tuple[int, str], object] = {}
        for span in doc.spans[SPANS_KEY]:
            sent = span.sent
            rule = lexicon.context_of.get(span.id_)
            if rule and not lexicon.rules[rule].holds(sent.text):
                continue
            key = (sent.start_char, span.label_)
            current = best.get(key)
            if current is None or len(span.text) > len(current.text):
                best[key] = span
        for (sent_start, topic), span in sorted(best.items(), key=lambda kv: (kv[0][0], kv[1].start_char)):
            sent = span.sent
            mentions.append({
                "topic": topic,
                "term": span.text,
                "start": ctx.offset + span.start_char,
                "end": ctx.offset + span.end_char,
                "sent_start": ctx.offset + sent.start_char,
                "sent_end": ctx.offset + sent.end_char,
                "sentence": sent.text,
                "pattern_id": span.id_,
            })
            if topic == "CAPEX":
                for amount in extract_capex(sent.text, lang):
                    row = amount.as_dict()
                    row.update(start=ctx.offset + sent.start_char + amount.start,
                               end=ctx.offset + sent.start_char + amount.end,
                               sent_start=ctx.offset + sent.start_char, sentence=sent.text)
                    capex.append(row)
        yield ctx, mentions, capex
