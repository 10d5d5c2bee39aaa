"""Supply-chain links: extraction on sentences we wrote, the company lexicon against the universe, the
supply_links mart and its guard (dbt tests, GE suite on a clean and a broken fixture), the report section."""

import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from assets.tagging.links import link_lexicon, links_for_segments, links_in_sentence
from infrathesis.settings import ROOT
from infrathesis.universe import load_universe

LEXICON = ROOT / "assets" / "tagging" / "lexicon"


def links(ticker: str, sentence: str) -> set[tuple[str, str, str]]:
    return {(x["from"], x["to"], x["relation"]) for x in links_in_sentence(sentence, ticker, link_lexicon(LEXICON))}


def test_every_universe_company_has_names_and_a_chinese_name():
    companies = yaml.safe_load((LEXICON / "companies.yml").read_text(encoding="utf-8"))
    universe = load_universe(ROOT / "dbt_project" / "seeds" / "universe.csv")
    assert set(companies["universe"]) == {c.ticker for c in universe}
    for ticker, spec in companies["universe"].items():
        assert spec.get("names") or spec.get("exact"), ticker
        assert spec.get("zh"), ticker
    assert not set(companies["others"]) & set(companies["universe"])


def test_names_that_are_also_words_match_only_as_written():
    lexicon = link_lexicon(LEXICON)
    found = lexicon.mentions("A 5 micron pitch, quanta of light, then Micron and Quanta, and nvidia in lower case.")
    assert [company for _, _, company in found] == ["MU", "Quanta", "NVDA"]
    assert lexicon.mentions("Microsoft Azure and Amazon's AWS")[0][2] == "MSFT"
    assert [c for _, _, c in lexicon.mentions("Microsoft Azure and Amazon's AWS")] == ["MSFT", "AMZN"]


@pytest.mark.parametrize("ticker, sentence, expected", [
    # we sell: the document's company is the seller
    ("MU", "Our largest customer, Nvidia, took its first volume of our new memory this quarter.",
     {("MU", "NVDA", "supplies")}),
    ("DELL", "Orders grew in every region, with customers such as CoreWeave and xAI adding capacity.",
     {("DELL", "CoreWeave", "supplies"), ("DELL", "xAI", "supplies")}),
    ("LITE", "We shipped our first 1.6T transceivers to Amazon in the quarter.", {("LITE", "AMZN", "supplies")}),
    ("AMD", "Oracle deployed our newest Instinct accelerators across two regions.", {("AMD", "ORCL", "supplies")}),
    ("VRT", "Azure is now our largest customer for liquid cooling.", {("VRT", "MSFT", "supplies")}),
    ("NVDA", "We can serve Dell, Lenovo and Supermicro from the same platform.",
     {("NVDA", "DELL", "supplies"), ("NVDA", "Lenovo", "supplies"), ("NVDA", "SMCI", "supplies")}),
    ("AMD", "Our new service running in Azure is live.", set()),
    # we buy: the other company is the seller
    ("AVGO", "We buy most of our leading-edge wafers from TSMC.", {("TSM", "AVGO", "supplies")}),
    ("NVDA", "Our memory suppliers, including SK hynix and Micron, are adding capacity for us.",
     {("HYNIX", "NVDA", "supplies"), ("MU", "NVDA", "supplies")}),
    ("AMD", "Our foundry partner TSMC is ramping the new node for us on time.", {("TSM", "AMD", "supplies")}),
    # partner and competes (undirected)
    ("ANET", "We signed a new partnership with Broadcom on switch silicon.", {("ANET", "AVGO", "partner")}),
    ("DELL", "Nvidia is a partner to us in systems, and in networking we also regard Nvidia as a tough competitor.",
     {("DELL", "NVDA", "partner"), ("DELL", "NVDA", "competes")}),
    ("INTC", "In accelerators we compete head-to-head with AMD every day.", {("INTC", "AMD", "competes")}),
    # Chinese
    ("INNOLIGHT", "公司的主要客户包括英伟达、谷歌和亚马逊等。",
     {("INNOLIGHT", "NVDA", "supplies"), ("INNOLIGHT", "GOOGL", "supplies"), ("INNOLIGHT", "AMZN", "supplies")}),
    ("SUGON", "报告期内，公司主要供应商包括海光信息。", {("HYGON", "SUGON", "supplies")}),
    ("FII", "公司与英伟达在服务器平台上开展深度合作。", {("FII", "NVDA", "partner")}),
    # no clear direction, a negation, a hypothesis or somebody else's relation: nothing
    ("ANET", "We do not think of Nvidia as a competitor today.", set()),
    ("AMD", "We could partner with Samsung on the next node.", set()),
    ("NVDA", "Microsoft's partnership with OpenAI keeps growing.", set()),
    ("AMAT", "Intel and Samsung both raised their spending this year.", set()),
    ("NVDA", "Azure customers like Adobe run their models on our chips.", set()),
    ("CEG", "Do you expect to sign with Amazon this year?", set()),
])
def test_direction_is_read_from_the_sentence(ticker, sentence, expected):
    assert links(ticker, sentence) == expected


