"""The exception hierarchy of crosscheck and its one registry of coded messages.

Every error is a :class:`CrosscheckError`. Every message comes from :class:`Errors`, which holds one template per
stable code; reading an attribute gives the template with its code in front, ready for ``str.format``:

>>> Errors.E005
'[E005] text is empty or whitespace only'
>>> Errors.E022.format(n=1)
'[E022] need at least two reports to cross-check, got 1'

Codes never change meaning; a new meaning gets a new code (E300-E349 are the codes added with the registry).
``python scripts/gen_errors_doc.py`` (or ``python -m crosscheck.errors``) writes the reference, ``docs/errors.md``,
from this registry and its raise sites.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any


class CrosscheckError(Exception):
    """Root of every error raised by crosscheck."""


class ReportError(CrosscheckError, ValueError):
    """A report is unusable: empty or non-string text, bad date, bad id, unreadable file."""

    def __init__(self, message: str, *, report_id: str | None = None) -> None:
        self.report_id = report_id
        prefix = f"report {report_id!r}: " if report_id is not None else ""
        super().__init__(prefix + message)


class InputError(CrosscheckError, ValueError):
    """The set of reports or an option is invalid (too few reports, duplicate ids, bad parameter)."""


class ModelNotFoundError(CrosscheckError, ImportError):
    """A model package or a local model directory is missing."""


class OptionError(InputError, TypeError):
    """A call or a command line names an option that does not exist, or passes arguments the wrong way.

    A :class:`TypeError` too, so code that caught Python's own error for an unexpected keyword still catches it.
    """


class DatasetError(CrosscheckError, FileNotFoundError):
    """An evaluation data set is missing or malformed."""


class TrainingError(CrosscheckError, RuntimeError):
    """A training run found its own output inconsistent (a bug or a corrupted cache, not bad input)."""


_CODE = re.compile(r"^E\d{3}$")


class _WithCodes(type):
    """Metaclass of :class:`Errors`: an ``E###`` attribute reads as ``"[E###] template"``."""

    def __getattribute__(cls, name: str) -> Any:
        value = super().__getattribute__(name)
        if _CODE.match(name):
            return f"[{name}] {value}"
        return value


