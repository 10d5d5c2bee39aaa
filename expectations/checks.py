"""Blocking asset checks: a failing suite stops the run before the report is written."""


import dagster as dg

from infrathesis.settings import Settings
from infrathesis.universe import load_universe
from infrathesis.warehouse import read_marts

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


def validate_mart(name: str, settings: Settings) -> tuple[SuiteOutcome, dict]:
    """The mart's suite, plus what the check should say beside it (for `review`: the held rows)."""
    df = read_marts(settings.warehouse, (name,))[name]
    extra = {"held": held_rows(df)} if name == "review" else {}
    if name == "supply_links":
        df = with_quote_verbatim(df, document_texts(settings, set(df["doc_id"].dropna())))
    return run_suite(name, df, SUITES[name](suite_context(settings))), extra


def document_texts(settings: Settings, doc_ids: set[str]) -> dict[str, str]:
    """The text of each named document (read from its own shard only), for checking quotes verbatim."""
    index = document_index(settings)
    rows = index.meta[index.meta["doc_id"].isin(doc_ids)].to_dict("records")
    return {row["doc_id"]: index.text_of(row) for row in rows}


def with_quote_verbatim(df, texts: dict[str, str]):
    """quote_verbatim: the quote is the document's text at its offsets (a dated document holds it)."""
    df = df.copy()
    df["quote_verbatim"] = [
        isinstance(r["sentence"], str) and r["doc_id"] in texts and r["end_offset"] > r["start_offset"]
        and texts[r["doc_id"]][int(r["start_offset"]):int(r["end_offset"])] == r["sentence"]
        for r in df.to_dict("records")
    ] if len(df) else []
    return df


HELD_COLUMNS = ("mart", "rule", "detail", "ticker", "event_date", "doc_id", "sentence", "held_share", "max_held_share")
MAX_HELD_LISTED = 200


def held_rows(review) -> list[dict]:
    """The rows held for review, named by rule, values and sentence (what a blocked run must say)."""
    from .gx_runner import _plain

    keep = [c for c in HELD_COLUMNS if c in review.columns]
    return [_plain(r) for r in review[keep].head(MAX_HELD_LISTED).to_dict("records")]


def to_check_result(outcome: SuiteOutcome, extra: dict | None = None) -> dg.AssetCheckResult:
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
            **{k: dg.MetadataValue.json(v) for k, v in (extra or {}).items()},
        },
    )


