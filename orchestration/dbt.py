"""dbt inside Dagster: a cached project factory, a pure args builder and the translator."""


import json
import os
import shutil
import sys
from pathlib import Path
from functools import lru_cache
from typing import Any, Mapping

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from assets.tagging.assets import ensure_empty_shards
from infrathesis.faults import crash_point
from infrathesis.locks import warehouse_lock
from infrathesis.pipeline import withdraw_report
from infrathesis.settings import Settings

DBT_GROUP = "transform"
POOL = "duckdb"  # one writer at a time on the DuckDB file; see README "who writes what"


@lru_cache(maxsize=1)
def dbt_project() -> DbtProject:
    settings = Settings.from_env()
    project = DbtProject(project_dir=settings.dbt_project_dir, profiles_dir=settings.dbt_project_dir)
    if manifest_is_stale(project):
        # A fresh clone, or models edited since the last parse: `dbt parse` rewrites target/manifest.json.
        import subprocess

        subprocess.run([dbt_executable(), "parse", "--profiles-dir", str(project.project_dir), "--quiet"],
                       cwd=project.project_dir, check=True)
    return project


def manifest_is_stale(project: DbtProject) -> bool:
    if not project.manifest_path.exists():
        return True
    built = project.manifest_path.stat().st_mtime
    root = Path(project.project_dir)
    sources = [root / "dbt_project.yml", root / "profiles.yml"]
    for folder in ("models", "seeds", "macros", "tests"):
        sources += [p for p in (root / folder).rglob("*") if p.is_file()]
    return any(p.exists() and p.stat().st_mtime > built for p in sources)


def build_dbt_args(settings: Settings, command: str = "build") -> list[str]:
    """The dbt command line for one pipeline run; vars carry the as-of date and window."""
    return [command, "--vars", json.dumps(settings.dbt_vars, sort_keys=True)]


class Translator(DagsterDbtTranslator):
    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project: DbtProject | None) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        if unique_id.startswith("source."):
            return spec
        return spec.replace_attributes(group_name=DBT_GROUP)


def build_dbt_assets() -> dg.AssetsDefinition:
    project = dbt_project()

    @dbt_assets(manifest=project.manifest_path, project=project, dagster_dbt_translator=Translator(), pool=POOL)
    def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
        settings = Settings.from_env()
        os.environ.update(settings.env())  # the dbt subprocess reads paths from these
        ensure_empty_shards(settings)
        with warehouse_lock(settings.warehouse):
            withdraw_report(settings)  # the marts change now; the report of the old ones must not look current
            invocation = dbt.cli(build_dbt_args(settings), context=context, target_path=settings.dbt_target_dir)
            for n, event in enumerate(invocation.stream()):
                if n == 3:
                    crash_point("dbt")
                yield event

    return dbt_models


def dbt_executable() -> str:
    """The dbt beside this interpreter, so an un-activated .venv still finds it."""
    beside = Path(sys.executable).with_name("dbt")
    return str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")


def dbt_resource() -> DbtCliResource:
    project = dbt_project()
    return DbtCliResource(project_dir=str(project.project_dir), profiles_dir=str(project.project_dir),
                          dbt_executable=dbt_executable())
