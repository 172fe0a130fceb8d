"""Many events at once: :func:`check_many` checks groups of reports in parallel (on Dask, on one machine or many), and
:func:`check_iter` checks a stream of reports batch by batch, its memory bounded by the batch.

An *event* is a group of reports about the same story; crosscheck cross-checks the reports of one event against
each other, never across events. Give events as a mapping ``{event: reports}``, or give reports with ``by=``: a
metadata key (``by="event"`` reads ``report.metadata["event"]``, the ``"event"`` field of a JSON line or a
DataFrame column), a function of a report, or an :class:`~crosscheck.events.EventClusterer` that groups a corpus
by what its reports are about.

``engine="local"`` checks the events one after another in this process; ``engine="dask"`` sends each event to a
worker of a Dask cluster (``client``: a ``distributed.Client``, a scheduler address, or None for the current
client, else a new local cluster for the call). Each worker builds the checker's stages once and keeps its models
loaded for every event it gets. The results are the same in both engines: one :class:`~crosscheck.result.Result`
per event, in the order of the events, gathered into :class:`EventResults`, whose ``findings``, ``claims``,
``topics`` and ``sources`` concatenate the events' tables with an ``event`` column first. docs/scale.md says how to
run a multi-machine cluster.

>>> results = check_many({"fall": ["Damascus fell on Sunday.", "Damascus fell on Saturday."]},
...                      judge=None)                                          # doctest: +SKIP
>>> list(results)                                                             # doctest: +SKIP
['fall']
"""

from __future__ import annotations

import itertools
import numbers
import threading
from collections.abc import Hashable, Iterable, Iterator, Mapping
from typing import Any

import pandas as pd

from crosscheck.data import Report, as_reports
from crosscheck.errors import Errors, InputError
from crosscheck.result import Result

__all__ = ["ENGINES", "EventResults", "check_iter", "check_many", "group_reports"]

ENGINES = ("local", "dask")


class EventResults(Mapping):
    """The results of :func:`check_many`: a read-only mapping event -> :class:`~crosscheck.result.Result`, in the
    order of the events, plus the events that were not checked.

    Attributes:
        skipped: events with fewer than ``min_reports`` reports, each with its report ids (they are not checked:
            one report has nothing to be checked against).

    ``findings``, ``claims``, ``topics`` and ``sources`` are the events' tables (docs/columns.md) concatenated, with
    an ``event`` column first.
    """

    def __init__(self, results: Mapping[Hashable, Result], skipped: Mapping[Hashable, list[str]] | None = None) -> None:
        self._results = dict(results)
        self.skipped: dict[Hashable, list[str]] = dict(skipped or {})

    def __getitem__(self, event: Hashable) -> Result:
        return self._results[event]

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self._results)

    def __len__(self) -> int:
        return len(self._results)

    def __repr__(self) -> str:
        n = sum(len(r.finding_list) for r in self._results.values())
        return f"EventResults({len(self)} events, {n} findings, {len(self.skipped)} skipped)"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, EventResults):
            return NotImplemented
        return list(self._results) == list(other._results) and self._results == other._results \
            and self.skipped == other.skipped

    __hash__ = None  # type: ignore[assignment]

    def frame(self, table: str) -> pd.DataFrame:
        """One of the results' tables (``"findings"``, ``"claims"``, ``"topics"``, ``"sources"``, ``"stances"``)
        for every event, concatenated, with an ``event`` column first."""
        if table not in ("findings", "claims", "topics", "sources", "stances"):
            raise InputError(Errors.E494.format(value=table))
        parts = []
        for event, res in self._results.items():
            df = getattr(res, table)
            parts.append(df.assign(event=[event] * len(df))[["event", *df.columns]])
        if not parts:
            return pd.DataFrame(columns=["event"])
        return pd.concat(parts, ignore_index=True)

    @property
    def findings(self) -> pd.DataFrame:
        return self.frame("findings")

    @property
    def claims(self) -> pd.DataFrame:
        return self.frame("claims")

    @property
    def topics(self) -> pd.DataFrame:
        return self.frame("topics")

    @property
    def sources(self) -> pd.DataFrame:
        return self.frame("sources")


