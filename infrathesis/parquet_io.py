"""Atomic writes: readers (dbt, other assets, people) never see a half-written file.

Temp files are created with mode 0666 and the process umask, as `open()` would, not with
`tempfile.mkstemp`'s 0600: published reports must stay readable by a colleague or a web server."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq


def _temp_beside(path: Path) -> tuple[int, Path]:
    """An exclusive new temp file in the target's folder (so the rename is atomic), umask-based mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
        except FileExistsError:
            continue


def write_table_atomic(table: pa.Table, path: Path) -> Path:
    fd, tmp = _temp_beside(path)
    os.close(fd)  # Arrow writes faster to a path than to a Python file object; the mode is kept
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def write_rows_atomic(rows: list[dict], schema: pa.Schema, path: Path) -> Path:
    """Zero rows still produce a file with the full schema, so dbt sources always resolve."""
    table = pa.Table.from_pylist(rows, schema=schema)
    return write_table_atomic(table, path)


def write_text_atomic(text: str, path: Path) -> Path:
    return write_bytes_atomic(text.encode("utf-8"), path)


def write_bytes_atomic(data: bytes, path: Path) -> Path:
    fd, tmp = _temp_beside(path)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path
