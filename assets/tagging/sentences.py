"""Sentence boundaries by spaCy's Sentencizer rule, computed on token arrays instead of Token objects.

The Sentencizer walks every token in Python; at corpus scale that was half the tagging time. This
component applies the same rule (a sentence starts at the first non-punctuation token after a token
in `punct_chars`) with NumPy over `Doc.to_array`; tests hold it to the Sentencizer's output."""

from __future__ import annotations

import numpy as np
from spacy.attrs import IS_PUNCT, ORTH, SENT_START
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

NAME = "array_sentencizer"


class ArraySentencizer:
    def __init__(self, nlp: Language, punct_chars: list[str] | None):
        chars = punct_chars or Sentencizer.default_punct_chars
        self.punct_hashes = np.array(sorted(nlp.vocab.strings.add(c) for c in chars), dtype=np.uint64)

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        values = doc.to_array([ORTH, IS_PUNCT])
        at = np.minimum(np.searchsorted(self.punct_hashes, values[:, 0]), len(self.punct_hashes) - 1)
        period = self.punct_hashes[at] == values[:, 0]
        punctish = period | (values[:, 1] != 0)
        index = np.arange(n)
        # for token i: the last non-punctuation token before it, and whether a sentence-ending mark
        # sits between the two (that mark "opens" a sentence at i when i itself is not punctuation)
        last_word = np.maximum.accumulate(np.where(~punctish, index, -1))
        before = np.concatenate(([-1], last_word[:-1]))
        marks = np.concatenate(([0], np.cumsum(period)))  # marks[k] = periods among tokens < k
        seen = marks[index] - marks[before + 1] > 0
        starts = ~punctish & seen
        starts[0] = True
        doc.from_array([SENT_START], np.where(starts, 1, -1).astype(np.int32).reshape(-1, 1).astype(np.uint64))
        return doc


@Language.factory(NAME, default_config={"punct_chars": None})
def make_array_sentencizer(nlp: Language, name: str, punct_chars: list[str] | None):
    return ArraySentencizer(nlp, punct_chars)