def group_reports(events: Any, by: Any = None) -> dict[Hashable, list[Report]]:
    """The events of :func:`check_many` as ``{event: [Report, ...]}``, in order of first appearance.

    >>> groups = group_reports([{"id": "a", "text": "X.", "event": 1}, {"id": "b", "text": "Y.", "event": 2},
    ...                         {"id": "c", "text": "Z.", "event": 1}], by="event")
    >>> {k: [r.id for r in v] for k, v in groups.items()}
    {1: ['a', 'c'], 2: ['b']}
    """
    if isinstance(events, Mapping):
        if by is not None:
            raise InputError(Errors.E491)
        return {event: as_reports(reports) for event, reports in events.items()}
    if isinstance(events, pd.DataFrame):
        events = Report.from_records(events.to_dict("records"))
    if by is None or isinstance(events, (str, bytes)) or not isinstance(events, Iterable):
        raise InputError(Errors.E486.format(type=type(events).__name__))
    reports = as_reports(events)
    from crosscheck.events import EventClusterer

    if isinstance(by, EventClusterer):
        labels: list[Any] = list(by(reports))
    elif isinstance(by, str):
        labels = []
        for r in reports:
            if by not in r.metadata:
                raise InputError(Errors.E487.format(id=r.id, key=by))
            labels.append(r.metadata[by])
    elif callable(by):
        labels = [by(r) for r in reports]
    else:
        raise InputError(Errors.E486.format(type=f"by={type(by).__name__}"))
    groups: dict[Hashable, list[Report]] = {}
    for r, label in zip(reports, labels):
        if not isinstance(label, Hashable):
            raise InputError(Errors.E493.format(id=r.id, type=type(label).__name__))
        groups.setdefault(label, []).append(r)
    return groups


def check_many(events: Any, *, by: Any = None, engine: str = "local", client: Any = None, checker: Any = None,
               min_reports: int = 2, progress: bool = False, **options: Any) -> EventResults:
    """Cross-check each event's reports (see the module docstring).

    Args:
        events: ``{event: reports}``, or reports (Reports, dicts, a DataFrame of report fields) with ``by``.
        by: how reports are grouped: a metadata key, a function of a report, or an
            :class:`~crosscheck.events.EventClusterer`.
        engine: ``"local"`` (this process, one event after another) or ``"dask"``.
        client: with ``engine="dask"``: a ``distributed.Client``, a scheduler address (``"tcp://host:8786"``), or
            None: the current client if there is one, else a local cluster started (and closed) for this call.
        checker: the :class:`~crosscheck.pipeline.Checker` to run (default: the shared default one, or
            ``Checker(**options)``); with Dask it is sent to every worker once.
        min_reports: events with fewer reports are not checked; they are listed in ``EventResults.skipped``.
        progress: a tqdm bar over the events on standard error.
        options: :class:`~crosscheck.pipeline.Checker` arguments, instead of ``checker``.

    Returns:
        :class:`EventResults`: one Result per checked event, the same whichever the engine.
    """
    from crosscheck.pipeline import Checker, check_options, default_checker

    if engine not in ENGINES:
        raise InputError(Errors.E484.format(value=engine))
    if not isinstance(min_reports, numbers.Integral) or isinstance(min_reports, bool) or min_reports < 2:
        raise InputError(Errors.E490.format(value=min_reports))
    check_options("check_many", options, Checker)
    if checker is not None and options:
        raise InputError(Errors.E492.format(names=sorted(options)))
    if checker is not None and not isinstance(checker, Checker):
        raise InputError(Errors.E495.format(type=type(checker).__name__))
    if options:
        checker = Checker(**options)
    groups = group_reports(events, by)
    todo = {e: reps for e, reps in groups.items() if len(reps) >= min_reports}
    skipped = {e: [r.id for r in reps] for e, reps in groups.items() if len(reps) < min_reports}
    if engine == "local":
        run = checker or default_checker()
        with _bar(len(todo), progress) as bar:
            results = {}
            for event, reps in todo.items():
                results[event] = run.check(reps)
                bar.update()
    else:
        results = _check_on_dask(todo, checker, client, progress)
    return EventResults(results, skipped)


#: On a worker: the checkers it has built, by the token of their settings (the most recent few), so that a later
#: ``check_many`` call with the same settings finds its models loaded.
_WORKER_CHECKERS: dict[str, Any] = {}
_WORKER_KEEP = 4
_WORKER_LOCK = threading.Lock()


