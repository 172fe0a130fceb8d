"""Reports for CI systems: JUnit XML (one test case per topic) and GitHub Actions annotations.

Both name, for each finding, the two outlets, quote the two claim spans with their offsets, and give the reason:
what :func:`describe` writes, which the pytest plugin's failure messages use too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from crosscheck.data import Claim, Finding

#: Characters XML 1.0 cannot hold at all, not even escaped (C0 controls but tab, newline and carriage return;
#: surrogates; U+FFFE and U+FFFF).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: Line breaks and runs of spaces in a quoted span become one space (other characters are kept as they are).
_BREAKS = re.compile(r"[ \t\r\n]+")
#: The relations that are conflicts (what ``--format github`` warns of when ``--fail-on`` does not name them).
CONFLICTS = ("contradict", "disputed", "update")


def xml_text(text: str) -> str:
    r"""``text`` made safe for XML 1.0: each character XML cannot hold becomes its visible escape (``\x0b``).

    >>> xml_text("a\x0bb")
    'a\\x0bb'
    """
    return _XML_ILLEGAL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def span(claim: Claim) -> str:
    """A claim as a reader finds it: the outlet, the report and offsets, the quoted span.

    >>> from crosscheck.data import Claim
    >>> c = Claim("w:0", "w", 0, 17, "300 people died.", "", "Wire", False, "asserted", False, source="Wire")
    >>> span(c)
    'Wire (w [0:17]): "300 people died."'
    """
    outlet = claim.source or claim.report_id
    return f'{outlet} ({claim.report_id} [{claim.start}:{claim.end}]): "{_BREAKS.sub(" ", claim.text)}"'


def headline(finding: Finding) -> str:
    """The relation, its kind and probability: ``contradict (number, p=0.81)``."""
    extra = [finding.kind] if finding.kind and finding.kind != "none" else []
    if finding.probability is not None:
        extra.append(f"p={finding.probability:.2f}")
    return finding.relation + (f" ({', '.join(extra)})" if extra else "")


def describe(finding: Finding, claims: Mapping[str, Claim], *, indent: str = "  ") -> str:
    """A finding on three lines: its :func:`headline` and reason, then each claim's :func:`span`."""
    return (f"{headline(finding)}: {finding.reason}\n{indent}{span(claims[finding.claim_a])}\n"
            f"{indent}{span(claims[finding.claim_b])}")


def one_line(finding: Finding, claims: Mapping[str, Claim]) -> str:
    """A finding on one line: both spans, then the reason."""
    a, b = claims[finding.claim_a], claims[finding.claim_b]
    return f"{headline(finding)}: {span(a)} vs {span(b)}: {finding.reason}"


def _by_topic(result: Any) -> tuple[dict[str, list[Finding]], list[Finding]]:
    """The findings the result shows, by the topic of their claims; those of no topic apart."""
    topic_of = {cid: t.id for t in result.topic_list for cid in t.claim_ids}
    grouped: dict[str, list[Finding]] = {}
    loose: list[Finding] = []
    for f in result.shown_findings():
        tid = topic_of.get(f.claim_a)
        if tid is None or topic_of.get(f.claim_b) != tid:
            loose.append(f)
        else:
            grouped.setdefault(tid, []).append(f)
    return grouped, loose


def _case(classname: str, name: str, shown: list[Finding], fail_on: Iterable[str],
          claims: Mapping[str, Claim]) -> tuple[str, bool]:
    """One ``<testcase>``: a failure listing the findings whose relation is in ``fail_on``, the others shown in
    ``<system-out>``."""
    fail_on = set(fail_on)
    failing = [f for f in shown if f.relation in fail_on]
    body = ""
    if failing:
        first = one_line(failing[0], claims)
        message = first if len(failing) == 1 else f"{len(failing)} findings; the first: {first}"
        text = "\n\n".join(describe(f, claims) for f in failing)
        body += f"<failure message={quoteattr(xml_text(message))} type={quoteattr(failing[0].relation)}>"
        body += f"{escape(xml_text(text))}</failure>"
    others = [f for f in shown if f.relation not in fail_on]
    if others:
        body += f"<system-out>{escape(xml_text(chr(10).join(describe(f, claims) for f in others)))}</system-out>"
    return (f"  <testcase classname={quoteattr(xml_text(classname))} name={quoteattr(xml_text(name))}>{body}"
            "</testcase>"), bool(failing)


def junit(result: Any, fail_on: Iterable[str]) -> str:
    """JUnit XML: one test case per topic (the claims the reports make about one question), failing when a finding
    the output shows between its claims has a relation in ``fail_on``; the failure names both outlets, quotes both
    spans with their offsets and gives the reason, and the topic's other shown findings go to ``<system-out>``.
    Shown findings between claims of no common topic make one more test case.

    Every string from the reports passes through :func:`xml_text` and is escaped, so the document is well-formed
    whatever the reports hold.
    """
    fail_on = list(fail_on)
    claims = {c.id: c for c in result.claim_list}
    grouped, loose = _by_topic(result)
    cases, failures = [], 0
    for t in result.topic_list:
        label = " ".join(t.label.split())
        label = label if len(label) <= 100 else label[:99] + "\u2026"
        case, failed = _case("crosscheck.topic", f"{t.id}: {label}", grouped.get(t.id, []), fail_on, claims)
        cases.append(case)
        failures += failed
    if loose:
        case, failed = _case("crosscheck.findings", "findings outside the topics", loose, fail_on, claims)
        cases.append(case)
        failures += failed
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="crosscheck" tests="{len(cases)}" '
            f'failures="{failures}">\n' + "\n".join(cases) + ("\n" if cases else "") + "</testsuite>\n")


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotations(result: Any, fail_on: Iterable[str], *, origins: Mapping[str, Any] | None = None) -> str:
    """GitHub Actions workflow commands, one line per shown conflict: ``::error`` for a relation in ``fail_on``,
    ``::warning`` for another conflict (contradict, disputed, update), then a ``::notice`` with the counts.

    The message names both outlets, quotes both spans and gives the reason. With ``origins`` (report id ->
    :class:`~crosscheck.inputs.Origin`, as the command line reads its inputs), an annotation points at the later
    claim's file and line, so GitHub shows it on the file in a pull request.

    >>> from crosscheck import Report, Result
    >>> github_annotations(Result([Report("a", "Hi.")], [], [], []), ["contradict"])
    '::notice title=crosscheck::0 finding(s) annotated, 0 matched --fail-on\\n'
    """
    fail_on = set(fail_on)
    claims = {c.id: c for c in result.claim_list}
    texts = {r.id: r.text for r in result.reports}
    lines, matched = [], 0
    for f in result.shown_findings():
        if f.relation not in fail_on and f.relation not in CONFLICTS:
            continue
        level = "error" if f.relation in fail_on else "warning"
        matched += level == "error"
        props = []
        later = claims[f.claim_b]
        origin = (origins or {}).get(later.report_id)
        if origin is not None and origin.path != "-":
            props.append(f"file={_gh_property(origin.path)}")
            line = origin.line_of(texts[later.report_id], later.start)
            if line is not None:
                props.append(f"line={line}")
        props.append(f"title={_gh_property(f'crosscheck {headline(f)}')}")
        a, b = claims[f.claim_a], claims[f.claim_b]
        lines.append(f"::{level} {','.join(props)}::{_gh_data(f'{span(a)} vs {span(b)}: {f.reason}')}")
    lines.append(f"::notice title=crosscheck::{len(lines)} finding(s) annotated, {matched} matched --fail-on")
    return "\n".join(lines) + "\n"
