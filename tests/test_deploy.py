"""The deployment past one machine (deploy/): the config a user copies loads, and the one-new-transcript
flow records its runs in PostgreSQL through that same instance config."""

from __future__ import annotations

import importlib
import os
import pwd
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import dagster as dg
import pytest
import yaml

from conftest import settings_for
from infrathesis.settings import ROOT

DEPLOY = ROOT / "deploy"
PG_ENV = {"DAGSTER_PG_HOST": "db.internal", "DAGSTER_PG_PORT": "5432", "DAGSTER_PG_USER": "dagster",
          "DAGSTER_PG_PASSWORD": "not-a-secret", "DAGSTER_PG_DB": "dagster"}
K8S_ENV = {"INFRATHESIS_IMAGE": "registry.example/infrathesis:1.0", "INFRATHESIS_K8S_NAMESPACE": "research"}
NO_POSTGRES = ("PostgreSQL binaries (initdb, pg_ctl) are not on PATH: the dagster-postgres flow test "
               "needs them to start a throwaway server")


def instance_config() -> dict:
    return yaml.safe_load((DEPLOY / "dagster.yaml").read_text(encoding="utf-8"))


def validated(schema, value) -> dict:
    """A config section checked against a class's own schema (env sources resolved, defaults filled),
    through Dagster's public run-config validation."""

    @dg.op(name="section", config_schema=schema)
    def section(_):
        pass

    @dg.job
    def holder():
        section()

    return dg.validate_run_config(holder, {"ops": {"section": {"config": value}}})["ops"]["section"]["config"]


def project_pools() -> set[str]:
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    return {ad.node_def.pool for ad in graph.assets_defs if ad.is_executable and ad.node_def.pool}


def test_storage_and_run_queue_config(monkeypatch):
    dagster_postgres = pytest.importorskip("dagster_postgres", reason="dagster-postgres is in the [test] extra")
    for key, value in PG_ENV.items():
        monkeypatch.setenv(key, value)
    config = instance_config()
    storage = validated(dagster_postgres.DagsterPostgresStorage.config_type(), config["storage"]["postgres"])
    assert storage["postgres_db"] == {"hostname": "db.internal", "port": 5432, "username": "dagster",
                                      "password": "not-a-secret", "db_name": "dagster", "params": {},
                                      "scheme": "postgresql+psycopg2"}

    coordinator = config["run_coordinator"]
    cls = getattr(importlib.import_module(coordinator["module"]), coordinator["class"])
    assert cls is dg.QueuedRunCoordinator
    assert "config" not in coordinator  # limits live under concurrency.runs; Dagster refuses both
    runs = validated(cls.config_type(), config["concurrency"]["runs"])
    assert runs["max_concurrent_runs"] >= 2  # the sensor's partition runs can go side by side
    limits = {(lim["key"], lim.get("value")): lim["limit"] for lim in runs["tag_concurrency_limits"]}
    assert limits[("infrathesis/trigger", "nightly")] == 1


def test_pool_is_the_projects_warehouse_pool():
    from orchestration.dbt import POOL

    assert project_pools() == {POOL}
    pools = instance_config()["concurrency"]["pools"]
    assert pools["default_limit"] == 1 and pools["granularity"] == "op"
    # named pool limits live in the database; the walkthrough sets the project's pool by name
    readme = (DEPLOY / "README.md").read_text(encoding="utf-8")
    assert re.findall(r"dagster instance concurrency set (\S+) (\d+)", readme) == [(POOL, "1")]
    assert f"dagster instance concurrency set {POOL} 1" in (DEPLOY / "dagster.yaml").read_text(encoding="utf-8")


KUBECONFIG = """apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
"""


def test_kubernetes_run_launcher_config(tmp_path, monkeypatch):
    dagster_k8s = pytest.importorskip("dagster_k8s", reason="dagster-k8s is in the [test] extra")
    for key, value in K8S_ENV.items():
        monkeypatch.setenv(key, value)
    launcher = instance_config()["run_launcher"]
    cls = getattr(importlib.import_module(launcher["module"]), launcher["class"])
    assert cls is dagster_k8s.K8sRunLauncher
    config = validated(cls.config_type(), launcher["config"])
    # built as the daemon would, except that the cluster credentials come from a local kubeconfig
    (tmp_path / "kubeconfig").write_text(KUBECONFIG, encoding="utf-8")
    built = cls(**{**config, "load_incluster_config": False, "kubeconfig_file": str(tmp_path / "kubeconfig")})
    assert (built.job_image, built.job_namespace) == (K8S_ENV["INFRATHESIS_IMAGE"], K8S_ENV["INFRATHESIS_K8S_NAMESPACE"])
    assert built.env_secrets and built.env_config_maps and built.postgres_password_secret
    assert config["load_incluster_config"] is True  # as shipped: the daemon runs inside the cluster


