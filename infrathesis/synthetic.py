"""A deterministic synthetic corpus at any scale, in the landing formats, with the answers it plants.

Transcripts of about 50,000 characters (speakers, prepared remarks, Q&A), A-share report PDFs of
about 240 pages with an MD&A chapter, and disclosure events. Planted sentences come from the tagging
evaluation set (single-topic sentences we wrote), so each adds exactly one mention of its topic;
filler comes from its hard negatives. ground_truth.json lists what the marts must then contain.
"""

from __future__ import annotations

import calendar
import csv
import io
import json
import random
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from assets.tagging.evaluate import load_eval

from .parquet_io import write_bytes_atomic, write_text_atomic
from .settings import Settings
from .universe import load_universe

AS_OF = date(2026, 3, 31)
WINDOW_START = date(2024, 5, 31)  # 22 months before AS_OF, as DuckDB computes it
TRANSCRIPT_CHARS = 50_000
MDNA_PAGES_SHARE = 0.08  # the MD&A chapter's share of a report's pages


def _sentences():
    items = [it for it in load_eval() if it["id"].startswith("t") and "capex" not in it]
    planted: dict[str, dict[str, list[str]]] = {"en": {}, "zh": {}}
    for it in items:
        if len(it["topics"]) == 1:
            planted[it["lang"]].setdefault(it["topics"][0], []).append(it["text"])
    filler = {lang: [it["text"] for it in items if not it["topics"] and it["lang"] == lang] for lang in ("en", "zh")}
    return planted, filler


