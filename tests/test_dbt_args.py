"""The dbt command line a run uses: pure, so it is tested without dbt."""

import json
from datetime import date
from pathlib import Path

from infrathesis.settings import Settings
from orchestration.dbt import build_dbt_args


def test_build_args_carry_as_of_and_window():
    settings = Settings(landing=Path("/l"), out=Path("/o"), as_of=date(2025, 12, 31), window_months=12)
    args = build_dbt_args(settings)
    assert args[:2] == ["build", "--vars"]
    assert json.loads(args[2]) == {"as_of": "2025-12-31", "window_months": 12}
    assert build_dbt_args(settings, "parse")[0] == "parse"


def test_env_exports_paths_for_dbt():
    settings = Settings(landing=Path("/l"), out=Path("/o"), as_of=date(2025, 12, 31))
    env = settings.env()
    assert env["INFRATHESIS_OUT"] == "/o" and env["INFRATHESIS_AS_OF"] == "2025-12-31"
    assert Settings.from_env(env) == Settings(landing=Path("/l"), out=Path("/o"), as_of=date(2025, 12, 31))
