"""spaCy blank pipelines (no downloaded models) with a span_ruler fed from the lexicon files."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np

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
    from .sentences import NAME as SENTENCIZER  # registers the component

    nlp.add_pipe(SENTENCIZER, config={"punct_chars": _ZH_PUNCT if lang == "zh" else None})
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


def sentence_starts(doc) -> list[int]:
    """Token index of every sentence start, read from the token array (iterating doc.sents builds a
    Python object per token)."""
    from spacy.attrs import SENT_START

    return np.flatnonzero(doc.to_array(SENT_START).astype(np.int64) == 1).tolist() if len(doc) else []


def sentence_chars(doc, starts: list[int], n: int) -> tuple[int, int]:
    """Character span of sentence n, as Span.start_char/end_char would give it."""
    last = doc[(starts[n + 1] if n + 1 < len(starts) else len(doc)) - 1]
    return doc[starts[n]].idx, last.idx + len(last.text)


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
            candidates.append((text, (ctx, text)))  # doc.text would re-join every token
        else:
            yield ctx, [], []
    for doc, (ctx, piece) in nlp.pipe(candidates, as_tuples=True, batch_size=256):
        spans = doc.spans[SPANS_KEY]
        if not len(spans):
            yield ctx, [], []
            continue
        sent_starts = sentence_starts(doc)
        sents: dict[int, tuple[int, int, str]] = {}  # sentence index -> (start, end, text), for those holding spans
        held: dict[tuple[int, str], bool] = {}
        best: dict[tuple[int, str], object] = {}  # (sentence index, topic) -> longest span
        for span in spans:
            if span.id_ in lexicon.exact and span.text not in lexicon.exact[span.id_]:
                continue  # a case-sensitive term in another spelling ("n3" is not the node N3)
            n = bisect_right(sent_starts, span.start) - 1
            if n not in sents:
                start, end = sentence_chars(doc, sent_starts, n)
                sents[n] = (start, end, piece[start:end])
            rule = lexicon.context_of.get(span.id_)
            if rule:
                if (n, rule) not in held:
                    held[n, rule] = lexicon.rules[rule].holds(sents[n][2])
                if not held[n, rule]:
                    continue
            key = (n, span.label_)
            current = best.get(key)
            if current is None or len(span.text) > len(current.text):
                best[key] = span
        mentions: list[dict] = []
        capex: list[dict] = []
        for (n, topic), span in sorted(best.items(), key=lambda kv: (kv[0][0], kv[1].start_char)):
            sent_start, sent_end, text = sents[n]
            mentions.append({
                "topic": topic,
                "term": span.text,
                "start": ctx.offset + span.start_char,
                "end": ctx.offset + span.end_char,
                "sent_start": ctx.offset + sent_start,
                "sent_end": ctx.offset + sent_end,
                "sentence": text,
                "pattern_id": span.id_,
            })
            if topic == "CAPEX":
                for amount in extract_capex(text, lang):
                    row = amount.as_dict()
                    row.update(start=ctx.offset + sent_start + amount.start,
                               end=ctx.offset + sent_start + amount.end,
                               sent_start=ctx.offset + sent_start, sentence=text)
                    capex.append(row)
        yield ctx, mentions, capex