def test_spark_profile_matches_the_dbt_project():
    project = yaml.safe_load((ROOT / "dbt_project" / "dbt_project.yml").read_text(encoding="utf-8"))
    profiles = yaml.safe_load((DEPLOY / "profiles.yml").read_text(encoding="utf-8"))
    profile = profiles[project["profile"]]
    assert profile["target"] in profile["outputs"]
    required = {"thrift": {"host", "port", "schema"}, "http": {"host", "port", "token", "cluster", "schema"}}
    for name, output in profile["outputs"].items():
        assert output["type"] == "spark", name
        assert required[output["method"]] <= set(output), name
        assert "env_var(" in output["host"], f"{name}: the cluster address comes from the environment"


def test_lake_snippet_in_the_walkthrough_runs(tmp_path):
    """The pyarrow.fs example in deploy/README.md runs as written, on a file:// lake URI."""
    readme = (DEPLOY / "README.md").read_text(encoding="utf-8")
    lake = readme.split("## 4.")[1].split("## 5.")[0]
    [snippet] = re.findall(r"```python\n(.*?)```", lake, re.S)
    scope = {"LAKE_URI": (tmp_path / "lake").as_uri()}
    exec(compile(snippet, "deploy/README.md", "exec"), scope)
    assert scope["back"].to_pylist() == [{"doc_id": "d1", "topic": "hbm"}]
    written = tmp_path / "lake" / "mentions" / "source=calls" / "period=2026Q1" / "part-0.parquet"
    assert written.is_file()
    assert [info.path for info in scope["listed"] if info.is_file] == [str(written)]


# --- a throwaway PostgreSQL server --------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_user() -> str | None:
    """initdb refuses to run as root: as root, the server runs as a non-root account."""
    if os.geteuid() != 0:
        return None
    if not shutil.which("runuser"):
        pytest.skip("running as root without runuser: initdb refuses root, so no PostgreSQL server can start")
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    pytest.skip("running as root with no postgres or nobody account: initdb refuses root")


