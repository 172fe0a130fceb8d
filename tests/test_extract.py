import dataclasses
import datetime as dt
import math
import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosscheck.data import Report
from crosscheck.errors import CrosscheckError
from crosscheck.extract import RuleExtractor
from crosscheck.extract.times import times_of
from crosscheck.places import Gazetteer
from crosscheck.segment import LINE_BREAK, RuleSegmenter


def claims(text, published="2024-12-09T10:00:00+00:00", source="Wire"):
    r = Report("r", text, source=source, published=published)
    return RuleExtractor()(r, RuleSegmenter()(r))


def test_attribution_forms():
    cs = claims("Russia's Foreign Ministry said on Sunday that Assad had resigned. "
                "Assad and his family are in Moscow, a Kremlin source told Russian news agencies. "
                "According to two senior army officers, the army was told to stand down. "
                "The city is calm.")
    assert [c.speaker for c in cs] == ["Russia's Foreign Ministry", "a Kremlin source", "two senior army officers", "Wire"]
    assert [c.hedge for c in cs] == ["reported", "reported", "reported", "asserted"]
    assert cs[0].proposition.startswith("Assad had resigned")
    assert cs[1].location_places == ("Moscow",)


def test_pronouns_resolve_to_last_person():
    cs = claims("Bashar al-Assad spoke on television. He said he never considered resigning.")
    assert cs[1].speaker == "Bashar al-Assad"
    assert "Assad never considered resigning" in cs[1].proposition
    assert cs[1].negated


def test_hedges_and_denial():
    cs = claims("Assad may have left Damascus. The presidency denied that Assad had left the country. "
                "There is speculation that he fled.")
    assert [c.hedge for c in cs] == ["uncertain", "denied", "speculative"]
    assert cs[1].negated


def test_a_reply_word_does_not_negate_what_follows():
    cs = claims("Did the minister resign? No. The minister resigned on Friday, he said. "
                '"No, the talks will go on," she said. No one was hurt in the blast. '
                "No. 10 Downing Street said the talks would resume. Yes, officials said the minister left.")
    assert [c.negated for c in cs] == [False, False, False, True, False, False]
    assert (cs[5].speaker, cs[5].proposition) == ("officials", "the minister left.")
    assert cs[1].proposition == "The minister resigned on Friday"
    assert cs[2].proposition == "the talks will go on"
    assert cs[1].speaker == "The minister"  # no name before it ("Did" is not a person): the subject it follows
    assert cs[4].speaker == "No. 10 Downing Street"  # "No." before a number is not a reply


def test_a_dateline_or_label_run_into_the_sentence_is_not_part_of_the_claim():
    cs = claims("HAVEN CITY, May 3 (Wire) - Port officials said on Tuesday that the ferry sank near the breakwater. "
                "STORY: The coastguard said Friday it had found the hull of the ferry. "
                "NTSB: a loose wire cut the power. NATO-led divers said the wreck was intact.")
    assert [(c.speaker, c.attributed) for c in cs[:2]] == [("Port officials", True), ("The coastguard", True)]
    assert cs[0].proposition == "the ferry sank near the breakwater."
    assert cs[1].proposition == "it had found the hull of the ferry."  # the reporting verb's day left out
    assert cs[0].text.startswith("HAVEN CITY")  # the span keeps the whole sentence
    assert cs[2].proposition.startswith("NTSB:")  # an acronym before a colon may be the speaker: kept
    assert cs[3].speaker == "NATO-led divers"
    told = claims("The rumours spread fast. On Friday Harbour Board spokesman Ivo Marr said such reports were a lie.")
    assert told[1].speaker == "Harbour Board spokesman Ivo Marr"  # the day is not part of the name


def test_a_group_is_not_the_person_a_pronoun_stands_for():
    cs = claims("Harbour news agencies said the captain was on the crew list. It was not clear if he was aboard.")
    assert "agencies" not in cs[1].proposition


