"""Runs the refresh job in-process for the CLI and tests, and writes summary.json either way."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .parquet_io import write_text_atomic
from .settings import REPORT_FILES, Settings

ERROR_LINES = 8  # of a failed step's message, on the console and in summary.json


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
    withdraw_report(settings)
    # rewritten at the end (a killed run leaves none); dbt's verdicts of an earlier run are not this run's
    for path in (settings.summary_json, settings.validation_html, settings.dbt_target_dir / "run_results.json"):
        path.unlink(missing_ok=True)
    if settings.claims_json.exists() and not settings.claims:
        settings.claims_json.unlink()  # verdicts of another registry do not belong to this run


def withdraw_report(settings: Settings) -> list[str]:
    """Removes an earlier run's report, workbook and tables: a run that ends blocked must not leave
    them looking current. Returns the names removed."""
    removed = [p.name for p in settings.out.glob("report.*") if p.is_file()]
    for name in removed:
        (settings.out / name).unlink(missing_ok=True)
    if settings.tables_dir.is_dir():
        shutil.rmtree(settings.tables_dir, ignore_errors=True)
        removed.append("tables/")
    return removed


def execute(job, instance, tags: dict, selection, log_level: str = "WARNING"):
    return job.execute_in_process(
        instance=instance,
        tags=tags,
        asset_selection=selection,
        raise_on_error=False,
        run_config={"loggers": {"console": {"config": {"log_level": log_level}}}},
    )


STAGE_OF_STEP = (("tag_documents", "tagging"), ("dbt_models", "dbt"), ("research_report", "report"),
                 ("mdna_documents", "pdf_extraction"), ("mdna_cashflow", "pdf_extraction"), ("_documents", "ingest"),
                 ("", "checks"))


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
    summary["held_for_review"] = held_for_review(checks)
    summary["fx_gaps"] = [r for r in summary["held_for_review"] if "fx_rate_missing" in str(r.get("rule"))]
    summary["failures"] = step_failures(settings, result)
    summary["withheld"] = None if published else withheld(summary)
    summary["timings"] = timings or {}
    write_text_atomic(json.dumps(summary, indent=2, ensure_ascii=False, default=str), settings.summary_json)
    write_validation_page(settings, summary)
    return RunOutcome(published=published, summary=summary, failed_steps=failed_steps)


def held_for_review(checks: list[dict]) -> list[dict]:
    """The extractions held for review (rule, values, sentence), as the review check listed them."""
    return next((c["metadata"].get("held") or [] for c in checks if c["name"] == "gx_review"), [])


def withheld(summary: dict) -> dict:
    """What a blocked run did not publish, and why, in the words the console uses."""
    why = [f"check {c['name']} on {c['asset']} failed" for c in summary["checks"] if not c["passed"]]
    over = {(r["mart"], r["held_share"], r["max_held_share"]) for r in summary.get("held_for_review", [])
            if r["held_share"] > r["max_held_share"]}
    why += [f"{share:.0%} of {mart} rows held for review (more than {limit:.0%}): " + "; ".join(
        f"{r['rule']} {r['ticker']} {r['event_date']}" for r in summary["held_for_review"] if r["mart"] == mart)
        for mart, share, limit in sorted(over)]
    why += [f"claim {c['id']} failed" for c in summary["claims"] if c["status"] != "verified" and c.get("blocking", True)]
    why += [f"step {f['step']} failed: {f['error'][0] if f['error'] else ''}" for f in summary["failures"]]
    return {"files": [*REPORT_FILES, "tables/"], "because": why or ["the report step did not run"]}


_FILE = re.compile(r"(?:/|\b[\w.-]+/)[^\s:,'\"()]+\.(?:csv|sql|yml|yaml|jsonl?|txt|md|pdf|py)\b")


def step_failures(settings: Settings, result) -> list[dict]:
    """Each failed step's own error (the innermost cause) in its first lines and the file it names, so
    a failure is readable without --verbose. A dbt failure is told by dbt's run_results.json."""
    failures = []
    for event in result.get_step_failure_events():
        error = event.step_failure_data.error if event.step_failure_data else None
        while error is not None and error.cause is not None:
            error = error.cause
        if error is not None and error.cls_name == "DagsterAssetCheckFailedError":
            continue  # a blocking check that failed: listed with its values under "checks"
        lines = [ln.rstrip() for ln in (error.message if error else "").splitlines() if ln.strip()]
        if event.step_key.startswith("dbt_models"):
            lines = dbt_errors(settings) + lines
        lines = lines[:ERROR_LINES]
        found = next((m.group(0) for ln in lines if (m := _FILE.search(ln))), None)
        failures.append({"step": event.step_key, "error": lines, "file": found})
    return failures


def dbt_errors(settings: Settings) -> list[str]:
    """`<file>: <message>` per dbt node that errored or failed, from dbt's artifacts of this run."""
    try:
        results = json.loads((settings.dbt_target_dir / "run_results.json").read_text(encoding="utf-8"))["results"]
        nodes = json.loads((settings.dbt_target_dir / "manifest.json").read_text(encoding="utf-8"))["nodes"]
    except (OSError, ValueError, KeyError):
        return []
    lines = []
    for r in results:
        if r.get("status") in ("error", "fail"):
            node = nodes.get(r.get("unique_id"), {})
            where = f"{settings.dbt_project_dir / node['original_file_path']}" if node.get("original_file_path") else r.get("unique_id")
            lines.append(f"{where}: " + " ".join((r.get("message") or "").split()))
    return lines


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
    return write_text_atomic(env.get_template("validation.html.j2").render(**summary), settings.validation_html)


def outputs_exist(out: Path) -> bool:
    """The English edition (always written unless --lang zh) or the Chinese one, complete."""
    return any(all((out / n).exists() for n in REPORT_FILES if (".zh." in n) == zh) for zh in (False, True))