def _check_event(reports: list[Report], checker: Any, token: str | None) -> Result:
    """One event on a worker: the worker's checker of these settings (built, with its models loaded, on the first
    event and kept), or the worker's own default checker."""
    from crosscheck.pipeline import default_checker

    if checker is None:
        return default_checker().check(reports)
    with _WORKER_LOCK:
        run = _WORKER_CHECKERS.pop(str(token), checker)
        _WORKER_CHECKERS[str(token)] = run  # most recent last
        while len(_WORKER_CHECKERS) > _WORKER_KEEP:
            _WORKER_CHECKERS.pop(next(iter(_WORKER_CHECKERS)))
    return run.check(reports)


def _token(checker: Any) -> str:
    """A hash of the checker's settings as pickled (the built stages are not part of them)."""
    import hashlib

    import cloudpickle

    return hashlib.blake2b(cloudpickle.dumps(checker), digest_size=16).hexdigest()


def _check_on_dask(todo: dict[Hashable, list[Report]], checker: Any, client: Any, progress: bool) -> dict[Hashable, Result]:
    try:
        import distributed
    except ImportError as exc:
        raise InputError(Errors.E485.format(problem=exc)) from None
    own: list[Any] = []  # clients and clusters made here, closed afterwards
    if client is None:
        try:
            client = distributed.get_client()
        except ValueError:
            cluster = distributed.LocalCluster(threads_per_worker=1, dashboard_address=None)
            own.append(cluster)
            client = distributed.Client(cluster)
            own.append(client)
    elif isinstance(client, str):
        client = distributed.Client(client)
        own.append(client)
    elif not isinstance(client, distributed.Client):
        raise InputError(Errors.E489.format(type=type(client).__name__))
    try:
        if not todo:
            return {}
        # the checker goes to every worker once; each worker builds its stages (and loads the models) on its first
        # event and keeps them for the others
        shared = client.scatter(checker, broadcast=True, hash=False) if checker is not None else None
        token = _token(checker) if checker is not None else None
        events = list(todo)
        futures = [client.submit(_check_event, todo[e], shared, token, pure=False) for e in events]
        with _bar(len(futures), progress) as bar:
            for _ in distributed.as_completed(futures):
                bar.update()
        return dict(zip(events, client.gather(futures)))
    finally:
        for obj in reversed(own):
            obj.close()


def check_iter(reports: Iterable[Report | str | dict[str, Any]], *, batch_size: int = 200, checker: Any = None,
               progress: bool = False) -> Iterator[Result]:
    """Check a stream of reports ``batch_size`` at a time: one :class:`~crosscheck.result.Result` per batch, the
    reports of a batch cross-checked together (as :func:`crosscheck.check` would).

    The stream is read lazily: at most ``batch_size + 2`` reports are held at once (a batch and a look-ahead of
    two, so that a lone last report joins the batch before it instead of making a batch of one, which cannot be
    checked). Reports in different batches are not compared: make batches of one event, or of one time window, and
    group a mixed feed with :func:`check_many` per batch (docs/scale.md).

    >>> feed = ({"id": f"r{i}", "text": f"{i} people died."} for i in range(5))
    >>> [len(r.reports) for r in check_iter(feed, batch_size=2, checker=None)]   # doctest: +SKIP
    [2, 3]
    """
    from crosscheck.pipeline import default_checker

    if not isinstance(batch_size, numbers.Integral) or isinstance(batch_size, bool) or batch_size < 2:
        raise InputError(Errors.E488.format(value=batch_size))
    if isinstance(reports, (str, bytes, Report, Mapping)):
        raise InputError(Errors.E020)
    return _batches(iter(reports), int(batch_size), checker or default_checker(), progress)


def _batches(it: Iterator[Any], size: int, checker: Any, progress: bool) -> Iterator[Result]:
    batch = list(itertools.islice(it, size))
    while batch:
        ahead = list(itertools.islice(it, 2))
        if len(ahead) == 1:  # the stream ends with one report: it joins this batch
            batch += ahead
            ahead = []
        yield checker.check(batch, progress=progress)
        batch = ahead + list(itertools.islice(it, size - len(ahead))) if ahead else []


def _bar(total: int, enabled: bool) -> Any:
    from crosscheck.pipeline import stage_bar

    bar = stage_bar(total, enabled=enabled)
    bar.set_description("events")
    bar.unit = "event"
    return bar
