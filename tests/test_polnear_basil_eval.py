"""`crosscheck eval polnear` and `crosscheck eval basil`, and event clustering, on tiny sets written in our own words."""

from __future__ import annotations

import json

import numpy as np
import pytest

from crosscheck.cli import main
from crosscheck.errors import DatasetError, InputError
from crosscheck.eval.basil import eval_basil, load_basil
from crosscheck.eval.polnear import eval_polnear, parse_ann, token_f1
from crosscheck.events import EventClusterer, bcubed, cluster_similarities

ARTICLE = ("The harbour master said the ferry service will resume on Monday. "
           "Storms closed the port for three days. "
           "The new timetable, according to the operator, adds two evening crossings.")


def _polnear(tmp_path):
    base = tmp_path / "polnear" / "test"
    (base / "text").mkdir(parents=True)
    (base / "attributions").mkdir()
    (base / "text" / "paper_2031-01-01_ferry.txt").write_text(ARTICLE)
    src = ARTICLE.index("The harbour master")
    cue = ARTICLE.index("said")
    content = ARTICLE.index("the ferry service")
    op = ARTICLE.index("the operator")
    tt = ARTICLE.index("The new timetable")
    adds = ARTICLE.index("adds two")
    ann = "\n".join([
        f"T1\tSource {src} {src + 18}\tThe harbour master",
        f"T2\tCue {cue} {cue + 4}\tsaid",
        f"T3\tContent {content} {ARTICLE.index('Monday') + 6}\tthe ferry service will resume on Monday",
        f"T4\tAttribution {cue} {cue + 4}\tsaid",
        "E1\tAttribution:T4 Source:T1 Cue:T2 Content:T3",
        f"T5\tSource {op} {op + 12}\tthe operator",
        f"T6\tCue {op - 13} {op - 1}\taccording to",
        f"T7\tContent {tt} {tt + 17};{adds} {adds + 27}\tThe new timetable adds two evening crossings",
        "E2\tContent:T7 Cue:T6 Source:T5",
        "#1\tAnnotatorNotes T1\ta note",
    ])
    (base / "attributions" / "paper_2031-01-01_ferry_0001.ann").write_text(ann + "\n")
    (base / "attributions" / "paper_2031-01-01_ferry_ffff.ann").write_text("")  # a second annotator: not read
    return tmp_path / "polnear"


def test_parse_ann_keeps_the_hull_of_discontinuous_spans():
    text = "T1\tSource 0 3\tabc\nT2\tContent 5 8;10 12\tx y\nE1\tContent:T2 Source:T1\nE2\tContent:T2\n"
    attrs = parse_ann(text)
    assert attrs[0].source == (0, 3) and attrs[0].content == (5, 12)
    assert attrs[1].source is None


def test_eval_polnear_scores_speaker_spans(tmp_path, checker):
    m = eval_polnear(_polnear(tmp_path), checker=checker)
    assert m["n_articles"] == 1 and m["n"] == 2
    assert m["source_span"]["exact"]["precision"] == 1.0          # every predicted speaker span is a gold Source
    assert m["source_span"]["overlap"]["recall"] >= m["source_span"]["exact"]["recall"] > 0
    assert m["content"]["n"] == 2


def test_eval_polnear_missing_split_is_a_dataset_error(tmp_path):
    with pytest.raises(DatasetError, match="E201"):
        eval_polnear(tmp_path)


def test_token_f1():
    assert token_f1("the harbour master", "The harbour master") == 1.0
    assert token_f1("master", "the harbour master") == 0.5
    assert token_f1("", "x") == 0.0


def test_bcubed_and_clustering():
    assert bcubed([0, 0, 1, 1], ["a", "a", "b", "b"])["f1"] == 1.0
    lumped = bcubed([0, 0, 0, 0], ["a", "a", "b", "b"])
    assert lumped["recall"] == 1.0 and lumped["precision"] == 0.5
    sims = np.array([[1, .9, .1, .2], [.9, 1, .2, .1], [.1, .2, 1, .8], [.2, .1, .8, 1]])
    assert cluster_similarities(sims, 0.5) == [0, 0, 1, 1]
    assert cluster_similarities(sims, 0.95) == [0, 1, 2, 3]
    assert cluster_similarities(sims, 0.0) == [0, 0, 0, 0]
    with pytest.raises(InputError, match="E036"):
        bcubed([0], ["a", "b"])


