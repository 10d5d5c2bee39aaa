"""The one sentence segmentation, shared by parsing (speech-to-text calls) and tagging.

Real speech-to-text writes "$6.5 billion", "U.S.", "No. 1" and "approx." inside sentences; a split
there hands the capex extractor "5 billion". A boundary is a terminal mark followed by white space and
something that can start a sentence (capital, digit, quote, currency, CJK), unless the word before
the mark is a known abbreviation or an initial. Chinese marks (。！？；) always end a sentence; a "."
between digits never does. Line breaks are hard boundaries. Run-on speech with no punctuation is cut
at the last comma or space before `MAX_SENTENCE` characters, so no sentence outgrows a tagging piece.
"""

from __future__ import annotations

import re

MAX_SENTENCE = 1200

ABBREVIATIONS = frozenset(
    """u.s u.k e.u u.n mr mrs ms dr prof no nos approx appr inc corp co ltd llc plc vs v e.g i.e etc st jr sr
    fig figs dept est avg jan feb mar apr jun jul aug sep sept oct nov dec a.m p.m mt vol op ch sec
    al gen gov rep sen lt col sgt capt cmdr ft mt""".split()
)

# a terminal mark (or a run of them), optional closing quotes/brackets, then white space
_EN_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)")
_ZH_END = re.compile(r"[。！？；]+[”’」』）)]*")
_STARTER = re.compile(r"[\"'“‘(\[$€£¥A-Z0-9\u4e00-\u9fff]")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")


def _abbreviation(line: str, end: int) -> bool:
    """Is the "." that ends at `end` the end of an abbreviation or an initial ("J.")?"""
    match = _WORD_BEFORE.search(line, max(0, end - 12), end)
    if not match:
        return False
    word = match.group(1).lower().rstrip(".")
    if word in ("no", "nos"):  # "No. 1" but "the answer is no. Next"
        return line[end:].lstrip()[:1].isdigit()
    return word in ABBREVIATIONS or (len(word) == 1 and match.group(1).isupper())


def _lowercase_start(line: str, mark: int, rest: str) -> bool:
    """Speech-to-text often starts a sentence in lower case ("... higher interest costs. we put $90 million into new labs"):
    a "?" or "!", or a "." after a word of three or more letters, followed by a lower-case word, ends a
    sentence too."""
    if not rest[:1].islower() or line[mark] not in ".?!":
        return False
    if line[mark] in "?!":
        return True
    word = _WORD_BEFORE.search(line, max(0, mark - 15), mark + 1)
    return bool(word) and len(word.group(1)) >= 3 and "." not in word.group(1) and not _abbreviation(line, mark + 1)


def _line_spans(line: str) -> list[int]:
    """Cut positions (exclusive ends) of the sentences of one line, the last one being len(line)."""
    cuts = []
    for m in _EN_END.finditer(line):
        end = m.end()
        rest = line[end:].lstrip()
        if not rest or not (_STARTER.match(rest) or _lowercase_start(line, m.start(), rest)):
            continue
        if line[m.start()] == "." and m.end() - m.start() == 1 and _abbreviation(line, m.start() + 1):
            continue
        cuts.append(end)
    cuts += [m.end() for m in _ZH_END.finditer(line) if m.end() < len(line)]
    cuts.append(len(line))
    return sorted(set(cuts))


def _cap(line: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    while end - start > MAX_SENTENCE:
        window = line[start:start + MAX_SENTENCE]
        cut = max(window.rfind(", "), window.rfind("，"))
        if cut < MAX_SENTENCE // 3:
            cut = window.rfind(" ")
        cut = cut + 1 if cut > 0 else MAX_SENTENCE
        spans.append((start, start + cut))
        start += cut
    spans.append((start, end))
    return spans


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of every sentence, white space trimmed, empty ones left out."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        start = 0
        for cut in _line_spans(line):
            for a, b in _cap(line, start, cut):
                piece = line[a:b]
                lead = len(piece) - len(piece.lstrip())
                trail = len(piece.rstrip())
                if trail > lead:
                    spans.append((offset + a + lead, offset + a + trail))
            start = cut
        offset += len(line) + 1
    return spans


_CJK = re.compile(r"[\u4e00-\u9fff]")


def detect_language(text: str) -> str:
    """"zh" when CJK characters are more than 5% of the first 5,000 characters, else "en"."""
    if not text:
        return "en"
    head = text[:5000]
    return "zh" if len(_CJK.findall(head)) / max(1, len(head)) > 0.05 else "en"


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]
