"""Blocking asset checks: a failing suite stops the run before the report is written."""


import dagster as dg

from infrathesis.settings import Settings
from infrathesis.universe import load_universe
from infrathesis.warehouse import read_mart

from .gx_runner import SuiteOutcome, run_suite
from .suites import SUITES, SuiteContext

POOL = "duckdb"


def suite_context(settings: Settings) -> SuiteContext:
    universe = load_universe(settings.universe_csv)
    return SuiteContext(
        as_of=settings.as_of.isoformat(),
        layers=tuple(sorted({c.layer for c in universe})),
        tickers=tuple(c.ticker for c in universe),
    )


def validate_mart(name: str, settings: Settings) -> SuiteOutcome:
    df = read_mart(settings.warehouse, name)
    return run_suite(name, df, SUITES[name](suite_context(settings)))


def to_check_result(outcome: SuiteOutcome) -> dg.AssetCheckResult:
    failures = [
        {"expectation": f.describe(), "observed": f.observed, "unexpected": f.unexpected}
        for f in outcome.failures
    ]
    return dg.AssetCheckResult(
        passed=outcome.success,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={
            "rows": outcome.rows,
            "expectations": len(outcome.outcomes),
            "failed": len(failures),
            "failures": dg.MetadataValue.json(failures),
        },
    )


def _mart_check(mart: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(asset=dg.AssetKey(mart), name=f"gx_{mart}", blocking=True, pool=POOL,
                    description=f"Great Expectations suite for {mart} (expectations/suites.py).")
    def _check() -> dg.AssetCheckResult:
        return to_check_result(validate_mart(mart, Settings.from_env()))

    return _check


MART_CHECKS = [_mart_check(name) for name in SUITES]
