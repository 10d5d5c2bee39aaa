"""The `infrathesis` command line."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

from .settings import DEFAULT_WINDOW_MONTHS, ROOT, Settings, default_as_of, resolve_claims


def _settings(args) -> Settings:
    base = Settings.from_env()
    landing = Path(args.landing).resolve() if getattr(args, "landing", None) else base.landing
    out = Path(args.out).resolve() if getattr(args, "out", None) else base.out
    as_of = date.fromisoformat(args.as_of) if getattr(args, "as_of", None) else (
        base.as_of if os.environ.get("INFRATHESIS_AS_OF") else default_as_of(landing))
    claims = resolve_claims(landing, getattr(args, "claims", None) or os.environ.get("INFRATHESIS_CLAIMS"))
    return Settings(landing=landing, out=out, as_of=as_of, claims=claims,
                    window_months=getattr(args, "window_months", None) or base.window_months,
                    lang=getattr(args, "lang", None) or base.lang)


def cmd_run(args) -> int:
    from .pipeline import run_pipeline

    settings = _settings(args)
    if not settings.landing.is_dir():
        print(f"error: landing folder {settings.landing} does not exist", file=sys.stderr)
        return 2
    if settings.claims and not settings.claims.exists():
        print(f"error: claims file {settings.claims} does not exist", file=sys.stderr)
        return 2
    print(f"infrathesis run: landing={settings.landing} out={settings.out} as_of={settings.as_of} "
          f"window={settings.window_months} months claims={settings.claims or 'none'}", flush=True)
    print("running ingest -> tagging -> dbt -> checks -> report (this takes a minute) ...", flush=True)
    outcome = run_pipeline(settings, log_level="DEBUG" if args.verbose else "CRITICAL")
    corpus = outcome.summary["corpus"]
    print(f"documents: {corpus['documents_by_source']}; quarantined: {len(corpus['quarantined'])}")
    failed = [c for c in outcome.summary["checks"] if not c["passed"]]
    print(f"checks: {len(outcome.summary['checks']) - len(failed)} passed, {len(failed)} failed")
    for check in failed:
        print(f"  FAILED {check['name']} on {check['asset']}: {json.dumps(check['metadata'].get('failures', ''), default=str)[:500]}")
    claims = outcome.summary["claims"]
    if claims:
        failed_claims = [c for c in claims if c["status"] != "verified"]
        print(f"claims: {len(claims) - len(failed_claims)} verified, {len(failed_claims)} failed")
        for c in failed_claims:
            print(f"  FAILED claim {c['id']}{'' if c.get('blocking', True) else ' (non-blocking)'}: "
                  f"expected {c['expected']}; observed {c['observed']}")
    for d in outcome.summary.get("drift", []):
        print(f"  DRIFT claim {d['id']} passed in the previous run and fails now: expected {d['expected']}; observed {d['observed']}")
    for failure in outcome.summary["failures"]:
        print(f"  step failed: {failure['step']}" + (f" ({failure['file']})" if failure["file"] else ""))
        for line in failure["error"]:
            print(f"    {line}")
    if outcome.summary["failures"]:
        print(f"  (the full log: {settings.out / 'logs' / 'last_run.log'}, or rerun with --verbose)")
    if outcome.summary["withheld"]:
        print(f"withheld: {', '.join(outcome.summary['withheld']['files'])} (removed from {settings.out})")
    print(f"summary: {settings.summary_json}")
    if outcome.published:
        for name in ("report.html", "report.zh.html"):
            if (settings.out / name).exists():
                print(f"report: {settings.out / name}")
        return 0
    print("report NOT published: a blocking check or a step failed", file=sys.stderr)
    return 1


def cmd_tag(args) -> int:
    from .tagger import tag_stream

    source = sys.stdin if args.file == "-" else open(args.file, encoding="utf-8")
    sink = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    try:
        for record in tag_stream(source, Settings.from_env().lexicon_dir):
            sink.write(json.dumps(record, ensure_ascii=False) + "\n")
    finally:
        if source is not sys.stdin:
            source.close()
        if sink is not sys.stdout:
            sink.close()
    return 0


SOURCE_BY_SUFFIX = {".csv": "events", ".jsonl": "events", ".pdf": "mdna"}


def cmd_ingest(args) -> int:
    """Copies files into the landing folder; the sensor or the next run picks them up."""
    landing = Path(args.landing).resolve() if args.landing else Settings.from_env().landing
    for raw in args.paths:
        path = Path(raw)
        if not path.is_file():
            print(f"skipped {raw}: not a file", file=sys.stderr)
            continue
        source = args.source or SOURCE_BY_SUFFIX.get(path.suffix.lower(), "calls")
        target = landing / source / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
        print(f"{raw} -> {target}")
    return 0


def cmd_fetch(args) -> int:
    """The same pull as the source asset (resource, cursor, atomic landing), for one source from the shell;
    the landing sensor (or the next run) ingests what it lands."""
    from assets.sources import resources
    from .connectors.http import ConnectorError

    settings = _settings(args)
    config = {"tickers": args.tickers}
    if args.url:
        config["base_url"] = args.url
    if args.source == "transcripts":
        source = resources.TranscriptSource(**config, **({"lookback_quarters": args.lookback} if args.lookback else {}))
    elif args.source == "edgar":
        source = resources.SecXbrlSource(**config, **({"user_agent": args.user_agent} if args.user_agent else {}))
    else:
        source = resources.CninfoSource(**config, reports_per_company=args.limit)
    try:
        pull = source.pull(settings)
    except ConnectorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if pull.skipped:
        print(f"{pull.source} skipped: {pull.skipped}", file=sys.stderr)
        return 2
    for rel in pull.files:
        print(settings.landing / rel)
    print(f"{pull.source}: {len(pull.files)} new, {pull.already} already pulled, {len(pull.unavailable)} not available, "
          f"{len(pull.failed)} failed (cursor {pull.cursor})")
    for failure in pull.failed:
        print(f"  failed {failure}", file=sys.stderr)
    return 1 if pull.failed else 0


def cmd_generate(args) -> int:
    from .synthetic import generate

    pages_per_pdf = max(3, args.pages // max(1, args.pdfs))
    print(f"generating {args.transcripts} transcripts, {args.events} events, {args.pdfs} report PDFs of "
          f"{pages_per_pdf} pages into {args.out}", flush=True)
    truth = generate(Path(args.out), transcripts=args.transcripts, events=args.events, pdfs=args.pdfs,
                     pages=pages_per_pdf, seed=args.seed, progress=lambda m: print(m, flush=True))
    print(f"done: {truth['documents_by_source']}; ground truth in {Path(args.out) / 'ground_truth.json'}")
    return 0


def cmd_bench(args) -> int:
    from .bench import run_bench

    row = run_bench(args.scale, log=lambda m: print(m, flush=True))
    return 0 if row["ground_truth"] == "match" else 1


def dagster_home() -> Path:
    """A persistent instance inside the project's data folder: partitions, cursors and runs survive restarts."""
    home = ROOT / "data" / "dagster_home"
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "dagster.yaml").exists():
        shutil.copy(ROOT / "orchestration" / "dagster.yaml", home / "dagster.yaml")
    return home