def test_they_in_a_group_statement_is_the_group():
    cs = claims("Rebel commanders announced on state television that they had taken Damascus. "
                "Officials said their forces had left the city. Reuters said they were told of it. "
                "A Kremlin source said they are in Moscow.")
    assert [c.proposition for c in cs] == ["Rebel commanders had taken Damascus.",
                                           "Officials' forces had left the city.",
                                           "they were told of it.",  # an outlet, not a group of people
                                           "they are in Moscow."]  # a singular speaker
    r = Report("r", "Officials said they had left.", source="Wire")
    assert RuleExtractor(resolve_pronouns=False)(r, RuleSegmenter()(r))[0].proposition == "they had left."


def test_numbers_with_bounds():
    q = claims("At least 300 people were killed. Fewer than 50 people died. About 1,200 troops moved. "
               "Between 20 and 30 tanks. Dozens of civilians fled in 2024.")
    got = [(x.low, x.high, x.unit) for c in q for x in c.quantities]
    assert got[0] == (300, math.inf, "people")
    assert got[1] == (0, 50, "people")
    assert got[2][2] == "troop" and got[2][0] < 1200 < got[2][1]
    assert got[3] == (20, 30, "tank")
    assert got[4][2] == "civilian"
    assert len(got) == 5  # the year 2024 is not a quantity


def test_a_number_in_a_proper_name_is_no_count():
    from crosscheck.extract.quantities import quantities_of

    def values(text):
        return [q.value for q in quantities_of(text)]
    assert values("Gas rose from the Baltic Link 2 rupture off Varna.") == []
    assert values("A Boeing 737 crashed near Varna, killing 12 people.") == [12]
    assert values("The Baltic Link 1 line was shut for a month.") == []
    assert values("In Kherson 12 people died overnight.") == [12]  # a place after an opening preposition
    assert values("The ministry said 17 fishermen were unaccounted for.") == [17]
    assert values("Divers found three ruptures in Baltic Link 1 and Baltic Link 2.") == [3]


def test_dates_resolved_against_publication():
    (c,) = claims("Rebels entered the city on Sunday, after a siege that began on 27 November.")
    dates = {t.text: t.date for t in c.times}
    assert dates["on Sunday"] == "2024-12-08"  # published Monday 9 December
    assert dates["27 November"] == "2024-11-27"


def test_unknown_whereabouts_and_places():
    cs = claims("The ministry did not say where he was. His whereabouts remain unknown.")
    assert all(c.unknown_place for c in cs)
    g = Gazetteer({"Qardaha": "Syria"})
    assert g.compatible("Qardaha", "Syria") and not g.compatible("Qardaha", "Russia")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([
    "Assad said he left.", "At least 300 died, officials said.", "MOSCOW - He is in Moscow.", "\n\n",
    "According to the U.N., 3.5 million fled.", "The ministry did not say where he was.", " ", "\"No,\" she said.",
    "x", "Dr. Who? Yes!", "\u00e9t\u00e9 \u2014 caf\u00e9."]), min_size=1, max_size=12), st.text(max_size=20))
def test_claim_offsets_invariant(parts, noise):
    text = " ".join(parts) + noise
    if not text.strip() or "\x00" in text:
        return
    r = Report("r", text)
    for c in RuleExtractor()(r, RuleSegmenter()(r)):
        assert r.text[c.start:c.end] == c.text
        assert c.report_id == "r"


# ---- dates at the ends of the calendar: no resolved date, never an exception ---------------------------------------

_LAST = "9999-12-31T23:00:00+00:00"
_FIRST = "0001-01-01T00:00:00+00:00"


def test_relative_dates_past_the_calendar_have_no_date():
    # a Report refuses such publication times (E304: outside the range pandas can hold), but the date reader is a
    # function of its own and must not raise on any datetime it is given
    last, first = dt.datetime.fromisoformat(_LAST), dt.datetime.fromisoformat(_FIRST)
    got = [(t.text, t.date) for s in ("The talks resume tomorrow in Geneva.", "The envoy arrived yesterday.")
           for t in times_of(s, last, anchors=False)]
    assert got == [("tomorrow", None), ("yesterday", "9999-12-30")]
    got = [(t.text, t.date) for s in ("The talks resumed yesterday in Geneva.", "The envoy arrives tomorrow.")
           for t in times_of(s, first, anchors=False)]
    assert got == [("yesterday", None), ("tomorrow", "0001-01-02")]
    with pytest.raises(CrosscheckError, match="E304"):
        Report("r", "The talks resume tomorrow in Geneva.", published=_LAST)


