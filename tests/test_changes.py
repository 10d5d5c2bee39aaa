""""What changed" since the last published run into the same output folder: a first run says there is
nothing to compare with; a rerun after a new transcript and a revised guidance lists both, with evidence
links, in the HTML and Markdown of both editions, in tables/changes.csv and in the workbooks."""

import openpyxl
import pandas as pd

from conftest import settings_for
from infrathesis.pipeline import run_pipeline

NEW_CALL = """---
ticker: GOOGL
date: 2026-02-04
fiscal_period: FY2025 Q4
---
Alphabet (GOOGL) FY2025 Q4 Earnings Call
Corporate Participants:
Dana Whitfield - Chief Financial Officer
Operator: Welcome to the Alphabet fourth quarter 2025 earnings call.
Dana Whitfield: Alphabet capital expenditures were $27.9 billion this quarter, driven by servers and data centers for TPU capacity. For the full year 2026 we expect capital expenditures of $175 billion to $185 billion. Our liquid cooling deployments doubled.
"""

REVISED_GUIDANCE = """---
ticker: META
date: 2026-03-18
fiscal_period: FY2026 Q1
---
Meta Platforms (META) Investor Update Call
Corporate Participants:
Sam Sørensen - Chief Financial Officer
Operator: Welcome to the Meta Platforms investor update.
Sam Sørensen: Meta Platforms is raising its outlook. We now expect full year 2026 capital expenditures to be in the range of $125 billion to $145 billion, up from our prior outlook, as we add GPU capacity.
"""


def _changes_section(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0]


def test_rerun_lists_new_transcript_and_revised_guidance(small_landing, tmp_path, isolated_env):
    out = tmp_path / "out"
    settings = settings_for(small_landing, out)
    assert run_pipeline(settings).published
    for name in ("report.html", "report.zh.html", "report.md", "report.zh.md"):
        text = (out / name).read_text(encoding="utf-8")
        assert ("nothing to compare with" in text) or ("没有可供比较的上一期" in text), name
    assert len(pd.read_csv(out / "tables" / "changes.csv")) == 0
    assert (out / "previous" / "meta.json").exists()

    (small_landing / "calls" / "GOOGL_2026-02-04.txt").write_text(NEW_CALL, encoding="utf-8")
    (small_landing / "calls" / "META_2026-03-18.txt").write_text(REVISED_GUIDANCE, encoding="utf-8")
    assert run_pipeline(settings).published

    changes = pd.read_csv(out / "tables" / "changes.csv")
    new_docs = changes[changes["kind"] == "new_document"]
    assert set(new_docs["origin"].str.rsplit("/", n=1).str[-1]) == {"GOOGL_2026-02-04.txt", "META_2026-03-18.txt"}
    assert set(new_docs["source_type"]) == {"call"}
    guidance = changes[changes["kind"] == "guidance"].set_index("ticker")
    assert guidance.loc["META", "detail"] == "raised" and guidance.loc["META", "after"] == "125.0–145.0"
    assert guidance.loc["META", "before"] == "115.0–135.0"
    assert guidance.loc["GOOGL", "detail"] == "first given"
    capex = changes[changes["kind"] == "new_capex_quarter"]
    assert ("GOOGL" in set(capex["ticker"]))
    assert changes["evidence"].notna().all()
    assert guidance.loc["META", "evidence"].startswith("ev-")

    html = (out / "report.html").read_text(encoding="utf-8")
    section = _changes_section(html, 'id="changes"', 'id="matrix"')
    assert "GOOGL_2026-02-04.txt" in section and "META_2026-03-18.txt" in section
    assert "raised" in section and "125.0–145.0" in section and "first given" in section
    for anchor in changes["evidence"]:
        assert f'href="#{anchor}"' in section
        if anchor.startswith(("ev-", "capex-", "claim-")):
            assert f'id="{anchor}"' in html, anchor  # the link lands on a row of the report
    zh = (out / "report.zh.html").read_text(encoding="utf-8")
    section = _changes_section(zh, 'id="changes"', 'id="matrix"')
    assert "上调" in section and "首次给出" in section and "新文档" in section and "GOOGL_2026-02-04.txt" in section
    assert "亿美元" in zh and "1250亿美元" in section
    assert f'href="#{guidance.loc["META", "evidence"]}"' in section

    for name, words in (("report.md", ("raised", "first given")), ("report.zh.md", ("上调", "首次给出"))):
        md = (out / name).read_text(encoding="utf-8")
        block = md.split("\n## ", 2)[1]
        assert "GOOGL_2026-02-04.txt" in block and "META_2026-03-18.txt" in block, name
        assert all(w in block for w in words), name
        html_name = name.replace(".md", ".html")
        assert f"]({html_name}#{guidance.loc['META', 'evidence']})" in block

    book = openpyxl.load_workbook(out / "report.xlsx", read_only=True)
    rows = list(book["changes"].iter_rows(values_only=True))
    cols = rows[0]
    kinds = {(r[cols.index("kind")], r[cols.index("ticker")]) for r in rows[1:]}
    assert {("new_document", "GOOGL"), ("new_document", "META"), ("guidance", "META"), ("guidance", "GOOGL")} <= kinds
    assert all(r[cols.index("evidence")] for r in rows[1:])
    book = openpyxl.load_workbook(out / "report.zh.xlsx", read_only=True)
    rows = list(book["本次变化"].iter_rows(values_only=True))
    assert rows[0][0] == "变化类型"
    assert {"新文档", "资本开支指引"} <= {r[0] for r in rows[1:]}

    # a third run over the same landing: nothing new
    assert run_pipeline(settings).published
    assert len(pd.read_csv(out / "tables" / "changes.csv")) == 0
    assert "Nothing changed since the last published run." in (out / "report.html").read_text(encoding="utf-8")
