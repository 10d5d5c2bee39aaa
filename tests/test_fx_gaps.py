"""A quarter without an FX rate in fx_rates.csv is a listed gap (review rule fx_rate_missing), not an
older quarter's rate reused. The seed ends at 2026Q2; Tencent's 2026Q3 quarter has no CNY rate."""

import json
from datetime import date

from test_review import landing_with, run, table

TENCENT_Q3_2026 = ("TENCENT_2026-11-12.json", json.dumps({
    "ticker": "0700.HK", "date": "2026-11-12", "fiscal_period": "Q3 2026", "title": "Tencent Q3 2026",
    "turns": [{"speaker": "Operator", "text": "Welcome."},
              {"speaker": "Dee Wu", "role": "management", "text": "Total capex for the quarter was RMB 20.5 billion."}]}))
SENTENCE = "Total capex for the quarter was RMB 20.5 billion."


def test_a_quarter_without_a_rate_is_a_listed_gap(tmp_path):
    settings, outcome = run(landing_with(tmp_path, TENCENT_Q3_2026), tmp_path / "out", as_of=date(2026, 11, 30))
    assert outcome.published, (outcome.failed_steps, outcome.summary["withheld"])
    quarters = {(r["ticker"], r["calendar_quarter"]): r["capex_usd_bn"] for r in table(settings.out, "quarterly_capex")}
    assert ("TENCENT", "2026Q3") not in quarters  # not converted at 2026Q2's 0.14 (2.87)
    assert quarters[("TENCENT", "2025Q2")] == "2.651"  # its own quarter's rate still applies
    [gap] = [r for r in table(settings.out, "review") if r["rule"] == "fx_rate_missing"]
    assert (gap["ticker"], gap["calendar_quarter"], gap["currency"], gap["mart"]) == (
        "TENCENT", "2026Q3", "CNY", "quarterly_capex")
    assert gap["detail"] == "no CNY rate for 2026Q3 in fx_rates.csv" and gap["sentence"] == SENTENCE
    assert gap["low_usd_bn"] == "" and float(gap["held_share"]) == 0.0  # a gap, not a misreading
    summary = json.loads(settings.summary_json.read_text(encoding="utf-8"))
    assert [(g["ticker"], g["rule"]) for g in summary["fx_gaps"]] == [("TENCENT", "fx_rate_missing")]
    for name in ("report.html", "report.md", "report.zh.html", "report.zh.md"):
        path = settings.out / name
        if path.exists():
            page = path.read_text(encoding="utf-8")
            assert "fx_rate_missing" in page and "no CNY rate for 2026Q3" in page, name
