"""Each failure seen on real calls, on a call or sentence of the same shape that we wrote ourselves.
The real files themselves are covered by the labelled evaluation (tests/test_real_data.py)."""

from datetime import date

import pytest

from assets.ingest import parsers
from assets.ingest.landing import ingest_folder
from assets.tagging.capex import CapexContext, extract_capex

LATEST = date(2026, 12, 31)
FILLER = " ".join(f"Our Acme segment {i} grew in the period." for i in range(40))


def stt(text, name="calls/NVDA_2024-11-20.txt", universe=None):
    return parsers.parse_call_text(text, parsers.meta_from_name(name), universe=universe, origin=name, latest=LATEST)


def test_speech_to_text_qa_starts_where_the_operator_opens_the_line(universe):
    text = ("Good afternoon and welcome to the NVIDIA call. A question-and-answer session will follow the "
            "prepared remarks. Capital expenditures were $1.1 billion in the quarter. " + FILLER +
            " We will now open the line for questions. Our first question comes from Jane Doe with Acme Securities. "
            "How should we think about supply? Supply remains tight and we are allocating. Next question please.")
    doc = stt(text, universe=universe)
    capex = next(s for s in doc.segments if "Capital expenditures" in s.text)
    assert (capex.section, capex.role) == ("prepared", "management")
    qa = [s for s in doc.segments if s.section == "qa"]
    assert qa[0].text.startswith("We will now open the line")
    assert [s.role for s in qa if "supply?" in s.text] == ["analyst"]
    assert [s.role for s in qa if "allocating" in s.text] == ["management"]


def test_speech_to_text_answers_after_a_question_with_no_question_mark_are_management(universe):
    # speech-to-text often loses the question mark; the answer that names the question it answers is
    # not the operator, and the analyst's closing thanks ends the question
    text = ("Welcome to the NVIDIA call. " + FILLER +
            " We will now open the line for questions. Your next question comes from Kim Roe with Acme Bank. "
            "Your line is open. Hi, thanks for taking my question. I wanted to ask about the rack systems and "
            "how the mix moves across the year and what that means for gross margin in the second half. "
            "Thank you. Yeah, thanks. Going back to the first question, the rack systems are on track. "
            "We ship the systems through our server partners this quarter. "
            "Your next question comes from Lou Poe with Beta Securities. Please go ahead. "
            "Good afternoon and thanks for taking my question on networking.")
    doc = stt(text, universe=universe)
    role = {k: [s.role for s in doc.segments if k in s.text] for k in
            ("rack systems and", "Going back", "server partners", "on networking")}
    assert role == {"rack systems and": ["analyst"], "Going back": ["management"],
                    "server partners": ["management"], "on networking": ["analyst"]}


def test_speech_to_text_period_comes_from_the_date_never_a_bare_year(universe):
    # a November call of a company whose fiscal year ends in January reports the quarter ended in October
    doc = stt("Welcome. Capex was $2 billion. " + FILLER + " NVIDIA thanks you.", universe=universe)
    assert (doc.fiscal_year, doc.fiscal_quarter) == (2025, 3)
    assert doc.period_end == date(2024, 10, 31)


def test_a_stated_period_that_contradicts_the_date_is_noted(universe):
    text = "Welcome to the NVIDIA call for the first quarter of fiscal 2024. " + FILLER
    doc = stt(text, universe=universe)
    assert (doc.fiscal_year, doc.fiscal_quarter) == (2025, 3)
    assert any("contradicts the call date" in n for n in doc.notes)


def test_speaker_labelled_provider_text(universe):
    text = "\n".join([
        "=" * 40, "Company: Microsoft", "Ticker: MSFT", "Quarter: Q2 2026", "=" * 40, "",
        "Wednesday, January 28, 2026 at 5:30 p.m. ET", "", "Call participants", "",
        "Chief Financial Officer — Pat Example", "", "Investor Relations Lead — Sam Sample", "",
        "Capital expenditures-- $99.9 billion, an editorial figure.", "",
        "Takeaways", "", "Risks", "",
        "Sam Sample:Welcome to the Microsoft call. Pat will speak first.",
        "Pat Example:Capital expenditures including finance leases were $37.5 billion this quarter.",
        "Operator:We will now open the line for questions. Our first question comes from Lee Analyst with Acme Bank.",
        "Lee Analyst:How should we think about capex next year?",
        "Pat Example:We expect capex to grow.",
    ])
    doc = parsers.parse_call_text(text, {}, universe=universe, origin="calls/MSFT_2026-01-28.txt", latest=LATEST)
    roles = {(s.speaker, s.role, s.section) for s in doc.segments}
    assert ("Pat Example", "management", "prepared") in roles and ("Pat Example", "management", "qa") in roles
    assert ("Lee Analyst", "analyst", "qa") in roles
    editorial = [s for s in doc.segments if "editorial figure" in s.text]
    assert editorial and editorial[0].role == "editorial" and editorial[0].section == "editorial"
    assert (doc.fiscal_year, doc.fiscal_quarter, doc.event_date) == (2026, 2, date(2026, 1, 28))