def generate(out: Path, *, transcripts: int, events: int, pdfs: int, pages: int, seed: int = 7,
             settings: Settings | None = None, progress=print) -> dict:
    settings = settings or Settings.from_env()
    universe = load_universe(settings.universe_csv)
    rng = random.Random(seed)
    planted, filler = _sentences()
    call_cos = [c for c in universe if c.sources == "call"]
    mdna_cos = [c for c in universe if c.sources == "mdna"]
    truth = {"as_of": AS_OF.isoformat(), "documents_by_source": {"call": 0, "mdna": 0, "event": 0, "filing": 0},
             "pattern_frequency": Counter(), "quarterly_capex": {}, "disclosure_events": Counter()}
    per_company = -(-transcripts // len(call_cos))
    made = 0
    for i in range(transcripts):
        company = call_cos[i % len(call_cos)]
        k = i // len(call_cos)  # the k-th most recent quarter of this company
        end, fy, fq = _quarter_back(company.fiscal_year_end_month, k)
        call_day = end + timedelta(days=20 + (i % 9))
        if call_day > AS_OF:
            call_day = AS_OF
        # capex is planted in dollars, so only for companies that report in dollars (a dollar figure from a
        # company reporting in another currency is held for review, as it should be)
        capex = _capex(i, len(call_cos)) if company.reporting_currency == "USD" else None
        text, topics = _transcript(company, fy, fq, call_day, rng, planted["en"], filler["en"], capex)
        path = out / "landing" / "calls" / f"{company.ticker}_{call_day.isoformat()}_{i:05d}.txt"
        write_text_atomic(text, path)
        truth["documents_by_source"]["call"] += 1
        if WINDOW_START < call_day <= AS_OF:
            truth["pattern_frequency"].update(f"{company.ticker}|{t}" for t in topics)
        if capex is not None:
            truth["quarterly_capex"][f"{company.ticker}|{end.year}Q{(end.month - 1) // 3 + 1}"] = capex
        made += 1
        if made % 200 == 0:
            progress(f"  transcripts: {made}/{transcripts}")
    del per_company
    for j in range(pdfs):
        company = mdna_cos[j % len(mdna_cos)]
        year = 2025 - (j // len(mdna_cos)) // 2
        half = (j // len(mdna_cos)) % 2 == 0
        published = date(year, 8, 28) if half else date(year, 4, 25)
        if published > AS_OF:
            published = date(year - 1, 8, 28)
        data, topics = _report_pdf(company, year if half else year - 1, half, pages, rng, planted["zh"], filler["zh"])
        write_bytes_atomic(data, out / "landing" / "mdna" / f"{company.ticker}_{published.isoformat()}_{j:03d}.pdf")
        truth["documents_by_source"]["mdna"] += 1
        if WINDOW_START < published <= AS_OF:
            truth["pattern_frequency"].update(f"{company.ticker}|{t}" for t in topics)
        if (j + 1) % 10 == 0:
            progress(f"  report PDFs: {j + 1}/{pdfs}")
    rows = io.StringIO()
    writer = csv.writer(rows, lineterminator="\n")
    writer.writerow(["ticker", "date", "type", "title", "text"])
    for e in range(events):
        company = list(universe)[e % len(universe)]
        day = AS_OF - timedelta(days=rng.randint(0, 3000))
        kind = ("product", "alliance", "lawsuit", "capital", "earnings", "other")[e % 6]
        writer.writerow([company.ticker, day.isoformat(), kind, f"Announcement {e}", f"{company.name} announcement number {e}."])
        truth["disclosure_events"][company.ticker] += 1
    write_text_atomic(rows.getvalue(), out / "landing" / "events" / "events.csv")
    truth["documents_by_source"]["event"] = events
    truth["pattern_frequency"] = dict(sorted(truth["pattern_frequency"].items()))
    truth["disclosure_events"] = dict(sorted(truth["disclosure_events"].items()))
    write_text_atomic(json.dumps(truth, indent=1, sort_keys=True), out / "ground_truth.json")
    return truth


def _quarter_back(fye_month: int, k: int) -> tuple[date, int, int]:
    """The k-th most recent of the company's quarter ends up to December 2025, and its fiscal label.

    The generator chooses the calendar quarter itself (that is the planted answer) and names the fiscal
    quarter by plain arithmetic here, not with the pipeline's fiscal-calendar code, so the ground truth
    does not come from the code under test."""
    months = [(y, m) for y in range(2025, 2000, -1) for m in range(12, 0, -1) if (m - fye_month) % 3 == 0]
    year, month = months[k]
    end = date(year, month, calendar.monthrange(year, month)[1])
    quarters_to_fy_end = ((fye_month - month) % 12) // 3
    return end, year + (1 if month > fye_month else 0), 4 - quarters_to_fy_end


def _capex(i: int, companies: int) -> float:
    """The planted quarterly capex of the i-th transcript: a level per company, moving by at most 20% from
    quarter to quarter, so no planted figure looks implausible against the company's own history."""
    company, k = i % companies, i // companies
    return round((1 + company * 1.7) * (1 + 0.05 * (k % 5)), 2)


def _transcript(company, fy, fq, day, rng, planted, filler, capex) -> tuple[str, list[str]]:
    topics = rng.sample(sorted(planted), k=4)
    mgmt = [rng.choice(planted[t]) for t in topics]
    if capex is not None:
        mgmt.append(f"Capital expenditures were ${capex} billion this quarter.")
    lines = [f"---\nticker: {company.ticker}\ndate: {day.isoformat()}\nfiscal_period: FY{fy} Q{fq}\n---",
             f"{company.name} ({company.ticker}) FY{fy} Q{fq} Earnings Call", "Corporate Participants:",
             "Dana Reyes - Chief Executive Officer", "Lee Park - Chief Financial Officer",
             "Conference Call Participants:", "Sam Ito - Harbor Peak Securities",
             f"Operator: Good day and welcome to the {company.name} call."]
    body = []
    size = 0
    while size < TRANSCRIPT_CHARS * 0.98:
        sentence = rng.choice(filler)
        body.append(sentence)
        size += len(sentence) + 1
    half = len(body) // 2
    lines.append("Dana Reyes: " + " ".join(body[:half // 2] + mgmt[:2] + body[half // 2:half]))
    lines.append("Lee Park: " + " ".join(body[half:half + half // 2] + mgmt[2:]))
    lines.append("Operator: We will now open the line for questions. Our first question comes from Sam Ito with Harbor Peak Securities.")
    lines.append("Sam Ito: " + " ".join(body[half + half // 2:]))
    lines.append("Dana Reyes: Thank you for the question.")
    return "\n".join(lines) + "\n", topics + (["CAPEX"] if capex is not None else [])


def _report_pdf(company, year, half, pages, rng, planted, filler) -> tuple[bytes, list[str]]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    topics = rng.sample(sorted(planted), k=5)
    mdna_pages = max(2, int(pages * MDNA_PAGES_SHARE))
    kind = "半年度报告" if half else "年度报告"
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, invariant=1)

    def page(lines):
        pdf.setFont("STSong-Light", 10)
        y = 800
        for line in lines:
            pdf.drawString(40, y, line)
            y -= 15
        pdf.showPage()

    def filler_lines(n):
        text = "".join(rng.choice(filler) for _ in range(n))
        return [text[k:k + 38] for k in range(0, len(text), 38)]

    page([company.name_zh, f"{year}年{kind}"])
    page(["目录", "第二节 公司简介 .......... 3", "第三节 管理层讨论与分析 .......... 10", "第四节 公司治理 .......... 40"])
    before = max(1, (pages - mdna_pages) // 3)
    page(["第二节 公司简介和主要财务指标"] + filler_lines(40)[:48])
    for _ in range(before - 1):
        page(filler_lines(40)[:50])
    planted_lines = [rng.choice(planted[t]) for t in topics]
    page(["第三节 管理层讨论与分析", "一、报告期内公司所处行业情况"] + planted_lines + filler_lines(30)[:40])
    for _ in range(mdna_pages - 1):
        page(filler_lines(40)[:50])
    page(["第四节 公司治理"] + filler_lines(30)[:40])
    for _ in range(max(0, pages - before - mdna_pages - 3)):
        page(filler_lines(40)[:50])
    pdf.save()
    return buf.getvalue(), topics


def compare(out_dir: Path, truth: dict) -> list[str]:
    """Differences between a run's marts (tables/*.csv) and the ground truth; empty when they agree."""
    def rows(name):
        with open(out_dir / "tables" / f"{name}.csv", encoding="utf-8") as fh:
            return list(csv.DictReader(fh))

    problems = []
    summary = json.loads((out_dir / "summary.json").read_text(encoding="utf-8"))
    if summary["corpus"]["documents_by_source"] != truth["documents_by_source"]:
        problems.append(f"documents {summary['corpus']['documents_by_source']} != {truth['documents_by_source']}")
    got = {f"{r['ticker']}|{r['topic']}": int(r["mentions_any"]) for r in rows("pattern_frequency") if r["mentions_any"] != "0"}
    if got != truth["pattern_frequency"]:
        diff = sorted(set(got.items()) ^ set(truth["pattern_frequency"].items()))[:10]
        problems.append(f"pattern_frequency differs ({len(got)} vs {len(truth['pattern_frequency'])} cells): {diff}")
    capex = {f"{r['ticker']}|{r['calendar_quarter']}": round(float(r["capex_usd_bn"]), 2) for r in rows("quarterly_capex")}
    if capex != truth["quarterly_capex"]:
        diff = sorted(set(capex.items()) ^ set(truth["quarterly_capex"].items()))[:10]
        problems.append(f"quarterly_capex differs ({len(capex)} vs {len(truth['quarterly_capex'])} rows): {diff}")
    events = {r["ticker"]: int(r["disclosure_events"]) for r in rows("disclosure_coverage")}
    if events != truth["disclosure_events"]:
        problems.append("disclosure_coverage differs")
    return problems
