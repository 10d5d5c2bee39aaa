"""spaCy blank pipelines (no downloaded models) with a span_ruler fed from the lexicon files."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from infrathesis.sentences import sentence_spans

from .capex import CAPEX_WORDS, OTHER_METRICS, CapexContext, extract_capex, has_money
from .lexicon import Lexicon, load_lexicon

SPANS_KEY = "topics"
MAX_PIECE = 2000  # characters handed to spaCy at once; Chinese char segmentation slows sharply on big docs


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
        # "HBM4E." and "N3P." end sentences: split the final period off so the product name matches.
        # "Capital expenditures-- $37.5 billion" (a provider's summary line): "--" is not part of the word.
        suffixes = list(nlp.Defaults.suffixes) + [r"(?<=[0-9][A-Za-z])\.$", r"(?<=[A-Za-z][0-9])\.$", r"-{2,}$", r"—$"]
        nlp.tokenizer.suffix_search = spacy.util.compile_suffix_regex(suffixes).search
    ruler = nlp.add_pipe(
        "span_ruler", config={"spans_key": SPANS_KEY, "phrase_matcher_attr": "LOWER", "validate": True}
    )
    ruler.add_patterns(lexicon.patterns[lang])
    return nlp


def pieces(text: str, limit: int = MAX_PIECE) -> Iterator[tuple[int, str]]:
    """Whole sentences (the shared segmentation) packed into pieces of at most `limit` characters, one
    line at most per piece; yields (offset, piece). A piece never cuts a sentence, so sentence
    boundaries found inside a piece are those of the whole text."""
    for offset, piece, _ in pieces_with_lead(text, limit):
        yield offset, piece


def pieces_with_lead(text: str, limit: int = MAX_PIECE) -> Iterator[tuple[int, str, str]]:
    """As `pieces`, plus the sentence just before each piece on the same line ("" at a line start): a
    capex word or a year said there still belongs to the first amounts of the piece."""
    start = end = None
    previous = (0, 0)
    for a, b in sentence_spans(text):
        new_line = start is not None and "\n" in text[end:a]
        if start is not None and (b - start > limit or new_line):
            yield start, text[start:end], lead
            start = None
        if start is None:
            start = a
            lead = "" if new_line or "\n" in text[previous[1]:a] else text[previous[0]:previous[1]]
        end = b
        previous = (a, b)
    if start is not None:
        yield start, text[start:end], lead


@dataclass
class Context:
    """What the caller wants carried onto every mention of a text piece."""
    key: object
    offset: int
    lang: str
    capex: CapexContext | None = None  # the document's company and reported quarter, for capex amounts
    lead: str = ""                     # the sentence before the piece, when the piece starts mid-line


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
        bounds = sentence_spans(piece)
        starts = [a for a, _ in bounds]
        sents: dict[int, tuple[int, int, str]] = {}  # sentence index -> (start, end, text), for those holding spans
        held: dict[tuple[int, str], bool] = {}
        best: dict[tuple[int, str], object] = {}  # (sentence index, topic) -> longest span
        for span in spans:
            if span.id_ in lexicon.exact and span.text not in lexicon.exact[span.id_]:
                continue  # a case-sensitive term in another spelling ("n3" is not the node N3)
            n = max(0, bisect_right(starts, span.start_char) - 1)
            if n not in sents:
                start, end = bounds[n]
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
        capex_sentences = sorted({n for (n, topic) in best if topic == "CAPEX"})
        for n in capex_sentences:
            capex += _amounts(piece, bounds, n, ctx, lang, carried=False)
            following = n + 1  # "Turning to capex. We spent $2.1 billion in the quarter."
            said_capex = CAPEX_WORDS.search(piece[bounds[n][0]:bounds[n][1]])
            if said_capex and following < len(bounds) and following not in capex_sentences:
                capex += _amounts(piece, bounds, following, ctx, lang, carried=True)
        yield ctx, mentions, capex


def _amounts(piece: str, bounds: list[tuple[int, int]], n: int, ctx: Context, lang: str, carried: bool) -> list[dict]:
    sent_start, sent_end = bounds[n]
    text = piece[sent_start:sent_end]
    if carried and (not has_money(text, lang) or OTHER_METRICS.search(text)):
        return []  # carried only into a sentence about nothing else: "Turning to capex. We spent $2 billion."
    previous = piece[bounds[n - 1][0]:bounds[n - 1][1]] if n else ctx.lead
    rows = []
    for amount in extract_capex(text, lang, ctx.capex, carried=carried, previous=previous):
        row = amount.as_dict()
        row.update(start=ctx.offset + sent_start + amount.start, end=ctx.offset + sent_start + amount.end,
                   sent_start=ctx.offset + sent_start, sentence=text)
        rows.append(row)
    return rows