def _article(root, year, triplet, k, source, title, paras):
    d = {"triplet-uuid": triplet, "uuid": f"{triplet}-{k}", "source": source, "title": title,
         "date": f"{year}-05-0{k}", "url": f"https://example.org/{triplet}/{k}",
         "body-paragraphs": [[s] for s in paras]}
    path = root / "articles" / str(year) / f"{triplet}_{k}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(d))


@pytest.fixture()
def basil_dir(tmp_path):
    root = tmp_path / "basil"
    ferry = ["The ferry between Arlo and Benn sank in a storm.", "Eleven passengers were rescued by fishermen."]
    vote = ["The city council voted to close the old library.", "Eight members backed the plan and three opposed it."]
    for k, src in enumerate(("fox", "NYT", "hpo"), start=1):
        _article(root, 2012, "t-ferry", k, src, f"Ferry sinks off Arlo ({src})", ferry)
        _article(root, 2016, "t-vote", k, src, f"Council votes to close library ({src})", vote)
    return root


def test_load_basil(basil_dir):
    items = load_basil(basil_dir)
    assert len(items) == 6
    report, triplet, year = items[0]
    assert triplet == "t-ferry" and year == 2012 and report.source == "fox"
    assert report.text.startswith("Ferry sinks off Arlo") and "\n\n" in report.text
    assert {r.source for r, _, _ in items} == {"fox", "nyt", "hpo"}


def test_eval_basil_end_to_end(basil_dir, checker):
    m = eval_basil(basil_dir, checker=checker, clusterer=EventClusterer(embedder=checker.stages()["embedder"]))
    assert m["n"] == 6
    assert m["clustering"]["all"]["f1"] == 1.0   # two unmistakable events
    assert m["alignment"]["n_events"] == 2 and m["alignment"]["aligned_pairs_mean"] > 0


def test_cli_eval_polnear(tmp_path, capsys):
    out = tmp_path / "m.json"
    assert main(["eval", "polnear", "--data", str(_polnear(tmp_path)), "--json", str(out)]) == 0
    assert json.loads(out.read_text())["dataset"] == "polnear"
    assert "source_span.exact" in capsys.readouterr().out


ECB_DOCS = {  # (topic, half): sentences, invented for the test
    ("7", "ecb"): ["A strong earthquake shook the coastal town before dawn .", "Several houses collapsed ."],
    ("7", "ecbplus"): ["A volcano erupted on the northern island on Sunday .", "Ash covered the airport ."],
    ("9", "ecb"): ["The phone maker launched its new tablet at a show in the capital .", "Prices start low ."],
    ("9", "ecbplus"): ["The phone maker recalled a laptop model after battery fires .", "Owners get refunds ."],
}


def _ecb(tmp_path):
    root = tmp_path / "ecb-plus"
    root.mkdir()
    for split in ("dev", "test"):
        lines = []
        for (topic, half), sents in ECB_DOCS.items():
            for copy in (1, 2):
                doc = f"{topic}_{copy}{half}.xml"
                for s_id, sent in enumerate(sents):
                    lines += [f"{doc}\t{s_id}\t{t_id}\t{tok}" for t_id, tok in enumerate(sent.split())] + [""]
        (root / f"{split}_text.txt").write_text("\n".join(lines) + "\n")
    return root


def test_load_ecb_rebuilds_documents_and_gold(tmp_path):
    from crosscheck.eval.ecb import load_ecb

    items = load_ecb(_ecb(tmp_path), "test")
    assert len(items) == 8
    report, topic, sub = items[0]
    assert (report.id, topic, sub) == ("7_1ecb.xml", "7", "7-ecb")
    assert report.text.splitlines()[1] == "Several houses collapsed ."


def test_eval_ecb_end_to_end(tmp_path, checker):
    from crosscheck.eval.ecb import eval_ecb

    m = eval_ecb(_ecb(tmp_path), clusterer=EventClusterer(embedder=checker.stages()["embedder"]))
    assert m["dataset"] == "ecb" and m["n"] == 8
    # the two copies of each document are identical, so a fitted cut recovers every subtopic
    assert m["test"]["subtopic"]["f1"] == pytest.approx(1.0)
    assert m["test"]["topic"]["precision"] == pytest.approx(1.0)


def test_ecb_bad_input_is_a_typed_error(tmp_path):
    from crosscheck.eval.ecb import load_ecb

    with pytest.raises(DatasetError, match=r"\[E218\]"):
        load_ecb(tmp_path, "test")
    (tmp_path / "test_text.txt").write_text("doc.xml\tx\n")
    with pytest.raises(DatasetError, match=r"\[E219\]"):
        load_ecb(tmp_path, "test")
