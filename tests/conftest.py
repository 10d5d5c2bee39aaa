"""Shared fixtures: a settings object per test, and a small landing folder cut from the sample."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from infrathesis.settings import ROOT, SAMPLE_AS_OF, Settings, resolve_claims
from infrathesis.universe import load_universe

SAMPLE = ROOT / "data" / "sample" / "landing"
SMALL_CALLS = ["MSFT_2025-07-30.txt", "MSFT_2025-10-29.txt", "META_2026-01-28.txt", "TENCENT_2025-08-13.txt",
               "NVDA_2024-08-28.txt", "BIDU_2026-02-26.txt", "KC_2025-03-19.txt", "VRT_2025-10-22.txt"]
SMALL_MDNA = ["CAMBRICON_2025-08-28.pdf", "INSPUR_2025-08-28.pdf"]


@pytest.fixture(scope="session")
def real_corpus() -> Path:
    """The shared real corpus: fails with the reason when INFRATHESIS_REQUIRE_SHARED=1 (CI), else skips."""
    from assets.tagging.evaluate_real import REQUIRE_ENV, MissingCorpus, require_real

    try:
        return require_real()
    except MissingCorpus as exc:
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{exc} ({REQUIRE_ENV}=1: the real-data tests must run)")
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def universe():
    return load_universe(ROOT / "dbt_project" / "seeds" / "universe.csv")


def make_small_landing(target: Path) -> Path:
    for sub, names in (("calls", SMALL_CALLS), ("mdna", SMALL_MDNA)):
        (target / sub).mkdir(parents=True, exist_ok=True)
        for name in names:
            shutil.copy(SAMPLE / sub / name, target / sub / name)
    (target / "events").mkdir(parents=True, exist_ok=True)
    lines = (SAMPLE / "events" / "events.csv").read_text(encoding="utf-8").splitlines()
    (target / "events" / "events.csv").write_text("\n".join(lines[:40]) + "\n", encoding="utf-8")
    return target


@pytest.fixture
def small_landing(tmp_path) -> Path:
    return make_small_landing(tmp_path / "landing")


def settings_for(landing: Path, out: Path, as_of: date = SAMPLE_AS_OF, claims: Path | None = None) -> Settings:
    """Settings as the CLI would build them; the claims registry resolves as for `infrathesis run`."""
    return Settings(landing=landing.resolve(), out=out.resolve(), as_of=as_of,
                    claims=claims or resolve_claims(landing, None))


@pytest.fixture
def isolated_env(monkeypatch):
    """run_pipeline exports INFRATHESIS_* for the dbt subprocess; undo that after each test."""
    for key in ("INFRATHESIS_LANDING", "INFRATHESIS_OUT", "INFRATHESIS_AS_OF", "INFRATHESIS_WINDOW_MONTHS"):
        monkeypatch.delenv(key, raising=False)
    yield monkeypatch


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory):
    """One full run over the bundled sample, shared by the tests that read its outputs."""
    from infrathesis.pipeline import run_pipeline

    settings = settings_for(SAMPLE, tmp_path_factory.mktemp("sample_out"))
    yield settings, run_pipeline(settings)
    for key in settings.env():  # run_pipeline exports these for the dbt subprocess
        os.environ.pop(key, None)


ARTIFACTS = ROOT / "test-artifacts"
