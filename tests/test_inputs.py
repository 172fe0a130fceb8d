"""Real inputs: HTML pages (trafilatura), CSV files, folders, standard input, metadata for text inputs, typed
errors for unknown options (issue 15, inputs and command line)."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

import crosscheck
from crosscheck import Checker, InputError, OptionError, Report, ReportError, pipeline
from crosscheck.cli import main
from crosscheck.inputs import CSV_COLUMNS, read_csv, read_inputs, read_manifest, read_stdin, sniff
from crosscheck.judge import RuleJudge
from crosscheck.testing import HashEmbedder

from .conftest import ROOT

SCRIPT_TEXT = "The flood killed nobody at all."
PAGE = f"""<!DOCTYPE html><html><head><title>Flood kills 300 | River Wire</title>
<meta charset="utf-8"><meta property="og:site_name" content="River Wire">
<meta property="og:title" content="Flood kills 300">
<meta property="article:published_time" content="2025-05-06T09:30:00+02:00">
<link rel="canonical" href="https://example.org/river/flood">
<script>var claim = "{SCRIPT_TEXT}";</script><style>p {{ color: red }} .x:after {{ content: "Styles say 9 died." }}</style>
</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Flood kills 300</h1><p>At least 300 people died in the flood on Monday, officials said.</p>
<p>Rescue teams searched the river banks for survivors through the night.</p>
<script>document.write("Injected text is no claim.")</script></article>
<footer>Copyright 2025 River Wire. All rights reserved.</footer></body></html>"""


def fast(**kw) -> Checker:
    return Checker(embedder=HashEmbedder(), judge=RuleJudge(nli=None), **kw)


def use_fast_checker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "Checker", lambda **kw: fast(min_probability=kw.get("min_probability")))


def one_line_error(capsys, code: str) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("crosscheck: error: ") and f"[{code}]" in err, err
    return err


# ---- HTML ---------------------------------------------------------------------------------------------------------
def test_from_html_keeps_the_article_and_the_page_metadata():
    r = Report.from_html(PAGE, id="river")
    assert r.text.startswith("Flood kills 300\n")
    assert "At least 300 people died in the flood on Monday, officials said." in r.text
    assert "survivors through the night" in r.text
    for junk in (SCRIPT_TEXT, "Injected", "color", "Styles say", "Home", "Copyright", "<", "var claim"):
        assert junk not in r.text, junk
    assert r.source == "River Wire"
    assert r.published.isoformat() == "2025-05-06T09:30:00+02:00"
    assert r.url == "https://example.org/river/flood"
    assert r.metadata == {"title": "Flood kills 300", "sitename": "River Wire", "date": "2025-05-06"}


def test_from_html_given_fields_win_and_a_bare_date_is_metadata_only():
    page = PAGE.replace("2025-05-06T09:30:00+02:00", "2025-05-06")
    r = Report.from_html(page, id="river", source="Mine", url="https://example.org/x")
    assert (r.source, r.url, r.published) == ("Mine", "https://example.org/x", None)
    assert r.metadata["date"] == "2025-05-06"
    assert Report.from_html(PAGE, id="r", published="2025-05-07T00:00:00+00:00").published.day == 7


def test_from_html_prepends_the_title_when_the_body_lacks_it_and_reads_the_declared_charset():
    page = ("<html><head><meta charset='iso-8859-1'><title>Caf\xe9 flooded</title></head><body><article>"
            "<p>The harbour caf\xe9 was flooded on Tuesday, the owner said.</p></article></body></html>")
    r = Report.from_html(page.encode("iso-8859-1"), id="cafe")
    assert r.text == "Caf\u00e9 flooded\n\nThe harbour caf\u00e9 was flooded on Tuesday, the owner said."


@pytest.mark.parametrize(("html", "code"), [("<html><head><script>var a = 1;</script></head><body> </body></html>", "E444"), ("", "E444"),
                                            (b"  ", "E444"), (42, "E445"), ("<p>\udc00</p>", "E307")])
def test_from_html_refuses_pages_without_text_with_typed_errors(html, code):
    with pytest.raises(ReportError, match=code):
        Report.from_html(html, id="x")


# ---- CSV ----------------------------------------------------------------------------------------------------------
def test_csv_maps_columns_by_name(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text('\ufeff ID ,Outlet,Date,URL,Title,Body,desk\n'
                    'w1,Wire,2025-05-06T09:00:00+00:00,https://example.org/w,Flood,"At least 300 died.\n'
                    'Rescuers searched.",metro\n\n'
                    ',Daily,,,,"Officials said 40 died.",\n', encoding="utf-8")
    (a, line_a), (b, line_b) = read_csv(path)
    assert (a.id, a.source, a.published.hour, a.url) == ("w1", "Wire", 9, "https://example.org/w")
    assert a.text == "At least 300 died.\nRescuers searched." and a.metadata == {"desk": "metro", "title": "Flood"}
    assert (b.id, b.source, b.published, b.url, b.metadata) == ("rows-2", "Daily", None, None, {"desk": ""})
    assert (line_a, line_b) == (2, 5)
    assert set(CSV_COLUMNS) == {"text", "source", "published", "url", "title", "id"}


@pytest.mark.parametrize(("text", "code", "words"), [
    ("headline,source\nA flood.,Wire\n", "E442", ["text column", "'text', 'body'", "headline"]),
    ("", "E442", ["text column"]),
    ("text,body\na,b\n", "E443", ["both 'text' and 'body'"]),
    ("text,Text\na,b\n", "E443", ["appears twice"]),
    ("text,source\na,b,c\n", "E443", [":2:", "3 cells"]),
    ('text\n"unterminated\n', "E443", [":"]),
    ("text,published\nA flood.,2025-05-06\n", "E004", ["naive"]),
    ("text,source\n ,Wire\n", "E005", ["rows-1"]),
])
def test_csv_errors_are_typed_and_name_the_problem(tmp_path, text, code, words):
    path = tmp_path / "rows.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(crosscheck.CrosscheckError, match=code) as exc:
        read_csv(path)
    for w in words:
        assert w in str(exc.value)


# ---- folders, ids ---------------------------------------------------------------------------------------------------
def _tree(root, files: dict[str, str]):
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return root


def test_folders_are_read_recursively_with_ids_from_relative_paths(tmp_path):
    d = _tree(tmp_path / "d", {"wire/flood.txt": "300 died.", "daily/flood.txt": "40 died.", "page.html": PAGE,
                               "rows.csv": "text\nA row.\n", "sub/more.jsonl": '{"text": "A line."}\n',
                               "notes.png": "x", ".hidden/x.txt": "no", ".x.txt": "no", "README": "not read"})
    got = read_inputs([str(d)])
    assert [r.id for r in got.reports] == ["daily/flood", "page", "rows-1", "sub/more-1", "wire/flood"]
    assert sorted(got.skipped) == [str(d / "README"), str(d / "notes.png")]
    assert SCRIPT_TEXT not in got.reports[1].text and got.reports[1].source == "River Wire"
    assert got.origins["wire/flood"].path == str(d / "wire" / "flood.txt")
    assert got.origins["sub/more-1"].line == 1 and got.origins["rows-1"].line == 2


def test_files_of_one_name_do_not_clash(tmp_path):
    _tree(tmp_path, {"x/r.txt": "One.", "y/r.txt": "Two.", "z/r.md": "Three.", "solo.txt": "Four."})
    names = [str(tmp_path / p) for p in ("x/r.txt", "y/r.txt", "solo.txt")]
    ids = [r.id for r in read_inputs(names).reports]
    assert ids[2] == "solo" and ids[0].endswith("x/r") and ids[1].endswith("y/r") and ids[0] != ids[1]
    both = read_inputs([str(tmp_path / "x"), str(tmp_path / "y")])  # two folders with r.txt at the top
    assert [r.id for r in both.reports] == [f"{tmp_path.as_posix()}/x/r", f"{tmp_path.as_posix()}/y/r"]


@pytest.mark.parametrize("files", [{}, {"a.png": "x", ".b.txt": "hidden"}])
def test_a_folder_without_report_files_is_e446_and_exits_2(tmp_path, capsys, files):
    d = _tree(tmp_path / "empty", files)
    d.mkdir(exist_ok=True)
    with pytest.raises(InputError, match="E446"):
        read_inputs([str(d)])
    assert main(["check", str(d), str(d)]) == 2
    one_line_error(capsys, "E446")


# ---- standard input -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("data", "fmt", "ids"), [
    (b"A flood killed 300.", "auto", ["stdin"]),
    (b'{"id": "w", "text": "300 died."}\n{"text": "40 died."}\n', "auto", ["w", "stdin-2"]),
    (b'[{"text": "300 died."}, {"text": "40 died."}]', "auto", ["stdin-1", "stdin-2"]),
    (b'{\n  "text": "300 died."\n}\n', "auto", ["stdin-1"]),
    (PAGE.encode(), "auto", ["stdin"]),
    (b"text,source\n300 died.,Wire\n", "csv", ["stdin-1"]),
    (b"[Update] 300 died.", "txt", ["stdin"]),
])
def test_stdin_formats(data, fmt, ids):
    reports = read_stdin(io.BytesIO(data), fmt)
    assert [r.id for r in reports] == ids
    assert all(SCRIPT_TEXT not in r.text for r in reports)


def test_sniff_and_stdin_errors():
    assert sniff("\ufeff  <html><body>x</body></html>") == "html" and sniff("<3 floods") == "txt"
    with pytest.raises(InputError, match="E010"):
        read_stdin(io.BytesIO(b'{"text": "a"}\n{broken\n'))
    with pytest.raises(InputError, match="E447"):
        read_inputs(["-", "-"], stdin=io.BytesIO(b"x"))
    with pytest.raises(InputError, match="E451"):
        read_inputs(["-"], source=["Wire"], stdin=io.BytesIO(b'{"text": "a"}'))
    with pytest.raises(ReportError, match="E012"):
        read_stdin(io.BytesIO(b"caf\xe9"), "txt")


# ---- metadata of text inputs ----------------------------------------------------------------------------------------
def test_source_and_published_once_for_all_or_once_each(tmp_path):
    _tree(tmp_path, {"a.txt": "300 died.", "b.txt": "40 died.", "c.jsonl": '{"text": "x", "source": "J"}\n'})
    a, b, c = (str(tmp_path / n) for n in ("a.txt", "b.txt", "c.jsonl"))
    got = read_inputs([a, c, b], source=["Wire"], published=["2025-05-06T09:00:00+00:00"]).reports
    assert [(r.id, r.source) for r in got] == [("a", "Wire"), ("c-1", "J"), ("b", "Wire")]
    assert got[2].published.isoformat() == "2025-05-06T09:00:00+00:00"
    got = read_inputs([a, b], source=["Wire", "Daily"]).reports
    assert [r.source for r in got] == ["Wire", "Daily"]
    with pytest.raises(InputError, match="E448"):
        read_inputs([a, b], source=["A", "B", "C"])
    with pytest.raises(InputError, match="E449"):
        read_inputs([c], published=["2025-05-06T09:00:00+00:00"])
    with pytest.raises(ReportError, match="E003"):
        read_inputs([a], published=["yesterday"])


def test_manifest_gives_metadata_by_path_and_the_command_line_wins(tmp_path):
    _tree(tmp_path, {"data/a.txt": "300 died.", "data/sub/page.html": PAGE,
                     "data/manifest.csv": "path,outlet,published,url,title,desk\n"
                                          "a.txt,Wire,2025-05-06T09:00:00+00:00,https://example.org/a,Flood,metro\n"
                                          "sub/page.html,My Wire,,,,\n"})
    d = tmp_path / "data"
    got = {r.id: r for r in read_inputs([str(d / "a.txt"), str(d / "sub")], manifest=d / "manifest.csv").reports}
    a, page = got["a"], got["page"]
    assert (a.source, a.published.hour, a.url, a.metadata) == ("Wire", 9, "https://example.org/a",
                                                              {"title": "Flood", "desk": "metro"})
    assert page.source == "My Wire" and page.published.hour == 9 and page.published.utcoffset().seconds == 7200
    again = read_inputs([str(d / "a.txt")], manifest=d / "manifest.csv", source=["Flag"]).reports
    assert again[0].source == "Flag" and again[0].url == "https://example.org/a"


@pytest.mark.parametrize(("rows", "code", "words"), [
    ("source\nWire\n", "E442", ["path column"]),
    ("path,source\nmissing.txt,Wire\n", "E450", [":2:", "no such file"]),
    ("path,source\nr.jsonl,Wire\n", "E450", ["carries its own metadata"]),
    ("path,source\na.txt,Wire\n./a.txt,Daily\n", "E450", [":3:", "listed twice"]),
])
def test_manifest_errors(tmp_path, rows, code, words):
    _tree(tmp_path, {"a.txt": "300 died.", "r.jsonl": '{"text": "x"}\n', "m.csv": rows})
    with pytest.raises(InputError, match=code) as exc:
        read_manifest(tmp_path / "m.csv")
    assert all(w in str(exc.value) for w in words)


# ---- unknown options ------------------------------------------------------------------------------------------------
def test_unknown_options_are_typed_errors_in_python():
    for call in (lambda: crosscheck.check(["a", "b"], bogus=1), lambda: Checker(bogus=1),
                 lambda: crosscheck.compare("a", "b", bogus=1), lambda: crosscheck.StanceDetector(bogus=1)):
        with pytest.raises(OptionError, match=r"\[E314\].*'bogus'") as exc:
            call()
        assert isinstance(exc.value, TypeError) and isinstance(exc.value, InputError)
    with pytest.raises(OptionError, match="E440"):
        Checker(RuleJudge(nli=None))
    assert Checker(min_probability=0.3).min_probability == 0.3


@pytest.mark.parametrize("argv", [["check", "x.txt", "--bogus"], ["check"], ["frobnicate"],
                                  ["check", "x.txt", "--format", "yaml"], ["check", "x", "--stdin-format", "xml"]])
def test_cli_usage_errors_exit_2_with_one_coded_line(capsys, argv):
    assert main(argv) == 2
    err = one_line_error(capsys, "E441")
    assert "usage:" not in err


# ---- the command line end to end ------------------------------------------------------------------------------------
def test_cli_reads_html_csv_folders_and_metadata(tmp_path, monkeypatch, capsys):
    use_fast_checker(monkeypatch)
    _tree(tmp_path, {"page.html": PAGE, "rows.csv": "text,outlet\nOfficials said 40 people died in the flood.,Daily\n",
                     "more/x/r.txt": "The flood killed 300 people, the mayor said.",
                     "more/y/r.txt": "Rescue teams searched the river banks on Monday."})
    argv = ["check", str(tmp_path / "page.html"), str(tmp_path / "rows.csv"), str(tmp_path / "more"),
            "--format", "json", "--min-probability", "0"]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert [(r["id"], r["source"]) for r in out["reports"]] == [("page", "River Wire"), ("rows-1", "Daily"),
                                                                ("x/r", "x/r"), ("y/r", "y/r")]
    assert all(SCRIPT_TEXT not in c["text"] and "<" not in c["text"] for c in out["claims"])
    assert main([*argv[:4], "--source", "Mayor TV", "--format", "json"]) == 0  # one text input among the three
    out = json.loads(capsys.readouterr().out)
    assert {r["id"]: r["source"] for r in out["reports"]}["page"] == "Mayor TV"


def test_cli_compare_text_takes_source_and_published(monkeypatch, capsys):
    use_fast_checker(monkeypatch)
    assert main(["compare", "--text", "300 died.", "40 died.", "--source", "Wire", "--source", "Daily",
                 "--published", "2025-05-06T09:00:00+00:00", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [(r["source"], r["published"]) for r in out["reports"]] == [("Wire", "2025-05-06T09:00:00+00:00"),
                                                                       ("Daily", "2025-05-06T09:00:00+00:00")]
    assert main(["compare", "--text", "a", "b", "--manifest", "m.csv"]) == 2
    one_line_error(capsys, "E449")


def test_cli_bad_inputs_exit_2_with_one_line(tmp_path, monkeypatch, capsys):
    use_fast_checker(monkeypatch)
    (tmp_path / "a.txt").write_text("300 died.", encoding="utf-8")
    (tmp_path / "rows.csv").write_text("headline\nx\n", encoding="utf-8")
    (tmp_path / "page.html").write_text("<html><head><script>var a = 1;</script></head><body> </body></html>", encoding="utf-8")
    for argv, code in ((["check", str(tmp_path / "rows.csv"), str(tmp_path / "a.txt")], "E442"),
                       (["check", str(tmp_path / "page.html"), str(tmp_path / "a.txt")], "E444"),
                       (["check", str(tmp_path / "a.txt"), str(tmp_path / "nope.txt")], "E011"),
                       (["check", str(tmp_path / "a.txt"), str(tmp_path / "a.txt")], "E021")):
        assert main(argv) == 2, argv
        one_line_error(capsys, code)


def test_cli_stdin_and_a_folder_with_the_real_models(tmp_path):
    """One real process: standard input as JSON Lines next to a folder of text files, the bundled models."""
    _tree(tmp_path / "d", {"wire/flood.txt": "At least 300 people died in the flood on Monday, officials said.",
                           "daily/flood.txt": "Officials said 40 people died in the flood on Monday."})
    stdin = json.dumps({"id": "radio", "source": "Radio", "text": "The flood killed 300 people on Monday."}) + "\n"
    cmd = [sys.executable, "-m", "crosscheck.cli", "check", "-", str(tmp_path / "d"), "--format", "json",
           "--min-probability", "0"]
    out = subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    result = crosscheck.Result.from_json(out.stdout)
    assert [r.id for r in result.reports] == ["radio", "daily/flood", "wire/flood"]
    assert any(f.relation == "contradict" and f.kind == "number" for f in result.finding_list)
