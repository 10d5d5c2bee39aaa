"""Re-ingest shortcuts: unchanged files are recognised by size and mtime, and compaction re-reads only
the shards that changed. Both must give what a from-scratch ingest gives."""

import os

import pyarrow.parquet as pq

from assets.ingest.store import compacted_paths, ingest_source, read_manifest, shard_dir
from conftest import settings_for


def _compacted(settings):
    paths = compacted_paths(settings, "call")
    rows = pq.read_table(paths["documents"]).to_pylist()
    return sorted(map(repr, rows)), sorted(map(repr, pq.read_table(paths["quarantine"]).to_pylist()))


def test_touched_file_is_not_reparsed_and_its_stamp_is_refreshed(tmp_path, small_landing):
    settings = settings_for(small_landing, tmp_path / "out")
    ingest_source("call", settings)
    path = small_landing / "calls" / "KC_2025-03-19.txt"
    before = read_manifest(shard_dir(settings, "calls/KC_2025-03-19.txt"))
    os.utime(path, ns=(before["stamp"][1] + 10**9, before["stamp"][1] + 10**9))
    again = ingest_source("call", settings)
    assert (again.parsed, again.unchanged) == (0, 8)
    after = read_manifest(shard_dir(settings, "calls/KC_2025-03-19.txt"))
    assert after["stamp"][1] == before["stamp"][1] + 10**9 and after["sha256"] == before["sha256"]


def test_same_size_edit_with_a_new_mtime_is_reparsed(tmp_path, small_landing):
    settings = settings_for(small_landing, tmp_path / "out")
    ingest_source("call", settings)
    path = small_landing / "calls" / "KC_2025-03-19.txt"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Operator", "OPERATOR", 1), encoding="utf-8")
    assert ingest_source("call", settings).parsed == 1


def test_incremental_compaction_equals_a_fresh_ingest(tmp_path, small_landing):
    settings = settings_for(small_landing, tmp_path / "out")
    ingest_source("call", settings)
    calls = small_landing / "calls"
    (calls / "MSFT_copy.txt").write_bytes((calls / "MSFT_2025-07-30.txt").read_bytes())  # a duplicate
    (calls / "empty.txt").write_bytes(b"")  # quarantined
    (calls / "NVDA_2024-08-28.txt").unlink()
    kc = calls / "KC_2025-03-19.txt"
    kc.write_text(kc.read_text(encoding="utf-8") + "\nOperator: Thank you.\n", encoding="utf-8")
    ingest_source("call", settings)
    incremental = _compacted(settings)
    fresh = settings_for(small_landing, tmp_path / "fresh")
    ingest_source("call", fresh)
    assert incremental == _compacted(fresh)
    assert any("duplicate content" in q for q in incremental[1]) and any("empty file" in q for q in incremental[1])
    # a crash that lost the cache index only costs a rebuild
    (compacted_paths(settings, "call")["documents"].parent / "cache_index.json").unlink()
    ingest_source("call", settings)
    assert _compacted(settings) == incremental


NEW_CALL = """---
ticker: {ticker}
date: 2025-09-30
fiscal_period: FY2025 Q3
---
New AI FY2025 Q3 Earnings Call
Corporate Participants:
Ann Lee - Chief Financial Officer
Operator: Welcome to the call.
Ann Lee: Capital expenditures were $1.2 billion this quarter as GPU supply stayed tight.
"""


def _own_seeds(settings, tmp_path):
    """Settings whose universe seeds are copies the test may edit (the repository's stay untouched)."""
    import dataclasses
    import shutil

    seeds = tmp_path / "root" / "dbt_project" / "seeds"
    seeds.mkdir(parents=True)
    for name in ("universe.csv", "ticker_aliases.csv"):
        shutil.copy(settings.universe_csv.with_name(name), seeds / name)
    return dataclasses.replace(settings, root=tmp_path / "root")


def _quarantine_reasons(settings):
    return {r["path"]: r["reason"] for r in pq.read_table(compacted_paths(settings, "call")["quarantine"]).to_pylist()}


def test_adding_a_company_brings_its_quarantined_file_in(tmp_path, small_landing):
    (small_landing / "calls" / "NEWAI_2025-09-30.txt").write_text(NEW_CALL.format(ticker="NEWAI"), encoding="utf-8")
    settings = _own_seeds(settings_for(small_landing, tmp_path / "out"), tmp_path)
    first = ingest_source("call", settings)
    assert _quarantine_reasons(settings)["calls/NEWAI_2025-09-30.txt"].startswith("unknown ticker")
    with open(settings.universe_csv, "ab") as fh:  # appended in another editor
        fh.write("NEWAI,New AI,新智能,NEWAI,US,US Cloud,call,12,USD\r\n".encode())

    again = ingest_source("call", settings)

    assert again.parsed == first.files_seen  # everything resolved tickers through the old universe
    assert "calls/NEWAI_2025-09-30.txt" not in _quarantine_reasons(settings)
    tickers = pq.read_table(compacted_paths(settings, "call")["documents"]).column("ticker").to_pylist()
    assert tickers.count("NEWAI") == 1 and again.documents == first.documents + 1
    assert ingest_source("call", settings).parsed == 0  # and once only


def test_adding_an_alias_brings_its_quarantined_file_in(tmp_path, small_landing):
    (small_landing / "calls" / "NVD_2025-09-30.txt").write_text(NEW_CALL.format(ticker="NVD.DE"), encoding="utf-8")
    settings = _own_seeds(settings_for(small_landing, tmp_path / "out"), tmp_path)
    ingest_source("call", settings)
    assert _quarantine_reasons(settings)["calls/NVD_2025-09-30.txt"].startswith("unknown ticker")
    with open(settings.universe_csv.with_name("ticker_aliases.csv"), "a", encoding="utf-8") as fh:
        fh.write("NVD.DE,NVDA,Frankfurt listing\n")

    ingest_source("call", settings)

    assert "calls/NVD_2025-09-30.txt" not in _quarantine_reasons(settings)
