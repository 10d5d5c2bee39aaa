"""`infrathesis tag`: the JSONL contract of DESIGN.md, one output line per input line."""

import json

from infrathesis.cli import main


def run_tag(tmp_path, lines: list[str]) -> list[dict]:
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["tag", str(src), "-o", str(out)]) == 0
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_tag_contract(tmp_path):
    records = run_tag(tmp_path, [
        json.dumps({"id": "en1", "text": "We expect capex of $64 to $72 billion in 2025 as GPU supply stays constrained."}),
        json.dumps({"id": "zh1", "text": "公司液冷服务器供不应求。"}),
        json.dumps({"id": "empty", "text": ""}),
        "this is not json",
        json.dumps({"id": "long", "text": "Nothing to see here. " * 5000 + "HBM appears at the end."}),
        json.dumps({"id": "mixed", "text": "Our HBM output grew.\n公司资本开支为10亿元。"}),
    ])
    assert [r["id"] for r in records] == ["en1", "zh1", "empty", None, "long", "mixed"]
    en = records[0]
    assert en["topics"] == ["CAPACITY_TIGHT", "CAPEX", "GPU"]
    assert set(en["mentions"][0]) == {"topic", "term", "start", "end"}
    text = "We expect capex of $64 to $72 billion in 2025 as GPU supply stays constrained."
    assert all(text[m["start"]:m["end"]] == m["term"] for m in en["mentions"])
    assert en["capex"] == [{"value": None, "low": 64.0, "high": 72.0, "currency": "USD", "unit": "billion",
                            "kind": "guidance", "period": "FY2025"}]
    assert records[1]["topics"] == ["CAPACITY_TIGHT", "LIQUID_COOLING"]
    assert records[2]["topics"] == [] and "error" not in records[2]
    assert records[3]["error"].startswith("malformed JSON")
    assert records[4]["topics"] == ["HBM"] and records[4]["mentions"][0]["start"] == 5000 * 21 + 0
    assert records[5]["topics"] == ["CAPEX", "HBM"] and records[5]["capex"][0]["currency"] == "CNY"


def test_tag_reads_stdin(monkeypatch, capsys):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO('{"id": 1, "text": "Liquid cooling is now standard."}\n'))
    assert main(["tag", "-"]) == 0
    [line] = capsys.readouterr().out.splitlines()
    assert json.loads(line)["topics"] == ["LIQUID_COOLING"]
