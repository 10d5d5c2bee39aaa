"""Lexicon files -> span_ruler patterns and context rules; their hash with the tagging code's is the tagger's version."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from infrathesis.versions import SEGMENTATION, digest_files

TOPICS = (
    "GPU", "HBM", "CUSTOM_SILICON", "LIQUID_COOLING", "OPTICAL_800G", "ADVANCED_NODE",
    "CAPACITY_TIGHT", "SANCTIONS", "CAPEX", "DOMESTIC_CHIP", "AI_REVENUE",
)
LANGUAGES = ("en", "zh")


class LexiconError(ValueError):
    pass


@dataclass(frozen=True)
class ContextRule:
    cues: tuple[str, ...]
    unless: tuple[str, ...] = ()
    patterns: tuple[re.Pattern, ...] = ()

    def holds(self, sentence: str) -> bool:
        lowered = sentence.lower()
        cued = any(c in lowered for c in self.cues) or any(p.search(lowered) for p in self.patterns)
        return cued and not any(u in lowered for u in self.unless)


@dataclass(frozen=True)
class Lexicon:
    patterns: dict[str, list[dict]]  # language -> span_ruler patterns (matched on lowercase)
    exact: dict[str, frozenset[str]]  # case-sensitive pattern id -> the spellings that count
    context_of: dict[str, str]  # pattern id -> rule name
    rules: dict[str, ContextRule]
    version: str
    prefilter: dict[str, re.Pattern]  # language -> a superset test: no hit means no pattern can match


def _prefilter(patterns: list[dict], lang: str) -> re.Pattern:
    """One regex over lowercased text that fires wherever any pattern could match (a superset: a
    phrase keeps only its first token, a token regex its body), so pieces without a hit skip spaCy.
    English anchors sit on word boundaries; Chinese has none between characters."""
    parts = set()
    for p in patterns:
        pattern = p["pattern"]
        if isinstance(pattern, str):
            first = pattern.lower().split()[0]
            parts.add(re.escape(first.split("-")[0]))
        else:
            spec = next(iter(pattern[0].values()))
            if isinstance(spec, dict) and "REGEX" in spec:
                parts.add("(?:" + spec["REGEX"].strip("^$").lower() + ")")
            else:
                parts.add(re.escape(str(spec).lower()))
    body = "|".join(sorted(parts, key=len, reverse=True))
    return re.compile(rf"(?<![0-9a-z])(?:{body})(?![0-9a-z])" if lang == "en" else body)

def lexicon_version(folder: Path) -> str:
    return digest_files(p for p in folder.glob("*") if p.suffix in (".jsonl", ".yml"))


TAGGING_CODE = Path(__file__).parent
NOT_TAGGING = {"evaluate.py", "evaluate_real.py", "evaluate_catalysts.py"}  # score the tagger; editing them changes no tag


def tagging_code_version(lexicon_dir: Path, code_dir: Path = TAGGING_CODE, segmentation: Path = SEGMENTATION) -> str:
    """The tagging assets' code version: the tagging modules (context rules, capex extraction), the shared
    sentence segmentation and the lexicon, so an edit to any of them marks the tags stale."""
    code = digest_files([p for p in code_dir.glob("*.py") if p.name not in NOT_TAGGING] + [segmentation])
    return f"{code}-{lexicon_version(lexicon_dir)}"


def load_lexicon(folder: Path) -> Lexicon:
    rules_raw = yaml.safe_load((folder / "context.yml").read_text(encoding="utf-8")) or {}
    rules = {
        name: ContextRule(tuple(c.lower() for c in spec.get("cues", [])), tuple(u.lower() for u in spec.get("unless", [])),
                          tuple(re.compile(r) for r in spec.get("regex", [])))
        for name, spec in rules_raw.items()
    }
    patterns: dict[str, list[dict]] = {lang: [] for lang in LANGUAGES}
    exact: dict[str, frozenset[str]] = {}
    context_of: dict[str, str] = {}
    seen: set[str] = set()
    for path in sorted(folder.glob("*.jsonl")):
        lang = path.name.split("_", 1)[0]
        if lang not in LANGUAGES:
            raise LexiconError(f"{path.name}: file names start with a language ({', '.join(LANGUAGES)})")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{path.name}:{n}"
            try:
                entry = json.loads(line)
            except json.JSONDecodeError as exc:
                raise LexiconError(f"{where}: {exc.msg}") from None
            pid, topic = entry.get("id"), entry.get("topic")
            if not pid or pid in seen:
                raise LexiconError(f"{where}: missing or duplicate id {pid!r}")
            if topic not in TOPICS:
                raise LexiconError(f"{where}: unknown topic {topic!r}")
            terms, tokens = entry.get("term"), entry.get("tokens")
            if not terms and not tokens:
                raise LexiconError(f"{where}: needs `term` or `tokens`")
            if terms and not (isinstance(terms, str) or (isinstance(terms, list) and all(isinstance(t, str) and t for t in terms))):
                raise LexiconError(f"{where}: `term` is a phrase or a list of phrases")
            if entry.get("context"):
                if entry["context"] not in rules:
                    raise LexiconError(f"{where}: unknown context rule {entry['context']!r}")
                context_of[pid] = entry["context"]
            seen.add(pid)
            # Phrases go to spaCy's PhraseMatcher (one hash lookup per token whatever the number of
            # terms); token patterns cost a pass per pattern over every token, so they are the exception.
            # Case-sensitive phrases match on lowercase too and are filtered by spelling afterwards,
            # which is cheaper than a second matcher over every token.
            phrases = [terms] if isinstance(terms, str) else terms
            if entry.get("case_sensitive"):
                if not phrases:
                    raise LexiconError(f"{where}: `case_sensitive` applies to `term` phrases")
                exact[pid] = frozenset(phrases)
            patterns[lang] += [{"label": topic, "pattern": pattern, "id": pid} for pattern in phrases or [tokens]]
    return Lexicon(patterns=patterns, exact=exact, context_of=context_of, rules=rules, version=lexicon_version(folder),
                   prefilter={lang: _prefilter(pats, lang) for lang, pats in patterns.items()})
