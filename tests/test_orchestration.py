"""Schedule, landing sensor, concurrency pool and alerts: how the product is run."""

import json
from datetime import datetime
import shutil
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import dagster as dg
import yaml

from assets.ingest.store import live_documents
from conftest import SAMPLE, settings_for
from infrathesis.pipeline import collect, execute, prepare_out, run_pipeline
from infrathesis.settings import ROOT
from orchestration.definitions import defs, pull_filings_job, refresh_job
from orchestration.partitions import RANGE_END, RANGE_START, range_groups
from orchestration.schedules import (DEFAULT_CRON, DEFAULT_FILINGS_CRON, DEFAULT_TRANSCRIPTS_CRON, alert,
                                    build_nightly_schedule, build_source_schedules, tick_landing_sensor)


def test_schedule_cron_timezone_and_target(monkeypatch):
    schedule = defs.resolve_schedule_def("nightly_refresh")
    assert (schedule.cron_schedule, schedule.execution_timezone) == (DEFAULT_CRON, "UTC")
    assert schedule.job_name == "refresh"
    refreshed = refresh_job.selection.resolve(defs.resolve_asset_graph())
    # everything but the sources: a refresh never pulls from a provider (they have their own schedules)
    assert set(defs.resolve_all_asset_keys()) - refreshed == {
        dg.AssetKey("transcripts_api"), dg.AssetKey("sec_xbrl_capex"), dg.AssetKey("cninfo_reports")}
    monkeypatch.setenv("INFRATHESIS_NIGHTLY_CRON", "15 4 * * 1-5")
    monkeypatch.setenv("INFRATHESIS_TIMEZONE", "Asia/Hong_Kong")
    custom = build_nightly_schedule(refresh_job)
    assert (custom.cron_schedule, custom.execution_timezone) == ("15 4 * * 1-5", "Asia/Hong_Kong")


def test_source_schedules_pull_transcripts_daily_and_filings_weekly(monkeypatch):
    daily, weekly = defs.resolve_schedule_def("transcripts_daily"), defs.resolve_schedule_def("filings_weekly")
    assert (daily.cron_schedule, daily.job_name) == (DEFAULT_TRANSCRIPTS_CRON, "pull_transcripts")
    assert (weekly.cron_schedule, weekly.job_name) == (DEFAULT_FILINGS_CRON, "pull_filings")
    assert pull_filings_job.selection.resolve(defs.resolve_asset_graph()) == {
        dg.AssetKey("sec_xbrl_capex"), dg.AssetKey("cninfo_reports")}
    monkeypatch.setenv("INFRATHESIS_FILINGS_CRON", "0 7 * * 6")
    monkeypatch.setenv("INFRATHESIS_TIMEZONE", "Asia/Shanghai")
    _, custom = build_source_schedules(defs.resolve_job_def("pull_transcripts"), defs.resolve_job_def("pull_filings"))
    assert (custom.cron_schedule, custom.execution_timezone) == ("0 7 * * 6", "Asia/Shanghai")


def test_schedule_requests_one_run_over_every_file(tmp_path, small_landing, isolated_env):
    settings = settings_for(small_landing, tmp_path / "out")
    isolated_env.setenv("INFRATHESIS_LANDING", str(settings.landing))
    isolated_env.setenv("INFRATHESIS_OUT", str(settings.out))
    with dg.instance_for_test() as instance:
        context = dg.build_schedule_context(instance=instance, scheduled_execution_time=datetime(2026, 3, 31, 2, 30))
        request = defs.resolve_schedule_def("nightly_refresh").evaluate_tick(context).run_requests[0]
        keys = instance.get_dynamic_partitions("landed_files")
    assert len(keys) == 11
    assert (request.tags[RANGE_START], request.tags[RANGE_END]) == (keys[0], keys[-1])


