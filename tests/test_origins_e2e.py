"""The bundled example with the real models: its stance matrix, consensus and origins are right."""

from __future__ import annotations


def topic_with(result, needle):
    (topic,) = [t for t in result.topic_list if any(needle in result.claim(c).text for c in t.claim_ids)]
    return topic


def test_stance_matrix_of_the_example(assad_result):
    """The presidency denies that Assad left; the four reports that say he left relay or support it."""
    left = topic_with(assad_result, "denied on Saturday that President Bashar al-Assad had left")
    stances = left.stances
    assert stances["presidency-dec07"] == "contradicts"
    assert stances["rebels-dec08"] == "relays" and stances["kremlin-dec08"] == "relays"
    assert stances["assad-dec16"] == "relays"
    assert stances["mfa-dec08"] in ("supports", "relays")
    frame = assad_result.topics.set_index("topic_id")
    assert frame.loc[left.id, "stance:presidency-dec07"] == "contradicts"


def test_consensus_of_each_topic_of_the_example(assad_result):
    left = topic_with(assad_result, "denied on Saturday that President Bashar al-Assad had left")
    damascus = topic_with(assad_result, "Rebels captured Damascus")
    assert len(assad_result.topic_list) == 2
    q = assad_result.question(left.id)
    assert q.consensus == "disputed" and q.n_independent_sources >= 5  # the presidency against everyone else
    major = [p for p in q.positions if p.id == q.majority][0]
    assert {"rebels-dec08:1", "mfa-dec08:0"} <= set(major.claim_ids)
    assert not any(c.startswith("presidency") for c in major.claim_ids)
    q = assad_result.question(damascus.id)
    # three outlets say it. The int8 embedder puts the Kremlin report's rewording at 0.73 to 0.76 from the
    # "Rebels captured Damascus" line, depending on the onnxruntime build, against the topic threshold of 0.75; when it is
    # in, the presidency's "carrying out his duties in Damascus" attaches too, as a minority that does not change the
    # consensus
    assert q.consensus == "agreed" and q.n_independent_sources >= 2
    major = [p for p in q.positions if p.id == q.majority][0]
    assert {"rebels-dec08:0", "mfa-dec08:2"} <= set(major.claim_ids)
    assert all(p.status == "minority" and all(c.startswith("presidency") for c in p.claim_ids)
               for p in q.positions if p.id != q.majority)
    assert dict(assad_result.topics.set_index("topic_id").consensus) == {left.id: "disputed", damascus.id: "agreed"}


def test_origins_and_timeline_of_the_example(assad_result):
    sources = assad_result.sources
    assert sources.origin_id.is_unique  # five independent outlets; Global Wire is itself the wire it credits
    assert sources.wire.isna().all()
    assert not (assad_result.findings.kind == "copy").any()
    left = topic_with(assad_result, "denied on Saturday that President Bashar al-Assad had left")
    timeline = assad_result.timeline(left.id)
    assert timeline.published.is_monotonic_increasing and timeline.report_id.iloc[0] == "presidency-dec07"
    assert set(timeline.event) <= {"new position", "update", "new source", "repeat"}
    assert "update" in set(timeline.event)  # the Kremlin source, then Assad himself, say where he is
