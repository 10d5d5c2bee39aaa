"""`infrathesis tag`: JSONL in, one JSONL line out per input line, whatever the input holds."""

from __future__ import annotations

import json
from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator, TextIO

from assets.tagging.nlp import Context, pieces, tag_pieces
from infrathesis.sentences import detect_language

BATCH_LINES = 500
CAPEX_FIELDS = ("value", "low", "high", "currency", "unit", "kind", "period")


def tag_stream(lines: TextIO | Iterable[str], lexicon_dir: Path) -> Iterator[dict]:
    iterator = iter(lines)
    while True:
        batch = list(islice(iterator, BATCH_LINES))
        if not batch:
            return
        yield from _tag_batch(batch, lexicon_dir)


def _tag_batch(lines: list[str], lexicon_dir: Path) -> list[dict]:
    records: list[dict] = []
    work: dict[str, list] = {}
    for line in lines:
        record = {"id": None, "topics": [], "mentions": [], "capex": []}
        records.append(record)
        if not line.strip():
            record["error"] = "empty line"
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            record["error"] = f"malformed JSON: {exc.msg}"
            continue
        if not isinstance(item, dict):
            record["error"] = "expected a JSON object"
            continue
        record["id"] = item.get("id")
        text = item.get("text")
        if not isinstance(text, str):
            record["error"] = "missing text" if text is None else "text is not a string"
            continue
        for offset, piece in pieces(text):
            lang = item.get("lang") if item.get("lang") in ("en", "zh") else detect_language(piece)
            work.setdefault(lang, []).append((piece, Context(record, offset, lang)))
    for lang, items in work.items():
        for ctx, mentions, capex in tag_pieces(items, lexicon_dir, lang):
            record = ctx.key
            record["mentions"] += [{k: m[k] for k in ("topic", "term", "start", "end")} for m in mentions]
            record["capex"] += [{k: c[k] for k in CAPEX_FIELDS} for c in capex]
    for record in records:
        record["mentions"].sort(key=lambda m: (m["start"], m["topic"]))
        record["topics"] = sorted({m["topic"] for m in record["mentions"]})
    return records