def test_only_management_sentences_count():
    sentence = "Our largest customer, Microsoft, doubled its orders."
    segments = [
        {"seq": 0, "role": "analyst", "section": "qa", "char_start": 0, "text": sentence},
        {"seq": 1, "role": "operator", "section": "qa", "char_start": 60, "text": sentence},
        {"seq": 2, "role": "editorial", "section": "editorial", "char_start": 120, "text": sentence},
        {"seq": 3, "role": "management", "section": "qa", "char_start": 200, "text": "Thanks. " + sentence},
    ]
    rows = links_for_segments(segments, "AMD", link_lexicon(LEXICON))
    assert [(r["seq"], r["from"], r["to"], r["relation"]) for r in rows] == [(3, "AMD", "MSFT", "supplies")]
    row = rows[0]
    assert row["sentence"] == sentence and row["sent_start"] == 208 and row["sent_end"] == 208 + len(sentence)


# ------------------------------------------------------------------------------------------------
# the supply_links mart on a landing folder of our own (tests/fixtures/links_landing), answers by hand

FIXTURE = Path(__file__).parent / "fixtures" / "links_landing"


@pytest.fixture(scope="module")
def links_run(tmp_path_factory):
    import os

    from conftest import settings_for
    from infrathesis.pipeline import run_pipeline

    settings = settings_for(FIXTURE, tmp_path_factory.mktemp("links_out"), claims=None)
    outcome = run_pipeline(settings)
    for key in settings.env():
        os.environ.pop(key, None)
    assert outcome.published, outcome.failed_steps
    return settings


def test_supply_links_mart(links_run):
    mart = pd.read_csv(links_run.out / "tables" / "supply_links.csv")
    edges = {(r.from_company, r.to_company, r.relation): r for r in mart.itertuples()}
    assert set(edges) == {
        ("MU", "NVDA", "supplies"), ("SAMSUNG", "NVDA", "supplies"), ("TSM", "NVDA", "supplies"),
        ("MU", "MSFT", "supplies"), ("INNOLIGHT", "NVDA", "supplies"), ("INNOLIGHT", "GOOGL", "supplies"),
        ("MU", "SAMSUNG", "competes"),
        ("AMD", "NVDA", "competes"),  # said by both sides: one undirected edge, two sentences
    }  # the analyst's "We compete with Apple ..." is not management's word: no edge
    both = edges["AMD", "NVDA", "competes"]
    assert (both.supporting_sentences, both.documents, both.first_date, both.last_date) == (2, 2, "2026-02-03", "2026-02-25")
    memory = edges["MU", "NVDA", "supplies"]
    assert (memory.supporting_sentences, memory.first_date, memory.last_date) == (2, "2025-12-17", "2026-02-25")
    # strongest quote: the sentence naming the fewest links (MU's own, one link) beats the later list of two
    assert memory.said_by == "MU" and memory.sentence.startswith("Our largest customer, NVIDIA")
    assert (memory.from_layer, memory.to_layer) == ("Memory", "GPU Design")
    zh = edges["INNOLIGHT", "GOOGL", "supplies"]
    assert zh.source_type == "mdna" and zh.sentence == "公司主要客户包括英伟达和谷歌。"


def test_every_edge_is_quoted_verbatim_in_its_document(links_run):
    from expectations.checks import document_texts, with_quote_verbatim

    mart = pd.read_csv(links_run.out / "tables" / "supply_links.csv")
    checked = with_quote_verbatim(mart, document_texts(links_run, set(mart["doc_id"])))
    assert checked["quote_verbatim"].all()
    summary = (links_run.out / "summary.json").read_text(encoding="utf-8")
    assert '"gx_supply_links"' in summary


