"""The report asset: runs only after every blocking check on the marts passed in this run."""


import json

import dagster as dg

from infrathesis.settings import Settings
from infrathesis.warehouse import MARTS, read_marts

from .corpus import corpus_summary, sources_frame
from .render import ReportInput, write_report

GROUP = "report"


@dg.asset(
    group_name=GROUP,
    deps=[*(dg.AssetKey(m) for m in MARTS), dg.AssetKey("claim_verdicts")],
    pool="duckdb",
    kinds={"html", "markdown", "excel"},
    description="report.html, report.md, report.xlsx (and the Chinese edition report.zh.*), tables/<mart>.csv and tables/changes.csv (what changed since the last published run, kept in previous/) in the output folder.",
)
def research_report(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    settings = Settings.from_env()
    data = ReportInput(
        marts=read_marts(settings.warehouse),
        corpus=corpus_summary(settings),
        as_of=settings.as_of.isoformat(),
        window_months=settings.window_months,
        is_sample=settings.is_sample,
        checks=checks_in_run(context),
        sources=sources_frame(settings),
        langs=settings.langs,
        claims=json.loads(settings.claims_json.read_text(encoding="utf-8"))["verdicts"] if settings.claims_json.exists() else [],
    )
    paths = write_report(data, settings.out, settings.report_templates)
    return dg.MaterializeResult(metadata={
        "checks_listed": len(data.checks),
        "report_html": dg.MetadataValue.path(str(settings.out / "report.html")),
        "files": dg.MetadataValue.json([str(p) for p in paths]),
        "quarterly_capex_rows": len(data.marts["quarterly_capex"]),
    })


def checks_in_run(context: dg.AssetExecutionContext) -> list[dict]:
    """The checks Dagster recorded in this run before the report, as the report lists them: what ran
    and its verdict, not the names of the suites that should have run."""
    records = context.instance.get_records_for_run(
        context.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION).records
    found = {}
    for record in records:
        evaluation = record.event_log_entry.dagster_event.event_specific_data
        asset = evaluation.asset_key.to_user_string()
        found[(asset, evaluation.check_name)] = {"name": evaluation.check_name, "asset": asset,
                                                 "passed": bool(evaluation.passed)}
    return [found[k] for k in sorted(found)]
