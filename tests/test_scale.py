"""check_many (local and on a Dask LocalCluster), event grouping and the streaming check_iter."""

from __future__ import annotations

import sys
import threading

import pandas as pd
import pytest

import crosscheck
from crosscheck import Checker, CrosscheckError, Report
from crosscheck.events import EventClusterer
from crosscheck.judge import RuleJudge
from crosscheck.scale import EventResults, check_iter, check_many, group_reports
from tests.test_cache import CountingNLI, WordEmbedder

EVENTS = {
    "aleppo": [
        Report("a1", "Rebels took Aleppo on Friday. The army withdrew from the city.", published="2024-11-29T10:00:00Z"),
        Report("a2", "Rebels took Aleppo on Saturday, witnesses said.", published="2024-11-30T10:00:00Z"),
        Report("a3", "The army did not withdraw from Aleppo. Rebels took the airport.", published="2024-11-30T12:00:00Z"),
    ],
    "quake": [
        Report("q1", "At least 300 people died in the earthquake on Monday.", published="2025-01-06T08:00:00Z"),
        Report("q2", "Fewer than 50 people died in the earthquake, officials said.", published="2025-01-06T09:00:00Z"),
    ],
    "vote": [
        Report("v1", "Parliament passed the budget by 210 votes to 180.", published="2025-02-01T08:00:00Z"),
        Report("v2", "Parliament rejected the budget on Tuesday.", published="2025-02-01T18:00:00Z"),
        Report("v3", "The budget passed by 210 votes to 180, the speaker said.", published="2025-02-02T08:00:00Z"),
    ],
    "alone": [Report("s1", "A lone report about a storm.")],
}


def toy_checker() -> Checker:
    return Checker(embedder=WordEmbedder(), judge=RuleJudge(nli=CountingNLI(), calibration=None), cache=False)


@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None)
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def test_grouping_by_mapping_key_function_dataframe_and_clusterer():
    flat = [{"id": r.id, "text": r.text, "event": e} for e, reps in EVENTS.items() for r in reps]
    by_key = group_reports(flat, by="event")
    assert {k: [r.id for r in v] for k, v in by_key.items()} == {k: [r.id for r in v] for k, v in EVENTS.items()}
    assert group_reports(EVENTS) == {k: list(v) for k, v in EVENTS.items()}
    by_fn = group_reports([r for reps in EVENTS.values() for r in reps], by=lambda r: r.id[0])
    assert list(by_fn) == ["a", "q", "v", "s"]
    df = pd.DataFrame(flat)
    assert [len(v) for v in group_reports(df, by="event").values()] == [3, 2, 3, 1]
    clusterer = EventClusterer(threshold=0.3, embedder=WordEmbedder())
    labels = group_reports([r for reps in EVENTS.values() for r in reps], by=clusterer)
    assert sum(len(v) for v in labels.values()) == 9
    with pytest.raises(CrosscheckError, match=r"\[E486\]"):
        group_reports(flat)
    with pytest.raises(CrosscheckError, match=r"\[E491\]"):
        group_reports(EVENTS, by="event")
    with pytest.raises(CrosscheckError, match=r"\[E487\].*'topic'"):
        group_reports(flat, by="topic")
    with pytest.raises(CrosscheckError, match=r"\[E493\]"):
        group_reports([{**d, "event": [1]} for d in flat], by="event")
    with pytest.raises(CrosscheckError, match=r"\[E486\]"):
        group_reports(flat, by=3)


def test_check_many_local_is_each_event_checked_alone():
    checker = toy_checker()
    results = check_many(EVENTS, checker=checker)
    assert isinstance(results, EventResults) and list(results) == ["aleppo", "quake", "vote"]
    assert results.skipped == {"alone": ["s1"]}
    for event in results:
        assert results[event] == checker.check(EVENTS[event])
    df = results.findings
    assert list(df.columns[:1]) == ["event"] and len(df) == sum(len(r.finding_list) for r in results.values())
    assert set(df.event) <= set(results) and results.claims.event.nunique() == 3
    assert list(results.frame("sources").event.unique()) == ["aleppo", "quake", "vote"]
    with pytest.raises(CrosscheckError, match=r"\[E494\]"):
        results.frame("nothing")
    assert "3 events" in repr(results)


def test_check_many_options_and_errors():
    with pytest.raises(CrosscheckError, match=r"\[E484\]"):
        check_many(EVENTS, engine="spark")
    with pytest.raises(CrosscheckError, match=r"\[E490\]"):
        check_many(EVENTS, min_reports=1)
    with pytest.raises(CrosscheckError, match=r"\[E492\]"):
        check_many(EVENTS, checker=toy_checker(), profile="default")
    with pytest.raises(CrosscheckError, match=r"\[E495\]"):
        check_many(EVENTS, checker="default")
    with pytest.raises(CrosscheckError, match=r"\[E314\]"):
        check_many(EVENTS, nothing=1)
    with pytest.raises(CrosscheckError, match=r"\[E489\]"):
        check_many(EVENTS, engine="dask", client=42, checker=toy_checker())
    opts = check_many({"q": EVENTS["quake"]}, embedder=WordEmbedder(), judge=RuleJudge(nli=None, calibration=None),
                      cache=False)
    assert list(opts) == ["q"]
    assert check_many({"alone": EVENTS["alone"]}, checker=toy_checker()).skipped == {"alone": ["s1"]}


