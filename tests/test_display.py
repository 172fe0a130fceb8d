"""crosscheck.display: HTML views rendered from Result.to_dict() (hand-built dicts and the real pipeline)."""

from __future__ import annotations

import html
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import crosscheck
from crosscheck import display
from crosscheck.display.css import style_sheet

TEXT_A = ('Officials said <b>300</b> people & "others" died. The army denied it.\n\nAid arrived on Monday. '
          "<script>alert(1)</script> ended.")
TEXT_B = "Fewer than 50 people died, the ministry said. Aid arrived on Tuesday."


def _claim(report_id: str, text: str, part: str, n: int, **extra) -> dict:
    start = text.index(part)
    return {"id": f"{report_id}:{n}", "report_id": report_id, "start": start, "end": start + len(part), "text": part,
            "proposition": part, "hedge": "none", "negated": False, "speaker": extra.pop("speaker", ""),
            "attributed": "speaker_start" in extra, **extra}


def as_result(data: dict) -> crosscheck.Result:
    """The hand-built dict as a Result (through the data classes)."""
    from crosscheck.data import Claim, Finding, Report, Topic

    return crosscheck.Result([Report(**r) for r in data["reports"]], [Claim.from_dict(c) for c in data["claims"]],
                             [Finding(**f) for f in data["findings"]],
                             [Topic(t["id"], t["label"], tuple(t["claim_ids"]), t["stances"]) for t in data["topics"]],
                             min_probability=data["min_probability"])


def hand_built(*, positions: bool = False, min_probability: float | None = 0.5) -> dict:
    """A result dict as Result.to_dict() writes it (the fields display reads), with tricky text in every field."""
    c = [
        _claim("a", TEXT_A, 'Officials said <b>300</b> people & "others" died.', 0, speaker="Officials",
               speaker_start=0, speaker_end=9, cue="said", cue_start=10, cue_end=14),
        _claim("a", TEXT_A, "The army denied it.", 1),
        _claim("a", TEXT_A, "Aid arrived on Monday.", 2),
        _claim("a", TEXT_A, "<script>alert(1)</script> ended.", 3),
        _claim("b", TEXT_B, "Fewer than 50 people died, the ministry said.", 0, speaker="the ministry",
               speaker_start=27, speaker_end=39),
        _claim("b", TEXT_B, "Aid arrived on Tuesday.", 1),
    ]
    findings = [
        {"id": "a:0~b:0", "relation": "contradict", "kind": "number", "score": 0.9, "similarity": 0.8,
         "reason": "number: '300' vs '<50' <img src=x onerror=alert(1)>", "claim_a": "a:0", "claim_b": "b:0",
         "probability": 0.81},
        {"id": "a:2~b:1", "relation": "update", "kind": "date", "score": 0.7, "similarity": 0.9,
         "reason": "date changed", "claim_a": "a:2", "claim_b": "b:1", "probability": 0.3},
        {"id": "a:1~b:0", "relation": "related", "kind": "none", "score": 0.4, "similarity": 0.6,
         "reason": "same topic", "claim_a": "a:1", "claim_b": "b:0", "probability": None},
    ]
    data = {
        "schema": 2, "min_probability": min_probability,
        "reports": [{"id": "b", "text": TEXT_B, "source": "Wire <B>", "published": "2024-12-09T10:00:00+00:00",
                     "url": "javascript:alert(1)"},
                    {"id": "a", "text": TEXT_A, "source": "Daily & Co", "published": "2024-12-08T10:00:00+03:00",
                     "url": "https://example.org/a?x=1&y=2"}],
        "claims": c, "findings": findings,
        "topics": [{"id": "t1", "label": "How many died?", "claim_ids": ["a:0", "b:0", "a:1"],
                    "stances": {"a": "supports", "b": "contradicts"}},
                   {"id": "t2", "label": "When did aid arrive?", "claim_ids": ["b:1", "a:2"],
                    "stances": {"a": "supports", "b": "supports"}}],
    }
    if positions:
        data["positions"] = [
            {"topic_id": "t1", "position_id": "t1/p1", "label": "about 300", "speakers": ["Officials"],
             "outlets": ["Daily & Co"], "n_independent_sources": 1, "first_seen": "2024-12-08T10:00:00+03:00",
             "last_seen": "2024-12-08T10:00:00+03:00", "status": "contested", "evidence": ["a:0"]},
            {"topic_id": "t1", "position_id": "t1/p2", "label": "fewer than 50", "speakers": ["the ministry"],
             "outlets": ["Wire <B>"], "n_independent_sources": 2, "first_seen": "2024-12-09T10:00:00+00:00",
             "last_seen": "2024-12-09T10:00:00+00:00", "status": "leading", "evidence": ["b:0"]},
        ]
        data["topics"][0]["consensus"] = {"status": "contested", "weight": 0.5}
        data["topics"][1]["consensus"] = "agreed"
    return data


