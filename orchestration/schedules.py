"""The nightly refresh, the sources' pull schedules, the landing sensor and the failure alert."""

import hashlib
import json
import os

import dagster as dg

from assets.ingest.store import content_sha, landed_keys, read_manifest, shard_dir
from assets.tagging.assets import LANDED_FILES
from infrathesis.alerts import alert
from infrathesis.settings import Settings

from .partitions import TAGGING_KEYS, full_refresh_request, range_groups, range_tags, refresh_asset_keys

DEFAULT_CRON = "30 2 * * *"
DEFAULT_TIMEZONE = "UTC"
DEFAULT_TRANSCRIPTS_CRON = "0 6 * * *"  # daily: calls are published within days
DEFAULT_FILINGS_CRON = "0 5 * * 1"  # weekly (Mondays): 10-Q/10-K and A-share reports come quarterly at most
MAX_SENSOR_RUNS = 5  # scattered changes beyond this many ranges are folded into one full-range run


def nightly_settings() -> tuple[str, str]:
    """Cron and timezone, configurable per deployment without code changes."""
    return (os.environ.get("INFRATHESIS_NIGHTLY_CRON", DEFAULT_CRON),
            os.environ.get("INFRATHESIS_TIMEZONE", DEFAULT_TIMEZONE))


def build_nightly_schedule(job: dg.JobDefinition) -> dg.ScheduleDefinition:
    cron, tz = nightly_settings()

    @dg.schedule(name="nightly_refresh", job=job, cron_schedule=cron, execution_timezone=tz,
                 description="Full refresh of the landing folder as one run, so blocking checks gate the report.")
    def nightly_refresh(context: dg.ScheduleEvaluationContext):
        tags, selection = full_refresh_request(context.instance, Settings.from_env())
        return dg.RunRequest(run_key=f"nightly-{context.scheduled_execution_time.isoformat()}", tags={**tags, "infrathesis/trigger": "nightly"},
                             asset_selection=selection)

    return nightly_refresh


def build_source_schedules(transcripts_job: dg.JobDefinition, filings_job: dg.JobDefinition) -> list[dg.ScheduleDefinition]:
    """Transcripts daily, filings weekly (INFRATHESIS_TRANSCRIPTS_CRON, INFRATHESIS_FILINGS_CRON), in the
    nightly refresh's timezone. What they land, the landing sensor carries on."""
    _, tz = nightly_settings()
    return [
        dg.ScheduleDefinition(name="transcripts_daily", job=transcripts_job, execution_timezone=tz,
                              cron_schedule=os.environ.get("INFRATHESIS_TRANSCRIPTS_CRON", DEFAULT_TRANSCRIPTS_CRON),
                              description="Pull new earnings-call transcripts; the landing sensor ingests them."),
        dg.ScheduleDefinition(name="filings_weekly", job=filings_job, execution_timezone=tz,
                              cron_schedule=os.environ.get("INFRATHESIS_FILINGS_CRON", DEFAULT_FILINGS_CRON),
                              description="Pull SEC XBRL capex facts and Cninfo report PDFs; the landing sensor ingests them."),
    ]


def _landing_state(settings: Settings) -> tuple[dict[str, str], dict[str, str]]:
    """Content hash per landed file (a file whose size and mtime match its shard manifest is not
    re-read), and the hash earlier runs already ingested and tagged, so a fresh cursor does not redo a
    full refresh. One manifest read per file."""
    landed, ingested = {}, {}
    for key, path in landed_keys(settings).items():
        folder = shard_dir(settings, key)
        manifest = read_manifest(folder)
        landed[key] = content_sha(path, manifest)[0]
        if manifest and (folder / "mentions.parquet").exists():
            ingested[key] = manifest["sha256"]
    return landed, ingested


def landing_sensor_fn(context: dg.SensorEvaluationContext):
    settings = Settings.from_env()
    current, ingested = _landing_state(settings)
    known = {**ingested, **json.loads(context.cursor or "{}")}
    changed = sorted(k for k, sha in current.items() if known.get(k) != sha)
    removed = sorted(k for k in known if k not in current)
    if not changed and not removed:
        return dg.SkipReason(f"no new or changed files among {len(current)} landed")
    existing = context.instance.get_dynamic_partitions(LANDED_FILES.name)
    known_partitions, gone = set(existing), set(removed)
    to_add = [k for k in changed if k not in known_partitions]
    order = [k for k in existing if k not in gone] + to_add
    groups = range_groups(order, set(changed))
    if len(groups) > MAX_SENSOR_RUNS:
        groups = [(order[0], order[-1])]
    requests = []
    for start, end in groups:
        members = order[order.index(start):order.index(end) + 1]
        run_key = hashlib.sha256(json.dumps([(k, current[k]) for k in members]).encode()).hexdigest()[:20]
        requests.append(dg.RunRequest(run_key=run_key, tags={**range_tags(start, end), "infrathesis/trigger": "landing"}))
    if not groups and removed:  # only deletions: rebuild marts and report without tagging
        run_key = hashlib.sha256(json.dumps(sorted(removed)).encode()).hexdigest()[:20]
        requests.append(dg.RunRequest(run_key=f"removed-{run_key}", asset_selection=_untagged_selection(),
                                      tags={"infrathesis/trigger": "landing"}))
    return dg.SensorResult(
        run_requests=requests,
        dynamic_partitions_requests=[
            *([LANDED_FILES.build_add_request(to_add)] if to_add else []),
            *([LANDED_FILES.build_delete_request(removed)] if removed else []),
        ],
        cursor=json.dumps(current, sort_keys=True),
    )


def _untagged_selection() -> list[dg.AssetKey]:
    return [k for k in refresh_asset_keys() if k not in TAGGING_KEYS]


def tick_landing_sensor(instance: dg.DagsterInstance, cursor: str | None = None):
    """One sensor evaluation outside the daemon (benchmark, tests): its partition requests applied,
    as the daemon would before launching the runs. Returns the SensorResult or SkipReason."""
    result = landing_sensor_fn(dg.build_sensor_context(instance=instance, cursor=cursor))
    for request in getattr(result, "dynamic_partitions_requests", None) or []:
        if isinstance(request, dg.AddDynamicPartitionsRequest):
            instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys))
        elif isinstance(request, dg.DeleteDynamicPartitionsRequest):
            for key in request.partition_keys:
                instance.delete_dynamic_partition(request.partitions_def_name, key)
    return result


def build_landing_sensor(job: dg.JobDefinition) -> dg.SensorDefinition:
    return dg.SensorDefinition(
        name="landing_sensor", job=job, evaluation_fn=landing_sensor_fn, minimum_interval_seconds=30,
        description="New or changed files in the landing folder become partitions; one run tags only them "
                    "and rebuilds marts, checks and report. The cursor is the files' content hashes.",
    )


@dg.run_failure_sensor(name="failure_alert", description="Writes an alert line (and calls the webhook) when a run fails.")
def failure_alert(context: dg.RunFailureSensorContext):
    failed_steps = sorted({e.step_key for e in context.get_step_failure_events() if e.step_key})
    alert(Settings.from_env(), f"RUN FAILED {context.dagster_run.job_name} {context.dagster_run.run_id}: "
                               f"{context.failure_event.message or ''} steps={','.join(failed_steps)}")