def test_every_duckdb_step_shares_one_pool():
    graph = defs.resolve_asset_graph()
    users = {"research_report", "claim_verdicts", "pattern_frequency"}  # dbt, claims, report
    for key in users:
        assert graph.get(dg.AssetKey(key)).assets_def.op.pool == "duckdb", key
    from expectations.checks import MART_CHECKS

    assert MART_CHECKS and all(check.op.pool == "duckdb" for check in MART_CHECKS)
    config = yaml.safe_load((ROOT / "orchestration" / "dagster.yaml").read_text())
    assert config["concurrency"]["pools"]["default_limit"] == 1
    assert config["run_retries"]["enabled"] is True


def test_range_groups():
    order = ["a", "b", "c", "d", "e"]
    assert range_groups(order, {"b", "c", "e"}) == [("b", "c"), ("e", "e")]
    assert range_groups(order, set()) == []


NEW_CALL = """---
ticker: AVGO
date: 2026-03-04
fiscal_period: FY2026 Q1
---
Broadcom (AVGO) FY2026 Q1 Earnings Call
Corporate Participants:
Fay North - Chief Financial Officer
Operator: Welcome.
Fay North: Capital expenditures were $0.2 billion this quarter. Our custom accelerators shipped in volume.
"""


def _tick(instance, cursor=None):
    return tick_landing_sensor(instance, cursor)


def test_sensor_tags_only_the_new_transcript(tmp_path, small_landing, isolated_env):
    settings = settings_for(small_landing, tmp_path / "out")
    with dg.instance_for_test() as instance:
        assert run_pipeline(settings, instance=instance).published
        assert isinstance(_tick(instance), dg.SkipReason)  # nothing new since the full refresh

        (small_landing / "calls" / "AVGO_2026-03-04.txt").write_text(NEW_CALL, encoding="utf-8")
        result = _tick(instance)
        [request] = result.run_requests
        assert request.tags[RANGE_START] == request.tags[RANGE_END] == "calls/AVGO_2026-03-04.txt"
        prepare_out(settings)
        run = execute(defs.resolve_job_def("refresh"), instance, request.tags, None)
        outcome = collect(settings, run)
        tagged = [e.materialization.metadata for e in run.get_asset_materialization_events()
                  if e.asset_key == dg.AssetKey("topic_mentions")]
        assert tagged and tagged[0]["documents_tagged"].value == 1
        assert outcome.published
        assert "AVGO" in (settings.out / "report.md").read_text(encoding="utf-8").split("## Quarterly capex")[1]
        assert isinstance(_tick(instance, result.cursor), dg.SkipReason)


def test_ten_files_landing_together_make_one_run(tmp_path, small_landing, isolated_env):
    settings = settings_for(small_landing, tmp_path / "out")
    with dg.instance_for_test() as instance:
        assert run_pipeline(settings, instance=instance).published
        before = json.loads(settings.summary_json.read_text())["corpus"]["documents_by_source"]["call"]
        names = sorted(p.name for p in (SAMPLE / "calls").glob("A*.txt"))[:10]
        for name in names:
            shutil.copy(SAMPLE / "calls" / name, small_landing / "calls" / name)
        [request] = _tick(instance).run_requests
        prepare_out(settings)
        outcome = collect(settings, execute(defs.resolve_job_def("refresh"), instance, request.tags, None))
        assert outcome.published
        assert outcome.summary["corpus"]["documents_by_source"]["call"] == before + 10
        assert outcome.summary["corpus"]["quarantined"] == []
        doc_ids = live_documents(settings).column("doc_id").to_pylist()
        assert len(doc_ids) == len(set(doc_ids))


class _Hook(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):
        _Hook.received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_alert_writes_a_line_and_calls_the_webhook(tmp_path, monkeypatch):
    server = HTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    monkeypatch.setenv("INFRATHESIS_ALERT_WEBHOOK", f"http://127.0.0.1:{server.server_port}/hook")
    settings = settings_for(tmp_path, tmp_path / "out")
    alert(settings, "RUN FAILED refresh r1: boom")
    thread.join(5)
    server.server_close()
    assert "RUN FAILED refresh r1: boom" in settings.alerts_log.read_text()
    assert _Hook.received[-1]["text"] == "RUN FAILED refresh r1: boom"
