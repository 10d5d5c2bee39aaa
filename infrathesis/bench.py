"""`infrathesis bench`: the pipeline at the reference corpus's scale, against a bare spaCy baseline.

Measures (a) the full refresh, wall time and peak memory; (b) each stage; (c) one process running a
blank spaCy pipeline with a PhraseMatcher over the same transcript text; (d) the refresh after one new
transcript at 100% and at 10% of the corpus. Appends a row to BENCHMARKS.md."""

from __future__ import annotations

import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from .settings import ROOT, Settings
from .synthetic import AS_OF, compare

REFERENCE = {"transcripts": 1590, "events": 1445, "pdfs": 55, "pages": 13000}


def corpus(scale: float, seed: int = 7) -> Path:
    """Generates (once) the corpus for a scale in a child process, so its memory is not counted."""
    sizes = {k: max(1, round(v * scale)) for k, v in REFERENCE.items()}
    folder = ROOT / "data" / "bench" / f"scale-{scale:g}"
    marker = folder / "params.json"
    wanted = json.dumps({**sizes, "seed": seed}, sort_keys=True)
    if not marker.exists() or marker.read_text() != wanted:
        shutil.rmtree(folder, ignore_errors=True)
        args = [str(Path(sys.executable).with_name("infrathesis")), "generate", "--out", str(folder), "--seed", str(seed)]
        for key, value in sizes.items():
            args += [f"--{key}", str(value)]
        subprocess.run(args, check=True)
        marker.write_text(wanted)
    return folder


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024, 1)


def bare_baseline(landing: Path, lexicon_dir: Path) -> dict:
    """One process, spacy.blank("en") + PhraseMatcher over every transcript line: the floor to compare with."""
    code = f"""
import json, time, pathlib, spacy
from spacy.matcher import PhraseMatcher
t = time.perf_counter()
nlp = spacy.blank("en")
m = PhraseMatcher(nlp.vocab, attr="LOWER")
from assets.tagging.lexicon import load_lexicon
patterns = load_lexicon(pathlib.Path({str(lexicon_dir)!r})).patterns["en"]
m.add("T", [nlp.make_doc(p["pattern"]) for p in patterns if isinstance(p["pattern"], str)])
lines = (l for p in sorted(pathlib.Path({str(landing / 'calls')!r}).glob("*.txt")) for l in p.read_text().splitlines() if l)
n = sum(len(m(d)) for d in nlp.pipe(lines, batch_size=256))
print(json.dumps({{"seconds": time.perf_counter() - t, "matches": n}}))
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"the bare baseline failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout)  # {"seconds", "matches"}


def incremental(folder: Path, settings: Settings, log=print) -> float:
    """Full refresh on a persistent instance, then one new transcript through the landing sensor."""
    import dagster as dg

    from orchestration.definitions import defs
    from orchestration.schedules import tick_landing_sensor

    from .pipeline import captured_stdout, collect, execute, prepare_out, run_pipeline

    home = folder / "dagster_home"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    shutil.copy(ROOT / "orchestration" / "dagster.yaml", home / "dagster.yaml")  # no telemetry, pool limit 1
    os.environ["DAGSTER_HOME"] = str(home)
    with dg.DagsterInstance.get() as instance:
        run_pipeline(settings, instance=instance)
        sample = sorted((settings.landing / "calls").glob("*.txt"))[0]
        new = settings.landing / "calls" / "ZZ_new_transcript.txt"
        text = sample.read_text(encoding="utf-8")
        new.write_text(text.replace("Good day and welcome", "Good evening and welcome"), encoding="utf-8")
        try:
            start = time.perf_counter()
            result = tick_landing_sensor(instance)
            prepare_out(settings)
            with captured_stdout(settings.out / "logs" / "last_run.log", enabled=True):
                for request in result.run_requests:
                    outcome = collect(settings, execute(defs.resolve_job_def("refresh"), instance, request.tags, None))
            seconds = time.perf_counter() - start
            log(f"  one new transcript: {seconds:.1f} s (published={outcome.published})")
            return seconds
        finally:
            new.unlink(missing_ok=True)


def run_bench(scale: float, log=print) -> dict:
    from .pipeline import run_pipeline

    log(f"benchmark at scale {scale:g} of the reference corpus {REFERENCE}")
    folder = corpus(scale)
    small = corpus(max(0.01, scale / 10))
    settings = Settings(landing=folder / "landing", out=folder / "out", as_of=AS_OF, claims=None)
    shutil.rmtree(settings.out, ignore_errors=True)
    log("  (a, b) full refresh ...")
    start = time.perf_counter()
    outcome = run_pipeline(settings)
    full = time.perf_counter() - start
    peak = peak_rss_mb()
    truth = json.loads((folder / "ground_truth.json").read_text())
    problems = compare(settings.out, truth)
    stages = dict(outcome.summary.get("timings", {}))
    stages["other"] = round(max(0.0, full - sum(stages.values())), 3)  # run start-up, imports, summary
    log(f"  full refresh {full:.1f} s, peak {peak:.0f} MB, published={outcome.published}, ground truth "
        f"{'matches' if not problems else 'DIFFERS: ' + '; '.join(problems)}")
    log("  stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in stages.items()))
    log("  (c) bare spaCy baseline ...")
    bare = bare_baseline(settings.landing, settings.lexicon_dir)["seconds"]
    log(f"  bare baseline {bare:.1f} s")
    log("  (d) one new transcript at 100% and 10% ...")
    inc_full = incremental(folder, Settings(landing=folder / "landing", out=folder / "out_inc", as_of=AS_OF, claims=None), log)
    inc_small = incremental(small, Settings(landing=small / "landing", out=small / "out_inc", as_of=AS_OF, claims=None), log)
    row = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d"), "scale": scale,
        "machine": f"{platform.machine()} {os.cpu_count()} cores, {_mem_gb():.0f} GB, Python {platform.python_version()}",
        "full_s": round(full, 1), "peak_mb": peak, "stages": stages,
        "bare_s": round(bare, 1), "full_over_bare": round(full / bare, 2),
        "incremental_100_s": round(inc_full, 1), "incremental_10_s": round(inc_small, 1),
        "incremental_ratio": round(inc_full / inc_small, 2), "ground_truth": "match" if not problems else "differs",
    }
    log(f"  ratios: full/bare {row['full_over_bare']}, incremental(100%)/incremental(10%) {row['incremental_ratio']}")
    append_row(row)
    return row


def _mem_gb() -> float:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024 ** 3
    except (ValueError, OSError):
        return 0.0


def append_row(row: dict) -> None:
    path = ROOT / "BENCHMARKS.md"
    if not path.exists():
        path.write_text("# Benchmarks\n\n| date | scale | machine | full refresh s | peak MB | stages s | bare s | full/bare "
                        "| +1 transcript s (100%) | +1 transcript s (10%) | incr ratio | ground truth |\n"
                        "|---|---|---|---|---|---|---|---|---|---|---|---|\n")
    stages = ", ".join(f"{k} {v:.0f}" for k, v in sorted(row["stages"].items()))
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(f"| {row['date']} | {row['scale']:g} | {row['machine']} | {row['full_s']} | {row['peak_mb']:.0f} | {stages} | "
                 f"{row['bare_s']} | {row['full_over_bare']} | {row['incremental_100_s']} | {row['incremental_10_s']} | "
                 f"{row['incremental_ratio']} | {row['ground_truth']} |\n")