def test_provider_json_with_a_transcript_field_and_the_date_in_the_text(universe):
    body = ("NASDAQ:META\n\nDate\n\nJan. 28, 2026, 4:30 p.m. ET\n\nCall participants\n\nTakeaways\n\n"
            "Dana Host:Welcome to the Meta call.\n\nRiley Exec:Capital expenditures were $22.1 billion in the quarter.\n\n"
            "Morgan:Our first question comes from the line of Max Asker with Big Bank.\n\nMax Asker:What about 2026?\n\n"
            "Riley Exec:We expect more.")
    raw = '{"ticker": "META", "year": 2025, "quarter": 4, "transcript": %s}' % __import__("json").dumps(body)
    doc = parsers.parse_call_json(raw, universe=universe, origin="calls/meta.json", latest=LATEST)
    assert doc.event_date == date(2026, 1, 28) and (doc.fiscal_year, doc.fiscal_quarter) == (2025, 4)
    by_speaker = {s.speaker: s.role for s in doc.segments if s.speaker}
    assert by_speaker == {"Dana Host": "management", "Riley Exec": "management", "Morgan": "operator",
                          "Max Asker": "analyst"}


def test_the_same_call_in_two_formats_is_one_document(tmp_path, universe):
    calls = tmp_path / "calls"
    calls.mkdir()
    turns = "\n".join(f"Pat Example: In part {i} we said Meta capital expenditures were ${i}.5 billion this quarter."
                      for i in range(30))
    (calls / "META_2026-01-28.txt").write_text(turns, encoding="utf-8")
    body = "Dana Host:Welcome.\n\n" + turns.replace(": In", ":In")
    (calls / "META_2026-01-28_other.json").write_text(
        '{"ticker": "META", "date": "2026-01-28", "transcript": %s}' % __import__("json").dumps(body), encoding="utf-8")
    result = ingest_folder("call", tmp_path, universe, as_of=LATEST)
    assert [d.origin for d in result.documents] == ["calls/META_2026-01-28.txt"]
    assert len(result.quarantined) == 1
    assert "calls/META_2026-01-28.txt" in result.quarantined[0]["reason"]


def test_a_call_that_never_names_its_company_is_quarantined(tmp_path, universe):
    calls = tmp_path / "calls"
    calls.mkdir()
    (calls / "CEG_2025-03-20.txt").write_text("Welcome to the Widgetco call. " + FILLER * 5, encoding="utf-8")
    result = ingest_folder("call", tmp_path, universe, as_of=LATEST)
    assert not result.documents and "does not name Constellation" in result.quarantined[0]["reason"]


CTX = CapexContext(currency="USD", fiscal_year=2025, fiscal_quarter=2)


def amounts(sentence, ctx=CTX, **kw):
    return [(a.value, a.low, a.high, a.currency, a.kind, a.period) for a in extract_capex(sentence, "en", ctx, **kw)]


@pytest.mark.parametrize("sentence,expected", [
    ("We expect 2025 capex of about $75 billion, up from $52.5 billion in 2024.",
     [(75.0, None, None, "USD", "guidance", "FY2025"), (52.5, None, None, "USD", "actual", "FY2024")]),
    ("Capex was $8 billion and we expect $10 billion next quarter.",
     [(8.0, None, None, "USD", "actual", "FY2025 Q2"), (10.0, None, None, "USD", "guidance", "FY2025 Q3")]),
    ("Capital expenditures were $1.2 billion in the quarter, and we will keep investing in capacity.",
     [(1.2, None, None, "USD", "actual", "FY2025 Q2")]),
    ("We are adjusting our capital spending outlook for fiscal 2024 down from $375 million to $310 million.",
     [(310.0, None, None, "USD", "revision", "FY2024")]),
    ("Free cash flow was $6.5 billion, reflecting capital expenditures of $2.1 billion.",
     [(2.1, None, None, "USD", "actual", "FY2025 Q2")]),
    ("We expect capex for the third quarter to be $21 to $23 million and $105 to $115 million for fiscal year 2025.",
     [(None, 21.0, 23.0, "USD", "guidance", "FY2025 Q3"), (None, 105.0, 115.0, "USD", "guidance", "FY2025")]),
])
def test_each_amount_takes_kind_and_period_from_its_own_clause(sentence, expected):
    assert amounts(sentence) == expected