def cmd_ui(args) -> int:
    home = dagster_home()
    env = {**os.environ, "DAGSTER_HOME": str(home)}
    print(f"Dagster UI on http://127.0.0.1:{args.port} (DAGSTER_HOME={home})", flush=True)
    dagster = Path(sys.executable).with_name("dagster")
    return subprocess.call([str(dagster), "dev", "-w", str(ROOT / "workspace.yaml"), "-h", "127.0.0.1", "-p", str(args.port)],
                           env=env, cwd=ROOT)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="infrathesis", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="full refresh of a landing folder into an output folder")
    run.add_argument("--landing", help="landing folder (default: the bundled sample)")
    run.add_argument("--out", help="output folder (default: data/out)")
    run.add_argument("--as-of", help="as-of date YYYY-MM-DD (default: today; the sample's own date for the sample)")
    run.add_argument("--window-months", type=int, help=f"window before the as-of date (default {DEFAULT_WINDOW_MONTHS})")
    run.add_argument("--claims", help="claims registry YAML (default: landing/claims.yml; the bundled sample's own "
                     "registry for the sample; 'none' to skip claims)")
    run.add_argument("--lang", choices=["en", "zh", "both"], help="report editions: English (report.html), Chinese "
                     "(report.zh.html) or both (default; INFRATHESIS_LANG)")
    run.add_argument("--verbose", action="store_true", help="show Dagster's step log")
    run.set_defaults(func=cmd_run)

    tag = sub.add_parser("tag", help="tag JSONL lines {id, text, lang?} with topics and capex amounts")
    tag.add_argument("file", help="input JSONL file, or - for standard input")
    tag.add_argument("-o", "--output", help="output JSONL file (default: standard output)")
    tag.set_defaults(func=cmd_tag)

    ingest = sub.add_parser("ingest", help="copy documents into the landing folder")
    ingest.add_argument("paths", nargs="+")
    ingest.add_argument("--source", choices=["calls", "mdna", "events", "filings"], help="landing subfolder (default: by file type)")
    ingest.add_argument("--landing", help="landing folder (default: the configured one)")
    ingest.set_defaults(func=cmd_ingest)

    fetch = sub.add_parser("fetch", help="pull one source into the landing folder (what its source asset does)")
    fetch.add_argument("--landing", help="landing folder (default: the configured one)")
    fetch_sub = fetch.add_subparsers(dest="source", required=True)
    tr = fetch_sub.add_parser("transcripts", help="transcript provider ($INFRATHESIS_TRANSCRIPTS_URL, _API_KEY)")
    tr.add_argument("--lookback", type=int, help="fiscal quarters before the as-of date per company (default 4)")
    ed = fetch_sub.add_parser("edgar", help="quarterly capex (every capex concept, finance-lease principal) from SEC XBRL company facts")
    ed.add_argument("--user-agent", help="'Name contact@example.com', as SEC requires (default: $INFRATHESIS_SEC_USER_AGENT)")
    cn = fetch_sub.add_parser("cninfo", help="annual and semi-annual report PDFs from Cninfo ($INFRATHESIS_CNINFO_URL)")
    cn.add_argument("--limit", type=int, default=4, help="newest N reports per company (default 4)")
    for sp in (tr, ed, cn):
        sp.add_argument("tickers", nargs="*", help="companies of the universe (default: every one this source covers)")
        sp.add_argument("--url", help="the service's base URL (default: the source's setting)")
    fetch.set_defaults(func=cmd_fetch)

    gen = sub.add_parser("generate", help="deterministic synthetic corpus with its ground truth")
    gen.add_argument("--out", required=True)
    gen.add_argument("--transcripts", type=int, default=1590)
    gen.add_argument("--events", type=int, default=1445)
    gen.add_argument("--pdfs", type=int, default=55)
    gen.add_argument("--pages", type=int, default=13000, help="pages over all report PDFs")
    gen.add_argument("--seed", type=int, default=7)
    gen.set_defaults(func=cmd_generate)

    bench = sub.add_parser("bench", help="benchmark at a scale of the reference corpus; appends to BENCHMARKS.md")
    bench.add_argument("--scale", type=float, default=0.1, help="share of the reference corpus (0.1 or 1.0)")
    bench.set_defaults(func=cmd_bench)

    ui = sub.add_parser("ui", help="start the Dagster UI on the workspace (state kept in data/dagster_home)")
    ui.add_argument("--port", type=int, default=3000)
    ui.set_defaults(func=cmd_ui)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