class Errors(metaclass=_WithCodes):
    """Message templates by code. Fill the fields with ``.format``; the code comes first in every message."""

    # ---- E001-E012: one report ----------------------------------------------------------------------------------
    E001 = "report id must be a non-empty string, got {value!r}"
    E002 = "text must be str, got {type}"
    E003 = "unparseable publication time {text!r}; use ISO 8601 with an offset, e.g. '2024-12-08T14:00:00+03:00'"
    E004 = "publication time {value} is naive; give a timezone (e.g. datetime(..., tzinfo=timezone.utc) or '+00:00')"
    E005 = "text is empty or whitespace only"
    E006 = "text has {n:,} characters, more than the limit of {limit:,}; split it into several reports"
    E007 = "{what} contains NUL characters; is this a binary file?"
    E008 = "expected a mapping, got {type}"
    E010 = "{path}:{line}: invalid JSON ({msg})"
    E011 = "file not found: {path}"
    E012 = "{path} is not valid UTF-8 (byte {pos}); re-encode it as UTF-8"
    # ---- E020-E022: a collection of reports ---------------------------------------------------------------------
    E020 = "expected a collection of reports, got a single item"
    E021 = "duplicate report id {id!r}; report ids must be unique"
    E022 = "need at least two reports to cross-check, got {n}"
    # ---- E030-E038: stage parameters ----------------------------------------------------------------------------
    E030 = "{name} must be {expected}, got {value!r}"
    E031 = "{n_claims} claims but {n_vectors} embeddings"
    E032 = "NLI labels must be a permutation of {labels}, got {names}"
    E033 = "nli must be 'default', None or a model object, got {value!r}"
    E034 = "negation must be 'parse' or 'sentence', got {value!r}"
    E035 = "threshold must be a number in [-1, 1], got {value!r}"
    E036 = "pred and gold must label the same items"
    E037 = "attribution must be 'parse' or 'rules', got {value!r}"
    E038 = "content must be 'rules' or 'frame', got {value!r}"
    # ---- E040-E041: result JSON ---------------------------------------------------------------------------------
    E040 = "not a crosscheck result: invalid JSON ({msg})"
    E041 = "not a crosscheck result of schema {schema}"
    # ---- E050-E054: profiles and stages -------------------------------------------------------------------------
    E050 = "profile not found: {profile}"
    E051 = "stage {name!r} must be callable, got {type}"
    E052 = "{stage}: claim {id!r} has offsets that do not match its text"
    E053 = "the bundled default profile has no {section}.{name}"
    E054 = "profile section {name!r} {problem}"
    # ---- E060-E066: stance and evaluation options ---------------------------------------------------------------
    E060 = "expected a Report or str, got {type}"
    E061 = "claim must be a non-empty string, got {value!r}"
    E062 = "expected {n} stance features per row, got {got}"
    E063 = "head must be 'default', None or a StanceHead, got {value!r}"
    E064 = "the stance head was trained with detector settings {trained}, not {mine}"
    E065 = "--audit-in: no such file {path}"
    E066 = "--audit needs --audit-out PATH (the table holds report text: keep it out of git)"
    # ---- E070-E078: a stage's output breaks its protocol --------------------------------------------------------
    E070 = "{stage} returned {got}, expected {expected}"
    E071 = "{stage} returned sentence {start}:{end} of report {report!r}: {problem}"
    E072 = "{stage} returned claim {id!r} for report {report!r}: {problem}"
    E073 = "{stage} returned {problem}"
    E074 = "{stage} returned candidate ({a}, {b}): {problem}"
    E075 = "{stage} returned finding {id!r}: {problem}"
    E076 = "{stage} returned topic {id!r}: {problem}"
    E077 = "kind must be one of {kinds}, got {kind!r}"
    E078 = "dim must be a positive int, got {value!r}"
    # ---- E081-E083: relation model ------------------------------------------------------------------------------
    E081 = "relation model not found at {path}"
    E082 = "relation model at {path} was trained on other features; retrain it (python -m crosscheck.training.relation)"
    E083 = "{name} must be in [0, 1], got {value!r}"
    # ---- E084-E088: finding calibration --------------------------------------------------------------------------
    E084 = ("no calibration file at {path}: train one with `python -m crosscheck.training.calibration` or pass "
            "calibration=None")
    E085 = "{path} is not a crosscheck calibration file: {problem}"
    E086 = "no labelled findings in {data}: are the benchmark texts rebuilt (benchmarks/news/rebuild.py)?"
    E087 = "calibration must be 'default', None or a Calibrator, got {value!r}"
    E088 = "min_probability must be a number in [0, 1] or None, got {value!r}"
    E089 = "{stage} returned a finding {id!r} whose probability {value!r} is not None or a number in [0, 1]"
    # ---- E101-E106: models --------------------------------------------------------------------------------------
    E101 = "the embedding model is not installed; run: pip install {package}"
    E102 = "no model found at {path}"
    E103 = "no NLI model at {path} (config.json and model.safetensors needed)"
    E104 = "no stance head at {path}"
    E105 = "the stance head at {path} was trained on other features; retrain it"
    E106 = "the spaCy model is not installed; run: pip install {package}"
    # ---- E200-E219: data sets -----------------------------------------------------------------------------------
    E200 = "data folder not found: {path}"
    E201 = "{what} not found: {path}"
    E202 = "{dataset} split must be {allowed}, got {split!r}"
    E203 = "unknown dataset {dataset!r}"
    E204 = "the feature cache {cache} holds other rows or settings; pass a fresh --cache"
    E210 = "no news benchmark at {root} (expected an 'events' folder)"
    E211 = "{where}: malformed span {span!r}"
    E212 = "{path}:{line}: invalid JSON ({msg})"
    E213 = "saved text missing: {path} (rebuild it with one 'pages' search for {query!r}, picking {url})"
    E214 = "{path}: the {what} does not match the manifest hash"
    E215 = "{where}: span {start}:{end} of {report} does not match its hash"
    E216 = "{where}: relation {relation!r} is not one of {allowed}"
    E217 = "{where}: {field} {value!r} of {key} is not one of {allowed}"
    E218 = "ECB+ text not found: {path}"
    E219 = "{path}:{line}: expected doc, sentence, token id and token"
    # ---- E300-E349: added with the registry ---------------------------------------------------------------------
    E300 = "report has no 'text' field"
    E301 = "cannot make a report from {type}; give a str, a mapping or a Report"
    E302 = "publication time must be a datetime or ISO string, got {type}"
    E303 = "publication time {value!r} is a date without a time and timezone"
    E304 = "publication time {value} is outside the supported range {low} to {high}"
    E305 = "{path} is a directory, not a file"
    E306 = "{what} is larger than {limit:,} bytes, the most this loader reads at once; split it into smaller files"
    E307 = "{field} contains a lone surrogate (U+{code:04X}) at position {pos}; text must be valid Unicode (read files as UTF-8, not with errors='surrogateescape')"
    E308 = "{field} must be {expected}, got {type}"
    E309 = "metadata must be a mapping, got {type}"
    E310 = "metadata{path} holds a {type}, which JSON cannot store; use str, int, float, bool, None, lists and mappings"
    E311 = "metadata{path} has a key of type {type}; keys must be strings"
    E312 = "metadata{path} is {value!r}; JSON has no NaN or infinity"
    E313 = "expected an iterable of reports (str, mapping or Report), got {type}"
    E314 = "{func}() got unknown option(s) {names}; it takes {known}"
    E315 = "nli_top_k must be a positive int or None, got {value!r}"
    E317 = "profile {path} is not valid JSON ({msg}, line {line})"
    E318 = "profile must be a JSON object, got {type}"
    E319 = "profile must be a bundled profile name, a JSON file path or a dict, got {type}"
    E320 = "not a crosscheck result: {where}: {problem}"
    E321 = "not a crosscheck result: claim {id!r}: report {report!r} text[{start}:{end}] is not the claim's {field}"
    E322 = "not a crosscheck result: {where} refers to unknown {what} {id!r}"
    E323 = "not a crosscheck result: {what} id {id!r} appears twice"
    E324 = "a stance pair must be a (claim, report) tuple, got {value!r}"
    E325 = "--output {path}: {problem}"
    E326 = "{where}: unknown report {report!r}"
    E327 = "{where}: both spans are in report {report}"
    E328 = "{path}: unexpected document name {doc!r}"
    E329 = "unknown set(s) {unknown}; available: {available}"
    E330 = "licence must be 'redistributable' or 'all', got {value!r}"
    E331 = "source_caps names sources that are not in the data: {unknown}"
    E332 = "expected SOURCE=N, got {text!r}"
    E333 = "the stance features have shape {shape}, expected ({rows}, {width}); the feature cache is inconsistent"
    E334 = "{stage} returned a finding {id!r} with a non-finite {field} {value!r}"
    E335 = "cannot read {path}: {problem}"
    E336 = "cannot write strict JSON: {problem}; a stage left a NaN or infinite number in a claim or finding"
    # display (E420-E439): crosscheck.display, rendering Result.to_dict()
    E420 = "display needs a result dict (Result.to_dict()) or a Result, got {type}"
    E421 = "the result dict has no usable {key!r}: {problem}"
    E422 = "claim {id!r}: text not found at {start}:{end} of report {report!r} (report.text[start:end] != claim.text)"
    E423 = "unknown display style(s) {unknown}; expected one of {allowed}"
    E424 = "reports: unknown report id(s) {unknown}; the result has {available}"
    E425 = "cannot write the HTML page to {path}: {problem}"
    # ---- E440-E459 (inputs): readers of files, folders and standard input; options; the pytest plugin ----------
    E440 = "{func}(): {problem}"
    E441 = "{problem} (see crosscheck {command}--help)"
    E442 = "{path}: no {field} column (one of {names}); its columns are {columns}"
    E443 = "{path}:{line}: {problem}"
    E444 = "{path}: no article text found in the HTML"
    E445 = "html must be str or bytes, got {type}"
    E446 = "{path}: the folder holds no report files ({suffixes}; hidden files and folders are skipped)"
    E447 = "standard input ('-') can be read only once"
    E448 = "{option} given {n} times for {m} text input(s); give it once (for every text input) or once per text input"
    E449 = "{option} applies to text inputs ({suffixes}, standard input) and none was given"
    E450 = "manifest {path}:{line}: {problem}"
    E451 = "standard input as {fmt}: {problem}"
    E452 = "golden file {path}: {problem}"
    E453 = "{name} names unknown relation(s) {names}; use {allowed}"
    E454 = "{path}: unknown input format {fmt!r}; use one of {formats}"
    # ---- origins (E400-E419): wire copies, origins, positions and consensus ----
    E400 = "origin finder parameter {name} must be {expected}, got {value!r}"
    E401 = "{stage} returned {problem}"
    E402 = "unknown topic {topic!r}; the topics are {known}"

    # ---- E480-E499 (scale): the on-disk cache, check_many and check_iter ------------------------------------------
    E480 = "cache size_limit must be a positive number of bytes, got {value!r}"
    E481 = ("cannot open the cache at {path}: {problem}; set CROSSCHECK_CACHE_DIR to a writable directory, or "
            "turn the cache off (cache=False, --no-cache)")
    E482 = "cache must be True, False, a directory path or a crosscheck.cache.DiskCache, got {value!r}"
    E483 = "the NLI model returned probabilities of shape {shape} for {n} pairs, expected ({n}, 3)"
    E484 = "engine must be 'local' or 'dask', got {value!r}"
    E485 = "engine='dask' needs dask.distributed: pip install 'crosscheck[dask]' ({problem})"
    E486 = ("events must be a mapping of event -> reports, or reports with by= (a metadata key, a callable or an "
            "EventClusterer), got {type}")
    E487 = "report {id!r} has no event: its metadata lacks the key {key!r} given as by="
    E488 = "batch_size must be an integer of at least 2, got {value!r}"
    E489 = "client must be a distributed.Client or a scheduler address string, got {type}"
    E490 = "min_reports must be an integer of at least 2, got {value!r}"
    E491 = "by= is only used with a sequence of reports; events given as a mapping are already grouped"
    E492 = "pass either checker= or Checker options, not both (got checker= and {names})"
    E493 = "report {id!r}: its event label must be hashable (a string or a number), got {type}"
    E494 = "unknown table {value!r}; choose findings, claims, topics, sources or stances"
    E495 = "checker must be a crosscheck.Checker, got {type}"

    # ---- onnx: ONNX export and torch-free inference (E460-E479) ----
    E460 = "{path} has no model.safetensors to export"
    E461 = ("{path} is not an exported ONNX model directory ({missing} missing); run "
            "`python scripts/export_onnx.py` to export it")
    E462 = "unknown ONNX variant {value!r}; {path} has {available}"
    E463 = ("the default models run on onnxruntime and tokenizers, which are not installed ({missing}): "
            "pip install onnxruntime tokenizers")
    E464 = ("this model runs on torch, which is not installed ({missing}): "
            "pip install torch==2.13.0 'crosscheck[torch]'")
    E465 = "{path}: the exported model was made from weights {exported}, but the weights there now are {current}; re-run scripts/export_onnx.py"


