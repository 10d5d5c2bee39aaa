"""The report asset: runs only after every blocking check on the marts passed in this run."""


import json

import dagster as dg

from expectations.suites import SUITES
from infrathesis.settings import Settings
from infrathesis.warehouse import MARTS, read_marts

from .corpus import corpus_summary, sources_frame
from .render import ReportInput, write_report

GROUP = "report"
REPORT_FILES = ("report.html", "report.md", "report.xlsx")


@dg.asset(
    group_name=GROUP,
    deps=[*(dg.AssetKey(m) for m in MARTS), dg.AssetKey("claim_verdicts")],
    pool="duckdb",
    kinds={"html", "markdown", "excel"},
    description="report.html, report.md, report.xlsx and tables/<mart>.csv in the output folder.",
)
def research_report() -> dg.MaterializeResult:
    settings = Settings.from_env()
    data = ReportInput(
        marts=read_marts(settings.warehouse),
        corpus=corpus_summary(settings),
        as_of=settings.as_of.isoformat(),
        window_months=settings.window_months,
        is_sample=settings.is_sample,
        # The report materializes only when every blocking check passed earlier in this run.
        checks=[{"name": f"gx_{name}", "passed": True} for name in [*SUITES, "claims"]],
        sources=sources_frame(settings),
        claims=json.loads(settings.claims_json.read_text(encoding="utf-8"))["verdicts"] if settings.claims_json.exists() else [],
    )
    paths = write_report(data, settings.out, settings.report_templates)
    return dg.MaterializeResult(metadata={
        "report_html": dg.MetadataValue.path(str(settings.out / "report.html")),
        "files": dg.MetadataValue.json([str(p) for p in paths]),
        "quarterly_capex_rows": len(data.marts["quarterly_capex"]),
    })
