"""The on-disk cache of embeddings and NLI probabilities (crosscheck.cache), its wiring in the Checker and the CLI."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path

import numpy as np
import pytest

from crosscheck import Checker, CrosscheckError, Report
from crosscheck.cache import (
    CACHE_ENV,
    CachedEmbedder,
    CachedNLI,
    DiskCache,
    as_cache,
    cache_stages,
    default_cache_dir,
    model_fingerprint,
)
from crosscheck.judge import RuleJudge

ROOT = Path(__file__).resolve().parents[1]


class WordEmbedder:
    """Bag-of-words vectors (hashed words): deterministic and fast; counts the texts it is asked for."""

    cache_key = "words-v1"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, texts):
        self.seen += list(texts)
        out = np.zeros((len(texts), 64), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in t.lower().split():
                out[i, zlib.crc32(w.strip(".,").encode()) % 64] += 1.0
            out[i] /= max(np.linalg.norm(out[i]), 1e-9)
        return out


class CountingNLI:
    """Entailment when the two texts share their first word, else neutral; counts the pairs scored."""

    cache_key = "toy-nli-v1"

    def __init__(self) -> None:
        self.pairs: list[tuple[str, str]] = []

    def predict(self, pairs):
        self.pairs += list(pairs)
        rows = [[0.05, 0.9, 0.05] if p.split()[:1] == h.split()[:1] else [0.1, 0.1, 0.8] for p, h in pairs]
        return np.asarray(rows, dtype=np.float32).reshape(len(pairs), 3)


REPORTS = [
    Report("a", "Rebels took Aleppo on Friday. The army withdrew from the city.", published="2024-11-29T10:00:00+00:00"),
    Report("b", "Rebels took Aleppo on Friday, witnesses said. The army withdrew.", published="2024-11-29T12:00:00+00:00"),
    Report("c", "Rebels took Aleppo. Thousands fled the city on Saturday.", published="2024-11-30T09:00:00+00:00"),
]


def test_embedder_runs_the_model_only_on_texts_not_stored(tmp_path):
    inner = WordEmbedder()
    emb = CachedEmbedder(inner, cache=DiskCache(tmp_path))
    first = emb(["one two", "three", "one two"])
    assert inner.seen == ["one two", "three"]  # each distinct text once
    assert np.array_equal(first, WordEmbedder()(["one two", "three", "one two"]))
    second = emb(["three", "four", "one two"])
    assert inner.seen[2:] == ["four"]
    assert np.array_equal(second[0], first[1]) and np.array_equal(second[2], first[0])
    assert (emb.hits, emb.misses) == (2, 3)
    assert emb([]).shape == (0, 64)


def test_entries_persist_across_processes_sharing_a_directory(tmp_path):
    CachedEmbedder(WordEmbedder(), cache=DiskCache(tmp_path))(["kept text"])
    again = WordEmbedder()
    reopened = CachedEmbedder(again, cache=DiskCache(tmp_path))
    reopened(["kept text"])
    assert again.seen == [] and reopened.hits == 1


def test_dtype_and_nli_rows_come_back_exactly(tmp_path):
    class F64(WordEmbedder):
        def __call__(self, texts):
            return super().__call__(texts).astype(np.float64)

    emb = CachedEmbedder(F64(), cache=DiskCache(tmp_path))
    cold = emb(["a b c"])
    warm = emb(["a b c"])
    assert warm.dtype == np.float64 and np.array_equal(cold, warm)
    nli = CachedNLI(CountingNLI(), cache=DiskCache(tmp_path))
    pairs = [("Rebels took Aleppo.", "Rebels hold Aleppo."), ("The army left.", "Rebels came.")]
    cold = nli.predict(pairs)
    warm = nli.predict(pairs[::-1] + pairs)
    assert len(nli.model.pairs) == 2 and np.array_equal(warm[2:], cold) and np.array_equal(warm[:2], cold[::-1])
    # a pair is ordered: (premise, hypothesis) reversed is another entry
    nli.predict([pairs[0][::-1]])
    assert len(nli.model.pairs) == 3


def test_a_changed_model_file_changes_the_key(tmp_path):
    weights = tmp_path / "model" / "weights.bin"
    weights.parent.mkdir()
    weights.write_bytes(b"version 1")

    class FileEmbedder(WordEmbedder):
        cache_key = None

        def __init__(self, model_path):
            super().__init__()
            self.model_path = model_path

    first = model_fingerprint(FileEmbedder(str(weights.parent)))
    assert first is not None and first == model_fingerprint(FileEmbedder(str(weights.parent)))
    emb = CachedEmbedder(FileEmbedder(str(weights.parent)), cache=DiskCache(tmp_path / "c"))
    emb(["same text"])
    weights.write_bytes(b"version 2, retrained")
    retrained = FileEmbedder(str(weights.parent))
    assert model_fingerprint(retrained) != first
    CachedEmbedder(retrained, cache=DiskCache(tmp_path / "c"))(["same text"])
    assert retrained.seen == ["same text"]  # not served the old model's vector


def test_the_bundled_models_have_a_fingerprint_that_changes_with_their_settings():
    from crosscheck.embed import MiniLMEmbedder
    from crosscheck.judge import CrossEncoderNLI

    assert model_fingerprint(MiniLMEmbedder()) is not None  # no model is loaded for it
    assert model_fingerprint(CrossEncoderNLI()) != model_fingerprint(CrossEncoderNLI(max_length=64))
    assert model_fingerprint(CrossEncoderNLI()) != model_fingerprint(MiniLMEmbedder())


def test_a_stage_without_an_identity_runs_uncached(tmp_path):
    calls = []

    def anonymous(texts):
        calls.append(list(texts))
        return np.eye(3, dtype=np.float32)[: len(texts)]

    cache = DiskCache(tmp_path)
    emb = CachedEmbedder(anonymous, cache=cache)
    emb(["x", "y"])
    emb(["x", "y"])
    assert calls == [["x", "y"], ["x", "y"]] and emb.fingerprint is None


def test_size_cap_evicts_least_recently_used_entries(tmp_path):
    limit = 400_000
    cache = DiskCache(tmp_path, size_limit=limit)
    emb = CachedEmbedder(WordEmbedder(), cache=cache, key="cap")
    emb(["keep me"])
    for i in range(40):
        emb([f"text {i} {j}" for j in range(50)])  # 2,000 vectors of 64 floats, well over the cap in all
        emb(["keep me"])  # read often: the most recently used entry
    assert len(cache) < 1000
    assert cache.volume() < 3 * limit
    inner = emb.embedder
    before = len(inner.seen)
    emb(["keep me"])
    assert len(inner.seen) == before  # still stored
    emb(["text 0 0"])
    assert len(inner.seen) == before + 1  # evicted long ago


def test_concurrent_processes_write_and_read_one_cache(tmp_path):
    script = textwrap.dedent(f"""
        import sys, numpy as np
        sys.path.insert(0, {str(ROOT)!r})
        from crosscheck.cache import CachedEmbedder, DiskCache
        def emb(texts):
            v = np.asarray([[len(t), sum(map(ord, t)) % 97, 1.0] for t in texts], dtype=np.float32)
            return v / np.linalg.norm(v, axis=1, keepdims=True)
        c = CachedEmbedder(emb, cache=DiskCache({str(tmp_path)!r}), key="proc")
        for r in range(20):
            texts = [f"text {{(r * 7 + i) % 60}}" for i in range(30)]
            out = c(texts)
            assert np.array_equal(out, emb(texts)), "wrong vector"
        print(c.hits, c.misses)
    """)
    procs = [subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(3)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1][-500:] for o in outs]
    assert sum(int(o[0].split()[0]) for o in outs) > 0  # they served each other's entries
    assert len(DiskCache(tmp_path)) == 60


def test_cache_settings_and_directory(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "env-dir"))
    assert default_cache_dir() == tmp_path / "env-dir"
    assert DiskCache().path == tmp_path / "env-dir"
    assert DiskCache(tmp_path / "given").path == tmp_path / "given"  # the parameter wins over the variable
    assert as_cache(False) is None and as_cache(None) is None
    assert as_cache(True).path == tmp_path / "env-dir"
    assert as_cache(str(tmp_path)).path == tmp_path
    with pytest.raises(CrosscheckError, match=r"\[E482\]"):
        as_cache(3)
    with pytest.raises(CrosscheckError, match=r"\[E480\]"):
        DiskCache(tmp_path, size_limit=0).get_many(["k"])
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    with pytest.raises(CrosscheckError, match=r"\[E481\].*CROSSCHECK_CACHE_DIR"):
        DiskCache(blocker / "cache").get_many(["k"])
    monkeypatch.delenv(CACHE_ENV)
    assert default_cache_dir().name == "crosscheck"  # the platform's user cache directory


def test_checker_rerun_runs_no_model(tmp_path):
    emb, nli = WordEmbedder(), CountingNLI()
    checker = Checker(embedder=emb, judge=RuleJudge(nli=nli, calibration=None), cache=tmp_path)
    cold = checker.check(REPORTS)
    n_texts, n_pairs = len(emb.seen), len(nli.pairs)
    assert n_texts and n_pairs
    again = Checker(embedder=emb, judge=RuleJudge(nli=nli, calibration=None), cache=tmp_path)
    assert again.check(REPORTS) == cold
    assert (len(emb.seen), len(nli.pairs)) == (n_texts, n_pairs)
    uncached = Checker(embedder=WordEmbedder(), judge=RuleJudge(nli=CountingNLI(), calibration=None), cache=False)
    assert uncached.check(REPORTS) == cold
    # one new report: only its claims are embedded, only pairs with it are scored
    new = Report("d", "Rebels took Aleppo on Friday. Russia bombed the city on Sunday.",
                 published="2024-12-01T09:00:00+00:00")
    again.check([*REPORTS, new])
    assert set(emb.seen[n_texts:]) <= {c.proposition for c in again.extract([new])}
    assert all(any(t in new.text for t in pair) or pair[0].startswith("It is not true")
               for pair in nli.pairs[n_pairs:])


def test_checker_does_not_modify_the_stages_it_is_given(tmp_path):
    emb, judge = WordEmbedder(), RuleJudge(nli=CountingNLI(), calibration=None)
    built = Checker(embedder=emb, judge=judge, cache=tmp_path).stages()
    assert isinstance(built["embedder"], CachedEmbedder) and built["embedder"].embedder is emb
    assert isinstance(built["judge"].nli, CachedNLI) and isinstance(judge.nli, CountingNLI)
    assert Checker(embedder=emb, judge=judge, cache=False).stages()["embedder"] is emb
    # stages already wrapped are not wrapped twice
    twice = cache_stages(built, DiskCache(tmp_path))
    assert twice["embedder"] is built["embedder"] and twice["judge"] is built["judge"]
    rules_only = RuleJudge(nli=None)
    assert cache_stages({"judge": rules_only}, DiskCache(tmp_path))["judge"] is rules_only
    built_checker = Checker(embedder=emb, cache=tmp_path)
    built_checker.stages()
    copied = copy.deepcopy(built_checker)  # what a Dask worker gets: the settings, not the built stages
    assert copied.cache == tmp_path and "_built" not in copied.__dict__ and copied.embedder is not emb


def test_cli_no_cache_switch(monkeypatch, tmp_path, capsys):
    from crosscheck import cli
    from crosscheck.result import Result

    seen = []

    def fake_check(self, reports, *, progress=False):
        seen.append(self.cache)
        return Result(list(reports), [], [], [])

    monkeypatch.setattr(Checker, "check", fake_check)
    assert cli.main(["compare", "--text", "--no-cache", "One text.", "Another text."]) == 0
    assert cli.main(["compare", "--text", "One text.", "Another text."]) == 0
    assert cli.main(["compare", "--text", "--cache-dir", str(tmp_path), "One text.", "Another text."]) == 0
    assert seen == [False, True, str(tmp_path)]
    capsys.readouterr()


def test_real_models_warm_rerun_is_identical_and_loads_nothing(checker, assad_reports, tmp_path):
    """The bundled MiniLM and NLI model behind a fresh cache: the warm run equals the cold one and the uncached
    one, and scores nothing."""
    from crosscheck.judge import default_nli

    st = checker.stages()
    inner = st["embedder"].embedder if isinstance(st["embedder"], CachedEmbedder) else st["embedder"]
    judge = copy.copy(st["judge"])
    judge.nli = default_nli()
    cold_checker = Checker(embedder=inner, judge=judge, cache=tmp_path)
    cold = cold_checker.check(assad_reports)
    warm_checker = Checker(embedder=inner, judge=judge, cache=tmp_path)
    warm = warm_checker.check(assad_reports)
    wst = warm_checker.stages()
    assert warm == cold
    assert wst["embedder"].misses == 0 and wst["embedder"].hits > 0
    assert wst["judge"].nli.misses == 0 and wst["judge"].nli.hits > 0
    plain = Checker(embedder=inner, judge=judge, cache=False).check(assad_reports)
    assert list(plain.findings.relation) == list(cold.findings.relation)
    assert np.allclose(plain.findings.probability.astype(float), cold.findings.probability.astype(float), atol=1e-3)
    assert os.listdir(tmp_path)  # written where it was told
