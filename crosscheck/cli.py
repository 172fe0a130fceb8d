"""Command line: ``crosscheck compare A B``, ``crosscheck check FILES``, ``crosscheck eval DATASET``.

Exit codes: 0 success; 1 a finding matched ``--fail-on``; 2 anything else that went wrong (bad input, usage, an
unwritable ``--output``, even an internal error), always with a one-line message on standard error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from crosscheck.data import RELATIONS
from crosscheck.errors import CrosscheckError, Errors, InputError, OptionError
from crosscheck.inputs import STDIN_FORMATS, SUFFIXES, Inputs, read_inputs, text_reports

#: Names this module had from :mod:`crosscheck.testing.formats` (``from crosscheck.cli import junit``), imported on
#: first access so that the command line's start, ``--help`` and its errors do not load the testing kit.
_LAZY = {"junit": "crosscheck.testing.formats", "github_annotations": "crosscheck.testing.formats"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: ``--fail-on`` names that stand for several relations: ``conflict`` is every relation that is a conflict.
FAIL_ON_ALIASES: dict[str, tuple[str, ...]] = {"conflict": ("contradict", "disputed", "update")}


def fail_on_relations(names: list[str]) -> list[str]:
    """The relations ``--fail-on`` names stand for, aliases expanded, each once, in order.

    >>> fail_on_relations(["update", "conflict"])
    ['update', 'contradict', 'disputed']
    """
    return list(dict.fromkeys(rel for name in names for rel in FAIL_ON_ALIASES.get(name, (name,))))


def load_inputs(paths: list[str], **options: Any) -> Inputs:
    """The reports of the files, folders and ``-`` (standard input) that ``paths`` names, read by suffix
    (:mod:`crosscheck.inputs`: ``.txt``, ``.md``, ``.html``/``.htm``, ``.json``, ``.jsonl``, ``.csv``); ``options``
    are :func:`~crosscheck.inputs.read_inputs`'s (``source``, ``published``, ``manifest``, ``stdin_format``).

    A missing file is E011, a folder without report files E446, an oversized file E306, whatever its suffix.
    """
    return read_inputs(paths, **options)


class Parser(argparse.ArgumentParser):
    """argparse with crosscheck's manners: a usage error (an unknown option, a bad choice, a missing argument) is
    a typed :class:`~crosscheck.errors.OptionError` (E441), which :func:`main` prints on one line and exits 2."""

    def error(self, message: str) -> Any:  # argparse calls it and expects no return
        command = self.prog.split(" ", 1)[1] + " " if " " in self.prog else ""
        raise OptionError(Errors.E441.format(problem=message, command=command))


def check_output(path: str) -> Path:
    """The ``--output`` path, checked before any work: not a directory, in a folder that exists and is writable."""
    p = Path(path)
    if p.is_dir():
        raise InputError(Errors.E325.format(path=p, problem="is a directory"))
    if p.exists() and not p.is_file():
        raise InputError(Errors.E325.format(path=p, problem="exists and is not a regular file"))
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        raise InputError(Errors.E325.format(path=p, problem=f"the folder {parent} does not exist"))
    if not os.access(p if p.exists() else parent, os.W_OK):
        raise InputError(Errors.E325.format(path=p, problem="is not writable"))
    return p


def write_output(p: Path, text: str) -> None:
    """Write ``text`` to ``p`` (E325 when the system refuses)."""
    try:
        p.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(Errors.E325.format(path=p, problem=exc.strerror or exc)) from None


def _emit(result: Any, fmt: str, include_related: bool) -> str:
    if fmt == "json":
        return result.to_json(indent=2)
    if fmt == "html":
        return result.to_html(include_related=include_related, page=True)  # a file of its own: a full page
    return result.summary(include_related=include_related)


def _eval_news(args: argparse.Namespace) -> int:
    """``crosscheck eval news``: score, draw an audit table, or merge its labels."""
    from crosscheck.eval import news
    from crosscheck.eval.newsdata import load_benchmark

    labels_path = Path(args.labels) if args.labels else Path(args.data) / "audit_labels.csv"
    if args.audit_in:
        if not Path(args.audit_in).is_file():
            raise InputError(Errors.E065.format(path=args.audit_in))
        n = news.merge_labels(args.audit_in, labels_path)
        print(f"crosscheck: {n} label(s) added or changed in {labels_path}")
        return 0
    if args.audit is not None and not args.audit_out:
        raise InputError(Errors.E066)
    events = load_benchmark(args.data, events=args.events.split(",") if args.events else None)
    runs = news.run_events(events, progress=not args.no_progress)
    if args.audit is not None:
        rows = news.audit_sample(runs, args.audit, seed=args.seed, labels=news.read_labels(labels_path))
        news.write_table(rows, args.audit_out, news.AUDIT_COLUMNS)
        todo = sum(1 for r in rows if not r["label"])
        print(f"crosscheck: wrote {len(rows)} findings to {args.audit_out} ({todo} to label)")
    metrics = news.eval_news(args.data, labels=labels_path, runs=runs)
    print(news.format_news(metrics))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(metrics, indent=2) + "\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``crosscheck`` command."""
    try:
        args = _parser().parse_args(argv)
    except OptionError as exc:
        print(f"crosscheck: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    return _run(args)


def _parser() -> argparse.ArgumentParser:
    parser = Parser(prog="crosscheck", description="Cross-check several reports about one event.")
    sub = parser.add_subparsers(dest="command", required=True)
    common = Parser(add_help=False)
    common.add_argument("--format", choices=("table", "json", "html", "junit", "github"), default="table",
                        help="junit: one test case per topic; github: GitHub Actions annotations (::error lines)")
    common.add_argument("--output", "-o", help="write here instead of standard output")
    common.add_argument("--fail-on", action="append", default=[], choices=(*RELATIONS, *FAIL_ON_ALIASES),
                        help="exit with 1 when a shown finding has this relation (repeatable); 'conflict' stands for "
                             "contradict, disputed and update")
    common.add_argument("--related", action="store_true", help="also show 'related' findings")
    common.add_argument("--min-probability", type=_probability, default=None, metavar="P",
                        help="show (and --fail-on) conflicts and agreements whose calibrated probability is at least P "
                             "(0 shows every one; default: the threshold fitted with the calibration, printed with "
                             "the table)")
    common.add_argument("--no-nli", action="store_true", help="rules and similarity only (no cross-encoder)")
    common.add_argument("--no-cache", action="store_true",
                        help="do not read or write the on-disk cache of embeddings and NLI probabilities")
    common.add_argument("--cache-dir", metavar="DIR", default=None,
                        help="keep the cache here (default: $CROSSCHECK_CACHE_DIR, else the user cache directory)")
    common.add_argument("--quiet", "-q", action="store_true",
                        help="no progress bar (shown on standard error by default when it is a terminal)")
    meta = common.add_argument_group("metadata of text inputs (.txt, .md, .html, standard input, --text)")
    meta.add_argument("--source", action="append", default=[], metavar="NAME",
                      help="the outlet: once for every text input, or once per text input in order")
    meta.add_argument("--published", action="append", default=[], metavar="TIME",
                      help="publication time, ISO 8601 with an offset (2024-12-08T14:00:00+03:00): once for every "
                           "text input, or once per text input in order")
    meta.add_argument("--manifest", metavar="CSV",
                      help="a CSV of metadata by file: path (relative to the CSV), source, published, url, title, id")
    meta.add_argument("--stdin-format", choices=STDIN_FORMATS, default="auto",
                      help="how '-' (standard input) is read; auto: JSON or JSON Lines when it starts with { or [, "
                           "HTML when it starts with a tag, else text")
    cmp_ = sub.add_parser("compare", parents=[common], help="compare two reports (files, or texts with --text)")
    cmp_.add_argument("a", help="the first report's file (with --text: its text, report id 'a')")
    cmp_.add_argument("b", help="the second report's file (with --text: its text, report id 'b')")
    cmp_.add_argument("--text", action="store_true",
                      help="A and B are the texts themselves, not paths: crosscheck compare --text \"A text\" \"B text\"")
    chk = sub.add_parser("check", parents=[common],
                         help="check reports from files (.txt, .md, .html, .json, .jsonl, .csv), folders and -")
    chk.add_argument("files", nargs="+", help="files, folders (read recursively) and - for standard input")
    ev = sub.add_parser("eval", help="evaluate on a public benchmark")
    ev.add_argument("dataset", choices=("fnc1", "arc", "snli", "sick", "stsb", "mnli", "news", "polnear", "basil", "ecb"))
    ev.add_argument("--data", required=True, help="folder of the data set (e.g. ../shared/data/fnc-1, benchmarks/news)")
    ev.add_argument("--split", default=None)
    ev.add_argument("--limit", type=int, default=None, help="deterministic sample of N items (basil: N events)")
    ev.add_argument("--json", dest="json_out", help="write the metrics as JSON here")
    ev.add_argument("--no-progress", action="store_true")
    news = ev.add_argument_group("news (the real-news development benchmark)")
    news.add_argument("--events", help="comma-separated event names (default: all)")
    news.add_argument("--labels", help="audit labels file (default: DATA/audit_labels.csv)")
    news.add_argument("--audit", type=int, metavar="N", help="write a labelling table of N findings per relation")
    news.add_argument("--seed", type=int, default=0, help="seed of the audit draw")
    news.add_argument("--audit-out", help="where --audit writes its table (it holds text: keep it out of git)")
    news.add_argument("--audit-in", help="a filled audit table to merge into the labels file (offsets, hashes, labels)")
    return parser


def _run(args: argparse.Namespace) -> int:
    try:
        if args.command == "eval" and args.dataset == "news":
            return _eval_news(args)
        if args.command == "eval":
            from crosscheck.eval.runner import format_metrics, run_eval

            metrics = run_eval(args.dataset, args.data, split=args.split, limit=args.limit,
                               progress=not args.no_progress)
            print(format_metrics(metrics))
            if args.json_out:
                Path(args.json_out).write_text(json.dumps(metrics, indent=2) + "\n")
            return 0
        output = check_output(args.output) if args.output else None
        inputs = command_reports(args)
        # the pipeline's modules only now, once the options and inputs are read: --help and a usage or input error
        # load none of them (spaCy and the models load later still, on first use)
        from crosscheck.judge import RuleJudge
        from crosscheck.pipeline import Checker
        from crosscheck.testing.formats import github_annotations, junit

        if inputs.skipped:
            print(f"crosscheck: note: {len(inputs.skipped)} file(s) of other types in the folders not read "
                  f"(e.g. {inputs.skipped[0]}); report files end in {', '.join(SUFFIXES)}", file=sys.stderr)
        judge = RuleJudge(nli=None) if args.no_nli else None
        cache = False if args.no_cache else (args.cache_dir or True)
        checker = Checker(judge=judge, min_probability="fitted" if args.min_probability is None else args.min_probability,
                          cache=cache)
        result = checker.check(inputs.reports, progress=show_progress(args.quiet))
        fail_on = fail_on_relations(args.fail_on)
        if args.format == "junit":
            text = junit(result, fail_on)
        elif args.format == "github":
            text = github_annotations(result, fail_on, origins=inputs.origins)
        else:
            text = _emit(result, args.format, args.related)
        if output is not None:
            write_output(output, text)
        else:
            sys.stdout.write(text + ("" if text.endswith("\n") else "\n"))
        df = result.findings
        hits = int((df.relation.isin(fail_on) & df.shown).sum()) if fail_on else 0
        if hits:
            print(f"crosscheck: {hits} finding(s) matched --fail-on {','.join(args.fail_on)}", file=sys.stderr)
            return 1
        return 0
    except CrosscheckError as exc:
        print(f"crosscheck: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - exit 2 with one line, never a traceback, whatever went wrong
        print(f"crosscheck: internal error ({type(exc).__name__}): {_one_line(exc)}; please report it",
              file=sys.stderr)
        return 2


def command_reports(args: argparse.Namespace) -> Inputs:
    """The reports of ``check`` (files, folders, ``-``) or ``compare`` (two of them, or with ``--text`` two texts:
    reports ``a`` and ``b``, checked like any report, E307 for a lone surrogate and so on), with the metadata
    options applied to the text inputs."""
    if args.command == "compare" and args.text:
        if args.manifest:
            raise InputError(Errors.E449.format(option="--manifest", suffixes="files"))
        return Inputs(text_reports([args.a, args.b], ["a", "b"], source=args.source, published=args.published))
    paths = args.files if args.command == "check" else [args.a, args.b]
    return load_inputs(paths, source=args.source, published=args.published, manifest=args.manifest,
                       stdin_format=args.stdin_format)


def show_progress(quiet: bool) -> bool:
    """Whether ``check`` and ``compare`` draw their progress bar: when standard error is a terminal, unless
    ``--quiet``."""
    if quiet:
        return False
    isatty = getattr(sys.stderr, "isatty", None)
    return bool(isatty is not None and isatty())


def _probability(text: str) -> float:
    """``--min-probability``: a number in [0, 1]."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a number in [0, 1], got {text!r}")
    return value


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


if __name__ == "__main__":
    raise SystemExit(main())
