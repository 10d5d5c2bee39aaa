"""The fast paths of tagging give the answers of the plain ones: phrase lists against their token
patterns, and worker processes against one process."""

import pyarrow.parquet as pq
import pytest
import spacy

from assets.ingest.store import ingest_source, landed_keys
from assets.tagging.assets import tag_files
from assets.tagging.lexicon import LexiconError, load_lexicon
from assets.tagging.nlp import Context, pipeline, tag_pieces
from conftest import SAMPLE, settings_for
from infrathesis.parallel import fan_out
from infrathesis.settings import Settings

LEXICON = Settings.from_env().lexicon_dir

def test_term_lists_and_case_sensitive_terms(tmp_path):
    (tmp_path / "context.yml").write_text("{}\n", encoding="utf-8")
    (tmp_path / "en_topics.jsonl").write_text(
        '{"id": "nodes", "topic": "ADVANCED_NODE", "term": ["N3", "N2P"], "case_sensitive": true}\n'
        '{"id": "gpus", "topic": "GPU", "term": ["h100", "h100s"]}\n', encoding="utf-8")
    text = "N3 and N2P ramp. The n3 form and the N2p plan are late. H100S and h100 ship."
    [(_, mentions, _)] = list(tag_pieces([(text, Context(0, 0, "en"))], tmp_path, "en"))
    # one mention per sentence and topic, the longest term; the second sentence spells both nodes wrongly
    assert [(m["topic"], m["term"]) for m in mentions] == [("ADVANCED_NODE", "N2P"), ("GPU", "H100S")]
    assert load_lexicon(tmp_path).exact == {"nodes": frozenset({"N3", "N2P"})}


@pytest.mark.parametrize("term", ['[]', '[""]', '[1]', '{"a": 1}', 'null, "tokens": [{"LOWER": "x"}], "case_sensitive": true'])
def test_bad_term_lists_are_rejected(tmp_path, term):
    (tmp_path / "context.yml").write_text("{}\n", encoding="utf-8")
    (tmp_path / "en_topics.jsonl").write_text(f'{{"id": "x", "topic": "GPU", "term": {term}}}\n', encoding="utf-8")
    with pytest.raises(LexiconError, match="en_topics.jsonl:1"):
        load_lexicon(tmp_path)


def _double(x):
    if x == "boom":
        raise ValueError("bad item")
    return 2 * x


def test_fan_out_keeps_order_and_raises_worker_errors():
    assert list(fan_out(_double, range(50), workers=2)) == [2 * x for x in range(50)]
    with pytest.raises(ValueError, match="bad item"):
        list(fan_out(_double, [1] * 20 + ["boom"], workers=2))


def test_tagging_in_workers_equals_one_process(tmp_path, monkeypatch):
    settings = settings_for(SAMPLE, tmp_path / "out")
    ingest_source("call", settings)
    keys = sorted(landed_keys(settings, ("call",)))

    def tagged():
        tables = [pq.read_table(p) for p in sorted((settings.parquet_dir / "shards").glob("*/mentions.parquet"))]
        return sorted(tuple(r.values()) for t in tables for r in t.to_pylist())

    monkeypatch.setenv("INFRATHESIS_WORKERS", "1")
    one = tag_files(keys, settings)
    serial = tagged()
    monkeypatch.setenv("INFRATHESIS_WORKERS", "2")
    two = tag_files(keys, settings)
    assert serial and tagged() == serial
    assert (one["files"], one["mentions"], one["per_topic"]) == (two["files"], two["mentions"], two["per_topic"])
