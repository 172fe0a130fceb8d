"""The :class:`Checker` pipeline: segment -> extract -> embed -> align -> judge -> origins -> aggregate -> positions.

Every stage is a small object with ``__call__``; pass your own to replace one::

    checker = Checker(judge=RuleJudge(nli=None))   # rules and similarity only

The interfaces are in :mod:`crosscheck.protocols`; each stage's output is checked against them
(:mod:`crosscheck.validate`), and :func:`crosscheck.testing.check_stage` tests a stage of your own.
"""

from __future__ import annotations

import functools
import inspect
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from crosscheck import validate
from crosscheck.aggregate import TopicAggregator
from crosscheck.align import HybridAligner
from crosscheck.config import load_profile
from crosscheck.data import Claim, Report, as_reports
from crosscheck.errors import Errors, InputError, OptionError
from crosscheck.extract import RuleExtractor
from crosscheck.inference import OnnxEmbedder
from crosscheck.judge import RuleJudge
from crosscheck.origins import OriginFinder, mark_copies
from crosscheck.positions import PositionBuilder
from crosscheck.result import Result, check_min_probability
from crosscheck.segment import RuleSegmenter

STAGES = ("segmenter", "extractor", "embedder", "aligner", "judge", "origins", "aggregator", "positions")
#: The progress bar's steps after extraction (which counts one step per report).
LATER_STEPS = ("embed", "align", "judge", "origins", "aggregate", "positions")
#: Held while a checker builds its stages (rare and quick: models load lazily, on first use).
_BUILD_LOCK = threading.Lock()