def codes() -> dict[str, str]:
    """Every code with its template (without the bracketed code), in code order."""
    return {name: value for name, value in sorted(vars(Errors).items()) if _CODE.match(name)}


#: A raise site: the error class and the code of its message (``raise InputError(Errors.E030.format(...))``).
RAISE_SITE = re.compile(r"raise\s+([\w.]+)\(\s*Errors\.(E\d{3})\b")


def raise_sites(root: Path | None = None) -> dict[str, list[tuple[str, str]]]:
    """Where each code is raised: ``{code: [(error class, "module path:line"), ...]}``, by scanning the source."""
    root = root or Path(__file__).resolve().parent
    out: dict[str, list[tuple[str, str]]] = {}
    for path in sorted(root.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for m in RAISE_SITE.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            rel = path.relative_to(root.parent).as_posix()
            out.setdefault(m.group(2), []).append((m.group(1), f"{rel}:{line}"))
    return out


def render_doc() -> str:
    """The Markdown reference of every code (what ``docs/errors.md`` holds)."""
    sites = raise_sites()
    lines = [
        "# Error codes",
        "",
        "Generated by `python scripts/gen_errors_doc.py` from `crosscheck/errors.py`; do not edit by hand.",
        "",
        "Every error is a `crosscheck.CrosscheckError`; its message starts with one of these codes. Fields in",
        "braces are filled in when the error is raised. `ReportError` messages are prefixed with",
        "`report '<id>': ` when the report is known.",
        "",
        "| code | raised as | message |",
        "|---|---|---|",
    ]
    for code, template in codes().items():
        classes = ", ".join(sorted({cls for cls, _ in sites.get(code, [])})) or "-"
        text = template.replace("|", "\\|")
        lines.append(f"| {code} | {classes} | {text} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """``python -m crosscheck.errors [PATH]``: write the reference (default ``docs/errors.md``; ``-`` prints it)."""
    argv = sys.argv[1:] if argv is None else argv
    target = argv[0] if argv else str(Path(__file__).resolve().parents[1] / "docs" / "errors.md")
    text = render_doc()
    if target == "-":
        sys.stdout.write(text)
    else:
        Path(target).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
