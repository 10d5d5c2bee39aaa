"""The bundled sample: what it must hold, and that the committed files equal what the builder writes."""

import csv
import filecmp
from datetime import date

from infrathesis.sample.build import build
from infrathesis.settings import ROOT

LANDING = ROOT / "data" / "sample" / "landing"


def test_committed_sample_is_what_the_builder_writes(tmp_path):
    build(tmp_path)
    for sub in ("calls", "mdna", "events", "filings"):
        ours = sorted(p.name for p in (LANDING / sub).iterdir())
        fresh = sorted(p.name for p in (tmp_path / sub).iterdir())
        assert ours == fresh, sub
        _, mismatch, errors = filecmp.cmpfiles(LANDING / sub, tmp_path / sub, ours, shallow=False)
        assert not mismatch and not errors, (sub, mismatch[:5])


def test_sample_covers_the_universe(universe):
    call_companies = {c.ticker for c in universe if c.sources == "call"}
    mdna_companies = {c.ticker for c in universe if c.sources == "mdna"}
    assert len(call_companies) == 38 and len(mdna_companies) == 11
    calls: dict[str, list[date]] = {}
    for path in (LANDING / "calls").glob("*.txt"):
        ticker, _, day = path.stem.partition("_")
        calls.setdefault(ticker, []).append(date.fromisoformat(day))
    assert set(calls) == call_companies
    for ticker, days in calls.items():
        in_range = [d for d in days if date(2024, 6, 1) <= d <= date(2026, 3, 31)]
        assert len(in_range) >= 4, ticker
    assert {p.stem.split("_")[0] for p in (LANDING / "mdna").glob("*.pdf")} == mdna_companies
    with open(LANDING / "events" / "events.csv", encoding="utf-8") as fh:
        events = list(csv.DictReader(fh))
    assert len(events) >= 100
    assert {"product", "alliance", "lawsuit", "capital", "earnings"} <= {e["type"] for e in events}


def test_transcripts_are_shaped_like_real_calls():
    text = (LANDING / "calls" / "MSFT_2025-07-30.txt").read_text(encoding="utf-8")
    for marker in ("Earnings Call", "Corporate Participants:", "Conference Call Participants:", "Operator:",
                   "open the line for questions", "Chief Financial Officer"):
        assert marker in text
