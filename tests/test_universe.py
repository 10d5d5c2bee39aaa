"""The universe seed is data users edit, often in another editor: any line endings work, and a
malformed row fails the run with the file and line on the console and in summary.json."""

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from infrathesis.cli import main
from infrathesis.settings import ROOT, Settings
from infrathesis.universe import UniverseError, load_universe

SEED = ROOT / "dbt_project" / "seeds" / "universe.csv"
NEW_ROWS = ("NEWAI,New AI,新智能,NEWAI,US,US Cloud,call,12,USD", "NEWHK,New HK,新港,9999.HK,CN,China Cloud,call,12,HKD")


def _copy_seeds(folder: Path, universe: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SEED.with_name("ticker_aliases.csv"), folder / "ticker_aliases.csv")
    (folder / "universe.csv").write_bytes(universe)
    return folder / "universe.csv"


def _fields(universe) -> list[tuple]:
    return sorted(tuple(vars(c).values()) for c in universe)


def test_windows_line_endings_throughout(tmp_path):
    crlf = _copy_seeds(tmp_path, SEED.read_bytes().replace(b"\n", b"\r\n"))
    assert _fields(load_universe(crlf)) == _fields(load_universe(SEED))


def test_rows_appended_with_windows_line_endings(tmp_path):
    mixed = _copy_seeds(tmp_path, SEED.read_bytes() + "".join(r + "\r\n" for r in NEW_ROWS).encode())
    universe = load_universe(mixed)
    assert len(universe) == len(load_universe(SEED)) + 2
    assert universe["NEWAI"].reporting_currency == "USD" and universe["NEWHK"].reporting_currency == "HKD"
    assert universe.resolve("9999.hk") == "NEWHK"


@pytest.mark.parametrize("tail, line", [
    ("," + NEW_ROWS[0] + "\n", 50),  # appended to the last row: no line break before it
    ("\n" + NEW_ROWS[0] + ",extra\n", 51),  # a stray field
])
def test_malformed_row_names_the_file_and_line(tmp_path, tail, line):
    bad = _copy_seeds(tmp_path, SEED.read_bytes().rstrip(b"\n") + tail.encode())
    with pytest.raises(UniverseError, match=f"universe.csv, line {line}: "):
        load_universe(bad)


def test_alias_to_a_company_not_in_the_universe_names_the_alias_file(tmp_path):
    path = _copy_seeds(tmp_path, SEED.read_bytes())
    aliases = path.with_name("ticker_aliases.csv")
    line = len(aliases.read_text(encoding="utf-8").splitlines()) + 1
    with open(aliases, "a", encoding="utf-8") as fh:
        fh.write("ZZZ.DE,NOT_A_TICKER,typo\n")
    with pytest.raises(UniverseError, match=f"ticker_aliases.csv, line {line}: .*NOT_A_TICKER"):
        load_universe(path)


def _dbt_seed(tmp_path, universe: bytes):
    project = tmp_path / "dbt_project"
    shutil.copytree(ROOT / "dbt_project", project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    (project / "seeds" / "universe.csv").write_bytes(universe)
    env = {**os.environ, "INFRATHESIS_OUT": str(tmp_path)}
    dbt = Path(sys.executable).with_name("dbt")
    return subprocess.run([str(dbt), "seed", "--select", "universe", "--profiles-dir", str(project),
                           "--target-path", str(tmp_path / "dbt_target")], cwd=project,
                          env=env, capture_output=True, text=True, timeout=300)


def test_dbt_loads_a_seed_with_rows_appended_in_another_editor(tmp_path):
    """dbt-duckdb's fast seed loader rejects mixed line endings; the project loads seeds through agate."""
    proc = _dbt_seed(tmp_path, SEED.read_bytes() + "".join(r + "\r\n" for r in NEW_ROWS).encode())
    assert proc.returncode == 0, proc.stdout[-3000:]
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        rows = con.sql("select ticker, reporting_currency from universe where ticker like 'NEW%' order by 1").fetchall()
    assert rows == [("NEWAI", "USD"), ("NEWHK", "HKD")]


def test_a_dbt_error_is_told_with_its_file(tmp_path):
    from infrathesis.pipeline import dbt_errors

    proc = _dbt_seed(tmp_path, SEED.read_bytes() + (NEW_ROWS[0] + ",extra\n").encode())
    assert proc.returncode != 0
    settings = Settings(landing=tmp_path, out=tmp_path, as_of=date(2026, 3, 31))
    [line] = dbt_errors(settings)
    assert line.startswith(f"{settings.dbt_project_dir / 'seeds' / 'universe.csv'}: ")
    assert "Row 49 has 10 values, but Table only has 9 columns" in line


def test_malformed_universe_fails_the_run_with_file_and_line_without_verbose(tmp_path, small_landing, isolated_env,
                                                                             capsys):
    bad = _copy_seeds(tmp_path / "seeds", SEED.read_bytes() + (NEW_ROWS[0] + ",extra\n").encode())
    isolated_env.setattr(Settings, "universe_csv", property(lambda self: bad))
    out = tmp_path / "out"

    code = main(["run", "--landing", str(small_landing), "--out", str(out), "--as-of", "2026-03-31", "--claims", "none"])

    printed = capsys.readouterr().out
    assert code == 1
    assert f"{bad}, line 51: 10 fields, the header has 9" in printed
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["published"] is False
    failure = next(f for f in summary["failures"] if f["step"] == "calls_documents")
    assert failure["file"] == str(bad)
    assert any(f"{bad}, line 51" in line for line in failure["error"])
    assert any("calls_documents failed" in why for why in summary["withheld"]["because"])
