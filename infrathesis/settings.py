"""The one object that knows where things live.

Everything path-like is derived here from three inputs (landing folder, output folder, as-of date),
read from the environment so that the CLI, `dagster dev` and the dbt subprocess agree.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path


def _project_root() -> Path:
    here = Path(__file__).resolve()
    for candidate in here.parents:
        if (candidate / "pyproject.toml").exists() and (candidate / "dbt_project").is_dir():
            return candidate
    raise RuntimeError(f"cannot find the infrathesis project root above {here}")


ROOT = _project_root()
DEFAULT_WINDOW_MONTHS = 22
REPORT_FILES = ("report.html", "report.md", "report.xlsx", "report.zh.html", "report.zh.md", "report.zh.xlsx")  # published with tables/ only when every blocking check passed

ENV_LANDING = "INFRATHESIS_LANDING"
ENV_OUT = "INFRATHESIS_OUT"
ENV_AS_OF = "INFRATHESIS_AS_OF"
ENV_WINDOW = "INFRATHESIS_WINDOW_MONTHS"
ENV_CLAIMS = "INFRATHESIS_CLAIMS"
ENV_LANG = "INFRATHESIS_LANG"
LANGS = {"en": ("en",), "zh": ("zh",), "both": ("en", "zh")}
NO_CLAIMS = "none"


@dataclass(frozen=True)
class Settings:
    landing: Path
    out: Path
    as_of: date
    window_months: int = DEFAULT_WINDOW_MONTHS
    claims: Path | None = None
    root: Path = field(default=ROOT)
    lang: str = "both"  # which editions the report is written in: en, zh or both

    @property
    def langs(self) -> tuple[str, ...]:
        return LANGS[self.lang]

    @property
    def previous_dir(self) -> Path:
        """The marts, sources and claim verdicts of the last published run: what "What changed" compares with."""
        return self.out / "previous"

    # --- repository paths (read-only inputs) ---------------------------------------------
    @property
    def sample_landing(self) -> Path:
        return self.root / "data" / "sample" / "landing"

    @property
    def dbt_project_dir(self) -> Path:
        return self.root / "dbt_project"

    @property
    def lexicon_dir(self) -> Path:
        return self.root / "assets" / "tagging" / "lexicon"

    @property
    def universe_csv(self) -> Path:
        return self.dbt_project_dir / "seeds" / "universe.csv"

    @property
    def report_templates(self) -> Path:
        return self.root / "assets" / "report" / "templates"

    # --- outputs ---------------------------------------------------------------------------
    @property
    def parquet_dir(self) -> Path:
        return self.out / "parquet"

    @property
    def dbt_target_dir(self) -> Path:
        """dbt's artifacts for this output folder; keeping them lets dbt re-parse only what changed."""
        return self.out / "dbt_target"

    @property
    def warehouse(self) -> Path:
        return self.out / "warehouse.duckdb"

    @property
    def tables_dir(self) -> Path:
        return self.out / "tables"

    @property
    def summary_json(self) -> Path:
        return self.out / "summary.json"

    @property
    def validation_html(self) -> Path:
        return self.out / "validation.html"

    @property
    def claims_json(self) -> Path:
        return self.out / "claims.json"

    @property
    def alerts_log(self) -> Path:
        return self.out / "alerts.log"

    @property
    def is_sample(self) -> bool:
        return self.landing.resolve() == self.sample_landing.resolve()

    @cached_property
    def dbt_vars(self) -> dict:
        return {"as_of": self.as_of.isoformat(), "window_months": self.window_months}

    def env(self) -> dict[str, str]:
        """Environment the dbt subprocess and child processes need to see the same paths."""
        return {
            ENV_LANDING: str(self.landing),
            ENV_OUT: str(self.out),
            ENV_AS_OF: self.as_of.isoformat(),
            ENV_WINDOW: str(self.window_months),
            ENV_CLAIMS: str(self.claims) if self.claims else NO_CLAIMS,
            ENV_LANG: self.lang,
        }

    @classmethod
    def from_env(cls, environ: os._Environ | dict | None = None) -> "Settings":
        env = os.environ if environ is None else environ
        landing = Path(env.get(ENV_LANDING) or ROOT / "data" / "sample" / "landing")
        out = Path(env.get(ENV_OUT) or ROOT / "data" / "out")
        as_of_text = env.get(ENV_AS_OF)
        as_of = date.fromisoformat(as_of_text) if as_of_text else default_as_of(landing)
        window = int(env.get(ENV_WINDOW) or DEFAULT_WINDOW_MONTHS)
        claims = resolve_claims(landing, env.get(ENV_CLAIMS))
        lang = env.get(ENV_LANG) or "both"
        if lang not in LANGS:
            raise ValueError(f"{ENV_LANG}={lang!r}: expected one of {', '.join(LANGS)}")
        return cls(landing=landing.resolve(), out=out.resolve(), as_of=as_of, window_months=window, claims=claims,
                   lang=lang)


SAMPLE_AS_OF = date(2026, 3, 31)
SAMPLE_CLAIMS = ROOT / "expectations" / "claims" / "sample.yml"


def resolve_claims(landing: Path, explicit: str | None) -> Path | None:
    """Claims belong to a corpus: an explicit file, else the landing folder's claims.yml, else the
    bundled registry only for the bundled sample. A user's corpus is never judged by the sample's claims."""
    if explicit:
        return None if explicit == NO_CLAIMS else Path(explicit).resolve()
    own = landing / "claims.yml"
    if own.exists():
        return own.resolve()
    if landing.resolve() == (ROOT / "data" / "sample" / "landing").resolve():
        return SAMPLE_CLAIMS
    return None


def default_as_of(landing: Path) -> date:
    """The bundled sample is frozen at its own as-of date so its figures never drift with the clock."""
    if landing.resolve() == (ROOT / "data" / "sample" / "landing").resolve():
        return SAMPLE_AS_OF
    return date.today()