def test_yen_is_jpy_for_a_japanese_company_and_cny_for_a_chinese_one():
    japan = CapexContext(currency="JPY", fiscal_year=2025, fiscal_quarter=2)
    china = CapexContext(currency="CNY", fiscal_year=2025, fiscal_quarter=2)
    assert amounts("Capex was ¥120 billion in the quarter.", japan)[0][3] == "JPY"
    assert amounts("Capex was ¥120 billion in the quarter.", china)[0][3] == "CNY"


def test_customers_capex_is_not_the_companys():
    [amount] = extract_capex("Capex at the three biggest CSPs rose to some $300 billion this year.", "en", CTX)
    assert amount.subject == "other"
    [own] = extract_capex("Our capex was $600 million in the quarter.", "en", CTX)
    assert own.subject == "self"


def test_a_capex_word_in_the_previous_sentence_carries_over():
    assert amounts("We spent $2.1 billion in the quarter.", carried=True) == [(2.1, None, None, "USD", "actual", "FY2025 Q2")]
    assert amounts("Free cash flow was $2.1 billion.", carried=True) == []


def test_scopes_are_kept_apart():
    [leases] = extract_capex("Capital expenditures including finance leases were $37.5 billion.", "en", CTX)
    [cash] = extract_capex("Cash paid for PP&E was $29.9 billion.", "en", CTX)
    assert (leases.scope, cash.scope) == ("including finance leases", "cash paid for PP&E")


def test_a_change_in_capex_is_not_capex():
    assert amounts("Capital expenditures were $240 million, up $12 million on the prior quarter.") == [
        (240.0, None, None, "USD", "actual", "FY2025 Q2")]
    assert amounts("Engineering found another $3 billion of savings across our capex plan.") == []
    assert amounts("The sequential increase in capex reflects about $4 billion of pricier memory.") == []


def test_scope_is_a_modifier_of_the_figure_not_any_mention_of_leases():
    [cash] = extract_capex("Cash paid for PP&E came to $12.2 billion; finance "
                           "leases moved the other way.", "en", CTX)
    [plain] = extract_capex("Capital expenditures were $13.4 billion, lower as some finance leases started late.", "en", CTX)
    [leases] = extract_capex("Capital expenditures, including finance leases, were $37.5 billion.", "en", CTX)
    assert (cash.scope, plain.scope, leases.scope) == ("cash paid for PP&E", None, "including finance leases")


def test_offsets_beside_capex_are_not_capex():
    got = amounts("Gross capex came to $4.8 billion, with partner offsets of $0.9 billion.")
    assert [a[0] for a in got] == [4.8]


def test_a_q4_calls_full_year_paragraph_gives_full_year_figures():
    q4 = CapexContext(currency="USD", fiscal_year=2024, fiscal_quarter=4)
    got = amounts("Altogether we put $17 billion into gross capital investments.", q4, previous="For the full year, margins held.")
    assert got == [(17.0, None, None, "USD", "actual", "FY2024")]


def test_the_sentence_before_a_piece_still_counts(universe):
    from assets.tagging.nlp import Context, pieces_with_lead, tag_pieces
    from infrathesis.settings import Settings

    filler = " ".join(f"Our segment {i} grew in the period." for i in range(80))
    text = filler + " For fiscal 2026, our outlook is unchanged. We expect capital expenditures of about $9 billion."
    items = [(piece, Context(0, offset, "en", CTX, lead)) for offset, piece, lead in pieces_with_lead(text, limit=300)]
    found = [a for _, _, capex in tag_pieces(items, Settings.from_env().lexicon_dir, "en") for a in capex]
    assert [(a["value"], a["kind"], a["period"]) for a in found] == [(9.0, "guidance", "FY2026")]
