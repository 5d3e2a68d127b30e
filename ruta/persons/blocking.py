"""Blocking: the keyed tokens under which a person is indexed and searched, and what sharing each is
worth.

Tokens are keyed hashes (``ruta.core.crypto.search_token``) of phonetic keys — never plaintext. Keys
are *composite* so that even common names stay selective: given+family name, the two family names
together, the two given names together, a name + the birth date (day and month order-insensitive), a
family name + day and month (a mistyped year), and, lightly, the birth date alone. Each key's posting
list is read up to ``MAX_POSTINGS`` entries and candidates are ranked by the weight of the keys they
share (``KEY_WEIGHTS``: a key with the birth date weighs most; a list read only in part counts for
little), so the work per search is bounded whatever the size of the registry."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from itertools import combinations

from django.conf import settings

from ruta.core.crypto import search_token
from ruta.persons.names import NameRecord, name_keys

MAX_POSTINGS = 1000  # entries read per blocking key: bounds the work for very common names
TRUNCATED_SHARE = 1 / 32  # of a key's weight, for the entries of a posting list read only in part
# What sharing a blocking key is worth when ranking candidates. A key with the birth date is shared
# by a handful of persons even in a registry of millions; a given name with a surname's end by
# hundreds. Weighted so that a record sharing the birth date and a name outranks namesakes sharing
# only the names (each given/family pair yields four keys), which a common name has by the hundred.
KEY_WEIGHTS = {"gd": 8, "fd": 8, "d": 8, "fdm": 4, "d2": 3, "ff": 2, "gg": 2, "n": 2}
# Estimated ages are often a year or two off: a search also reads the name pairs keyed with every birth
# year this close to the record's own, and scoring grades the years between two ages up to twice this.
AGE_TOLERANCE = 3
# What a search key keyed with another birth year counts for, by years from the record's own
# (0 … AGE_TOLERANCE): most recorded ages are right or a year off, so the closest rank first.
YEAR_KEY_SHARES = (1.0, 0.8, 0.6, 0.4)

SearchKey = tuple[str, str, float]  # (kind, keyed token, share of the kind's weight it counts for)


@lru_cache(maxsize=1 << 18)
def _keyed(key: bytes, purpose: str, value: str) -> str:
    return search_token(value, purpose=purpose)


def keyed(purpose: str, value: str) -> str:
    """``search_token`` with a cache (names repeat a lot). The cache is keyed by the active key
    itself (a bytes object whose hash Python keeps), so a key rotation or a test's settings
    override never reuses a token of another key, and nothing is rehashed per call."""
    return _keyed(bytes(settings.FIELD_ENCRYPTION_KEYS[0]), purpose, value)


def _date_block(birth_date: dt.date | None) -> str:
    if birth_date is None:
        return ""
    low, high = sorted((birth_date.month, birth_date.day))
    return f"{birth_date.year}-{low}-{high}"  # day/month swaps land in the same block


def key_weight(kind: str) -> int:
    return KEY_WEIGHTS.get(kind, 1)


def posting_weight(key: SearchKey, *, truncated: bool) -> float:
    """What sharing a search key counts for a candidate: its kind's weight times the key's share.
    A key whose posting list is longer than ``MAX_POSTINGS`` is read only in part, and which part
    is arbitrary (the lowest ids): its entries count for little, so candidates sharing the
    selective keys rank first, and the common ones still bring candidates in when nothing else does."""
    kind, _token, share = key
    return share * key_weight(kind) * (TRUNCATED_SHARE if truncated else 1.0)


def _pairs(words: list[str]) -> list[str]:
    """Every two words of a name part, in either order."""
    return ["|".join(sorted(pair)) for pair in combinations(words, 2)]


def _with_year(given: list[str], family: list[str]) -> list[tuple[str, str]]:
    """The name pairs keyed with a birth year: a given and a family name, both family names."""
    return [("gfy", f"{g}|{f}") for g in given for f in family] + [("ffy", pair) for pair in _pairs(family)]


def blocking_keys(record: NameRecord) -> list[tuple[str, str]]:
    """(kind, keyed token) pairs under which a record is indexed and searched."""
    given, family = record.given_keys, record.family_keys
    for alias in record.aliases:
        given += [key for key in name_keys(alias, given=True) if key not in given]
    date = _date_block(record.birth_date)
    plain: list[tuple[str, str]] = []
    for g in given:
        for f in family:
            # A typing error in one word leaves its other end intact.
            plain += [("gf<", f"{g}|{f[:3]}"), ("gf>", f"{g}|{f[-3:]}")]
            plain += [("g<f", f"{g[:3]}|{f}"), ("g>f", f"{g[-3:]}|{f}")]
    plain += [("ff", pair) for pair in _pairs(family)]
    # Two given names together: "María Heidy" is rare where María and Heidy alone are not.
    plain += [("gg", pair) for pair in _pairs(given)]
    if date:
        plain += [("gd", f"{g}|{date}") for g in given]
        plain += [("fd", f"{f}|{date}") for f in family]
        # A mistyped or misremembered birth year leaves day and month: family name and those.
        plain += [("fdm", f"{f}|{date.partition('-')[2]}") for f in family]
        # The date alone, for names mistyped in every word; weighed by how much else is lacking.
        plain += [("d" if not given or not family else "d2", date)]
    elif not given or not family:
        plain += [("g1", key) for key in given + family]  # a lone name: weak, capped like the rest
    if given and family:
        # The whole name: among the many who share its words, those who bear exactly it rank first.
        plain.append(("n", f"{' '.join(sorted(given))}|{' '.join(sorted(family))}"))
    if record.year is not None:
        plain += [(kind, f"{names}|{record.year}") for kind, names in _with_year(given, family)]
    seen: set[tuple[str, str]] = set()
    result = []
    for kind, value in plain:
        token = (kind, keyed(f"block-{kind}", value))
        if token not in seen:
            seen.add(token)
            result.append(token)
    return result


def search_keys(record: NameRecord) -> list[SearchKey]:
    """The keys a search for ``record`` reads, each with what sharing it counts for (a share of its
    kind's weight): its own blocking keys, in full, and its name pairs (a given and a family name;
    both family names) with every other birth year within ``AGE_TOLERANCE`` of its own (an age,
    and so a year, is often a little off), for less the further the year (``YEAR_KEY_SHARES``).
    Among the many who share a common name's keys, those of a compatible age then rank first, the
    closest ages before the others; the pairs keep each posting list short."""
    keys = [(kind, token, 1.0) for kind, token in blocking_keys(record)]
    if record.year is not None:
        pairs = _with_year(record.given_keys, record.family_keys)
        for year in range(record.year - AGE_TOLERANCE, record.year + AGE_TOLERANCE + 1):
            if year != record.year:
                share = YEAR_KEY_SHARES[abs(year - record.year)]
                keys += [(kind, keyed(f"block-{kind}", f"{names}|{year}"), share) for kind, names in pairs]
    return keys
