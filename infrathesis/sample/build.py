"""Writes the bundled sample landing folder. Deterministic: same code, same bytes."""

from __future__ import annotations

import csv
import hashlib
import io
import random
from datetime import date, timedelta
from pathlib import Path

from assets.ingest.model import fiscal_period_end
from infrathesis.settings import Settings
from infrathesis.universe import Company, load_universe

from . import phrases
from .facts import CALL_FACTS, DEFAULT_PROFILE, FILED_CAPEX, LAYER_PROFILE, LINK_FACTS, MDNA_FACTS, MDNA_LINK_FACTS

GENERIC_MONTHS = ["2024-08", "2024-11", "2025-02", "2025-05", "2025-08", "2025-11", "2026-02"]
FIRST = ["Alex", "Morgan", "Jordan", "Taylor", "Casey", "Riley", "Jamie", "Avery", "Quinn", "Drew", "Robin", "Sam",
         "Lena", "Victor", "Mei", "Hiro", "Ingrid", "Tomas", "Priya", "Omar"]
LAST = ["Hartley", "Okafor", "Lindqvist", "Brennan", "Castillo", "Nakamura", "Whitfield", "Delacroix", "Ivanova",
        "Pemberton", "Achebe", "Sørensen", "Marchetti", "Kowalski", "Fairbanks", "Ashworth", "Takeda", "Moreau"]
FIRMS = ["Harbor Peak Securities", "Northgate Capital Markets", "Bluewater Research", "Summit Ridge Partners",
         "Cedar Lane Advisors", "Ironbridge Equity Research", "Meridian Point Securities", "Lakeshore Capital"]


def _rng(*parts: object) -> random.Random:
    return random.Random(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest())


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def call_dates(company: Company) -> list[date]:
    planted = sorted(date.fromisoformat(d) for (t, d) in CALL_FACTS if t == company.ticker)
    rng = _rng("dates", company.ticker)
    generic = [date.fromisoformat(f"{m}-01") + timedelta(days=rng.randint(4, 24)) for m in GENERIC_MONTHS]
    keep = [g for g in generic if all(abs((g - p).days) > 45 for p in planted)]
    return sorted(d for d in planted + keep if date(2024, 6, 1) <= d <= date(2026, 3, 31))


def fiscal_quarter_reported(company: Company, call_date: date) -> tuple[int, int]:
    """The latest fiscal quarter that ended at least a week before the call."""
    best = None
    for fy in range(call_date.year - 1, call_date.year + 2):
        for q in range(1, 5):
            end = fiscal_period_end(fy, q, company.fiscal_year_end_month)
            if end <= call_date - timedelta(days=7) and (best is None or end > best[0]):
                best = (end, fy, q)
    return best[1], best[2]


def _topics_for(layer: str, rng: random.Random, *, scale: float = 1.0) -> list[str]:
    profile = LAYER_PROFILE.get(layer, DEFAULT_PROFILE)
    return [t for t, p in profile.items() if rng.random() < p * scale]


