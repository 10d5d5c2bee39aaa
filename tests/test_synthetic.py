"""The synthetic corpus at 10% of the reference scale: the marts equal the generator's ground truth."""

import json

from conftest import settings_for
from infrathesis.bench import bare_baseline
from infrathesis.pipeline import run_pipeline
from infrathesis.settings import Settings
from infrathesis.synthetic import AS_OF, compare, generate


def test_ten_percent_corpus_matches_ground_truth(tmp_path, isolated_env):
    truth = generate(tmp_path / "corpus", transcripts=159, events=145, pdfs=6, pages=236, seed=7, progress=lambda m: None)
    assert truth == json.loads((tmp_path / "corpus" / "ground_truth.json").read_text())
    settings = settings_for(tmp_path / "corpus" / "landing", tmp_path / "out", as_of=AS_OF)
    outcome = run_pipeline(settings)
    assert outcome.published, outcome.failed_steps
    assert compare(settings.out, truth) == []
    assert set(outcome.summary["timings"]) >= {"ingest", "pdf_extraction", "tagging", "dbt", "checks", "report"}


def test_generator_is_deterministic(tmp_path):
    a = generate(tmp_path / "a", transcripts=5, events=3, pdfs=1, pages=5, seed=3, progress=lambda m: None)
    b = generate(tmp_path / "b", transcripts=5, events=3, pdfs=1, pages=5, seed=3, progress=lambda m: None)
    assert a == b
    assert (tmp_path / "a" / "landing" / "events" / "events.csv").read_bytes() == (tmp_path / "b" / "landing" / "events" / "events.csv").read_bytes()


def test_bare_baseline_matches_lexicon_phrases_in_the_transcripts(tmp_path):
    calls = tmp_path / "calls"
    calls.mkdir()
    (calls / "A_2025-01-01.txt").write_text("Dana Reyes: HBM3E and GPUs ship. Liquid cooling too.\n", encoding="utf-8")
    result = bare_baseline(tmp_path, Settings.from_env().lexicon_dir)
    assert result["matches"] >= 3 and result["seconds"] > 0
