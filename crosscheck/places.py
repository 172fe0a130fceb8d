"""A small gazetteer of places with containment (city -> country), used by the extractor and judge.

Users can extend it: ``Gazetteer({"Hmeimim": "Syria"})`` adds to the built-in table.

>>> g = Gazetteer()
>>> g.compatible("Moscow", "Russia"), g.compatible("Moscow", "Syria")
(True, False)
"""

from __future__ import annotations

import re
from collections.abc import Mapping

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

CITIES: dict[str, str] = {
    # Syria and the region
    "Damascus": "Syria", "Aleppo": "Syria", "Homs": "Syria", "Hama": "Syria", "Latakia": "Syria",
    "Tartus": "Syria", "Idlib": "Syria", "Deir ez-Zor": "Syria", "Raqqa": "Syria", "Daraa": "Syria",
    "Hmeimim": "Syria", "Khmeimim": "Syria", "Qamishli": "Syria", "Palmyra": "Syria",
    "Beirut": "Lebanon", "Baghdad": "Iraq", "Mosul": "Iraq", "Erbil": "Iraq", "Amman": "Jordan",
    "Tehran": "Iran", "Ankara": "Turkey", "Istanbul": "Turkey", "Jerusalem": "Israel", "Tel Aviv": "Israel",
    "Gaza": "Palestine", "Cairo": "Egypt", "Riyadh": "Saudi Arabia", "Doha": "Qatar", "Dubai": "United Arab Emirates",
    "Abu Dhabi": "United Arab Emirates", "Sanaa": "Yemen", "Tripoli": "Libya", "Tunis": "Tunisia",
    # Russia and Europe
    "Moscow": "Russia", "St Petersburg": "Russia", "Saint Petersburg": "Russia", "Sochi": "Russia",
    "Kyiv": "Ukraine", "Kiev": "Ukraine", "Kharkiv": "Ukraine", "Odesa": "Ukraine", "Minsk": "Belarus",
    "London": "United Kingdom", "Paris": "France", "Berlin": "Germany", "Rome": "Italy", "Madrid": "Spain",
    "Brussels": "Belgium", "Vienna": "Austria", "Geneva": "Switzerland", "Warsaw": "Poland", "Athens": "Greece",
    "Stockholm": "Sweden", "Oslo": "Norway", "Amsterdam": "Netherlands", "The Hague": "Netherlands",
    # Elsewhere
    "Washington": "United States", "New York": "United States", "Beijing": "China", "Shanghai": "China",
    "Tokyo": "Japan", "Delhi": "India", "New Delhi": "India", "Mumbai": "India", "Islamabad": "Pakistan",
    "Kabul": "Afghanistan", "Nairobi": "Kenya", "Lagos": "Nigeria", "Caracas": "Venezuela", "Havana": "Cuba",
    "Ottawa": "Canada", "Canberra": "Australia", "Seoul": "South Korea", "Pyongyang": "North Korea",
}

ALIASES: dict[str, str] = {
    "US": "United States", "USA": "United States", "UK": "United Kingdom", "Britain": "United Kingdom",
    "UAE": "United Arab Emirates", "Kiev": "Kyiv", "Khmeimim": "Hmeimim", "Saint Petersburg": "St Petersburg",
}


class Gazetteer:
    """Place names, their containers and aliases.

    Args:
        extra: more ``place -> container`` pairs (container may be None for a top-level place).
    """

    def __init__(self, extra: Mapping[str, str | None] | None = None) -> None:
        self.extra = dict(extra or {})

    def _table(self) -> dict[str, str | None]:
        table: dict[str, str | None] = {c: None for c in COUNTRIES}
        table.update(CITIES)
        table.update(self.extra)
        return table

    def pattern(self) -> re.Pattern[str]:
        """A regex matching any known place name as a whole word (longest first)."""
        names = sorted(self._table(), key=len, reverse=True)
        return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b")

    def canonical(self, name: str) -> str:
        """The canonical spelling of ``name`` (aliases resolved)."""
        return ALIASES.get(name, name)

    def ancestors(self, name: str) -> list[str]:
        """``name`` and every place containing it, innermost first."""
        table = self._table()
        out, cur = [], self.canonical(name)
        while cur and cur not in out:
            out.append(cur)
            cur = table.get(cur) or table.get(self.canonical(cur))
            cur = self.canonical(cur) if cur else None
        return out

    def compatible(self, a: str, b: str) -> bool:
        """True when one place is the other or contains it (Moscow and Russia)."""
        return self.canonical(a) in self.ancestors(b) or self.canonical(b) in self.ancestors(a)
