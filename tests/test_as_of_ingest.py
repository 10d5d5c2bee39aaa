"""The "implausible date" check compares with the run's as-of date, not the machine's clock: a backtest
quarantines a file dated after its as-of date, and a run with a later as-of accepts the same file,
re-parsing only the files whose verdict changes."""

from datetime import date

import pyarrow.parquet as pq

from assets.ingest.landing import ingest_folder
from assets.ingest.store import compacted_paths, ingest_source
from conftest import settings_for
from infrathesis.universe import load_universe

LATE_CALL = """---
ticker: MSFT
date: 2026-06-15
fiscal_period: FY2026 Q4
---
Microsoft FY2026 Q4 Earnings Call
Corporate Participants:
Amy Hood - Chief Financial Officer
Operator: Welcome to the call.
Amy Hood: Capital expenditures were $30 billion this quarter.
"""
LATE = "calls/MSFT_2026-06-15.txt"


def _state(settings):
    paths = compacted_paths(settings, "call")
    quarantine = {r["path"]: r["reason"] for r in pq.read_table(paths["quarantine"]).to_pylist()}
    dates = {str(r["event_date"]) for r in pq.read_table(paths["documents"]).to_pylist()}
    return quarantine, dates


def test_a_file_after_the_as_of_date_is_implausible_until_a_later_as_of(tmp_path, small_landing):
    (small_landing / LATE).write_text(LATE_CALL, encoding="utf-8")
    out = tmp_path / "out"

    early = ingest_source("call", settings_for(small_landing, out, as_of=date(2026, 3, 31)))
    quarantine, dates = _state(settings_for(small_landing, out))
    assert quarantine[LATE] == "implausible date: 2026-06-15"
    assert "2026-06-15" not in dates and early.parsed == early.files_seen

    later = ingest_source("call", settings_for(small_landing, out, as_of=date(2026, 6, 30)))
    quarantine, dates = _state(settings_for(small_landing, out))
    assert LATE not in quarantine and "2026-06-15" in dates
    assert later.parsed == 1  # only the late file changes verdict; the others stay cached

    again = ingest_source("call", settings_for(small_landing, out, as_of=date(2026, 6, 13)))  # latest: as-of + 1 day
    quarantine, dates = _state(settings_for(small_landing, out))
    assert quarantine[LATE] == "implausible date: 2026-06-15" and again.parsed == 1


def test_whole_folder_ingest_uses_the_as_of_date(tmp_path, small_landing):
    (small_landing / LATE).write_text(LATE_CALL, encoding="utf-8")
    universe = load_universe(settings_for(small_landing, tmp_path).universe_csv)
    early = ingest_folder("call", small_landing, universe, as_of=date(2026, 3, 31))
    late = ingest_folder("call", small_landing, universe, as_of=date(2026, 6, 15))
    assert (LATE, "implausible date: 2026-06-15") in [(q["path"], q["reason"]) for q in early.quarantined]
    assert LATE not in [q["path"] for q in late.quarantined]