def catalyst_sentence(company: Company, call_date: date) -> str:
    """A dated forward event one to three months after the call (its own random stream, so the rest of
    the call is the same as without it)."""
    rng = _rng("catalyst", company.ticker, call_date)
    month = call_date.month - 1 + rng.randint(1, 3)
    when = date(call_date.year + month // 12, month % 12 + 1, 1)
    return rng.choice(phrases.CATALYSTS_EN).format(when=f"in {when.strftime('%B %Y')}")


def render_call(company: Company, call_date: date) -> str:
    rng = _rng("call", company.ticker, call_date)
    fy, fq = fiscal_quarter_reported(company, call_date)
    label = f"FY{fy} Q{fq}"
    ceo, cfo, ir = _person(_rng("ceo", company.ticker)), _person(_rng("cfo", company.ticker)), _person(_rng("ir", company.ticker))
    analysts = [(_person(rng), rng.choice(FIRMS)) for _ in range(3)]
    planted = CALL_FACTS.get((company.ticker, call_date.isoformat()), []) + LINK_FACTS.get((company.ticker, call_date.isoformat()), [])
    mgmt_topics = _topics_for(company.layer, rng)
    rng.shuffle(mgmt_topics)
    ceo_lines = [rng.choice(phrases.MGMT_EN[t]) for t in mgmt_topics[: len(mgmt_topics) // 2 + 1] if t in phrases.MGMT_EN]
    cfo_lines = [rng.choice(phrases.MGMT_EN[t]) for t in mgmt_topics[len(mgmt_topics) // 2 + 1:] if t in phrases.MGMT_EN]
    ceo_lines += [s for who, s in planted if who == "ceo"]
    cfo_lines += [s for who, s in planted if who == "cfo"]
    ceo_lines.append(catalyst_sentence(company, call_date))
    ceo_lines.insert(0, rng.choice(phrases.NEUTRAL_EN))
    cfo_lines.append(rng.choice(phrases.NEUTRAL_EN))
    question_topics = _topics_for(company.layer, rng, scale=0.5)
    rng.shuffle(question_topics)
    questions = [phrases.ANALYST_EN[t] for t in question_topics[:2]]
    questions += [s for who, s in planted if who == "analyst"]
    if not questions:
        questions = ["Could you give us more color on margins for the rest of the year?"]

    out = io.StringIO()
    w = out.write
    w(f"---\nticker: {company.symbol}\ndate: {call_date.isoformat()}\nfiscal_period: {label}\n---\n")
    w(f"{company.name} ({company.ticker}) {label} Earnings Call, {call_date.strftime('%B %d, %Y').replace(' 0', ' ')}\n\n")
    w("Corporate Participants:\n")
    w(f"{ir} - Head of Investor Relations\n{ceo} - Chief Executive Officer\n{cfo} - Chief Financial Officer\n\n")
    w("Conference Call Participants:\n")
    for name, firm in analysts:
        w(f"{name} - {firm}\n")
    w("\n")
    w(f"Operator: Good day, and welcome to the {company.name} {label} earnings conference call. "
      f"All lines are in listen-only mode. I will now hand the call to {ir}.\n")
    w(f"{ir}: Thank you. With me today are {ceo} and {cfo}. Some statements today are forward-looking "
      "and actual results may differ.\n")
    w(f"{ceo}: Thanks, and good afternoon, everyone. " + " ".join(ceo_lines) + "\n")
    w(f"{cfo}: Thank you. " + " ".join(cfo_lines) + "\n")
    first, firm = analysts[0]
    w(f"Operator: We will now open the line for questions. Our first question comes from {first} with {firm}.\n")
    for i, question in enumerate(questions):
        name, firm = analysts[i % len(analysts)]
        if i:
            w(f"Operator: The next question comes from {name} with {firm}.\n")
        w(f"{name}: Thanks for taking my question. {question}\n")
        answer_topic = rng.choice(mgmt_topics) if mgmt_topics else None
        answer = rng.choice(phrases.MGMT_EN[answer_topic]) if answer_topic in phrases.MGMT_EN else rng.choice(phrases.NEUTRAL_EN)
        w(f"{rng.choice([ceo, cfo])}: {rng.choice(phrases.ANSWER_OPENERS)} {answer}\n")
    w("Operator: That concludes today's question-and-answer session. Thank you for joining.\n")
    return out.getvalue()


MDNA_PERIODS = [("FY2024", date(2025, 4, 25)), ("H1 2025", date(2025, 8, 28))]


def mdna_paragraphs(company: Company, period: str) -> list[str]:
    rng = _rng("mdna", company.ticker, period)
    topics = _topics_for(company.layer, rng) + (["DOMESTIC_CHIP"] if rng.random() < 0.6 else [])
    lines = ["一、报告期内公司所处行业情况", rng.choice(phrases.NEUTRAL_ZH)]
    lines += [rng.choice(phrases.MGMT_ZH[t]) for t in dict.fromkeys(topics) if t in phrases.MGMT_ZH]
    lines.append("二、报告期内公司从事的主要业务")
    lines += MDNA_FACTS.get((company.ticker, period), []) + MDNA_LINK_FACTS.get((company.ticker, period), [])
    lines.append(rng.choice(phrases.NEUTRAL_ZH))
    return lines


# The cash-flow statement of each report: our own figures, chosen here per company (yuan, whole hundreds so
# a table in 万元 prints them exactly). Some reports print in 万元 or 千元; two break across pages: the
# capex line's label at the foot of one page with its figures on the next, or the statement continuing
# on the next page with the capex line there.
CASHFLOW_UNITS = {("CAMBRICON", "FY2024"): ("万元", "单位：人民币万元"), ("INSPUR", "H1 2025"): ("万元", "单位：人民币万元"),
                  ("NAURA", "FY2024"): ("千元", "单位：千元  币种：人民币")}
CASHFLOW_BREAKS = {("SUGON", "FY2024"): "label", ("HYGON", "H1 2025"): "statement"}
UNIT_FACTORS = {"元": 1, "千元": 1_000, "万元": 10_000}
CAPEX_LABEL = "购建固定资产、无形资产和其他长期资产支付的现金"


def filed_capex_cny(company: Company) -> dict[str, float]:
    """The company's consolidated cash paid for long-term assets per period, in yuan (FY2023, FY2024, H1 2024,
    H1 2025): the figures the sample's report PDFs print."""
    rng = _rng("filed-capex", company.ticker)
    fy2023 = rng.randint(3_000_000, 60_000_000) * 100
    fy2024 = round(fy2023 * rng.uniform(0.8, 1.6) / 100) * 100
    h1_2024 = round(fy2024 * rng.uniform(0.35, 0.6) / 100) * 100
    h1_2025 = round(h1_2024 * rng.uniform(0.9, 1.8) / 100) * 100
    return {"FY2023": fy2023, "FY2024": fy2024, "H1 2024": h1_2024, "H1 2025": h1_2025}


def _prior(period: str) -> str:
    return f"FY{int(period[2:]) - 1}" if period.startswith("FY") else f"H1 {int(period[-4:]) - 1}"


def _money(yuan: float, unit: str) -> str:
    return f"{yuan / UNIT_FACTORS[unit]:,.2f}"


def cashflow_pages(company: Company, period: str, *, parent: bool = False) -> list[list[tuple[str, str, str]]]:
    """One cash-flow statement as table rows (label, current, prior) per page: the consolidated one, or with
    `parent` the parent company's (smaller figures, always in yuan, never broken)."""
    rng = _rng("cashflow", company.ticker, period, parent)
    unit, unit_line = ("元", "单位：元  币种：人民币") if parent else CASHFLOW_UNITS.get((company.ticker, period), ("元", "单位：元  币种：人民币"))
    year = int(period[-4:])
    columns = (f"{year}年度", f"{year - 1}年度") if period.startswith("FY") else (f"{year}年半年度", f"{year - 1}年半年度")
    capex = filed_capex_cny(company)
    share = 0.55 if parent else 1.0
    cur, pri = round(capex[period] * share / 100) * 100, round(capex[_prior(period)] * share / 100) * 100

    def other() -> tuple[str, str]:
        return _money(rng.randint(1_000_000, 90_000_000) * 100, unit), _money(rng.randint(1_000_000, 90_000_000) * 100, unit)

    title = "母公司现金流量表" if parent else "合并现金流量表"
    head = [(title, "", ""), (f"编制单位：{company.name_zh}", "", ""), (unit_line, "", ""), ("项目", *columns)]
    operating = [("一、经营活动产生的现金流量：", "", ""), ("销售商品、提供劳务收到的现金", *other()),
                 ("收到的税费返还", *other()), ("购买商品、接受劳务支付的现金", *other()),
                 ("支付给职工以及为职工支付的现金", *other()), ("经营活动产生的现金流量净额", *other())]
    investing = [("二、投资活动产生的现金流量：", "", ""), ("收回投资收到的现金", *other()),
                 ("取得投资收益收到的现金", *other())]
    capex_row = (CAPEX_LABEL, _money(cur, unit), _money(pri, unit))
    after = [("投资支付的现金", *other()), ("投资活动现金流出小计", *other()), ("三、筹资活动产生的现金流量：", "", ""),
             ("吸收投资收到的现金", *other()), ("取得借款收到的现金", *other())]
    continued = [(f"{title}（续）", "", ""), ("项目", *columns)]
    brk = None if parent else CASHFLOW_BREAKS.get((company.ticker, period))
    if brk == "label":  # the label closes one page, its figures open the next
        return [head + operating + investing + [(CAPEX_LABEL, "", "")],
                continued + [("", capex_row[1], capex_row[2])] + after]
    if brk == "statement":
        return [head + operating, continued + investing + [capex_row] + after]
    return [head + operating + investing + [capex_row] + after]


def render_mdna_pdf(company: Company, period: str) -> bytes:
    """A small report PDF shaped like an A-share filing: cover, contents, chapters, MD&A, governance, and the
    financial report's consolidated and parent-company cash-flow statements."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    year = period[-4:]
    kind = "年度报告" if period.startswith("FY") else "半年度报告"
    pages: list[list[str] | list[tuple[str, str, str]]] = [
        [company.name_zh, f"{year}年{kind}", f"证券代码：{company.symbol}"],
        ["目录", "第一节 重要提示 .......... 3", "第二节 公司简介和主要财务指标 .......... 4",
         "第三节 管理层讨论与分析 .......... 5", "第四节 公司治理 .......... 7", "第五节 财务报告 .......... 8"],
        ["第一节 重要提示", "公司董事会保证本报告内容的真实、准确、完整。"],
        ["第二节 公司简介和主要财务指标", f"公司中文名称：{company.name_zh}。"],
        ["第三节 管理层讨论与分析", *mdna_paragraphs(company, period)],
        ["第四节 公司治理", "报告期内，公司召开股东大会两次，董事会会议四次。"],
        ["第五节 财务报告", "一、审计报告", "二、财务报表"],
        *cashflow_pages(company, period),
        *cashflow_pages(company, period, parent=True),
    ]
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, invariant=1)
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        y = 790
        for paragraph in page:
            if isinstance(paragraph, tuple):  # a table row: label, then the two figures right-aligned
                pdf.setFont("STSong-Light", 9)
                label, current, prior = paragraph
                pdf.drawString(50, y, label)
                pdf.drawRightString(440, y, current)
                pdf.drawRightString(545, y, prior)
                y -= 16
                continue
            pdf.setFont("STSong-Light", 11)
            for k in range(0, len(paragraph), 34):  # wrap like a typeset page
                pdf.drawString(50, y, paragraph[k:k + 34])
                y -= 18
            y -= 6
        pdf.setFont("STSong-Light", 8)
        pdf.drawString(280, 30, f"第 {number} 页 共 {total} 页")
        pdf.showPage()
    pdf.save()
    return buf.getvalue()


EVENT_TEMPLATES = {
    "product": ("发布新一代{p}产品", "Launches next-generation {p} products"),
    "alliance": ("与合作伙伴签署{p}战略合作协议", "Signs strategic {p} agreement with a partner"),
    "lawsuit": ("关于专利诉讼进展的公告", "Update on patent litigation"),
    "capital": ("关于回购股份方案的公告", "Announces share repurchase program"),
    "earnings": ("关于召开业绩说明会的公告", "Announces date of quarterly results"),
    "other": ("关于高级管理人员变动的公告", "Announces management changes"),
}
AI_PRODUCTS = {"zh": ["液冷服务器", "800G光模块", "AI加速卡", "国产芯片"], "en": ["liquid cooling", "800G transceiver", "GPU server", "custom accelerator"]}
EVENTS_PER_COMPANY = {"FII": 12, "IFLYTEK": 12, "INNOLIGHT": 10, "EOPTOLINK": 10, "INSPUR": 10, "ACCELINK": 9,
                      "NAURA": 9, "AMEC": 8, "SUGON": 8, "CAMBRICON": 7, "HYGON": 6, "HORIZON": 3, "BLACKSESAME": 2}


def render_events(universe) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["ticker", "date", "type", "title", "text"])
    for company in universe:
        n = EVENTS_PER_COMPANY.get(company.ticker, 2)
        rng = _rng("events", company.ticker)
        zh = company.country == "China"
        for i in range(n):
            event_type = rng.choice(list(EVENT_TEMPLATES))
            day = date(2024, 6, 1) + timedelta(days=rng.randint(0, 660))
            product = rng.choice(AI_PRODUCTS["zh" if zh else "en"]) if rng.random() < 0.4 else ("工业" if zh else "industrial")
            title = EVENT_TEMPLATES[event_type][0 if zh else 1].format(p=product)
            text = (f"{company.name_zh}于{day.year}年{day.month}月{day.day}日披露：{title}。" if zh
                    else f"{company.name} disclosed on {day.isoformat()}: {title}.")
            writer.writerow([company.symbol, day.isoformat(), event_type, title, text])
    return out.getvalue()


def build(target: Path, settings: Settings | None = None) -> dict[str, int]:
    settings = settings or Settings.from_env()
    universe = load_universe(settings.universe_csv)
    counts = {"calls": 0, "mdna": 0, "events": 0}
    for sub in ("calls", "mdna", "events", "filings"):
        (target / sub).mkdir(parents=True, exist_ok=True)
    for company in universe:
        if company.sources == "call":
            for d in call_dates(company):
                (target / "calls" / f"{company.ticker}_{d.isoformat()}.txt").write_text(render_call(company, d), encoding="utf-8")
                counts["calls"] += 1
        else:
            for period, published in MDNA_PERIODS:
                name = f"{company.ticker}_{published.isoformat()}.pdf"
                (target / "mdna" / name).write_bytes(render_mdna_pdf(company, period))
                counts["mdna"] += 1
    events = render_events(universe)
    (target / "events" / "events.csv").write_text(events, encoding="utf-8")
    counts["events"] = events.count("\n") - 1
    (target / "filings" / ".gitkeep").write_text("")
    filings = render_filings()
    (target / "filings" / "hyperscalers_capex.csv").write_text(filings, encoding="utf-8")
    counts["filings"] = filings.count("\n") - 1
    return counts


def render_filings() -> str:
    """The hyperscalers' filed capex in the EDGAR connector's CSV (one row per quarter and concept), so
    the sample reconciles call figures with filed ones offline."""
    from infrathesis.connectors.edgar import CSV_COLUMNS

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for ticker, period_end, fy, fq, concepts, form, filed in FILED_CAPEX:
        for concept, bn in concepts.items():
            writer.writerow({"ticker": ticker, "period_end": period_end, "fiscal_year": fy, "fiscal_quarter": fq,
                             "capex": round(bn * 1e9), "currency": "USD", "concept": concept, "form": form,
                             "filed": filed, "accession": "", "filing_url": "", "derivation": "quarter as filed"})
    return out.getvalue()
