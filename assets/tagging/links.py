"""Supply-chain links read from what management says: who supplies whom, who partners, who competes.

Names, aliases and product lines are data (lexicon/companies.yml); the wording that gives a link and its
direction is data too (lexicon/links.yml). A sentence is first masked (the document's own company
becomes ⟦S⟧, any other company ⟦n⟧), then the patterns run over the masked text, so one pattern covers
every company and every spelling. Precision first: a negation, a hypothesis, a question, or a link whose
direction the wording does not give yields nothing. "We/our" is the document's company.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import yaml

from infrathesis.sentences import detect_language, sentence_spans

RELATIONS = ("supplies", "partner", "competes")
UNDIRECTED = ("partner", "competes")
SELF = "⟦S⟧"
_MARK = re.compile(r"⟦(\d+)⟧")
_LIST_SEP = {"en": r"(?:\s*,\s*(?:and\s+|&\s+)?|\s+(?:and|&)\s+)", "zh": r"(?:、|，|,|和|及|以及|与|\s+)"}
_WE = {"en": re.compile(r"\b(?:we|our|us|ours|we['’](?:re|ve|ll|d))\b|⟦S⟧", re.I), "zh": re.compile(r"公司|我们|本公司|⟦S⟧")}
_BEFORE_COMPANY = {"en": re.compile(r"⟦\d+⟧(?:['’]s)?\s+(?:[\w-]+\s+){0,2}$"), "zh": re.compile(r"⟦\d+⟧\S{0,1}$")}
_BOUNDARY_L, _BOUNDARY_R = r"(?<![A-Za-z0-9_])", r"(?![A-Za-z0-9_])"


@dataclass(frozen=True)
class Pattern:
    id: str
    relation: str
    seller: str | None
    regex: re.Pattern
    needs_we: bool | str  # True, or "strict": a we-word itself is required
    not_after_company: bool


@dataclass(frozen=True)
class LinkLexicon:
    canonical: dict[str, str]           # alias as written (or lowercased, for case-insensitive names) -> company
    names_re: re.Pattern                # case-insensitive names
    exact_re: re.Pattern                # names matched as written (short forms, products, Chinese names)
    universe: frozenset[str]            # tickers of the universe (the rest are named outside companies)
    part_of: dict[str, str]             # subsidiary -> owner: in the owner's documents it is "we"
    patterns: dict[str, tuple[Pattern, ...]]
    blocked: dict[str, re.Pattern]

    def mentions(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, company) of every name, longest first where names overlap."""
        found = [(m.start(), m.end(), self.canonical[m.group(0).lower()]) for m in self.names_re.finditer(text)]
        found += [(m.start(), m.end(), self.canonical[m.group(0)]) for m in self.exact_re.finditer(text)]
        found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
        kept, end = [], -1
        for start, stop, company in found:
            if start < end:
                continue
            if kept and kept[-1][2] == company and re.fullmatch(r"(?:['’]s)?\s*", text[kept[-1][1]:start]):
                kept[-1] = (kept[-1][0], stop, company)  # "Microsoft Azure", "Amazon's AWS": one mention
            else:
                kept.append((start, stop, company))
            end = stop
        return kept


def _alternation(aliases: Iterable[str]) -> str:
    body = "|".join(re.escape(a) for a in sorted(set(aliases), key=len, reverse=True))
    return f"{_BOUNDARY_L}(?:{body}){_BOUNDARY_R}"


def _expand(pattern: str, lang: str) -> str:
    company = r"⟦\d+⟧"
    out = pattern.replace("{C}", f"(?P<c>{company}(?:{_LIST_SEP[lang]}{company})*)")
    # a loose list: companies with up to 90 characters of anything between them ("CoreWeave, a cloud
    # provider that ..., and Enview"), for wordings that introduce a list ("customers like", "partners such as")
    out = out.replace("{CL}", f"(?P<c>{company}(?:[^⟦]{{1,90}}?{company})*)")
    out = out.replace("{WE}", r"(?:\bwe\b|\bwe['’](?:re|ve)\b|⟦S⟧)" if lang == "en" else r"(?:公司|我们|本公司|⟦S⟧)")
    # a filler word: any token but another company's marker (the company's own, ⟦S⟧, may be one)
    return re.sub(r"\{W(\d+)\}", lambda m: rf"(?:(?:[^\s⟦]+|⟦S⟧[^\s⟦]*),?\s+){{0,{m.group(1)}}}", out)


