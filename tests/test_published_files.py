"""Published files are for people: written atomically, yet with the umask-based mode `open()` gives
(0644 under umask 022), not the 0600 of a temporary file."""

import contextlib
import os
import stat

import pandas as pd
import pyarrow as pa
import pytest

from assets.report.render import write_tables
from infrathesis.parquet_io import write_rows_atomic, write_text_atomic


@contextlib.contextmanager
def umask(mask: int):
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("mask, expected", [(0o022, 0o644), (0o027, 0o640)])
def test_atomic_writes_follow_the_umask(tmp_path, mask, expected):
    with umask(mask):
        text = write_text_atomic("{}", tmp_path / "summary.json")
        table = write_rows_atomic([{"a": 1}], pa.schema([("a", pa.int64())]), tmp_path / "x.parquet")
        workbook = write_tables({"quarterly_capex": pd.DataFrame({"ticker": ["MSFT"], "capex_usd_bn": [37.5]})}, tmp_path)
    published = [text, table, workbook, tmp_path / "tables" / "quarterly_capex.csv"]
    assert {p.name: mode(p) for p in published} == {p.name: expected for p in published}
    assert not list(tmp_path.rglob("*.tmp"))


def test_a_replaced_file_gets_the_new_content_whole(tmp_path):
    path = write_text_atomic("old", tmp_path / "report.md")
    write_text_atomic("new", path)
    assert path.read_text() == "new" and [p.name for p in tmp_path.iterdir()] == ["report.md"]
