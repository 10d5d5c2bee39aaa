"""CPU-bound work over many independent files, spread over the machine's cores.

Parsing and rule-based tagging are pure Python; threads do not help and spaCy's own `n_process` is
slower for rule-only pipelines. Forked workers inherit what the parent already loaded (parsers, spaCy
pipelines), so they start in milliseconds. Few items, one core or no fork: plain loop, same results."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 8  # below this, forking costs more than it saves
_task: Callable | None = None  # set before forking; workers inherit it instead of unpickling it


def default_workers() -> int:
    raw = os.environ.get("INFRATHESIS_WORKERS", "")
    if raw.strip():
        return max(1, int(raw))
    return max(1, min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1, 8))


def _call(item):
    return _task(item)


def fan_out(fn: Callable[[T], R], items: Iterable[T], *, workers: int | None = None) -> Iterator[R]:
    """fn(item) for every item, in input order; a worker that dies raises BrokenProcessPool here."""
    global _task
    items = list(items)
    workers = min(workers or default_workers(), len(items))
    if workers < 2 or len(items) < MIN_ITEMS or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(fn, items)
        return
    _task = fn
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            yield from pool.map(_call, items, chunksize=max(1, len(items) // (workers * 8)))
    finally:
        _task = None