def checked_call(func: Callable[..., Any]) -> Callable[..., Any]:
    """``func`` that answers a wrong call with a typed :class:`~crosscheck.errors.OptionError` instead of Python's
    bare ``TypeError``: an unknown keyword is E314 (naming it and the known ones), too many or missing arguments
    E440. The signature stays ``func``'s (``inspect.signature`` follows the wrapper to it)."""
    sig = inspect.signature(func)
    name = func.__qualname__.removesuffix(".__init__")
    kinds = (inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    known = [n for n, p in sig.parameters.items() if p.kind in kinds and n != "self"]

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        unknown = sorted(set(kwargs) - set(known))
        if unknown:
            raise OptionError(Errors.E314.format(func=name, names=unknown, known=known))
        try:
            sig.bind(*args, **kwargs)
        except TypeError as exc:
            raise OptionError(Errors.E440.format(func=name, problem=exc)) from None
        return func(*args, **kwargs)

    return wrapper


class Checker:
    """A configured, reusable pipeline. Stages left as ``None`` are built from ``profile``.

    ``min_probability`` is the display threshold of the results (see :class:`~crosscheck.result.Result`): ``"fitted"``
    (the default) takes the threshold fitted with the judge's calibration (its ``calibrator.min_probability``; None
    when the judge has no calibrator), a number in [0, 1] sets it, None shows every finding.

    ``cache`` keeps embeddings and NLI probabilities on disk (:mod:`crosscheck.cache`), so that a re-run only runs
    the models on new text: True (the default) uses the user cache directory (``$CROSSCHECK_CACHE_DIR`` overrides
    it), a path that directory, a :class:`~crosscheck.cache.DiskCache` its settings, False no cache.

    >>> checker = Checker()          # no model is loaded until the first check
    >>> [name for name in STAGES]
    ['segmenter', 'extractor', 'embedder', 'aligner', 'judge', 'origins', 'aggregator', 'positions']
    """

    @checked_call
    def __init__(self, *, segmenter: Any = None, extractor: Any = None, embedder: Any = None, aligner: Any = None,
                 judge: Any = None, aggregator: Any = None, profile: str | Path | dict[str, Any] = "default",
                 min_probability: float | str | None = "fitted", origins: Any = None, positions: Any = None,
                 cache: Any = True) -> None:
        self.segmenter = segmenter
        self.extractor = extractor
        self.embedder = embedder
        self.aligner = aligner
        self.judge = judge
        self.aggregator = aggregator
        self.origins = origins
        self.positions = positions
        self.profile = profile
        self.min_probability = min_probability
        self.cache = cache

    def __getstate__(self) -> dict[str, Any]:
        """The settings without the built stages (a copy sent to a Dask worker builds and loads its own)."""
        return {k: v for k, v in self.__dict__.items() if k != "_built"}

    def __repr__(self) -> str:
        return "Checker(" + ", ".join(f"{s}={getattr(self, s)!r}" for s in STAGES) + ")"

    def stages(self) -> dict[str, Any]:
        """The stage objects in use (defaults built once from the profile and kept).

        Thread-safe: the dict is complete before any caller sees it (it is built under a lock, then published), so
        threads sharing a checker never see a half-built one.
        """
        built = self.__dict__.get("_built")
        if built is None:
            with _BUILD_LOCK:
                built = self.__dict__.get("_built")
                if built is None:
                    built = self._build_stages()
                    self._built = built
        return built

    def _build_stages(self) -> dict[str, Any]:
        """A new, complete dict of the stages: the given ones, and defaults from the profile for the others."""
        prof = load_profile(self.profile)
        defaults = {
            "segmenter": RuleSegmenter,
            "extractor": RuleExtractor,
            "embedder": OnnxEmbedder,
            "aligner": lambda: HybridAligner(**_section(prof, "aligner", HybridAligner)),
            "judge": lambda: RuleJudge(**_section(prof, "judge", RuleJudge)),
            "aggregator": lambda: TopicAggregator(**_section(prof, "aggregator", TopicAggregator)),
            "origins": lambda: OriginFinder(**_section(prof, "origins", OriginFinder)),
            "positions": lambda: PositionBuilder(**_section(prof, "positions", PositionBuilder)),
        }
        built: dict[str, Any] = {}
        for name in STAGES:
            stage = getattr(self, name)
            if stage is None:
                stage = defaults[name]()
            if not callable(stage):
                raise InputError(Errors.E051.format(name=name, type=type(stage).__name__))
            built[name] = stage
        from crosscheck.cache import as_cache, cache_stages

        store = as_cache(self.cache)
        return built if store is None else cache_stages(built, store)

    def extract(self, reports: Iterable[Report | str | dict[str, Any]]) -> list[Claim]:
        """Segment and extract claims from every report (the parser loads on first use)."""
        st = self.stages()
        return extract_claims(reports, st["segmenter"], st["extractor"])

    def check(self, reports: Iterable[Report | str | dict[str, Any]], *, progress: bool = False) -> Result:
        """Run the whole pipeline over two or more reports.

        With ``progress=True`` a tqdm bar on standard error counts the stages as they finish: one step per report
        extracted, then embed, align, judge, origins, aggregate and positions (``len(reports) + 6`` steps, the stage
        at work shown after the bar). Off by default: nothing is printed.

        After the judge, the origins stage groups wire copies and relays of one speaker
        (:mod:`crosscheck.origins`): agreements and related pairs between two claims of one origin get
        ``kind="copy"``. After the aggregator, the positions stage (:mod:`crosscheck.positions`) gives each topic
        its positions and consensus and each report its stance toward the majority position.
        """
        reps = as_reports(reports)
        if len(reps) < 2:
            raise InputError(Errors.E022.format(n=len(reps)))
        st = self.stages()
        with stage_bar(len(reps) + len(LATER_STEPS), enabled=progress) as bar:
            bar.set_postfix_str("extract", refresh=False)
            claims = extract_claims(reps, st["segmenter"], st["extractor"], on_report=lambda _: bar.update())
            bar.set_postfix_str("embed")
            vectors = validate.embeddings(st["embedder"]([c.proposition for c in claims]), len(claims))
            bar.update()
            bar.set_postfix_str("align")
            candidates = validate.candidates(claims, st["aligner"](claims, vectors))
            bar.update()
            bar.set_postfix_str("judge")
            findings = validate.findings(claims, st["judge"](claims, candidates))
            bar.update()
            bar.set_postfix_str("origins")
            origins = validate.origins(reps, claims, st["origins"](reps, claims))
            findings = mark_copies(findings, claims, origins)
            bar.update()
            bar.set_postfix_str("aggregate")
            topics = validate.topics(reps, claims, st["aggregator"](reps, claims, findings))
            bar.update()
            bar.set_postfix_str("positions")
            questions = validate.questions(reps, topics, st["positions"](reps, claims, findings, topics, origins))
            topics = questions.apply(topics)
            bar.update()
            bar.set_postfix_str("done")
        return Result(reps, claims, findings, topics, min_probability=self.display_threshold(), origins=origins,
                      questions=questions)

    def check_iter(self, reports: Iterable[Report | str | dict[str, Any]], *, batch_size: int = 200,
                   progress: bool = False) -> Iterator[Result]:
        """Check a stream of reports batch by batch: one :class:`~crosscheck.result.Result` per ``batch_size``
        reports, with memory bounded by the batch (see :func:`crosscheck.scale.check_iter`)."""
        from crosscheck.scale import check_iter

        return check_iter(reports, batch_size=batch_size, checker=self, progress=progress)

    def display_threshold(self) -> float | None:
        """The ``min_probability`` the results get (see the class docstring)."""
        if self.min_probability == "fitted":
            calibrator = getattr(self.stages()["judge"], "calibrator", None)
            return None if calibrator is None else calibrator.min_probability
        return check_min_probability(self.min_probability)

    __call__ = check


def _section(profile: dict[str, Any], name: str, cls: type) -> dict[str, Any]:
    """The profile's settings for stage ``name``, checked against ``cls``'s parameters (E054)."""
    section = profile.get(name, {})
    if not isinstance(section, dict):
        raise InputError(Errors.E054.format(name=name, problem=f"must be an object, got {type(section).__name__}"))
    known = set(inspect.signature(cls).parameters)
    unknown = sorted(set(section) - known)
    if unknown:
        raise InputError(Errors.E054.format(name=name, problem=f"has unknown settings {unknown}; {cls.__name__} takes "
                                                              f"{sorted(known)}"))
    return section


def extract_claims(reports: Iterable[Report | str | dict[str, Any]], segmenter: Any, extractor: Any, *,
                   on_report: Callable[[Report], None] | None = None) -> list[Claim]:
    """Claims of every report from these two stages, each output checked (:mod:`crosscheck.validate`): exact
    sentence offsets (E071), exact claim offsets (E052), claim ids unique across reports (E072).

    ``on_report``, when given, is called with each report once its claims are extracted (a progress bar's step)."""
    claims: list[Claim] = []
    seen: set[str] = set()
    for r in as_reports(reports):
        sentences = validate.sentences(r, segmenter(r))
        claims.extend(validate.claims(r, extractor(r, sentences), seen))
        if on_report is not None:
            on_report(r)
    return claims


def stage_bar(total: int, *, enabled: bool) -> Any:
    """The tqdm bar of :meth:`Checker.check` over ``total`` steps, on standard error; a silent one when not
    ``enabled`` (tqdm's ``disable``: it prints nothing and costs nothing)."""
    from tqdm import tqdm

    # every step is drawn (mininterval 0): a step is a report's extraction or a whole stage, never a tight loop
    return tqdm(total=total, desc="crosscheck", unit="step", file=sys.stderr, disable=not enabled, leave=True,
                dynamic_ncols=True, mininterval=0.0, miniters=1)


@lru_cache(maxsize=1)
def default_checker() -> Checker:
    """The shared default :class:`Checker` (its models load once per process)."""
    return Checker()


def check_options(func: str, options: dict[str, Any], cls: type) -> None:
    """``options`` are keyword parameters of ``cls``, else E314 naming the unknown ones and ``func``
    (an :class:`~crosscheck.errors.OptionError`)."""
    known = [n for n, p in inspect.signature(cls).parameters.items() if p.kind == p.KEYWORD_ONLY]
    unknown = sorted(set(options) - set(known))
    if unknown:
        raise OptionError(Errors.E314.format(func=func, names=unknown, known=known))


def check(reports: Iterable[Report | str | dict[str, Any]], *, progress: bool = False, **options: Any) -> Result:
    """Cross-check several reports. ``options`` are :class:`Checker` arguments (stages or ``profile``); an unknown
    one raises E314. ``progress=True`` shows a progress bar over the stages on standard error
    (:meth:`Checker.check`)."""
    check_options("check", options, Checker)
    checker = Checker(**options) if options else default_checker()
    return checker.check(reports, progress=progress)


def compare(a: Report | str, b: Report | str, *, progress: bool = False, **options: Any) -> Result:
    """Cross-check two reports (strings become reports ``a`` and ``b``); ``progress`` and ``options`` as in
    :func:`check`."""
    check_options("compare", options, Checker)
    ra = a if isinstance(a, Report) else Report("a", a)
    rb = b if isinstance(b, Report) else Report("b", b)
    return check([ra, rb], progress=progress, **options)
