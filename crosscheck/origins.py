"""Stage 5b, origins: which reports are copies of one story, and where each claim comes from.

Two identical copies of a wire story are one source, not two. :class:`OriginFinder` groups the reports of a check
into **origins** and gives every claim the origin it was taken from:

* **wire credits and datelines**: ``"WASHINGTON (Reuters) -"``, ``"MOSCOW, June 10. /TASS/."``, ``"By The Associated
  Press"``, a closing ``"(KB/IANS)"`` or a line that is only ``"AFP"``, or the wire's own voice (``"Reuters could not
  independently verify"``). A report that credits a wire is a copy of that wire (its origin is ``"wire:Reuters"``)
  unless the outlet is the wire itself (TASS's own reports are TASS's originals, each its own origin);
* **near-duplicates**: MinHash signatures of each passage's word shingles, indexed with ``datasketch``'s LSH, find
  the passages that two reports share (light edits, other headlines and boilerplate do not hide them); two reports
  that share most of the shorter one are copies of one story and share an origin;
* **copied passages**: a passage copied into an otherwise original report keeps the origin it came from (the wire's,
  or the earliest report that carries it);
* **upstream speakers**: a claim that relays a named speaker ("the health ministry said") has that speaker as its
  origin (``"speaker:health ministry"``), whichever outlet relays it; generic speakers ("officials", "he") keep the
  passage's origin.

An origin id is ``"wire:<agency>"``, ``"report:<report id>"`` (the earliest report of a group of copies) or
``"speaker:<name>"``.

>>> from crosscheck.data import Report
>>> a = Report("a", "LONDON (Reuters) - Leaks were found in two pipelines under the Baltic Sea on Monday, "
...            "the Danish energy agency said in a statement.", source="Daily One")
>>> b = Report("b", "Leaks were found in two pipelines under the Baltic Sea on Monday, the Danish energy agency said "
...            "in a statement.", source="Daily Two")
>>> origins = OriginFinder()([a, b], [])
>>> origins.reports["a"], origins.reports["b"], origins.wires["a"]
('wire:Reuters', 'wire:Reuters', 'Reuters')
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from crosscheck.data import Claim, Finding, Report
from crosscheck.errors import Errors, InputError

__all__ = ["AGENCIES", "COPY_RELATIONS", "OriginFinder", "Origins", "Passage", "detect_wire", "mark_copies",
           "normalise_speaker"]

#: The relations a finding between two claims of one origin keeps, marked ``kind="copy"``.
COPY_RELATIONS = ("agree", "related")

#: Wire agencies and the names they are credited by (the first is the canonical name).
AGENCIES: dict[str, tuple[str, ...]] = {
    "Reuters": ("Reuters", "REUTERS", "Thomson Reuters"),
    "AP": ("AP", "Associated Press", "The Associated Press"),
    "AFP": ("AFP", "Agence France-Presse", "Agence France Presse"),
    "TASS": ("TASS", "ITAR-TASS"),
    "Sputnik": ("Sputnik",),
    "RIA Novosti": ("RIA Novosti", "RIA"),
    "Interfax": ("Interfax",),
    "Xinhua": ("Xinhua",),
    "IANS": ("IANS",),
    "PTI": ("PTI",),
    "ANI": ("ANI",),
    "UNI": ("UNI",),
    "EFE": ("EFE",),
    "dpa": ("dpa", "DPA"),
    "ANSA": ("ANSA",),
    "Anadolu": ("Anadolu Agency", "Anadolu", "AA"),
    "Kyodo": ("Kyodo", "Kyodo News"),
    "Yonhap": ("Yonhap",),
    "UPI": ("UPI",),
    "Bernama": ("Bernama",),
    "Ukrinform": ("Ukrinform",),
    "Bloomberg": ("Bloomberg",),
}
_ALIAS = {alias.lower(): name for name, aliases in AGENCIES.items() for alias in aliases}
_AGENCY_RE = "|".join(sorted((re.escape(a) for aliases in AGENCIES.values() for a in aliases), key=len, reverse=True))
_AGENCY = rf"(?P<agency>{_AGENCY_RE})"
_DASH = r"[-\u2013\u2014]"

#: A dateline: a capitalised place (and optionally a date), the credit in brackets, a dash:
#: ``"LONDON, Oct 29 (Reuters) -"``, ``"COPENHAGEN, Denmark (AP) \u2014"``, ``"Moscow, Oct 3 (EFE).-"``, and any other
#: credited name in that frame (``"MOSCOW (Global Wire) -"``).
_DATELINE = re.compile(
    r"(?:^|(?<=[\s\u201d\"]))[A-Z][A-Za-z.'\u2019-]+(?:[ ,]+[A-Z][A-Za-z.'\u2019-]*){0,3}"
    r"(?:,?\s+(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8}))?\s*"
    rf"\((?P<credit>[^()\n]{{2,60}})\)\s?\.?\s?(?P<dash>{_DASH})?")
#: TASS's dateline: ``"STOCKHOLM, June 10. /TASS/."``.
_SLASH_DATELINE = re.compile(r"\d{1,2}\.\s*/(?P<credit>[A-Z][A-Za-z-]{1,20})/\.")
_BYLINE = re.compile(rf"(?m)^\s*By\s+(?:the\s+)?{_AGENCY}(?:\s+(?:Staff|staff|Reporters?))?\s*$")
#: A line that is only a credit: ``"AFP"``, ``"AFP , Sunday 11 Jun 2023"``, ``"AFP |"``, ``"(KB/IANS)"``.
_CREDIT_LINE = re.compile(rf"(?m)^[ \t(\-\u2013\u2014]*(?:[A-Z]{{1,4}}/)?{_AGENCY}[ \t)]*(?:[,|][^\n]{{0,40}})?$")
_FEED = re.compile(rf"\bnews agency feed\s*{_DASH}?\s*{_AGENCY}\b")
_CLOSING = re.compile(rf"\((?:[A-Z]{{1,4}}/)?{_AGENCY}\)\s*\Z")
#: The wire's own voice, which only its copies carry.
_OWN_VOICE = re.compile(
    rf"\b{_AGENCY}\s+(?:could not|couldn't|was unable to|cannot|has not been able to|was not able to)\s+"
    r"(?:immediately\s+|independently\s+)*(?:verify|confirm)|"
    rf"\b(?:an?|the)\s+(?P<agency2>{_AGENCY_RE})\s+(?:correspondent|reporter|photographer)\b")
#: A credit that names a photo's source, not the story's.
_PHOTO = re.compile(r"(?:photo|picture|image|via|getty|file|pool)[^()\n]{0,40}$", re.IGNORECASE)

_WORD = re.compile(r"\w+", re.UNICODE)
#: A quotation, also one that runs on over sentences ("...: it was sabotage. We all know that ...," he
#: said); one left open runs to the end of its line (the next paragraph opens it again).
_QUOTED = re.compile(r"[\"\u201c][^\"\u201c\u201d\n]*(?:[\"\u201d]|(?=\n)|\Z)")
_UNIT = re.compile(r"[^\n.!?]+(?:[.!?]+[\"'\u201d\u2019)]*|\n|\Z)")
_GENERIC = {"he", "she", "they", "it", "we", "i", "you", "officials", "official", "sources", "source", "witnesses",
            "residents", "people", "experts", "analysts", "authorities", "police", "reports", "media", "reporters",
            "statement", "a statement", "the statement", "someone", "outlet", "spokesman", "spokeswoman",
            "spokesperson", "a spokesman", "a spokeswoman", "the spokesman", "report"}
_TITLES = re.compile(r"^(?:the|a|an|its|his|her|their)\s+", re.IGNORECASE)


def _unquoted(text: str) -> str:
    """``text`` with every quotation (:data:`_QUOTED`) blanked out, offsets kept."""
    return _QUOTED.sub(lambda m: " " * len(m.group()), text)


def _canonical_agency(name: str) -> str | None:
    """The canonical agency of a credited name, or None when it is not a known agency."""
    return _ALIAS.get(name.strip().lower())


def detect_wire(text: str) -> tuple[str, int, int] | None:
    """The wire agency ``text`` credits as its source, with the span of the credit, or None.

    Datelines (``"LONDON (Reuters) -"``, ``"STOCKHOLM, June 10. /TASS/."``) credit any name in that frame; bylines,
    credit lines, a closing credit and the wire's own voice credit the known :data:`AGENCIES`. Photo credits
    (``"(Picture: EPA/Reuters)"``, ``"AP Photo"``) do not count.

    >>> detect_wire("HELSINKI (AP) \u2014 A Swedish prosecutor said on Friday ...")[0]
    'AP'
    >>> detect_wire("A photo of the bridge (AP Photo/Julia Nikhinson). The bridge fell.") is None
    True
    """
    for pattern in (_DATELINE, _SLASH_DATELINE):
        for m in pattern.finditer(text):
            name = _credit_name(m.group("credit"), known_only="dash" in m.groupdict() and not m.group("dash"))
            if name:
                return name, m.start("credit"), m.end("credit")
    for pattern in (_BYLINE, _CREDIT_LINE, _FEED, _CLOSING, _OWN_VOICE):
        for m in pattern.finditer(text):
            group = "agency" if m.group("agency") else "agency2"
            before = text[max(0, m.start() - 50):m.start(group)]
            if _PHOTO.search(before) or _PHOTO.match(text[m.end(group):m.end(group) + 8].strip(" )/") or ""):
                continue
            name = _canonical_agency(m.group(group))
            if name:
                return name, m.start(group), m.end(group)
    return None


def _credit_name(credit: str, *, known_only: bool = False) -> str | None:
    """The agency of a dateline's bracketed credit: a known agency anywhere in it (``"UrduPoint News / Sputnik -
    28th September"``), else (unless ``known_only``: a dateline without its dash) a short capitalised name
    (``"Global Wire"``); None for a photo credit or anything else."""
    credit = credit.strip()
    if _PHOTO.search(credit) or "photo" in credit.lower():
        return None
    for part in re.split(r"\s*[/,]\s*|\s+[-\u2013\u2014]\s+", credit):
        name = _canonical_agency(part)
        if name:
            return name
    if known_only:
        return None
    if re.fullmatch(r"[A-Z][\w&.'-]*(?: [A-Z][\w&.'-]*){0,3}", credit) and not re.search(r"\d", credit):
        return credit
    return None


def normalise_speaker(speaker: str) -> str:
    """A speaker's name as an origin key: lower case, words only, leading articles and possessives dropped.

    >>> normalise_speaker("the Health Ministry's")
    'health ministry'
    """
    words = _WORD.findall(speaker.lower().replace("\u2019", "'"))
    words = [w for w in words if w != "s"]
    text = _TITLES.sub("", " ".join(words))
    return text.strip()


@dataclass(frozen=True)
class Passage:
    """A passage of ``report_id`` (``report.text[start:end]``) that near-duplicates a passage of another report;
    ``origin_id`` is the origin the passage was taken from."""

    report_id: str
    start: int
    end: int
    origin_id: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {"report_id": self.report_id, "start": self.start, "end": self.end, "origin_id": self.origin_id}


@dataclass(frozen=True)
class Origins:
    """The origins of a check: ``reports`` maps each report id to its origin id, ``wires`` to the wire agency it
    credits (None when it credits none, or when the outlet is that wire), ``claims`` each claim id to the origin of
    what it says, ``passages`` the copied passages, ``stories`` each report id to its story: the reports that carry
    one upstream story's text (whole, or overlapping parts of it) share a story id (``"story:<earliest report id>"``),
    whatever they credit; two stories of one agency are one origin but two stories. ``stories`` is not part of the
    JSON of a result (it is rebuilt by running the finder)."""

    reports: Mapping[str, str]
    wires: Mapping[str, str | None]
    claims: Mapping[str, str]
    passages: tuple[Passage, ...] = ()
    stories: Mapping[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {"reports": [{"report_id": rid, "origin_id": oid, "wire": self.wires.get(rid)}
                            for rid, oid in self.reports.items()],
                "claims": dict(self.claims), "passages": [p.to_dict() for p in self.passages]}

    def claim_origin(self, claim: Claim) -> str:
        """The origin of ``claim`` (its report's origin when the claim is not listed)."""
        return self.claims.get(claim.id) or self.reports.get(claim.report_id) or f"report:{claim.report_id}"

    @classmethod
    def own(cls, reports: Sequence[Report], claims: Sequence[Claim]) -> Origins:
        """Every report its own origin and every claim its report's: what a check without an origin stage gets."""
        return cls({r.id: f"report:{r.id}" for r in reports}, {r.id: None for r in reports},
                   {c.id: f"report:{c.report_id}" for c in claims}, (),
                   {r.id: f"story:{r.id}" for r in reports})


@dataclass
class _Unit:
    report: int
    start: int
    end: int
    shingles: frozenset[str] = field(default_factory=frozenset)
    own: int = 0


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


class OriginFinder:
    """Group reports into origins (wire credits and near-duplicate passages) and give each claim its origin.

    Args:
        shingle: words per shingle of a passage.
        num_perm: MinHash permutations (more: a closer estimate, slower).
        passage_threshold: Jaccard similarity of two passages' shingles at which one is a copy of the other
            (checked exactly on the candidates the LSH index returns).
        min_words: passages shorter than this many words are never counted as copies (a short stock phrase such
            as "Russia denied it." is common to independent reports).
        copy_share: a report is a copy of another when the passages they share cover at least this share of its
            words outside quotations; it joins the one report it shares most with (a report that only quotes a
            passage of a story, among much of its own, is no copy, and does not join a copy of that passage to
            itself).
        use_credits: read wire credits and datelines (False: near-duplicates only).
        speakers: give attributed claims their named speaker as origin.
        partial_words: two reports of different outlets whose shared passages hold at least this many words outside
            quotations on each side carry overlapping parts of one story (two excerpts, two versions of one wire
            story): they share a story (:attr:`Origins.stories`), though neither is most of the other.
        partial_days: ... and only when they appear within this many days of each other.
        exact_units: with at most this many passages in all, every two passages of different reports are compared
            exactly, without the LSH index (and without importing ``datasketch`` and scipy, a third of a cold
            ``compare``); above it the index proposes the pairs, which may miss one near ``passage_threshold``.
            0: always the index.
    """

    def __init__(self, *, shingle: int = 3, num_perm: int = 128, passage_threshold: float = 0.5, min_words: int = 8,
                 copy_share: float = 0.5, use_credits: bool = True, speakers: bool = True,
                 partial_words: int = 25, partial_days: float = 3.0, exact_units: int = 200) -> None:
        self.shingle = shingle
        self.num_perm = num_perm
        self.passage_threshold = passage_threshold
        self.min_words = min_words
        self.copy_share = copy_share
        self.use_credits = use_credits
        self.speakers = speakers
        self.partial_words = partial_words
        self.partial_days = partial_days
        self.exact_units = exact_units

    def __repr__(self) -> str:
        return (f"OriginFinder(shingle={self.shingle}, num_perm={self.num_perm}, "
                f"passage_threshold={self.passage_threshold}, min_words={self.min_words}, "
                f"copy_share={self.copy_share}, use_credits={self.use_credits}, speakers={self.speakers}, "
                f"partial_words={self.partial_words}, partial_days={self.partial_days}, "
                f"exact_units={self.exact_units})")

    def get_params(self) -> dict[str, Any]:
        """The constructor parameters."""
        return {"shingle": self.shingle, "num_perm": self.num_perm, "passage_threshold": self.passage_threshold,
                "min_words": self.min_words, "copy_share": self.copy_share, "use_credits": self.use_credits,
                "speakers": self.speakers, "partial_words": self.partial_words, "partial_days": self.partial_days,
                "exact_units": self.exact_units}

    def _check(self) -> None:
        for name in ("shingle", "num_perm", "min_words", "partial_words"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise InputError(Errors.E400.format(name=name, value=value, expected="a positive integer"))
        exact = self.exact_units
        if isinstance(exact, bool) or not isinstance(exact, int) or exact < 0:
            raise InputError(Errors.E400.format(name="exact_units", value=exact, expected="an integer >= 0"))
        for name in ("passage_threshold", "copy_share"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 < value <= 1.0:
                raise InputError(Errors.E400.format(name=name, value=value, expected="a number in (0, 1]"))
        days = self.partial_days
        if isinstance(days, bool) or not isinstance(days, (int, float)) or not days >= 0:
            raise InputError(Errors.E400.format(name="partial_days", value=days, expected="a number >= 0"))

    # ---- passages ------------------------------------------------------------------------------------------------
    def units(self, text: str) -> list[tuple[int, int, frozenset[str], int]]:
        """The passages of ``text`` (sentences and lines) as ``(start, end, shingles, own)``; shingles are
        ``shingle``-word runs of the lower-cased words, ``own`` counts the words outside quotation marks (a quote
        shared by independent reports does not make them copies)."""
        out = []
        unquoted = _unquoted(text)
        for m in _UNIT.finditer(text):
            words = [w.lower() for w in _WORD.findall(m.group())]
            if len(words) < self.min_words:
                continue
            k = min(self.shingle, len(words))
            grams = frozenset(" ".join(words[i:i + k]) for i in range(len(words) - k + 1))
            start = m.start() + (len(m.group()) - len(m.group().lstrip()))
            own = len(_WORD.findall(unquoted[m.start():m.end()]))
            out.append((start, m.start() + len(m.group().rstrip()), grams, own))
        return out

    def _pairs(self, units: list[_Unit]) -> list[tuple[int, int]]:
        """Pairs ``(j, i)``, ``j < i``, of units of different reports whose shingle sets have Jaccard >=
        ``passage_threshold``: every pair checked when there are at most ``exact_units`` units, else the candidates
        of an LSH index."""
        if len(units) <= self.exact_units:
            return [(j, i) for i, u in enumerate(units) for j in range(i)
                    if units[j].report != u.report and self._jaccard(units[j], u) >= self.passage_threshold]
        from datasketch import MinHash, MinHashLSH

        lsh = MinHashLSH(threshold=self.passage_threshold, num_perm=self.num_perm)
        found: list[tuple[int, int]] = []
        for i, u in enumerate(units):
            mh = MinHash(num_perm=self.num_perm, seed=1)
            mh.update_batch([g.encode("utf-8") for g in sorted(u.shingles)])
            for j in lsh.query(mh):
                other = units[j]
                if other.report != u.report and self._jaccard(other, u) >= self.passage_threshold:
                    found.append((j, i))
            lsh.insert(i, mh)
        return sorted(found)

    @staticmethod
    def _jaccard(a: _Unit, b: _Unit) -> float:
        inter = len(a.shingles & b.shingles)
        return inter / (len(a.shingles) + len(b.shingles) - inter)

    # ---- the stage -----------------------------------------------------------------------------------------------
    def __call__(self, reports: Sequence[Report], claims: Sequence[Claim]) -> Origins:
        """The origins of ``reports`` and of each of ``claims``."""
        self._check()
        reps = list(reports)
        order = sorted(range(len(reps)), key=lambda i: (_when(reps[i]), reps[i].id))
        rank = {i: k for k, i in enumerate(order)}
        wires: dict[str, str | None] = {}
        for r in reps:
            found = detect_wire(r.text) if self.use_credits else None
            name = found[0] if found else None
            wires[r.id] = None if name is None or _same_outlet(name, r.source) else name
        units = [_Unit(i, s, e, g, n) for i, r in enumerate(reps) for s, e, g, n in self.units(r.text)]
        pairs = self._pairs(units) if len(reps) > 1 else []
        # reports: copies share most of the shorter one; a wire credit joins the wire's group
        words = [0] * len(reps)
        for u in units:
            words[u.report] += u.own
        shared: dict[tuple[int, int], set[int]] = defaultdict(set)
        for a, b in pairs:
            ra, rb = units[a].report, units[b].report
            shared[(ra, rb)].add(a)
            shared[(rb, ra)].add(b)
        report_uf = _UnionFind(len(reps))
        best: dict[int, tuple[float, int, float, int]] = {}
        for (ra, rb), mine in shared.items():
            share = sum(units[u].own for u in mine) / words[ra] if words[ra] else 0.0
            if share >= self.copy_share:  # ra is a copy of rb: it joins the one report it shares most with
                key = (share, words[rb], -rank[rb], rb)
                if ra not in best or key > best[ra]:
                    best[ra] = key
        story_uf = _UnionFind(len(reps))
        for ra, key in best.items():
            report_uf.union(ra, key[3])
            story_uf.union(ra, key[3])
        for ra, rb in self._partial_links(reps, units, shared):
            story_uf.union(ra, rb)
        by_wire: dict[str, list[int]] = defaultdict(list)
        for i, r in enumerate(reps):
            if wires[r.id]:
                by_wire[wires[r.id] or ""].append(i)
        for members in by_wire.values():
            for i in members[1:]:
                report_uf.union(members[0], i)
        groups: dict[int, list[int]] = defaultdict(list)
        for i in range(len(reps)):
            groups[report_uf.find(i)].append(i)
        report_origin: dict[int, str] = {}
        for members in groups.values():
            credited = sorted({wires[reps[i].id] for i in members if wires[reps[i].id]} - {None})
            first = min(members, key=rank.__getitem__)
            oid = "wire:" + "+".join(str(c) for c in credited) if credited else f"report:{reps[first].id}"
            for i in members:
                report_origin[i] = oid
        # passages: a copied passage keeps the origin it was taken from
        unit_uf = _UnionFind(len(units))
        for a, b in pairs:
            unit_uf.union(a, b)
        clusters: dict[int, list[int]] = defaultdict(list)
        for a, b in pairs:
            for u in (a, b):
                clusters[unit_uf.find(u)].append(u)
        passages: list[Passage] = []
        unit_origin: dict[int, str] = {}
        for members in clusters.values():
            members = sorted(set(members))
            origins = {report_origin[units[u].report] for u in members}
            if len(origins) < 2:
                continue
            wired = sorted(o for o in origins if o.startswith("wire:"))
            first = min(members, key=lambda u: rank[units[u].report])
            oid = wired[0] if wired else report_origin[units[first].report]
            for u in members:
                unit_origin[u] = oid
                if report_origin[units[u].report] != oid:
                    passages.append(Passage(reps[units[u].report].id, units[u].start, units[u].end, oid))
        index = {r.id: i for i, r in enumerate(reps)}
        spans: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
        for u, oid in unit_origin.items():
            spans[units[u].report].append((units[u].start, units[u].end, oid))
        speaker_key = _speaker_keys([c for c in claims if c.attributed]) if self.speakers else {}
        claim_origin: dict[str, str] = {}
        for c in claims:
            ri = index.get(c.report_id)
            oid = report_origin.get(ri, f"report:{c.report_id}") if ri is not None else f"report:{c.report_id}"
            for s, e, passage_origin in spans.get(ri, ()) if ri is not None else ():
                if min(e, c.end) - max(s, c.start) >= 0.5 * (c.end - c.start):
                    oid = passage_origin
                    break
            key = speaker_key.get(c.id)
            claim_origin[c.id] = f"speaker:{key}" if key else oid
        passages.sort(key=lambda p: (p.report_id, p.start))
        story_members: dict[int, list[int]] = defaultdict(list)
        for i in range(len(reps)):
            story_members[story_uf.find(i)].append(i)
        stories = {reps[i].id: f"story:{reps[min(m, key=rank.__getitem__)].id}"
                   for m in story_members.values() for i in m}
        return Origins({r.id: report_origin[i] for i, r in enumerate(reps)}, wires, claim_origin, tuple(passages),
                       stories)

    def _partial_links(self, reps: Sequence[Report], units: Sequence[_Unit],
                       shared: Mapping[tuple[int, int], set[int]]) -> list[tuple[int, int]]:
        """Pairs of reports of different outlets that carry overlapping parts of one story: the passages they share
        hold at least ``partial_words`` words outside quotations on each side (a shared quote is no copy), and they
        appear within ``partial_days`` days of each other (an outlet's background paragraph reused months later is
        no copy of the story)."""
        out = []
        for (ra, rb), mine in shared.items():
            if ra > rb:
                continue
            a, b = reps[ra], reps[rb]
            if a.source and b.source and a.source.strip().lower() == b.source.strip().lower():
                continue
            if a.published and b.published and abs((a.published - b.published).total_seconds()) > \
                    self.partial_days * 86400:
                continue
            own_a = sum(units[u].own for u in mine)
            own_b = sum(units[u].own for u in shared[(rb, ra)])
            if min(own_a, own_b) >= self.partial_words:
                out.append((ra, rb))
        return out


def _when(r: Report) -> float:
    return r.published.timestamp() if r.published else float("inf")


def _same_outlet(agency: str, source: str | None) -> bool:
    """Whether the outlet is the credited wire itself (TASS's own report)."""
    if not source:
        return False
    src = source.strip().lower()
    names = {a.lower() for a in AGENCIES.get(agency, (agency,))} | {agency.lower()}
    return src in names or any(re.search(rf"\b{re.escape(n)}\b", src) for n in names if len(n) > 3)


def _speaker_keys(claims: Sequence[Claim]) -> dict[str, str]:
    """Each attributed claim's speaker key: its normalised name, merged into the one longer name that contains it
    ("peskov" into "kremlin spokesman dmitry peskov" when no other name contains it); generic speakers get none."""
    names: dict[str, str] = {}
    for c in claims:
        key = normalise_speaker(c.speaker)
        if key and key not in _GENERIC and len(key) > 1:
            names[c.id] = key
    distinct = sorted(set(names.values()), key=lambda k: (-len(k.split()), k))
    canon: dict[str, str] = {}
    for key in distinct:
        words = set(key.split())
        longer = [k for k in distinct if k != key and words < set(k.split())]
        heads = {canon.get(k, k) for k in longer}
        canon[key] = heads.pop() if len(heads) == 1 else key
    return {cid: canon[key] for cid, key in names.items()}



def mark_copies(findings: Sequence[Finding], claims: Sequence[Claim], origins: Origins) -> list[Finding]:
    """``findings`` with ``kind="copy"`` on every ``agree`` or ``related`` finding between two claims of one origin
    (two copies of a wire story, two outlets relaying one speaker): they agree, but not as independent sources.
    Conflicts keep their kind: two outlets that relay one speaker differently do contradict each other.

    >>> from crosscheck.data import Finding
    >>> c = [Claim("a:0", "a", 0, 3, "Yes", "Yes", "a", False, "asserted", False),
    ...      Claim("b:0", "b", 0, 3, "Yes", "Yes", "b", False, "asserted", False)]
    >>> o = Origins({"a": "wire:AP", "b": "wire:AP"}, {"a": "AP", "b": "AP"}, {"a:0": "wire:AP", "b:0": "wire:AP"})
    >>> mark_copies([Finding("f1", "agree", "none", 0.9, "", "a:0", "b:0")], c, o)[0].kind
    'copy'
    """
    by_id = {c.id: c for c in claims}
    out = []
    for f in findings:
        a, b = by_id.get(f.claim_a), by_id.get(f.claim_b)
        if (f.relation in COPY_RELATIONS and a is not None and b is not None
                and origins.claim_origin(a) == origins.claim_origin(b)):
            f = replace(f, kind="copy", reason=f"copy of one origin ({origins.claim_origin(a)}); {f.reason}")
        out.append(f)
    return out