class Page(HTMLParser):
    """The marks (claim id -> text inside), finding rows (id -> claim ids linked) and every tag of a rendered view."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.marks: dict[str, str] = {}
        self.rows: dict[str, list[str]] = {}
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.tags: set[str] = set()
        self.mark_titles: dict[str, str] = {}
        self._open: list[list] = []  # [claim id, depth, chunks]
        self._depth = 0
        self._row: str | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.add(tag)
        self._depth += 1
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "mark" and "cc-claim" in a.get("class", ""):
            self._open.append([a["data-claim"], self._depth, []])
            self.mark_titles[a["data-claim"]] = a.get("title", "")
        if tag == "tr" and a.get("data-finding"):
            self._row = a["data-finding"]
            self.rows[self._row] = []
        if tag == "a" and "href" in a:
            self.hrefs.append(a["href"])
            if self._row and "cc-link" in a.get("class", ""):
                self.rows[self._row].append(a["data-claim"])

    def handle_endtag(self, tag):
        if tag == "mark" and self._open and self._open[-1][1] == self._depth:
            cid, _, chunks = self._open.pop()
            self.marks[cid] = "".join(chunks)
            if self._open:
                self._open[-1][2].append(self.marks[cid])
        if tag == "tr":
            self._row = None
        self._depth -= 1

    def handle_data(self, data):
        if self._open:
            self._open[-1][2].append(data)


def test_every_claim_is_highlighted_in_place_and_every_shown_finding_links_its_two_spans():
    data = hand_built()
    page = Page(display.render(data))
    assert page.marks == {c["id"]: c["text"] for c in data["claims"]}
    assert page.rows == {"a:0~b:0": ["a:0", "b:0"]}  # update below 0.5 and related hidden by default
    assert all(h[1:] in page.ids for h in page.hrefs if h.startswith("#"))
    title = page.mark_titles["a:0"]
    assert "contradict (number), probability 0.81, score 0.90, with Wire <B>" in title and "onerror" in title


def test_all_text_is_escaped_and_nothing_is_loaded():
    out = display.render(hand_built(), page=True)
    assert "<script" not in out and "<img" not in out and "<b>300" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out and "Wire &lt;B&gt;" in out
    assert 'href="javascript' not in out and 'href="https://example.org/a?x=1&amp;y=2"' in out
    tags = Page(out).tags
    assert "mark" in tags and not tags & {"script", "img", "link", "iframe", "object", "embed", "video", "audio"}
    css = style_sheet()
    assert "url(" not in css and "@import" not in css and out.count("<style>") == 1
    assert out.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in out


def test_threshold_and_related_follow_the_default_views():
    data = hand_built()
    assert set(Page(display.render(data, min_probability=0)).rows) == {"a:0~b:0", "a:2~b:1"}
    assert set(Page(display.render(data, min_probability=0, include_related=True)).rows) == {
        "a:0~b:0", "a:2~b:1", "a:1~b:0"}
    assert set(Page(display.render(data, min_probability=0.9)).rows) == set()
    assert set(Page(display.render(hand_built(min_probability=None))).rows) == {"a:0~b:0", "a:2~b:1"}
    assert "1 update below it hidden" in html.unescape(display.render(data))


def test_two_reports_side_by_side_in_publication_order_with_speakers_and_cues_marked():
    out = display.render(hand_built(), style="texts")
    assert 'class="cc-texts cc-pair"' in out
    assert out.index('data-report="a"') < out.index('data-report="b"')  # a was published first
    assert '<span class="cc-speaker" title="speaker of claim a:0">Officials</span>' in out
    assert '<span class="cc-cue" title="attribution cue of claim a:0">said</span>' in out
    assert '<span class="cc-speaker" title="speaker of claim b:0">the ministry</span>' in out
    assert "<h3>Questions" not in out and "<h3>Findings" not in out


def test_matrix_and_timeline_without_positions_use_topics_and_stances():
    out = display.render(hand_built(), style=["matrix", "timeline"], min_probability=0)
    assert "consensus" not in out and "cc-positions" not in out
    assert 'data-report="a" data-stance="supports"' in out and 'data-report="b" data-stance="contradicts"' in out
    timeline = out[out.index('data-topic="t2"><h4>'):]
    assert timeline.index('data-claim="a:2"') < timeline.index('data-claim="b:1"')  # Monday's report first
    assert timeline.index('data-claim="b:1"') < timeline.index('data-finding="a:2~b:1"')  # at the later claim


def test_matrix_with_positions_and_consensus():
    out = display.render(hand_built(positions=True), style="matrix")
    assert "<th>consensus</th>" in out and ">contested</span>" in out and ">agreed</span>" in out
    assert 'title="weight: 0.5"' in out
    row = out[out.index('<tr data-topic="t1">'):out.index('<tr data-topic="t2">')]
    cell_a = row[row.index('data-report="a"'):row.index('data-report="b"')]
    assert "about 300" in cell_a and "fewer than 50" not in cell_a
    assert "2 (3 independent)" in row  # two reports; positions with 1 and 2 independent sources
    assert 'data-position="t1/p2"' in out and "Wire &lt;B&gt;" in out and "leading" in out


def test_positions_found_by_outlet_when_they_carry_no_evidence_ids():
    data = hand_built(positions=True)
    for p in data["positions"]:
        del p["evidence"]
    row = display.render(data, style="matrix").split('<tr data-topic="t1">')[1]
    assert "fewer than 50" in row[row.index('data-report="b"'):]


def test_nested_and_crossing_claims():
    text = "The mayor said the bridge collapsed at noon."
    data = hand_built()
    data["reports"][0] = {**data["reports"][0], "text": text}
    data["claims"] = [c for c in data["claims"] if c["report_id"] == "a"] + [
        _claim("b", text, "The mayor said the bridge collapsed at noon.", 0),
        _claim("b", text, "the bridge collapsed", 1),
        _claim("b", text, "collapsed at noon.", 2)]  # crosses claim b:1
    data["findings"] = []
    page = Page(display.render(data, style="texts"))
    assert page.marks == {c["id"]: c["text"] for c in data["claims"]}
    out = display.render(data, style="texts")
    assert "Claims that overlap another claim, shown apart" in out


def test_a_subset_of_reports_and_bad_input():
    data = hand_built()
    out = display.render(data, reports=["b"], min_probability=0)
    assert 'data-claim="a:0"' not in out and "showing 1 of the 2 reports" in out
    with pytest.raises(crosscheck.InputError, match="E424"):
        display.render(data, reports=["nope"])
    with pytest.raises(crosscheck.InputError, match="E423"):
        display.render(data, style="graph")
    with pytest.raises(crosscheck.InputError, match="E420"):
        display.render(["not", "a", "dict"])
    with pytest.raises(crosscheck.InputError, match="E421"):
        display.render({**data, "claims": None})
    with pytest.raises(crosscheck.InputError, match="E421"):
        display.render({**data, "findings": [{**data["findings"][0], "claim_b": "zz"}]})
    moved = {**data, "claims": [{**data["claims"][0], "start": 1}, *data["claims"][1:]]}
    with pytest.raises(crosscheck.InputError, match="E422"):
        display.render(moved)
    with pytest.raises(crosscheck.InputError, match="E088"):
        display.render(data, min_probability=2)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from("<>&\"'\n"),
               min_size=1, max_size=80), st.lists(st.integers(0, 80), max_size=8))
def test_property_marks_hold_exactly_the_claim_text(text, cuts):
    points = sorted({min(c, len(text)) for c in cuts} | {0, len(text)})
    claims = [{"id": f"x:{i}", "report_id": "x", "start": s, "end": e, "text": text[s:e]}
              for i, (s, e) in enumerate(zip(points, points[1:])) if e > s]
    data = {"min_probability": None, "findings": [], "topics": [], "claims": claims,
            "reports": [{"id": "x", "text": text, "source": None, "published": None, "url": None}]}
    assert Page(display.render(data, style="texts")).marks == {c["id"]: c["text"] for c in claims}


def test_to_html_writes_a_full_page_and_keeps_the_fragment(tmp_path):
    res = as_result(hand_built())
    assert crosscheck.Result.from_json(res.to_json()) == res
    fragment = res.to_html()
    assert fragment.startswith('<div class="crosscheck"') and fragment == res._repr_html_()
    path = tmp_path / "view.html"
    text = res.to_html(path)
    assert path.read_text(encoding="utf-8") == text and '<meta charset="utf-8">' in text
    assert fragment in text
    with pytest.raises(crosscheck.InputError, match="E425"):
        res.to_html(tmp_path)


def test_the_real_result_renders_what_shown_findings_shows(assad_result):
    for options in ({}, {"include_related": True}, {"min_probability": 0}, {"min_probability": None}):
        page = Page(assad_result.to_html(**options))
        assert set(page.rows) == {f.id for f in assad_result.shown_findings(**options)}
        for fid, linked in page.rows.items():
            f = next(f for f in assad_result.finding_list if f.id == fid)
            assert linked == [f.claim_a, f.claim_b]
        assert page.marks == {c.id: c.text for c in assad_result.claim_list}


def test_the_command_line_html_format_is_a_full_page():
    from crosscheck.cli import _emit

    res = as_result(hand_built())
    out = _emit(res, "html", False)
    assert out == res.to_html(page=True) and '<meta charset="utf-8">' in out
    assert set(Page(out).rows) == {"a:0~b:0"} and set(Page(_emit(res, "html", True)).rows) == {"a:0~b:0", "a:1~b:0"}
