"""The fast paths of tagging give the answers of the plain ones: the array sentencizer against spaCy's
Sentencizer, phrase lists against their token patterns, and worker processes against one process."""

import pyarrow.parquet as pq
import pytest
import spacy

from assets.ingest.store import ingest_source, landed_keys
from assets.tagging.assets import tag_files
from assets.tagging.lexicon import LexiconError, load_lexicon
from assets.tagging.nlp import _ZH_PUNCT, Context, pipeline, tag_pieces
from conftest import SAMPLE, settings_for
from infrathesis.parallel import fan_out
from infrathesis.settings import Settings

LEXICON = Settings.from_env().lexicon_dir

ENGLISH = [
    "", ".", "...", "!!", "Hi. . There", "We grew 3.1 percent. Then we paused.",
    "The U.S. Commerce Department acted. Mr. Smith of Acme Inc. said so at 9 a.m. Monday.",
    'He said "we are sold out." Then he left.  Two spaces here. And a tab.\tNext?',
    "Really?! Yes. (Quoted.) Next one... and so on. HBM4E. N3P. Done",
    "e.g. this, i.e. that; vs. the rest! End?) Start",
]
CHINESE = ["", "。", "公司液冷服务器出货量快速增长。高端产品供不应求！是否继续？", "增长14.6亿元。（注）下一句；再一句…结束",
           "HBM3E 产能紧张。 下一段"]


@pytest.mark.parametrize("lang,texts", [("en", ENGLISH), ("zh", CHINESE)])
def test_array_sentencizer_matches_spacy(lang, texts):
    fast = pipeline(lang, LEXICON)
    reference = spacy.blank(lang)
    reference.tokenizer = fast.tokenizer
    reference.add_pipe("sentencizer", config={"punct_chars": _ZH_PUNCT} if lang == "zh" else {})
    sample = [line for p in sorted((SAMPLE / "calls").glob("*.txt"))[:20] for line in p.read_text().splitlines()]
    for text in texts + (sample if lang == "en" else []):
        if not text:
            assert len(fast(text)) == 0
            continue
        assert [s.start for s in fast(text).sents] == [s.start for s in reference(text).sents], text


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