_EXPRESSIONS = ["tomorrow", "yesterday", "today", "tonight", "last night", "overnight", "last week", "this week",
                "earlier this week", "last month", "this month", "last year", "this year", "on Monday",
                "last Sunday", "two days ago", "5 weeks ago", "100 years ago", "on June 6", "on December 30",
                "on February 29", "on 31/12/9999", "on 2/3/24", "in June 0000", "on 0000-01-01", "in May 9999"]


@pytest.mark.parametrize("published", [_LAST, _FIRST, "9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:00",
                                       "2024-01-10T09:00:00+00:00", "2023-12-31T10:00:00+00:00"])
@pytest.mark.parametrize("expression", _EXPRESSIONS)
def test_every_date_resolves_or_has_none(published, expression):
    pub = dt.datetime.fromisoformat(published)
    for t in times_of(f"The talks resumed {expression} in Geneva.", pub, anchors=False):
        for day in (t.date, t.until):
            assert day is None or dt.date.fromisoformat(day)  # a real calendar day, never "0000-..." or "10000-..."
        assert t.until is None or t.date is not None and t.date <= t.until


def test_february_29_of_last_year_that_has_none():
    # "February 29" in a report of 10 January 2024 reads as last year's, and 2023 has no 29 February
    [t] = times_of("It happened on February 29.", dt.datetime(2024, 1, 10, tzinfo=dt.timezone.utc), anchors=False)
    assert t.date is None


@pytest.mark.parametrize("br", ["\r\n", "\r", "\u2028", "\u2029"])
def test_line_endings_do_not_change_any_claim_field(br):
    lf = ("Dam breach floods Kherson\n\nAt least 12 people died on Tuesday\nafter the dam broke, officials said.\n"
          "About 900 people\nwere evacuated on June 6, the governor told\nreporters. He said 3 bridges closed.\n")
    a, b = Report("r", lf, published="2023-06-08T10:00:00+00:00"), Report("r", lf.replace("\n", br),
                                                                           published="2023-06-08T10:00:00+00:00")
    ca, cb = (RuleExtractor()(r, RuleSegmenter()(r)) for r in (a, b))

    def fields(c):
        d = dataclasses.asdict(c)
        for k in ("start", "end", "speaker_start", "speaker_end", "cue_start", "cue_end"):
            d.pop(k)
        return LINE_BREAK.sub("\n", repr(d).replace(repr(br)[1:-1], "\\n"))

    assert [fields(c) for c in cb] == [fields(c) for c in ca]
    assert [q.value for c in cb for q in c.quantities] == [12, 900, 3]
    assert all(b.text[c.start:c.end] == c.text for c in cb)


# ---- numbers: a claim with thousands of figures is read in linear time, each test as before ------------------------

def test_many_numbers_in_one_claim_are_linear():
    # each figure sorted all the parse's counts and copied the text before and after it: 8,000 figures took 17 s
    from crosscheck.extract.quantities import quantities_of

    text = ", ".join(f"{i} people died" for i in range(30_000))
    t0 = time.perf_counter()
    got = quantities_of(text)
    assert time.perf_counter() - t0 < 10
    assert len(got) > 29_000 and got[-1].value == 29_999 and got[-1].unit == "people"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("12-/.a,;:()\u2014 \n")), max_size=20), st.integers(0, 20))
def test_figure_context_tests_read_as_before(text, cut):
    from crosscheck.extract import quantities as q

    cut = min(cut, len(text))
    assert bool(q._DATE_BEFORE.search(text[max(0, cut - 3):cut])) == bool(re.search(r"\d[-/.]$", text[:cut]))
    assert text[q._clause_start(text, cut):cut] == re.split(r"[,;:.()\u2014]", text[:cut])[-1]
    assert bool(q._DATE_AFTER.match(text, cut)) == bool(re.match(r"[-/]\d", text[cut:]))
