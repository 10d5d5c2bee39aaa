"""One process at a time on the DuckDB file, whatever runs it: a file lock beside the warehouse.

Dagster's `duckdb` pool orders steps inside one instance; this lock also covers two instances or an
`infrathesis run` started while the UI's nightly run is busy. Waiters log and keep waiting."""

from __future__ import annotations

import contextlib
import fcntl
import logging
import time
from pathlib import Path

log = logging.getLogger("infrathesis.locks")


@contextlib.contextmanager
def warehouse_lock(warehouse: Path, timeout: float = 3600.0):
    path = warehouse.with_name(".warehouse.lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as fh:
        start = time.monotonic()
        announced = False
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() - start > timeout:
                    raise TimeoutError(f"{path} stayed locked for {timeout:.0f} s") from None
                if not announced:
                    log.warning("waiting for another run to release %s", path)
                    announced = True
                time.sleep(0.5)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
