"""Validate authored news claim pairs (one JSON object per line).

    python -m crosscheck.training.news_pairs.check FILE.jsonl[.gz] [FILE ...]

Each line: ``{"id", "pattern", "event", "relation", "split", "template", "a": {...}, "b": {...}}`` where ``a`` and
``b`` carry ``text``, ``source`` (the outlet), ``speaker`` (who asserts it: an outlet, an official, "anonymous"),
``side`` (the party the speaker stands for, or "press") and ``published`` (ISO 8601 with offset). Prints the
counts per relation, pattern and split, and every problem found; exits 1 if there is any.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from collections import Counter
from datetime import datetime

RELATIONS = ("agree", "contradict", "disputed", "update", "related")
SPLITS = ("train", "validation")
SIDE_KEYS = ("text", "source", "speaker", "side", "published")
KEYS = ("id", "pattern", "event", "relation", "split", "template", "a", "b")
BANNED = ("kakhovka", "nova kakhovka", "prigozhin", "wagner", "nord stream", "key bridge", "francis scott key",
          "dali", "assad", "crocus", "al-ahli", "ahli arab", "hmeimim")


def problems(row: dict) -> list[str]:
    """What is wrong with one pair (empty when it is well formed)."""
    out = [f"missing {k}" for k in KEYS if k not in row]
    if out:
        return out
    if row["relation"] not in RELATIONS:
        out.append(f"relation {row['relation']!r}")
    if row["split"] not in SPLITS:
        out.append(f"split {row['split']!r}")
    if not isinstance(row["template"], bool):
        out.append("template must be true/false")
    for side in ("a", "b"):
        part = row[side]
        if not isinstance(part, dict):
            out.append(f"{side} is not an object")
            continue
        for k in SIDE_KEYS:
            if not isinstance(part.get(k), str) or not part.get(k, "").strip():
                out.append(f"{side}.{k} missing or empty")
        try:
            stamp = datetime.fromisoformat(str(part.get("published", "")))
            if stamp.tzinfo is None:
                out.append(f"{side}.published has no offset")
        except ValueError:
            out.append(f"{side}.published not ISO 8601")
        low = str(part.get("text", "")).lower()
        out.extend(f"{side}.text mentions a held-out or benchmark event ({b})" for b in BANNED
                   if re.search(r"\b" + re.escape(b) + r"\b", low))
    if isinstance(row.get("a"), dict) and isinstance(row.get("b"), dict) and row["a"].get("text") == row["b"].get("text"):
        out.append("a and b have the same text")
    return out


def main(paths: list[str]) -> int:
    rel, pat, split, ids, bad, n, templ = Counter(), Counter(), Counter(), Counter(), 0, 0, 0
    texts: Counter = Counter()
    for path in paths:
        with (gzip.open(path, "rt", encoding="utf-8") if path.endswith(".gz") else open(path, encoding="utf-8")) as fh:
            for no, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    print(f"{path}:{no}: not JSON ({exc})")
                    bad += 1
                    continue
                errs = problems(row)
                for e in errs:
                    print(f"{path}:{no}: {e}")
                bad += bool(errs)
                n += 1
                ids[row.get("id")] += 1
                rel[row.get("relation")] += 1
                pat[row.get("pattern")] += 1
                split[row.get("split")] += 1
                templ += bool(row.get("template"))
                texts[(row.get("a", {}).get("text"), row.get("b", {}).get("text"))] += 1
    dup_ids = [i for i, c in ids.items() if c > 1]
    dup_pairs = sum(c - 1 for c in texts.values() if c > 1)
    if dup_ids:
        print(f"duplicate ids: {dup_ids[:10]}")
    if dup_pairs:
        print(f"{dup_pairs} duplicate (a, b) text pairs")
    print(f"{n} pairs, {bad} with problems, {templ} from templates")
    print("relations:", dict(rel))
    print("splits:", dict(split))
    print("patterns:", dict(pat))
    return 1 if bad or dup_ids or dup_pairs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
