"""Topic rules an analyst would apply, and capex amounts, on sentences written here."""

import shutil

import pytest

from assets.tagging.capex import extract_capex
from assets.tagging.lexicon import TAGGING_CODE, TOPICS, LexiconError, load_lexicon, lexicon_version, tagging_code_version
from assets.tagging.nlp import Context, pieces, tag_pieces
from infrathesis.settings import Settings
from infrathesis.versions import SEGMENTATION

LEXICON = Settings.from_env().lexicon_dir


def topics(text: str, lang: str = "en") -> set[str]:
    [(_, mentions, _)] = list(tag_pieces([(text, Context(0, 0, lang))], LEXICON, lang))
    return {m["topic"] for m in mentions}


@pytest.mark.parametrize("text,expected", [
    ("Blackwell demand is well above supply and we remain capacity constrained.", {"GPU", "CAPACITY_TIGHT"}),
    ("We have the capacity to innovate across the whole portfolio.", set()),
    ("AI is reshaping how our customers work.", set()),
    ("The H20 export ban cost us about $8 billion of revenue.", {"GPU", "SANCTIONS"}),
    ("The city council voted to ban plastic bags.", set()),
    ("New export controls limit what we can ship.", {"SANCTIONS"}),
    ("Our quality controls improved yields.", set()),
    ("In 2025 we celebrated our fortieth year, and the 7000 series sold well.", set()),
    ("Our 3nm and N2 wafers ramp with CoWoS packaging.", {"ADVANCED_NODE"}),
    ("HBM3E shipments doubled.", {"HBM"}),
    ("Utilization stayed above 100 percent across our lines.", {"CAPACITY_TIGHT"}),
    ("Utilization was 70 percent, in line with the season.", set()),
    ("Capital expenditures were $22.4 billion this quarter.", {"CAPEX"}),
])
def test_english_topic_rules(text, expected):
    assert topics(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("公司液冷服务器出货量快速增长。", {"LIQUID_COOLING"}),
    ("高端产品市场供不应求，产线满载运行。", {"CAPACITY_TIGHT"}),
    ("公司被列入实体清单后，部分境外供应受到限制。", {"SANCTIONS"}),
    ("公司坚持以客户为中心，持续完善治理结构。", set()),
    ("800G光模块出货量快速增长，国产替代进程加快。", {"OPTICAL_800G", "DOMESTIC_CHIP"}),
])
def test_chinese_topic_rules(text, expected):
    assert topics(text, "zh") == expected


def test_mentions_carry_sentence_and_offsets():
    text = "Our margins improved. We expanded HBM capacity."
    [(_, mentions, _)] = list(tag_pieces([(text, Context("k", 100, "en"))], LEXICON, "en"))
    [m] = mentions
    assert m["term"] == "HBM" and m["sentence"] == "We expanded HBM capacity."
    assert (m["start"], m["sent_start"]) == (100 + text.index("HBM"), 100 + text.index("We"))


def test_every_topic_has_patterns_in_both_languages():
    lexicon = load_lexicon(LEXICON)
    for lang in ("en", "zh"):
        assert {p["label"] for p in lexicon.patterns[lang]} == set(TOPICS), lang


def test_lexicon_edit_changes_version(tmp_path):
    for f in LEXICON.iterdir():
        if f.is_file():
            (tmp_path / f.name).write_bytes(f.read_bytes())
    before = lexicon_version(tmp_path)
    with open(tmp_path / "en_topics.jsonl", "a", encoding="utf-8") as fh:
        fh.write('{"id": "gpu-new", "topic": "GPU", "term": "Rubin Ultra"}\n')
    assert lexicon_version(tmp_path) != before
    with open(tmp_path / "en_topics.jsonl", "a", encoding="utf-8") as fh:
        fh.write('{"id": "bad", "topic": "NOT_A_TOPIC", "term": "x"}\n')
    with pytest.raises(LexiconError, match="unknown topic"):
        load_lexicon(tmp_path)


@pytest.mark.parametrize("sentence,lang,expected", [
    ("We expect capital expenditures for full year 2026 to be in the range of $115 billion to $135 billion.", "en",
     dict(value=None, low=115.0, high=135.0, currency="USD", unit="billion", kind="guidance", period="FY2026")),
    ("Capital expenditures including finance leases were $24.2 billion this quarter.", "en",
     dict(value=24.2, currency="USD", unit="billion", kind="actual", period="quarter", scope="including finance leases")),
    ("Total capex for the quarter was RMB 17.1 billion, driven by GPU servers.", "en",
     dict(value=17.1, currency="CNY", unit="billion", kind="actual", period="quarter")),
    ("For the first quarter of fiscal 2026, we expect capital expenditures to be more than $30 billion.", "en",
     dict(value=None, low=30.0, high=None, kind="guidance", period="FY2026 Q1")),
    ("公司本年度资本开支为14.6亿元。", "zh", dict(value=14.6, currency="CNY", unit="亿", kind="actual")),
    ("Capital expenditures were $19.0 billion this quarter, in line with our plan.", "en",
     dict(value=19.0, kind="actual", period="quarter")),
    ("We plan capital expenditures of more than RMB 380 billion over the next three years.", "en",
     dict(low=380.0, high=None, currency="CNY", kind="guidance", period="next 3 years")),
])
def test_capex_amounts(sentence, lang, expected):
    [amount] = extract_capex(sentence, lang)
    got = amount.as_dict()
    assert {k: got[k] for k in expected} == expected


def test_other_amounts_in_a_capex_sentence_are_not_capex():
    sentence = "Revenue was $50 billion and free cash flow $12 billion, while capital expenditures were $20 billion."
    assert [a.value for a in extract_capex(sentence)] == [20.0]


def test_pieces_keep_offsets_and_limit():
    text = ("First sentence here. " * 300) + "\nsecond line"
    parts = list(pieces(text, limit=500))
    assert all(len(p) <= 500 for _, p in parts)
    assert all(text[o:o + len(p)] == p for o, p in parts)


@pytest.mark.parametrize("module", ["capex.py", "nlp.py", "sentences.py"])
def test_editing_tagging_code_changes_the_tagging_code_version(tmp_path, module):
    """Capex extraction, segmentation and context rules are code, not lexicon: editing them must mark
    the tags stale just as a lexicon edit does."""
    code, lexicon = tmp_path / "code", tmp_path / "lexicon"
    shutil.copytree(TAGGING_CODE, code, ignore=shutil.ignore_patterns("lexicon", "eval", "__pycache__"))
    shutil.copytree(LEXICON, lexicon)
    segmentation = tmp_path / "sentences.py"  # the segmentation shared with parsing lives in infrathesis/
    shutil.copy(SEGMENTATION, segmentation)
    original = SEGMENTATION if module == "sentences.py" else TAGGING_CODE / module
    edited = segmentation if module == "sentences.py" else code / module
    before = tagging_code_version(lexicon, code, segmentation)
    with open(edited, "a", encoding="utf-8") as fh:
        fh.write("\nUNIT_WORDS = {}  # an edit\n")
    assert tagging_code_version(lexicon, code, segmentation) != before
    edited.write_bytes(original.read_bytes())
    assert tagging_code_version(lexicon, code, segmentation) == before  # content, not mtime
    with open(lexicon / "en_topics.jsonl", "a", encoding="utf-8") as fh:
        fh.write('{"id": "gpu-new", "topic": "GPU", "term": "Rubin Ultra"}\n')
    assert tagging_code_version(lexicon, code, segmentation) != before
