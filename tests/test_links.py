"""Supply-chain links: extraction on sentences we wrote, the company lexicon against the universe, the
supply_links mart and its guard (dbt tests, GE suite on a clean and a broken fixture), the report section."""

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


@pytest.mark.parametrize("ticker, sentence, expected", [
    # we sell: the document's company is the seller
    ("MU", "Our largest customer, Nvidia, took its first volume of our new memory this quarter.",
     {("MU", "NVDA", "supplies")}),
    ("DELL", "Orders grew in every region, with customers such as CoreWeave and xAI adding capacity.",
     {("DELL", "CoreWeave", "supplies"), ("DELL", "xAI", "supplies")}),
    ("LITE", "We shipped our first 1.6T transceivers to Amazon in the quarter.", {("LITE", "AMZN", "supplies")}),
    ("AMD", "Oracle deployed our newest Instinct accelerators across two regions.", {("AMD", "ORCL", "supplies")}),
    ("VRT", "Azure is now our largest customer for liquid cooling.", {("VRT", "MSFT", "supplies")}),
    # we buy: the other company is the seller
    ("AVGO", "We buy most of our leading-edge wafers from TSMC.", {("TSM", "AVGO", "supplies")}),
    ("NVDA", "Our memory suppliers, including SK hynix and Micron, are adding capacity for us.",
     {("HYNIX", "NVDA", "supplies"), ("MU", "NVDA", "supplies")}),
    ("AMD", "Our foundry partner TSMC is ramping the new node for us on time.", {("TSM", "AMD", "supplies")}),
    # partner and competes (undirected)
    ("ANET", "We signed a new partnership with Broadcom on switch silicon.", {("ANET", "AVGO", "partner")}),
    ("DELL", "We welcome Nvidia as a partner for systems and also as a tough competitor in networking.",
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
    ("MSFT", "Azure customers like Adobe run their models on our cloud.", set()),
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
