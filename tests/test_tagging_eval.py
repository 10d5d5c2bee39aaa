"""The tagger against the evaluation set we wrote: every topic at precision and recall >= 0.9, capex >= 0.9."""

import json

from assets.tagging.assets import tag_documents
from assets.tagging.evaluate import EVAL_SET, THRESHOLD, evaluate, load_eval
from assets.tagging.lexicon import TOPICS, tagging_code_version
from infrathesis.cli import main
from infrathesis.settings import Settings

LEXICON = Settings.from_env().lexicon_dir


def test_eval_set_composition():
    items = load_eval()
    assert len(items) >= 300
    assert {it["lang"] for it in items} == {"en", "zh"}
    for topic in TOPICS:
        assert sum(topic in it["topics"] for it in items) >= 20, topic
    assert sum(not it["topics"] for it in items) >= 40  # hard negatives: "AI" alone, capacity to innovate, ...
    capex = [it for it in items if "capex" in it]
    assert len(capex) >= 60 and {it["lang"] for it in capex} == {"en", "zh"}


def test_precision_recall_and_capex_meet_the_bar():
    result = evaluate(load_eval(EVAL_SET), LEXICON)
    low = {t: s for t, s in result["topics"].items() if s["precision"] < THRESHOLD or s["recall"] < THRESHOLD}
    assert not low, (low, result["errors"][:20])
    assert result["capex"]["exact_match"] >= THRESHOLD, result["errors"][:20]


def test_tagging_assets_carry_the_tagging_code_version():
    version = tagging_code_version(LEXICON)
    assert set(tag_documents.code_versions_by_key.values()) == {version}


def test_tag_handles_ten_thousand_odd_lines(tmp_path):
    lines = []
    for i in range(10_000):
        kind = i % 5
        if kind == 0:
            lines.append(json.dumps({"id": i, "text": "Capital expenditures were $1.5 billion in Q3 as GPU supply stayed tight."}))
        elif kind == 1:
            lines.append(json.dumps({"id": i, "text": ""}))
        elif kind == 2:
            lines.append(json.dumps({"id": i, "text": "公司液冷服务器供不应求。 Our HBM output grew."}))
        elif kind == 3:
            lines.append("{broken json" if i % 10 == 3 else json.dumps({"id": i}))
        else:
            lines.append(json.dumps({"id": i, "text": "word " * 600}))  # longer than one spaCy piece
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["tag", str(src), "-o", str(out)]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 10_000
    assert records[0]["topics"] == ["CAPACITY_TIGHT", "CAPEX", "GPU"]
    assert records[2]["topics"] == ["CAPACITY_TIGHT", "HBM", "LIQUID_COOLING"]
    assert records[3]["error"] == "malformed JSON: Expecting property name enclosed in double quotes"
    assert records[8]["error"] == "missing text" and records[4]["topics"] == []