def load_link_lexicon(folder: Path) -> LinkLexicon:
    companies = yaml.safe_load((folder / "companies.yml").read_text(encoding="utf-8"))
    rules = yaml.safe_load((folder / "links.yml").read_text(encoding="utf-8"))
    canonical: dict[str, str] = {}
    part_of: dict[str, str] = {}
    names, exact = [], []
    for group in ("universe", "others"):
        for company, spec in (companies.get(group) or {}).items():
            spec = spec or {}
            if spec.get("part_of"):
                part_of[company] = spec["part_of"]
            written = spec.get("exact", []) + spec.get("products", []) + spec.get("zh", [])
            for alias, key, into in [(a, a.lower(), names) for a in spec.get("names", [])] + [(a, a, exact) for a in written]:
                if canonical.get(key, company) != company:
                    raise ValueError(f"companies.yml: {alias!r} names both {canonical[key]} and {company}")
                canonical[key] = company
                into.append(alias)
    patterns = {}
    for lang, items in rules["patterns"].items():
        patterns[lang] = tuple(Pattern(
            id=p["id"], relation=p["relation"], seller=p.get("seller"),
            regex=re.compile(_expand(p["pattern"], lang), re.I if lang == "en" else 0),
            needs_we=p.get("needs_we") or False, not_after_company=bool(p.get("not_after_company")),
        ) for p in items)
    for lang, items in patterns.items():
        for p in items:
            if p.relation not in RELATIONS or (p.relation == "supplies") != (p.seller in ("self", "them")):
                raise ValueError(f"links.yml: pattern {p.id} has relation {p.relation!r} and seller {p.seller!r}")
    return LinkLexicon(
        canonical=canonical,
        names_re=re.compile(_alternation(names), re.I),
        exact_re=re.compile(_alternation(exact)),
        universe=frozenset(companies.get("universe") or {}),
        part_of=part_of,
        patterns=patterns,
        blocked={lang: re.compile(p, re.I) for lang, p in rules["blocked"].items()},
    )


@lru_cache(maxsize=4)
def link_lexicon(folder: Path) -> LinkLexicon:
    return load_link_lexicon(folder)


def _masked(sentence: str, mentions: list[tuple[int, int, str]], ticker: str,
            part_of: dict[str, str]) -> tuple[str, list[str]]:
    parts, others, last = [], [], 0
    for start, end, company in mentions:
        parts.append(sentence[last:start])
        if company == ticker or part_of.get(company) == ticker:
            parts.append(SELF)
        else:
            parts.append(f"⟦{len(others)}⟧")
            others.append(company)
        last = end
    parts.append(sentence[last:])
    return "".join(parts), others


def links_in_sentence(sentence: str, ticker: str, lexicon: LinkLexicon,
                      mentions: list[tuple[int, int, str]] | None = None) -> list[dict]:
    """The links one management sentence of `ticker`'s document states: {from, to, relation, pattern_id}."""
    mentions = lexicon.mentions(sentence) if mentions is None else mentions
    if not any(company != ticker and lexicon.part_of.get(company) != ticker for _, _, company in mentions):
        return []
    lang = detect_language(sentence)
    if lexicon.blocked[lang].search(sentence):
        return []
    masked, others = _masked(sentence, mentions, ticker, lexicon.part_of)
    found: dict[tuple[str, str, str], dict] = {}
    # spans of earlier matches, their relation and the companies they linked: a supplier wording ("our
    # foundry partner X") or the same relation said once more does not link the same company again
    taken: list[tuple[int, int, str, set[int]]] = []
    for pattern in lexicon.patterns[lang]:
        for m in pattern.regex.finditer(masked):
            if pattern.needs_we and not _said_by_us(masked, m, lang, strict=pattern.needs_we == "strict"):
                continue
            if pattern.not_after_company and _BEFORE_COMPANY[lang].search(masked[:m.start()]):
                continue
            indices = {int(i) for i in _MARK.findall(m.group("c"))}
            indices -= {i for start, end, relation, linked in taken if start < m.end() and m.start() < end
                        and relation in (pattern.relation, "supplies") for i in linked}
            if not indices:
                continue
            taken.append((m.start(), m.end(), pattern.relation, indices))
            for i in sorted(indices):
                other = others[i]
                if other == ticker:
                    continue
                seller_is_self = pattern.relation != "supplies" or pattern.seller == "self"
                source, target = (ticker, other) if seller_is_self else (other, ticker)
                found.setdefault((source, target, pattern.relation),
                                 {"from": source, "to": target, "relation": pattern.relation, "pattern_id": pattern.id})
    return list(found.values())


def _said_by_us(masked: str, m: re.Match, lang: str, strict: bool = False) -> bool:
    """A we-word (or the company's own name) before the company list and no other company between it and
    the match, or no other company before the match at all: "our partnership with X", "the partnership
    with X", not "Y's partnership with X"."""
    last = None
    for w in _WE[lang].finditer(masked, 0, m.start("c")):
        last = w
    if last is None:  # no we-word: still ours when no other company comes before ("The partnership with X ...")
        return not strict and not _MARK.search(masked, 0, m.start())
    between = masked[last.end():m.start()] if last.end() <= m.start() else ""
    return not _MARK.search(between)


def links_for_segments(segments: Iterable[dict], ticker: str, lexicon: LinkLexicon) -> list[dict]:
    """Links in the management segments of one document ({seq, role, section, char_start, text}), each
    with its evidence: the sentence verbatim and its offsets into the document text."""
    rows = []
    for seg in segments:
        if seg["role"] != "management" or seg.get("section") == "editorial":
            continue
        text = seg["text"]
        mentions = lexicon.mentions(text)
        if not any(company != ticker for _, _, company in mentions):
            continue
        for a, b in sentence_spans(text):
            inside = [(s - a, e - a, c) for s, e, c in mentions if a <= s and e <= b]
            for link in links_in_sentence(text[a:b], ticker, lexicon, inside):
                rows.append({**link, "seq": seg["seq"], "role": seg["role"], "section": seg.get("section"),
                             "sent_start": seg["char_start"] + a, "sent_end": seg["char_start"] + b,
                             "sentence": text[a:b]})
    return rows