def test_report_section_links_every_edge_to_its_quote(links_run):
    import openpyxl

    html = (links_run.out / "report.html").read_text(encoding="utf-8")
    mart = pd.read_csv(links_run.out / "tables" / "supply_links.csv")
    assert 'id="links-network"' in html and "Who supplies whom" in html
    hrefs = re.findall(r'<a href="#(ev-[0-9a-f]+)" class="edge-link"', html)
    assert len(hrefs) == len(mart)
    for href in hrefs:
        row = re.search(rf'<tr id="{href}">(.*?)</tr>', html, re.S)
        assert row and "<blockquote>" in row.group(1)
    assert html.count('<text x="8"') >= 4  # bands: US Cloud, GPU Design, Memory, Foundry, Optical
    zh = (links_run.out / "report.zh.html").read_text(encoding="utf-8")
    assert "谁向谁供货" in zh and len(re.findall(r'class="edge-link"', zh)) == len(mart)
    assert "## Who supplies whom" in (links_run.out / "report.md").read_text(encoding="utf-8")
    assert "supply_links" in openpyxl.load_workbook(links_run.out / "report.xlsx", read_only=True).sheetnames


# ------------------------------------------------------------------------------------------------
# the guard: GE suite on a clean and a broken fixture

def clean_links() -> pd.DataFrame:
    return pd.DataFrame([{
        "from_company": "MU", "to_company": "NVDA", "relation": "supplies", "from_layer": "Memory",
        "to_layer": "GPU Design", "supporting_sentences": 2, "documents": 2, "first_date": "2025-12-17",
        "last_date": "2026-02-25", "said_by": "MU", "quote_date": "2025-12-17", "source_type": "call",
        "origin": "calls/MU_2025-12-17.txt", "doc_id": "d1", "sentence": "Our largest customer, NVIDIA, grew.",
        "start_offset": 10, "end_offset": 45, "quote_verbatim": True,
    }])


def _suite(df: pd.DataFrame):
    from expectations.gx_runner import run_suite
    from expectations.suites import SUITES, SuiteContext

    ctx = SuiteContext(as_of="2026-03-31", layers=("Memory", "GPU Design"), tickers=("MU", "NVDA"))
    return run_suite("supply_links", df, SUITES["supply_links"](ctx))


@pytest.mark.parametrize("broken, column", [
    (dict(sentence=None, doc_id=None, origin=None), "sentence"),        # an edge with no evidence
    (dict(quote_verbatim=False), "quote_verbatim"),                     # a quote not found in its document
    (dict(first_date="2026-03-01"), "first_date"),                      # first said after last said
    (dict(last_date="2026-04-30"), "last_date"),                        # after the as-of date
    (dict(supporting_sentences=0), "supporting_sentences"),
    (dict(relation="customer_of"), "relation"),
])
def test_supply_links_suite_clean_and_broken(broken, column):
    clean = _suite(clean_links())
    assert clean.success, [f.describe() for f in clean.failures]
    outcome = _suite(clean_links().assign(**broken))
    assert not outcome.success
    assert any(column in f.describe() for f in outcome.failures), [f.describe() for f in outcome.failures]


def test_quote_verbatim_reads_the_document_at_the_offsets():
    from expectations.checks import with_quote_verbatim

    text = "Intro line.\nOur largest customer, NVIDIA, grew."
    df = clean_links().drop(columns="quote_verbatim").assign(start_offset=12, end_offset=len(text))
    assert with_quote_verbatim(df, {"d1": text})["quote_verbatim"].tolist() == [True]
    assert with_quote_verbatim(df, {"d1": text.replace("grew", "fell")})["quote_verbatim"].tolist() == [False]
    assert with_quote_verbatim(df, {})["quote_verbatim"].tolist() == [False]  # no dated document holds it


# ------------------------------------------------------------------------------------------------
# on the real corpus: floors reached on the dev split of eval/real/relations.jsonl (held-out is printed by
# `python -m assets.tagging.evaluate --real --relations`, never tuned on)

DEV_PRECISION_FLOOR = 0.95  # this version: 1.000 (89 of 89)
DEV_RECALL_FLOOR = 0.88     # this version: 0.927 (89 of 96 labelled links)


@pytest.fixture(scope="module")
def real(real_corpus):
    return real_corpus


def test_relations_on_real_dev_split_reach_their_floors(real):
    from assets.tagging.evaluate_links import evaluate_links
    from infrathesis.settings import Settings

    result = evaluate_links(real, Settings.from_env())
    dev = result.scores["dev"]
    assert dev.tp + dev.fn >= 90, "the dev split lost labelled relations"
    assert dev.precision >= DEV_PRECISION_FLOOR, [e for e in result.errors if e.startswith("dev ")]
    assert dev.recall >= DEV_RECALL_FLOOR, [e for e in result.errors if e.startswith("dev ")]
    assert "heldout" in result.scores
