"""A thin wrapper over GE 1.x: ephemeral context, dataframe batch, readable failures."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

import infrathesis  # noqa: F401,E402  (telemetry off, no progress bars)

MAX_UNEXPECTED = 20


@dataclass
class ExpectationOutcome:
    expectation: str
    kwargs: dict
    success: bool
    unexpected: list = field(default_factory=list)
    observed: object = None

    def describe(self) -> str:
        args = ", ".join(f"{k}={v}" for k, v in self.kwargs.items() if k not in ("batch_id",))
        return f"{self.expectation}({args})"


@dataclass
class SuiteOutcome:
    suite: str
    success: bool
    rows: int
    outcomes: list[ExpectationOutcome]

    @property
    def failures(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success]


@lru_cache(maxsize=1)
def _context():
    import great_expectations as gx

    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    source = context.data_sources.add_pandas("marts")
    return context, source


def run_suite(name: str, df: pd.DataFrame, expectations: list) -> SuiteOutcome:
    """Validates `df` against GE expectation objects; unexpected values come back for the check metadata."""
    import great_expectations as gx

    context, source = _context()
    asset_name = f"{name}_{len(source.assets)}"
    asset = source.add_dataframe_asset(name=asset_name)
    batch_def = asset.add_batch_definition_whole_dataframe(f"{asset_name}_all")
    suite = gx.ExpectationSuite(name=asset_name)
    for expectation in expectations:
        suite.add_expectation(expectation)
    batch = batch_def.get_batch(batch_parameters={"dataframe": df})
    result = batch.validate(suite, result_format={"result_format": "COMPLETE"})
    outcomes = []
    for r in result.results:
        config = r.expectation_config
        details = r.result or {}
        unexpected = details.get("partial_unexpected_list") or details.get("unexpected_list") or []
        outcomes.append(ExpectationOutcome(
            expectation=config.type,
            kwargs={k: _plain(v) for k, v in config.kwargs.items()},
            success=bool(r.success),
            unexpected=[_plain(u) for u in unexpected[:MAX_UNEXPECTED]],
            observed=_plain(details.get("observed_value")),
        ))
    return SuiteOutcome(suite=name, success=bool(result.success), rows=len(df), outcomes=outcomes)


def _plain(value):
    """JSON-friendly values for Dagster metadata and summary.json."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value
