from hypothesis import given, settings
from hypothesis import strategies as st

from crosscheck.data import Report
from crosscheck.segment import RuleSegmenter


def seg(text):
    r = Report("r", text)
    return [s.text for s in RuleSegmenter()(r)]


def test_abbreviations_decimals_quotes():
    assert seg('Mr. Smith met Dr. Jones at the U.N. on Monday. Growth was 3.5 percent. "We won," he said. Then they left.') == [
        "Mr. Smith met Dr. Jones at the U.N. on Monday.", "Growth was 3.5 percent.", '"We won," he said.', "Then they left."]


def test_dateline_paragraphs_and_bullets():
    text = "MOSCOW (Reuters) - Russia said Assad left.\n\nSecond paragraph here.\n- first bullet point\n- second bullet point"
    assert seg(text) == ["Russia said Assad left.", "Second paragraph here.", "first bullet point", "second bullet point"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=300))
def test_offsets_invariant_on_arbitrary_text(text):
    if not text.strip():
        return
    r = Report("r", text)
    prev_end = 0
    for s in RuleSegmenter()(r):
        assert r.text[s.start:s.end] == s.text
        assert s.start >= prev_end and s.text.strip() == s.text
        prev_end = s.end
