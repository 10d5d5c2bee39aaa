"""The pipeline on real calls, scored against labels we made by hand (assets/tagging/eval/real/).

The text is read from the shared real corpus at test time. Without it these tests skip with a message,
or fail when INFRATHESIS_REQUIRE_SHARED=1 (CI sets it). Floors below are the figures this version
reaches (dev and held-out pooled), so a regression fails; the issue's targets (precision 0.90, recall
0.85, capex exact match 0.90) are printed by `python -m assets.tagging.evaluate --real` and are not
all met yet."""

from __future__ import annotations

import csv
import json
import os
from datetime import date

import pyarrow.parquet as pq
import pytest

from assets.tagging.evaluate_real import Result, real_dir, score_capex, score_quarterly, score_topics
from infrathesis.settings import Settings


@pytest.fixture(scope="module")
def real(real_corpus):
    return real_corpus


@pytest.fixture(scope="module")
def real_run(real, tmp_path_factory):
    """One `infrathesis run --landing <real>` for the tests below."""
    from infrathesis.pipeline import run_pipeline

    out = tmp_path_factory.mktemp("real_out")
    settings = Settings(landing=real.resolve(), out=out.resolve(), as_of=date(2026, 11, 29), claims=None)
    outcome = run_pipeline(settings)
    yield settings, outcome
    for key in settings.env():
        os.environ.pop(key, None)


def _pooled(result: Result, topic: str):
    tp = sum(s[topic].tp for s in result.topics.values())
    fp = sum(s[topic].fp for s in result.topics.values())
    fn = sum(s[topic].fn for s in result.topics.values())
    return tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0


def test_the_real_run_publishes_and_accounts_for_every_file(real_run):
    settings, _ = real_run
    summary = json.loads((settings.out / "summary.json").read_text(encoding="utf-8"))
    assert (settings.out / "report.html").exists(), summary.get("checks")
    reasons = {q["path"]: q["reason"] for q in summary["corpus"]["quarantined"]}
    assert "calls/MSFT_2026-01-28.txt" in reasons["calls/MSFT_2026-01-28_fool.json"]  # one call, two formats
    assert "calls/DELL_2024-02-29.txt" in reasons["calls/DELL_2025-02-27.txt"]  # the same call under a later date
    assert "does not name Constellation" in reasons["calls/CEG_2025-03-20.txt"]  # another company's call


def test_quarterly_capex_agrees_with_the_labelled_figures(real_run):
    settings, _ = real_run
    result = Result()
    score_quarterly(settings.tables_dir / "quarterly_capex.csv", result)
    agree = sum(a for a, _ in result.quarterly.values())
    total = sum(t for _, t in result.quarterly.values())
    assert total >= 40 and agree / total >= 0.90, result.errors


def test_msft_quarters_come_from_the_cfo_not_the_editorial_summary(real_run):
    settings, _ = real_run
    with open(settings.tables_dir / "quarterly_capex.csv", encoding="utf-8") as fh:
        msft = [r for r in csv.DictReader(fh) if r["ticker"] == "MSFT"]
    assert {r["fiscal_label"] for r in msft} >= {"FY2026 Q1", "FY2026 Q2", "FY2026 Q3"}
    assert not any("--" in r["sentence"] for r in msft)  # the editorial lines read "Capital expenditures-- $X"
    segments = pq.read_table(settings.parquet_dir / "ingest" / "calls" / "documents.parquet").to_pylist()
    assert any(r["origin"].startswith("calls_zh/") and r["language"] == "zh" and r["translation_of"] for r in segments)


def test_chinese_translations_are_tagged_with_the_chinese_lexicon(real_run):
    settings, _ = real_run
    docs = {r["doc_id"]: r for r in pq.read_table(settings.parquet_dir / "ingest" / "calls" / "documents.parquet").to_pylist()}
    zh = {d for d, r in docs.items() if r["language"] == "zh"}
    import glob

    rows = []
    for path in glob.glob(str(settings.parquet_dir / "shards" / "*" / "mentions.parquet")):
        rows += pq.read_table(path, columns=["doc_id", "term"]).to_pylist()
    chinese_terms = [r["term"] for r in rows if r["doc_id"] in zh and any("\u4e00" <= ch <= "\u9fff" for ch in r["term"])]
    assert len(zh) == 3 and len(chinese_terms) >= 10


def test_topic_scores_on_real_labels_do_not_regress(real):
    result = Result()
    score_topics(real, Settings.from_env().lexicon_dir, result)
    floors = {topic: _pooled(result, topic) for topic in result.topics["dev"]}
    low = {t: (round(p, 3), round(r, 3)) for t, (p, r) in floors.items() if p < 0.85 or r < 0.65}
    assert not low, low


def test_capex_scores_on_real_labels_do_not_regress(real):
    result = Result()
    score_capex(real, Settings.from_env(), result)
    exact = sum(v[0] for v in result.capex.values())
    total = sum(v[2] for v in result.capex.values())
    assert total >= 150 and exact / total >= 0.70, [e for e in result.errors if e.startswith("dev ")][:20]
