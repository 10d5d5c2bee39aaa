"""Runs the refresh job in-process for the CLI and tests, and writes summary.json either way."""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from .parquet_io import write_text_atomic
from .settings import Settings

REPORT_FILES = ("report.html", "report.md", "report.xlsx")


@dataclass
class RunOutcome:
    published: bool
    summary: dict
    failed_steps: list[str] = field(default_factory=list)


def run_pipeline(settings: Settings, *, log_level: str = "WARNING", instance=None) -> RunOutcome:
    """The refresh job over every landed file, in this process (an ephemeral instance unless one is given)."""
    import dagster as dg

    prepare_out(settings)
    from orchestration.definitions import defs
    from orchestration.partitions import full_refresh_request

    job = defs.resolve_job_def("refresh")
    log_path = settings.out / "logs" / "last_run.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    owned = instance is None
    instance = instance or dg.DagsterInstance.ephemeral()
    try:
        with captured_stdout(log_path, enabled=log_level != "DEBUG"):
            tags, selection = full_refresh_request(instance, settings)
            result = execute(job, instance, tags, selection, log_level)
            timings = stage_timings(instance, result.run_id)
    finally:
        if owned:
            instance.dispose()
    return collect(settings, result, timings)


def prepare_out(settings: Settings) -> None:
    os.environ.update(settings.env())
    settings.out.mkdir(parents=True, exist_ok=True)
    for name in REPORT_FILES:  # a blocked run must not leave an older report looking current
        (settings.out / name).unlink(missing_ok=True)
    if settings.claims_json.exists() and not settings.claims:
        settings.claims_json.unlink()  # verdicts of another registry do not belong to this run


def execute(job, instance, tags: dict, selection, log_level: str = "WARNING"):
    return job.execute_in_process(
        instance=instance,
        tags=tags,
        asset_selection=selection,
        raise_on_error=False,
        run_config={"loggers": {"console": {"config": {"log_level": log_level}}}},
    )


STAGE_OF_STEP = (("tag_documents", "tagging"), ("dbt_models", "dbt"), ("research_report", "report"),
                 ("mdna_documents", "pdf_extraction"), ("_documents", "ingest"), ("", "checks"))


def stage_timings(instance, run_id: str) -> dict[str, float]:
    """Seconds per pipeline stage, summed over the run's steps (from Dagster's event log)."""
    starts, totals = {}, {}
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event is None or not entry.step_key:
            continue
        if event.event_type_value == "STEP_START":
            starts[entry.step_key] = entry.timestamp
        elif event.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE") and entry.step_key in starts:
            stage = next(name for key, name in STAGE_OF_STEP if key in entry.step_key and
                         (key != "_documents" or entry.step_key.endswith("_documents")))
            totals[stage] = round(totals.get(stage, 0.0) + entry.timestamp - starts.pop(entry.step_key), 3)
    return totals


def collect(settings: Settings, result, timings: dict | None = None) -> RunOutcome:
    """summary.json and validation.html from a finished run, published or blocked."""
    checks = [
        {"name": ev.check_name, "asset": ev.asset_key.to_user_string(), "passed": bool(ev.passed),
         "metadata": _plain_metadata(ev.metadata)}
        for ev in result.get_asset_check_evaluations()
    ]
    materialized = {ev.asset_key.to_user_string() for ev in result.get_asset_materialization_events()}
    failed_steps = [ev.step_key for ev in result.get_step_failure_events()]
    published = "research_report" in materialized
    summary = build_summary(settings, checks, published)
    summary["timings"] = timings or {}
    write_text_atomic(json.dumps(summary, indent=2, ensure_ascii=False, default=str), settings.summary_json)
    write_validation_page(settings, summary)
    return RunOutcome(published=published, summary=summary, failed_steps=failed_steps)


@contextlib.contextmanager
def captured_stdout(path: Path, *, enabled: bool):
    """dbt's console output goes to a log file unless the caller wants to watch it."""
    if not enabled:
        yield
        return
    with open(path, "w", encoding="utf-8") as fh, contextlib.redirect_stdout(fh):
        yield


def build_summary(settings: Settings, checks: list[dict], published: bool) -> dict:
    from assets.report.corpus import corpus_summary

    claims_result = {"verdicts": [], "drift": []}
    if settings.claims_json.exists():
        claims_result = json.loads(settings.claims_json.read_text(encoding="utf-8"))
    return {
        "as_of": settings.as_of.isoformat(),
        "landing": str(settings.landing),
        "sample_corpus": settings.is_sample,
        "corpus": corpus_summary(settings),
        "checks": checks,
        "claims_file": str(settings.claims) if settings.claims else None,
        "claims": [
            {k: v[k] for k in ("id", "status", "expected", "observed", "statement", "blocking", "evidence")}
            for v in claims_result["verdicts"]
        ],
        "drift": claims_result["drift"],
        "published": published,
        "report_paths": [str(settings.out / n) for n in REPORT_FILES if published and (settings.out / n).exists()],
    }


def _plain_metadata(metadata: dict) -> dict:
    plain = {}
    for key, value in (metadata or {}).items():
        raw = getattr(value, "value", value)
        plain[key] = raw if isinstance(raw, (int, float, str, bool, list, dict, type(None))) else str(raw)
    return plain


def write_validation_page(settings: Settings, summary: dict) -> Path:
    """A readable page of every check and claim, written whether or not the report was published."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(settings.report_templates), autoescape=select_autoescape(["j2"]))
    path = settings.out / "validation.html"
    path.write_text(env.get_template("validation.html.j2").render(**summary), encoding="utf-8")
    return path


def outputs_exist(out: Path) -> bool:
    return all((out / n).exists() for n in REPORT_FILES)
