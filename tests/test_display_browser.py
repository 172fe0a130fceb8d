"""The rendered views in a real browser: headless Chromium loads each page (file://), a probe script reads the DOM it
built, and a screenshot of the two-report view is taken (the one README shows).

Chromium is Debian's ``chromium`` package (``.ci/run`` installs it); another binary can be named with
``CROSSCHECK_CHROMIUM``. Where none is found the tests skip, saying so (they fail instead with
``CROSSCHECK_REQUIRE_CHROMIUM=1``, as in ``.ci/run``). ``CROSSCHECK_UPDATE_SCREENSHOTS=1`` also
writes the screenshot to ``docs/img/compare-two-articles.png``.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from crosscheck import display
from crosscheck.display.css import RELATION_COLOURS

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOT = ROOT / "docs" / "img" / "compare-two-articles.png"
WINDOW = (1000, 760)
#: Run in the page after it has loaded: what the browser made of it, as JSON in <pre id="cc-probe">.
PROBE = """<script>
window.addEventListener("load", function () {
  var out = {marks: [], rows: [], reports: [], target: null};
  document.querySelectorAll("mark.cc-claim").forEach(function (m) {
    var r = m.getBoundingClientRect();
    out.marks.push({claim: m.dataset.claim, text: m.textContent, relation: m.dataset.relation,
                    background: getComputedStyle(m).backgroundColor, visible: r.width > 0 && r.height > 0});
  });
  document.querySelectorAll("tr.cc-finding").forEach(function (tr) {
    var links = [];
    tr.querySelectorAll("a.cc-link").forEach(function (a) {
      var t = document.getElementById(a.getAttribute("href").slice(1));
      links.push({claim: a.dataset.claim, target: t ? t.dataset.claim : null, tag: t ? t.tagName : null});
    });
    out.rows.push({finding: tr.dataset.finding, relation: tr.dataset.relation, links: links});
  });
  document.querySelectorAll("article.cc-report").forEach(function (a) {
    var r = a.getBoundingClientRect();
    out.reports.push({id: a.dataset.report, left: r.left, top: r.top, width: r.width});
  });
  var t = document.querySelector(":target");
  if (t) { out.target = {claim: t.dataset.claim, outline: getComputedStyle(t).outlineStyle}; }
  var pre = document.createElement("pre");
  pre.id = "cc-probe";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>"""


def chromium() -> str:
    """The Chromium binary, or skip."""
    for name in (os.environ.get("CROSSCHECK_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    reason = "headless Chromium not found (Debian: apt-get install chromium, as .ci/run does; or set CROSSCHECK_CHROMIUM)"
    if os.environ.get("CROSSCHECK_REQUIRE_CHROMIUM") == "1":  # .ci/run installs it: there the tests must run
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> str:
    """The Chromium binary (first in each test's arguments: skip before the models load)."""
    return chromium()


def run_chromium(tmp_path: Path, *args: str) -> str:
    cmd = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
           "--hide-scrollbars", "--mute-audio", f"--user-data-dir={tmp_path / 'profile'}", *args]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def probe(tmp_path: Path, page: str, fragment: str = "") -> dict:
    """Load ``page`` with the probe script in Chromium and return what the probe saw."""
    path = tmp_path / "page.html"
    path.write_text(page.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dom = run_chromium(tmp_path, "--dump-dom", path.as_uri() + fragment)
    m = re.search(r'<pre id="cc-probe">(.*?)</pre>', dom, re.S)
    assert m, dom[-2000:]
    return json.loads(html.unescape(m.group(1)))


def rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def check_dom(seen: dict, data: dict, shown_findings: set[str]) -> None:
    """Every claim a visible mark holding exactly its text, coloured by its relation; every shown finding a row
    linking the spans of its two claims."""
    claims = {c["id"]: c for c in data["claims"]}
    assert sorted(m["claim"] for m in seen["marks"]) == sorted(claims)
    for m in seen["marks"]:
        assert m["text"] == claims[m["claim"]]["text"], m
        assert m["visible"], m
        assert m["background"] == rgb(RELATION_COLOURS[m["relation"]][0]), m
    assert {r["finding"] for r in seen["rows"]} == shown_findings
    by_id = {f["id"]: f for f in data["findings"]}
    for row in seen["rows"]:
        f = by_id[row["finding"]]
        assert [(link["claim"], link["target"], link["tag"]) for link in row["links"]] == [
            (f["claim_a"], f["claim_a"], "MARK"), (f["claim_b"], f["claim_b"], "MARK")]


def test_all_reports_page_in_chromium(browser, tmp_path, assad_result):
    data = assad_result.to_dict()
    page = assad_result.to_html(tmp_path / "out.html", include_related=True)
    seen = probe(tmp_path, page)
    check_dom(seen, data, {f.id for f in assad_result.shown_findings(include_related=True)})
    assert {m["relation"] for m in seen["marks"]} >= {"update", "agree", "related"}
    assert len(seen["reports"]) == len(data["reports"])


def test_two_reports_side_by_side_in_chromium_with_a_screenshot(browser, tmp_path, checker, assad_reports):
    pair = [r for r in assad_reports if r.id in ("mfa-dec08", "kremlin-dec08")]
    result = checker.check(pair)
    data = result.to_dict()
    shown = result.shown_findings()
    assert [f.relation for f in shown] == ["update"]  # the ministry's "did not say where" vs "in Moscow"
    page = display.render(data, page=True)
    first = re.search(r'<mark class="cc-claim[^"]*" id="([^"]+)" data-claim="' + re.escape(shown[0].claim_b), page)
    seen = probe(tmp_path, page, "#" + first.group(1))
    check_dom(seen, data, {f.id for f in shown})
    left, right = sorted(seen["reports"], key=lambda r: r["left"])
    assert left["top"] == right["top"] and left["left"] + left["width"] <= right["left"]  # side by side
    assert [left["id"], right["id"]] == ["mfa-dec08", "kremlin-dec08"]  # in publication order
    assert seen["target"] == {"claim": shown[0].claim_b, "outline": "solid"}  # a finding's link lands on its span

    shot = tmp_path / "shot.png"
    page_path = tmp_path / "view.html"
    page_path.write_text(result.to_html(page=True), encoding="utf-8")
    run_chromium(tmp_path, f"--window-size={WINDOW[0]},{WINDOW[1]}", f"--screenshot={shot}", page_path.as_uri())
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    assert struct.unpack(">II", png[16:24]) == WINDOW
    assert len(png) > 20_000  # text and colours, not a blank page
    if os.environ.get("CROSSCHECK_UPDATE_SCREENSHOTS") == "1":
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, SCREENSHOT)


@pytest.mark.parametrize("positions", [False, True])
def test_hand_built_views_with_and_without_positions_in_chromium(browser, tmp_path, positions):
    from tests.test_display import hand_built

    data = hand_built(positions=positions)
    seen = probe(tmp_path, display.render(data, page=True, min_probability=0, include_related=True))
    check_dom(seen, data, {f["id"] for f in data["findings"]})
    dom = run_chromium(tmp_path, "--dump-dom", (tmp_path / "page.html").as_uri())
    assert ("cc-positions" in dom) == positions and ("<th>consensus</th>" in dom) == positions
    assert "<script>alert(1)</script>" not in dom and "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