@pytest.fixture(scope="module")
def postgres_server():
    if not (shutil.which("initdb") and shutil.which("pg_ctl")):
        pytest.skip(NO_POSTGRES)
    pytest.importorskip("psycopg2", reason="psycopg2 comes with dagster-postgres (the [test] extra)")
    user = _server_user()
    as_user = ["runuser", "-u", user, "--"] if user else []
    # not under pytest's tmp folder: its parents are private to root, and the server runs as `user`
    base = Path(tempfile.mkdtemp(prefix="infrathesis-pg-"))
    password, port = "throwaway-pw", _free_port()
    (base / "pw").write_text(password, encoding="utf-8")
    if user:
        entry = pwd.getpwnam(user)
        for path in (base, base / "pw"):
            os.chown(path, entry.pw_uid, entry.pw_gid)
    data = base / "data"

    def run(*cmd):
        done = subprocess.run([*as_user, *cmd], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{' '.join(cmd)}: {done.stdout}{done.stderr}"

    try:
        run("initdb", "-D", str(data), "-U", "dagster", "--pwfile", str(base / "pw"), "-E", "UTF8",
            "--locale", "C", "--auth-local", "trust", "--auth-host", "scram-sha-256")
        run("pg_ctl", "-D", str(data), "-l", str(base / "server.log"), "-w", "-t", "60", "-o",
            f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
        yield {"DAGSTER_PG_HOST": "127.0.0.1", "DAGSTER_PG_PORT": str(port), "DAGSTER_PG_USER": "dagster",
               "DAGSTER_PG_PASSWORD": password}
    finally:
        subprocess.run([*as_user, "pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def deploy_instance(postgres_server, tmp_path, monkeypatch):
    """A fresh database and a DAGSTER_HOME holding deploy/dagster.yaml unchanged, its env pointing at
    the throwaway server. The Kubernetes launcher is built only when a run is launched, which
    in-process execution never does."""
    import psycopg2

    db = f"dagster_{tmp_path.name.lower()}"[:60]
    db = re.sub(r"[^a-z0-9_]", "_", db)
    conn = psycopg2.connect(host="127.0.0.1", port=postgres_server["DAGSTER_PG_PORT"], user="dagster",
                            password=postgres_server["DAGSTER_PG_PASSWORD"], dbname="postgres")
    conn.autocommit = True  # CREATE DATABASE refuses to run inside a transaction
    try:
        conn.cursor().execute(f"create database {db}")
    finally:
        conn.close()
    env = {**postgres_server, "DAGSTER_PG_DB": db, **K8S_ENV}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(DEPLOY / "dagster.yaml", home / "dagster.yaml")
    instance = dg.DagsterInstance.from_config(str(home))
    try:
        yield instance, home, env
    finally:
        instance.dispose()


def _sql(env: dict, query: str, *args) -> list[tuple]:
    import psycopg2

    conn = psycopg2.connect(host=env["DAGSTER_PG_HOST"], port=env["DAGSTER_PG_PORT"], user=env["DAGSTER_PG_USER"],
                            password=env["DAGSTER_PG_PASSWORD"], dbname=env["DAGSTER_PG_DB"])
    try:
        with conn.cursor() as cur:
            cur.execute(query, args)
            return cur.fetchall()
    finally:
        conn.close()


def test_deploy_instance_on_postgres(deploy_instance):
    instance, home, env = deploy_instance
    from dagster_postgres import PostgresEventLogStorage, PostgresRunStorage, PostgresScheduleStorage

    assert isinstance(instance.run_storage, PostgresRunStorage)
    assert isinstance(instance.event_log_storage, PostgresEventLogStorage)
    assert isinstance(instance.schedule_storage, PostgresScheduleStorage)
    assert isinstance(instance.run_coordinator, dg.QueuedRunCoordinator)
    concurrency = instance.get_concurrency_config()
    runs = instance_config()["concurrency"]["runs"]
    assert concurrency.run_queue_config.max_concurrent_runs == runs["max_concurrent_runs"]
    assert len(concurrency.run_queue_config.tag_concurrency_limits) == len(runs["tag_concurrency_limits"])
    assert concurrency.pool_config.default_pool_limit == 1
    # step 1 of the walkthrough, its `dagster instance` commands run as written. They build the whole
    # instance, Kubernetes launcher included, which finds its cluster here through a local kubeconfig
    # instead of the in-cluster service account (the only change to the file).
    step1 = (DEPLOY / "README.md").read_text(encoding="utf-8").split("## 1.")[1].split("## 2.")[0]
    commands = [shlex.split(line, comments=True) for line in step1.splitlines() if " -- dagster instance " in line]
    assert [c[c.index("--") + 3] for c in commands] == ["migrate", "concurrency"]
    cluster_home = home.parent / "dagster_home_kubeconfig"
    cluster_home.mkdir()
    (cluster_home / "kubeconfig").write_text(KUBECONFIG, encoding="utf-8")
    config = instance_config()
    config["run_launcher"]["config"].update(load_incluster_config=False, kubeconfig_file=str(cluster_home / "kubeconfig"))
    (cluster_home / "dagster.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    for command in [*commands, ["--", "dagster", "instance", "info"]]:
        args = command[command.index("--") + 2:]
        done = subprocess.run([str(Path(sys.executable).parent / "dagster"), *args], capture_output=True,
                              env={**os.environ, "DAGSTER_HOME": str(cluster_home)}, text=True, timeout=180)
        assert done.returncode == 0, f"{' '.join(args)}: {done.stderr[-2000:]}"
    assert "K8sRunLauncher" in done.stdout and "PostgresRunStorage" in done.stdout
    pool, limit = commands[-1][-2:]
    assert instance.event_log_storage.get_concurrency_info(pool).slot_count == int(limit)
    assert _sql(env, "select concurrency_key, count(*) from concurrency_slots group by 1") == [(pool, int(limit))]


NEW_CALL = """---
ticker: AVGO
date: 2026-03-05
fiscal_period: FY2026 Q1
---
Broadcom (AVGO) FY2026 Q1 Earnings Call
Corporate Participants:
Ida Vale - Chief Financial Officer
Operator: Good afternoon.
Ida Vale: Capital expenditures came to $0.3 billion in the quarter. Custom accelerator orders kept growing.
"""


def test_one_new_transcript_on_postgres(deploy_instance, small_landing, tmp_path, isolated_env):
    """The flow of test_orchestration's sensor test, on the deployment's instance: full run, one new
    call, the landing sensor's run; both runs and both report materializations are rows in PostgreSQL."""
    from infrathesis.pipeline import collect, execute, prepare_out, run_pipeline
    from orchestration.definitions import defs
    from orchestration.schedules import tick_landing_sensor

    instance, _, env = deploy_instance
    settings = settings_for(small_landing, tmp_path / "out")
    assert run_pipeline(settings, instance=instance).published
    assert isinstance(tick_landing_sensor(instance), dg.SkipReason)

    (small_landing / "calls" / "AVGO_2026-03-05.txt").write_text(NEW_CALL, encoding="utf-8")
    [request] = tick_landing_sensor(instance).run_requests
    prepare_out(settings)
    run = execute(defs.resolve_job_def("refresh"), instance, request.tags, None)
    assert collect(settings, run).published

    runs = dict(_sql(env, "select run_id, status from runs"))
    assert len(runs) == 2 and set(runs.values()) == {"SUCCESS"} and run.run_id in runs
    report = _sql(env, "select run_id from event_logs where dagster_event_type = 'ASSET_MATERIALIZATION' "
                       "and asset_key = %s order by id", dg.AssetKey("research_report").to_string())
    assert [r[0] for r in report][-1] == run.run_id and len(report) == 2
    tagged = [e.materialization.metadata for e in run.get_asset_materialization_events()
              if e.asset_key == dg.AssetKey("topic_mentions")]
    assert tagged and tagged[0]["documents_tagged"].value == 1  # only the new call was tagged
    latest = instance.get_latest_materialization_event(dg.AssetKey("research_report"))
    assert latest.run_id == run.run_id
    # the warehouse steps took the pool's one slot from PostgreSQL and gave it back
    from orchestration.dbt import POOL

    assert POOL in instance.event_log_storage.get_concurrency_keys()
    pool = instance.event_log_storage.get_concurrency_info(POOL)
    assert pool.slot_count == 1 and not pool.claimed_slots