def _mart_check(mart: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(asset=dg.AssetKey(mart), name=f"gx_{mart}", blocking=True, pool=POOL,
                    description=f"Great Expectations suite for {mart} (expectations/suites.py).")
    def _check() -> dg.AssetCheckResult:
        return to_check_result(*validate_mart(mart, Settings.from_env()))

    return _check


MART_CHECKS = [_mart_check(name) for name in SUITES]


# ------------------------------------------------------------------------------------------------
# claims: an asset that records a verdict per claim, and a blocking check over those verdicts

GUARD_GROUP = "guard"


def document_index(settings: Settings):
    """Document metadata for every document; a document's text is read from its own shard only when a
    quote claim names it (not the whole corpus's segments)."""
    import pandas as pd

    from assets.ingest.store import live_documents, segments_for

    from .claims import DocumentIndex

    def text_of(row: dict) -> str:
        segments = segments_for(settings, [row["origin"].split("#")[0]]).to_pandas()
        return DocumentIndex.join_text(segments[segments["doc_id"] == row["doc_id"]])

    documents = live_documents(settings).to_pandas()
    # as the marts (stg_documents): a quote claim sees only documents dated on or before the as-of date
    known = pd.to_datetime(documents["event_date"]).dt.date <= settings.as_of
    return DocumentIndex(documents[known].reset_index(drop=True), text_of=text_of)


def find_drift(previous: dict[str, str], verdicts: list[dict]) -> list[dict]:
    """Claims that were verified in the previous run and are not now."""
    return [v for v in verdicts if v["status"] != "verified" and previous.get(v["id"]) == "verified"]


def verify_claims(settings: Settings) -> dict:
    """Evaluates the run's registry; compares with the previous run's verdicts to name drift."""
    import json

    from infrathesis.warehouse import MARTS, read_marts

    from .claims import evaluate, load_claims

    previous = {}
    if settings.claims_json.exists():
        try:
            previous = {v["id"]: v["status"] for v in json.loads(settings.claims_json.read_text(encoding="utf-8"))["verdicts"]}
        except (ValueError, KeyError):
            previous = {}
    verdicts = []
    if settings.claims is not None:
        verdicts = [v.as_dict() for v in evaluate(load_claims(settings.claims), read_marts(settings.warehouse, MARTS),
                                                   document_index(settings))]
    drift = find_drift(previous, verdicts)
    return {"claims_file": str(settings.claims) if settings.claims else None, "verdicts": verdicts, "drift": drift}


def write_verdicts(settings: Settings, result: dict) -> None:
    import json

    from infrathesis.alerts import alert
    from infrathesis.parquet_io import write_text_atomic

    write_text_atomic(json.dumps(result, indent=2, ensure_ascii=False, default=str), settings.claims_json)
    for d in result["drift"]:
        alert(settings, f"DRIFT claim {d['id']}: passed in the previous run, fails now; "
                        f"expected {d['expected']}; observed {d['observed']}")


@dg.asset(
    group_name=GUARD_GROUP,
    deps=[dg.AssetKey(m) for m in SUITES],
    pool=POOL,
    kinds={"python", "json"},
    description="A verdict per claim of the run's registry (expectations/claims/), written to claims.json.",
)
def claim_verdicts() -> dg.MaterializeResult:
    settings = Settings.from_env()
    result = verify_claims(settings)
    write_verdicts(settings, result)
    failed = [v for v in result["verdicts"] if v["status"] != "verified"]
    return dg.MaterializeResult(metadata={
        "claims_file": result["claims_file"] or "none",
        "claims": len(result["verdicts"]),
        "failed": len(failed),
        "drift": dg.MetadataValue.json(result["drift"]),
    })


def claims_suite_outcome(verdicts: list[dict]) -> SuiteOutcome:
    """GE over the verdict table: every blocking claim verified, every verdict with an observation."""
    import great_expectations as gx

    from .claims import verdict_frame

    frame = verdict_frame(verdicts)
    blocking = frame[frame["blocking"].astype(bool)].reset_index(drop=True)
    expectations = [
        gx.expectations.ExpectColumnValuesToBeInSet(column="status", value_set=["verified"]),
        gx.expectations.ExpectColumnValuesToNotBeNull(column="observed"),
    ]
    return run_suite("claims", blocking, expectations)


def claims_check_result(verdicts: list[dict]) -> dg.AssetCheckResult:
    outcome = claims_suite_outcome(verdicts)
    failing = [
        {"id": v["id"], "statement": v["statement"], "expected": v["expected"], "observed": v["observed"],
         "evidence": v["evidence"][:2]}
        for v in verdicts if v["status"] != "verified" and v["blocking"]
    ]
    return dg.AssetCheckResult(
        passed=outcome.success and not failing,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={
            "claims": len(verdicts),
            "failed": len(failing),
            "failures": dg.MetadataValue.json(failing),
            "non_blocking_failed": dg.MetadataValue.json(
                [v["id"] for v in verdicts if v["status"] != "verified" and not v["blocking"]]),
        },
    )


@dg.asset_check(asset=claim_verdicts, name="gx_claims", blocking=True,
                description="Every blocking claim of the registry is verified (GE suite over the verdicts).")
def gx_claims() -> dg.AssetCheckResult:
    import json

    settings = Settings.from_env()
    return claims_check_result(json.loads(settings.claims_json.read_text(encoding="utf-8"))["verdicts"])


# ------------------------------------------------------------------------------------------------
# ingest: every landed file is accounted for as documents or quarantine rows

def landing_accounting(settings: Settings, source_type: str):
    """One row per landed file: how many documents and quarantine rows name it."""
    import pandas as pd
    import pyarrow.parquet as pq

    from assets.ingest.landing import source_files
    from assets.ingest.store import compacted_paths

    paths = compacted_paths(settings, source_type)
    origins = [o.split("#")[0] for o in pq.read_table(paths["documents"], columns=["origin"]).column(0).to_pylist()]
    quarantined = [p.split("#")[0] for p in pq.read_table(paths["quarantine"], columns=["path"]).column(0).to_pylist()]
    rows = []
    for path in source_files(settings.landing, source_type):
        rel = str(path.relative_to(settings.landing))
        rows.append({"path": rel, "documents": origins.count(rel), "quarantine_rows": quarantined.count(rel)})
    frame = pd.DataFrame(rows, columns=["path", "documents", "quarantine_rows"])
    frame["accounted"] = (frame["documents"] + frame["quarantine_rows"]) > 0
    return frame


def _ingest_check(asset: dg.AssetsDefinition, source_type: str) -> dg.AssetChecksDefinition:
    import great_expectations as gx

    @dg.asset_check(asset=asset, name="every_file_accounted", blocking=True,
                    description="Each landed file became documents or quarantine rows; none was lost.")
    def _check() -> dg.AssetCheckResult:
        frame = landing_accounting(Settings.from_env(), source_type)
        outcome = run_suite(f"ingest_{source_type}", frame, [
            gx.expectations.ExpectColumnValuesToBeInSet(column="accounted", value_set=[True]),
        ])
        lost = frame.loc[~frame["accounted"], "path"].tolist()
        return dg.AssetCheckResult(
            passed=outcome.success, severity=dg.AssetCheckSeverity.ERROR,
            metadata={"files": len(frame), "documents": int(frame["documents"].sum()),
                      "quarantined": int(frame["quarantine_rows"].sum()), "lost": dg.MetadataValue.json(lost)},
        )

    return _check


def ingest_checks() -> list[dg.AssetChecksDefinition]:
    from assets.ingest.assets import INGEST_ASSETS

    kinds = {"calls_documents": "call", "mdna_documents": "mdna", "events_documents": "event", "filings_documents": "filing"}
    return [_ingest_check(a, kinds[a.key.to_user_string()]) for a in INGEST_ASSETS]
