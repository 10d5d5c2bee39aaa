"""The same dbt project on Apache Spark: every mart equal to DuckDB's, built from one Parquet lake.

The bundled sample, with two MSFT calls rewritten so that review rules hold statements, is run once
(ingest and tagging write the lake); `dbt build` then runs on the DuckDB target and on the Spark target
(dbt-spark's `session` method, Spark in-process) with the same vars, in a fresh output folder holding a
copy of that lake. Stricter review vars than the defaults hold more, so the diff covers `review` and
its rule details with rows. Needs Java 17 (skips without it).
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import math
import os
import shutil
import subprocess
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import SAMPLE, settings_for
from infrathesis.pipeline import run_pipeline
from infrathesis.settings import ROOT
from orchestration.dbt import dbt_executable
from test_review import msft_call

PROJECT = ROOT / "dbt_project"
MARTS = sorted(p.stem for p in (PROJECT / "models" / "marts").glob("*.sql"))
REVIEW_VARS = {"review_implausible_factor": 1.5, "review_duplicate_tolerance": 0.0}
# MSFT reports in USD: an amount in RMB is held (currency_not_reporting); two different amounts for one
# quarter and scope in two sentences are held (duplicate_conflict). Our own sentences and figures.
HELD_CALLS = {
    "MSFT_2025-07-30.txt": msft_call("2025-07-30", "FY2025 Q4",
                                     "Capital expenditures including finance leases were RMB 26.3 billion this quarter."),
    "MSFT_2025-04-30.txt": msft_call("2025-04-30", "FY2025 Q3",
                                     "Capital expenditures including finance leases were $19.7 billion this quarter. "
                                     "Put differently, capital expenditures including finance leases were $23.1 billion "
                                     "this quarter."),
}


def dbt_build(out: Path, target: str, vars_: dict, tmp: Path) -> float:
    env = {**os.environ, "INFRATHESIS_OUT": str(out)}
    started = time.perf_counter()
    proc = subprocess.run(
        [dbt_executable(), "build", "--profiles-dir", ".", "--target", target, "--vars", json.dumps(vars_),
         "--target-path", str(tmp / f"target_{target}"), "--log-path", str(tmp / f"logs_{target}")],
        cwd=PROJECT, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, f"dbt build --target {target} failed:\n{proc.stdout[-6000:]}\n{proc.stderr[-2000:]}"
    return time.perf_counter() - started


def family(arrow_type: pa.DataType) -> str:
    """Types normalised: engines differ in width (int vs bigint) and spelling, not in kind."""
    for test, name in ((pa.types.is_integer, "integer"), (pa.types.is_floating, "float"),
                       (pa.types.is_decimal, "float"), (pa.types.is_string, "string"),
                       (pa.types.is_large_string, "string"), (pa.types.is_date, "date"),
                       (pa.types.is_boolean, "boolean"), (pa.types.is_timestamp, "timestamp")):
        if test(arrow_type):
            return name
    return str(arrow_type)


def normalise(value):
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return value


def sort_key(row: tuple) -> tuple:
    # None first, floats rounded so that 1e-12 apart rows sort alike
    return tuple((v is not None, round(v, 6) if isinstance(v, float) else v) for v in row)


def rows_of(table: pa.Table) -> list[tuple]:
    return sorted((tuple(normalise(v) for v in row.values()) for row in table.to_pylist()), key=sort_key)


def same_value(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def diff_table(name: str, duck: pa.Table, spark: pa.Table) -> list[str]:
    problems = []
    if duck.column_names != spark.column_names:
        return [f"{name}: columns {duck.column_names} (DuckDB) vs {spark.column_names} (Spark)"]
    for column, a, b in zip(duck.column_names, duck.schema.types, spark.schema.types):
        if family(a) != family(b):
            problems.append(f"{name}.{column}: type {a} (DuckDB) vs {b} (Spark)")
    left, right = rows_of(duck), rows_of(spark)
    if len(left) != len(right):
        return problems + [f"{name}: {len(left)} rows (DuckDB) vs {len(right)} (Spark)"]
    for a, b in zip(left, right):
        bad = [c for c, x, y in zip(duck.column_names, a, b) if not same_value(x, y)]
        if bad:
            problems.append(f"{name}: first differing row, columns {bad}:\n  DuckDB {a}\n  Spark  {b}")
            break
    return problems


def test_every_mart_equal_on_duckdb_and_spark(tmp_path, isolated_env):
    if shutil.which("java") is None:
        pytest.skip("Java is missing: the Spark diff needs a JDK 17 (apt-get install openjdk-17-jre-headless)")
    landing = tmp_path / "landing"
    shutil.copytree(SAMPLE, landing)
    for name, text in HELD_CALLS.items():
        (landing / "calls" / name).write_text(text, encoding="utf-8")
    settings = settings_for(landing, tmp_path / "pipeline", claims=None)
    run_pipeline(settings)  # ingestion and tagging write the lake; whether the report publishes is not at issue
    for key in settings.env():
        isolated_env.delenv(key, raising=False)
    out = tmp_path / "out"
    shutil.copytree(settings.parquet_dir, out / "parquet")  # the one lake both engines read
    vars_ = {**settings.dbt_vars, **REVIEW_VARS}

    duck_seconds = dbt_build(out, "local", vars_, tmp_path)
    warehouse = (out / "warehouse.duckdb").read_bytes()
    spark_seconds = dbt_build(out, "spark", vars_, tmp_path)
    print(f"\ndbt build: DuckDB {duck_seconds:.0f} s, Spark {spark_seconds:.0f} s")
    assert (out / "warehouse.duckdb").read_bytes() == warehouse, "the Spark target touched the DuckDB file"
    assert (out / "spark" / "warehouse").is_dir(), "Spark wrote its tables outside <out>/spark/warehouse"
    assert not (PROJECT / "metastore_db").exists() and not (PROJECT / "spark-warehouse").exists()

    con = duckdb.connect(str(out / "warehouse.duckdb"), read_only=True)
    rules = {r for (r,) in con.sql("select distinct rule from int_capex_rules").fetchall()}
    assert {"currency_not_reporting", "duplicate_conflict", "implausible_vs_history"} <= rules, rules
    # A-share figures (halves and years from the cash-flow statements) and their region row are diffed too
    [(cn_rows,)] = con.sql("select count(*) from filed_capex where period_months in (6, 12)").fetchall()
    assert cn_rows > 0, "filed_capex has no A-share rows: the diff would not cover them"
    [(filed_side,)] = con.sql("select count(*) from region_comparison where basis = 'filed'").fetchall()
    assert filed_side == 1, filed_side
    problems = []
    for mart in MARTS:
        duck = con.sql(f"select * from {mart}").to_arrow_table()
        assert duck.num_rows > 0, f"{mart} is empty on DuckDB: the diff would prove nothing"
        files = out / "spark" / "warehouse" / "infrathesis.db" / mart  # the tables as Spark wrote them
        problems += diff_table(mart, duck, pq.read_table(files))
    con.close()
    assert not problems, "\n".join(problems)


def test_the_diff_sees_a_difference():
    """The comparison itself fails on a changed value, a lost row and a changed kind of type."""
    duck = pa.table({"k": ["a", "b"], "x": [1.0, 2.0], "n": pa.array([1, 2], pa.int64())})
    assert diff_table("t", duck, pa.table({"k": ["b", "a"], "x": [2.0, 1.0 + 1e-12],
                                           "n": pa.array([2, 1], pa.int32())})) == []
    assert diff_table("t", duck, pa.table({"k": ["a", "b"], "x": [1.0, 2.001], "n": [1, 2]}))
    assert diff_table("t", duck, pa.table({"k": ["a"], "x": [1.0], "n": [1]}))
    assert diff_table("t", duck, pa.table({"k": ["a", "b"], "x": [1.0, 2.0], "n": ["1", "2"]}))