def test_dask_engine_without_distributed_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(CrosscheckError, match=r"\[E485\].*crosscheck\[dask\]"):
        check_many(EVENTS, engine="dask", checker=toy_checker())


def test_dask_engine_gives_the_local_results(dask_client):
    checker = toy_checker()
    local = check_many(EVENTS, checker=checker)
    on_dask = check_many(EVENTS, engine="dask", client=dask_client, checker=toy_checker())
    assert on_dask == local
    pd.testing.assert_frame_equal(on_dask.findings, local.findings)
    pd.testing.assert_frame_equal(on_dask.topics, local.topics)
    # the scheduler's address works as a client too
    by_address = check_many({"quake": EVENTS["quake"]}, engine="dask", client=dask_client.scheduler.address,
                            checker=toy_checker())
    assert by_address["quake"] == local["quake"]


class InstanceEmbedder(WordEmbedder):
    """Records which instance (on which thread) embeds: a worker loads its model into one instance and keeps it."""

    used: set[int] = set()
    lock = threading.Lock()

    def __call__(self, texts):
        with self.lock:
            InstanceEmbedder.used.add(id(self))
        return super().__call__(texts)


def test_dask_workers_build_the_checker_once(dask_client):
    InstanceEmbedder.used = set()
    checker = Checker(embedder=InstanceEmbedder(), judge=RuleJudge(nli=None, calibration=None), cache=False)
    many = {f"e{i}": [Report(f"{i}a", f"Event {i} happened on Monday."), Report(f"{i}b", f"Event {i} happened.")]
            for i in range(8)}
    results = check_many(many, engine="dask", client=dask_client, checker=checker)
    assert len(results) == 8
    assert 1 <= len(InstanceEmbedder.used) <= len(dask_client.scheduler_info()["workers"])
    # a later call with the same settings finds the workers' checkers built: no new instance embeds
    used = set(InstanceEmbedder.used)
    same_settings = Checker(embedder=InstanceEmbedder(), judge=RuleJudge(nli=None, calibration=None), cache=False)
    check_many(many, engine="dask", client=dask_client, checker=same_settings)
    assert InstanceEmbedder.used == used
    # other settings are another checker
    other = Checker(embedder=InstanceEmbedder(), judge=RuleJudge(nli=None, calibration=None), cache=False,
                    min_probability=0.3)
    check_many(many, engine="dask", client=dask_client, checker=other)
    assert len(InstanceEmbedder.used) > len(used)


def test_dask_engine_with_the_real_models_matches_the_single_process_run(dask_client, checker, assad_reports):
    events = {"assad-early": assad_reports[:3], "assad-late": assad_reports[2:], "quake": EVENTS["quake"]}
    single = {e: checker.check(reps) for e, reps in events.items()}
    on_dask = check_many(events, engine="dask", client=dask_client, checker=checker)
    assert dict(on_dask) == single
    local = check_many(events, checker=checker)
    pd.testing.assert_frame_equal(on_dask.findings, local.findings)


def test_check_iter_reads_the_stream_lazily_one_batch_at_a_time():
    checker = toy_checker()
    reports = [r for reps in EVENTS.values() for r in reps]  # 9 reports
    pulled = []

    def feed():
        for r in reports:
            pulled.append(r.id)
            yield r

    it = checker.check_iter(feed(), batch_size=4)
    first = next(it)
    assert [r.id for r in first.reports] == [r.id for r in reports[:4]]
    assert len(pulled) <= 4 + 2  # the batch and a look-ahead of two, not the corpus
    rest = list(it)
    # 9 = 4 + 5: the lone last report joins the batch before it
    assert [len(r.reports) for r in [first, *rest]] == [4, 5]
    assert rest[0] == checker.check(reports[4:])
    assert [len(r.reports) for r in check_iter(reports[:8], batch_size=4, checker=checker)] == [4, 4]
    with pytest.raises(CrosscheckError, match=r"\[E488\]"):
        checker.check_iter(reports, batch_size=1)
    with pytest.raises(CrosscheckError, match=r"\[E022\]"):
        list(checker.check_iter(reports[:1], batch_size=4))


def test_check_many_is_exported():
    assert crosscheck.check_many is check_many
    assert len(crosscheck.EventResults({})) == 0 and crosscheck.EventResults({}).findings.columns.tolist() == ["event"]
