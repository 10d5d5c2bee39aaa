"""One segmentation for parsing and tagging: real speech-to-text puts periods inside numbers and
abbreviations; none of those may end a sentence. Sentences below are ours, shaped like real calls."""

import pytest

from assets.tagging.nlp import pieces
from infrathesis.sentences import MAX_SENTENCE, sentence_spans, sentences


@pytest.mark.parametrize("text,expected", [
    ("Free cash flow was $6.5 billion, reflecting higher capital expenditures. Next slide.",
     ["Free cash flow was $6.5 billion, reflecting higher capital expenditures.", "Next slide."]),
    ("We are the No. 1 supplier in the U.S. Market share rose.",
     ["We are the No. 1 supplier in the U.S. Market share rose."]),
    ("Capex was approx. $3.2 billion in the quarter. We expect more.",
     ["Capex was approx. $3.2 billion in the quarter.", "We expect more."]),
    ("Thanks, Mr. Lee. Our guidance is 1.6T optics. Really? Yes!",
     ["Thanks, Mr. Lee.", "Our guidance is 1.6T optics.", "Really?", "Yes!"]),
    ("Revenue at Acme Inc. grew 12.5% vs. last year, e.g. in Q3. Good.",
     ["Revenue at Acme Inc. grew 12.5% vs. last year, e.g. in Q3.", "Good."]),
    ("the answer is no. Next question.", ["the answer is no.", "Next question."]),
    ("资本开支为14.6亿元。我们预计下半年将继续增长！Total capex was $37.5 billion. 好的",
     ["资本开支为14.6亿元。", "我们预计下半年将继续增长！", "Total capex was $37.5 billion.", "好的"]),
    ("line one without a stop\nline two. Still two.", ["line one without a stop", "line two.", "Still two."]),
])
def test_sentence_boundaries(text, expected):
    assert sentences(text) == expected


def test_spans_are_offsets_into_the_text():
    text = "  Capex was $8 billion.   We expect $10 billion next quarter.  "
    assert [text[a:b] for a, b in sentence_spans(text)] == ["Capex was $8 billion.", "We expect $10 billion next quarter."]


def test_run_on_speech_is_cut_below_the_cap_at_a_comma():
    text = ", ".join(["and we keep talking about demand"] * 200)
    spans = sentence_spans(text)
    assert len(spans) > 1
    assert all(b - a <= MAX_SENTENCE for a, b in spans)
    assert all(text[b - 1] == "," for a, b in spans[:-1])


def test_pieces_never_cut_a_sentence():
    text = " ".join(f"Sentence {i} says capex was ${i}.5 billion." for i in range(400)) + "\nNew line. Two."
    boundaries = {a for a, _ in sentence_spans(text)}
    got = list(pieces(text, limit=500))
    assert all(len(p) <= 500 for _, p in got)
    assert all(offset in boundaries for offset, _ in got)
    assert "".join(p for _, p in got).replace(" ", "") == text.replace(" ", "").replace("\n", "")
