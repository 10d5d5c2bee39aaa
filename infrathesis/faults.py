"""Fault injection for the crash-recovery tests: INFRATHESIS_CRASH_AT=<stage> kills the run with
SIGKILL at that point (its whole process group when it leads one, so dbt children die too).
Unset in normal use; nothing here runs unless the variable names the stage."""

from __future__ import annotations

import os
import signal

ENV = "INFRATHESIS_CRASH_AT"
STAGES = ("ingest", "tagging", "dbt", "report")


def crash_point(stage: str) -> None:
    if os.environ.get(ENV) != stage:
        return
    if os.getpgid(0) == os.getpid():
        os.killpg(os.getpid(), signal.SIGKILL)
    os.kill(os.getpid(), signal.SIGKILL)
