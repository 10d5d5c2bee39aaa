"""One asset per source, upstream of ingestion: each pulls what is new into the landing folder.

The refresh job never selects this group (a refresh must not depend on a provider being up); the
sources have their own jobs and schedules, and the landing sensor carries what they land on. An
unconfigured source materializes with `skipped` and the reason instead of failing.
"""

from datetime import datetime

import dagster as dg

from infrathesis.settings import Settings

from .pull import Pull
from .resources import CninfoSource, SecXbrlSource, TranscriptSource

GROUP = "sources"
MAX_LISTED = 200  # files and notes listed in the metadata; the counts are complete


def _listing(items: list[str], empty: str) -> dg.MetadataValue:
    if not items:
        return dg.MetadataValue.md(empty)
    more = f"\n- ... and {len(items) - MAX_LISTED} more" if len(items) > MAX_LISTED else ""
    return dg.MetadataValue.md("\n".join(f"- `{i}`" for i in items[:MAX_LISTED]) + more)


def result(context: dg.AssetExecutionContext, pull: Pull) -> dg.MaterializeResult:
    """What was pulled, as materialization metadata (and the log); a skip says why."""
    if pull.skipped:
        context.log.info(f"{pull.source} skipped: {pull.skipped}")
        return dg.MaterializeResult(metadata={"skipped": True, "reason": pull.skipped, "pulled": 0})
    context.log.info(f"{pull.source}: {len(pull.files)} new file(s), {pull.already} already pulled, "
                     f"{len(pull.unavailable)} not available, {len(pull.failed)} failed")
    for failure in pull.failed:
        context.log.warning(f"{pull.source}: {failure}")
    metadata = {
        "skipped": False,
        "pulled": len(pull.files),
        "files": _listing(pull.files, "nothing new"),
        "already_pulled": pull.already,
        "companies": pull.companies,
        "not_available": _listing(pull.unavailable, "none"),
        "failed": _listing(pull.failed, "none"),
        "cursor": dg.MetadataValue.path(str(pull.cursor)),
    }
    if pull.last_pulled:
        metadata["last_pulled"] = dg.MetadataValue.timestamp(datetime.fromisoformat(pull.last_pulled).timestamp())
    return dg.MaterializeResult(metadata=metadata)


def _fail_when_nothing_worked(pull: Pull) -> None:
    """Every company failed: the provider is down or refuses us. Fail, so the run's failure alert fires."""
    if pull.failed and not (pull.files or pull.already or pull.unavailable):
        raise dg.Failure(f"{pull.source}: every company failed; first: {pull.failed[0]}",
                         metadata={"failed": _listing(pull.failed, "none")})


@dg.asset(group_name=GROUP, kinds={"python"},
          description="Earnings-call transcripts from a provider's API into landing/calls (daily).")
def transcripts_api(context: dg.AssetExecutionContext, transcript_source: TranscriptSource) -> dg.MaterializeResult:
    pull = transcript_source.pull(Settings.from_env())
    _fail_when_nothing_worked(pull)
    return result(context, pull)


@dg.asset(group_name=GROUP, kinds={"python"},
          description="Quarterly capex (every capex concept, finance-lease principal) from SEC XBRL company facts "
                      "into landing/filings (weekly).")
def sec_xbrl_capex(context: dg.AssetExecutionContext, sec_source: SecXbrlSource) -> dg.MaterializeResult:
    pull = sec_source.pull(Settings.from_env())
    _fail_when_nothing_worked(pull)
    return result(context, pull)


@dg.asset(group_name=GROUP, kinds={"python", "pdf"},
          description="A-share annual and semi-annual report PDFs from Cninfo into landing/mdna (weekly).")
def cninfo_reports(context: dg.AssetExecutionContext, cninfo_source: CninfoSource) -> dg.MaterializeResult:
    pull = cninfo_source.pull(Settings.from_env())
    _fail_when_nothing_worked(pull)
    return result(context, pull)


SOURCE_ASSETS = [transcripts_api, sec_xbrl_capex, cninfo_reports]
SOURCE_RESOURCES = {"transcript_source": TranscriptSource(), "sec_source": SecXbrlSource(), "cninfo_source": CninfoSource()}
