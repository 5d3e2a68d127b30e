"""Duplicate-person matching on protected data: normalisation, keyed tokens, blocking and scoring.

One code path serves the database index (``PersonSearchToken`` + ``PersonMatchSignature``) and the
throwaway index of ``manage.py match_persons``:

1. **Normalise** Spanish names: accents, case and punctuation folded; particles (de, del, la, los,
   y…) and initials dropped; common abbreviations expanded (Ma. → María); each word reduced to a
   Spanish *phonetic key* that merges the usual spelling variants (b/v, s/c/z, y/ll/i, silent h,
   g/j, qu/k/c, ñ/n, doubled letters…).
2. **Tokens** are keyed hashes (``ruta.core.crypto.search_token``) of those keys — never plaintext.
3. **Blocking** keys are *composite* so that even common names stay selective: given+family name,
   the two family names together, a name + the birth date (day and month order-insensitive). Each
   key's posting list is read up to ``MAX_POSTINGS`` entries and candidates are ranked by how many
   keys they share, so the work per search is bounded whatever the size of the registry.
4. **Scoring** compares keyed signatures: per-word key equality, typo tolerance through keyed
   deletion neighbourhoods (one edit, including adjacent transpositions) and letter pairs, family names as a
   set (either order, one missing), compound given names, birth-date agreement (exact, day/month
   swapped, one component wrong) and sex disagreement.

Suggestions are the candidates scoring at least ``THRESHOLD`` and within ``MARGIN`` of the best,
at most ``MAX_SUGGESTIONS``. The thresholds are tuned on ``ruta.persons.variants`` (see tests)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from typing import Any, Protocol

from django.conf import settings

from ruta.core.crypto import search_token

THRESHOLD = 0.75
MARGIN = 0.03
MAX_SUGGESTIONS = 10
MAX_POSTINGS = 1000  # entries read per blocking key: bounds the work for very common names
MAX_CANDIDATES = 200  # candidates scored per search, those sharing most keys first
MAX_WORDS = 4  # words kept per name part (long compound names are truncated)
SIGNATURE_HASH_LENGTH = 6  # enough to compare two persons' small sets without collisions
ONE_EDIT = 0.85  # two words one typing error apart
LONG_KEY = 4  # a one-edit match needs one of the keys to be at least this long
TYPO_CREDIT = 0.8  # scales the letter-pair similarity of two different keys
MIN_DICE = 0.5  # below this two words are different names
MISSING_WORD = 0.9  # one side has more words in that part (second family name, compound given name)
NO_DATE = 0.88  # without a birth date on both sides names alone must carry the match

PARTICLES = frozenset({"de", "del", "la", "las", "los", "lo", "y", "e", "da", "das", "do", "dos", "di", "van", "von"})
ABBREVIATIONS = {"ma": "maria", "mria": "maria", "fco": "francisco", "fca": "francisca", "jse": "jose"}
SEX_VALUES = frozenset({"female", "male", "intersex"})


# --- normalisation -------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case, accents and ñ folded, anything but letters turned into spaces."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    return re.sub(r"[^a-z]+", " ", stripped).strip()


def name_words(text: str) -> list[str]:
    """The meaningful words of a name: particles, initials and repeated words removed."""
    words: list[str] = []
    for raw in fold(text).split():
        word = ABBREVIATIONS.get(raw, raw)
        if word in PARTICLES or len(word) < 2 or word in words:
            continue
        words.append(word)
    return words[:MAX_WORDS]


_PHONETIC_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(pattern), replacement)
    for pattern, replacement in [
        (r"ph", "f"),
        (r"ch", "C"),  # a sound of its own; protected from the silent-h rule below
        (r"sh", "C"),
        (r"g(?=[ei])", "j"),  # Jorge/Gorje, Jenny/Geny
        (r"gu(?=[ei])", "g"),  # Miguel, Guillermo
        (r"qu", "k"),
        (r"c(?=[ei])", "s"),
        (r"[cqk]", "k"),
        (r"[zx]", "s"),
        (r"ll", "y"),
        (r"y", "i"),
        (r"w", "u"),
        (r"v", "b"),
        (r"h", ""),
        (r"n(?=[bp])", "m"),
        (r"(.)\1+", r"\1"),  # doubled letters: rr, ss, nn, tt…
    ]
]


def phonetic_key(word: str) -> str:
    """A Spanish phonetic key of one folded word: spelling variants that sound alike collide."""
    key = word
    for pattern, replacement in _PHONETIC_RULES:
        key = pattern.sub(replacement, key)
    return key or word


def name_keys(text: str) -> list[str]:
    keys: list[str] = []
    for word in name_words(text):
        key = phonetic_key(word)
        if key not in keys:
            keys.append(key)
    return keys


def parse_birth_date(value: Any) -> dt.date | None:
    """An ISO date (YYYY-MM-DD) or None; raises ValueError for anything else that is not empty."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        raise ValueError("birth_date must be YYYY-MM-DD")
    return dt.date.fromisoformat(value.strip())


@dataclass(frozen=True)
class NameRecord:
    """The plaintext a person is matched on; lives only in memory while tokens are computed."""

    given_names: str = ""
    family_names: str = ""
    birth_date: dt.date | None = None
    sex: str = ""
    aliases: Sequence[str] = field(default_factory=tuple)

    @property
    def given_keys(self) -> list[str]:
        return name_keys(self.given_names)

    @property
    def family_keys(self) -> list[str]:
        return name_keys(self.family_names)


# --- keyed hashing --------------------------------------------------------------------------------


def _current_key() -> bytes:
    return bytes(settings.FIELD_ENCRYPTION_KEYS[0])


@lru_cache(maxsize=1 << 18)
def _keyed(key_fingerprint: str, purpose: str, value: str) -> str:
    return search_token(value, purpose=purpose)


def keyed(purpose: str, value: str) -> str:
    """``search_token`` with a cache (names repeat a lot); the cache is keyed by the active key."""
    fingerprint = hashlib.sha256(_current_key()).hexdigest()[:16]
    return _keyed(fingerprint, purpose, value)


def _short(purpose: str, value: str) -> str:
    return keyed(purpose, value)[:SIGNATURE_HASH_LENGTH]


# --- blocking -------------------------------------------------------------------------------------


def _date_block(birth_date: dt.date | None) -> str:
    if birth_date is None:
        return ""
    low, high = sorted((birth_date.month, birth_date.day))
    return f"{birth_date.year}-{low}-{high}"  # day/month swaps land in the same block


def blocking_keys(record: NameRecord) -> list[tuple[str, str]]:
    """(kind, keyed token) pairs under which a record is indexed and searched."""
    given, family = record.given_keys, record.family_keys
    for alias in record.aliases:
        given += [key for key in name_keys(alias) if key not in given]
    date = _date_block(record.birth_date)
    plain: list[tuple[str, str]] = []
    for g in given:
        for f in family:
            # A typing error in one word leaves its other end intact.
            plain += [("gf<", f"{g}|{f[:3]}"), ("gf>", f"{g}|{f[-3:]}")]
            plain += [("g<f", f"{g[:3]}|{f}"), ("g>f", f"{g[-3:]}|{f}")]
    plain += [("ff", "|".join(sorted(pair))) for pair in combinations(family, 2)]
    if date:
        plain += [("gd", f"{g}|{date}") for g in given]
        plain += [("fd", f"{f}|{date}") for f in family]
        if not given or not family:
            plain += [("d", date)]
    elif not given or not family:
        plain += [("g1", key) for key in given + family]  # a lone name: weak, capped like the rest
    seen: set[tuple[str, str]] = set()
    result = []
    for kind, value in plain:
        token = (kind, keyed(f"block-{kind}", value))
        if token not in seen:
            seen.add(token)
            result.append(token)
    return result


# --- signatures and scoring -----------------------------------------------------------------------


def bigrams(key: str) -> set[str]:
    padded = f"^{key}$"
    return {padded[i : i + 2] for i in range(len(padded) - 1)}


def deletions(key: str) -> set[str]:
    """The key and every string one deletion away: keys within one edit (or one adjacent
    transposition) share a member."""
    return {key} | {key[:i] + key[i + 1 :] for i in range(len(key))}


def _word_signature(key: str) -> list[Any]:
    """[key, deletion neighbourhood (keys of 3+ letters), letter pairs, long key?], all hashed."""
    neighbourhood = sorted(_short("del", item) for item in deletions(key)) if len(key) >= 3 else []
    pairs = sorted(_short("bigram", pair) for pair in bigrams(key))
    return [_short("word", key), neighbourhood, pairs, len(key) >= LONG_KEY]


def signature(record: NameRecord) -> dict[str, Any]:
    """What scoring needs, as keyed hashes only (stored in ``PersonMatchSignature.data``)."""
    data: dict[str, Any] = {
        "g": [_word_signature(key) for key in record.given_keys],
        "f": [_word_signature(key) for key in record.family_keys],
    }
    aliases = [key for alias in record.aliases for key in name_keys(alias)]
    if aliases:
        data["a"] = [_word_signature(key) for key in aliases]
    if record.birth_date:
        data["d"] = [
            _short("year", str(record.birth_date.year)),
            _short("daymonth", str(record.birth_date.month)),
            _short("daymonth", str(record.birth_date.day)),
        ]
    if record.sex in SEX_VALUES:
        data["s"] = _short("sex", record.sex)
    return data


def _word_similarity(a: list[Any], b: list[Any]) -> float:
    """1 for the same key; one edit apart (not both short: Ana/Ada differ) earns ``ONE_EDIT``;
    otherwise the Dice coefficient of their letter pairs, scaled down, when it is high enough."""
    if a[0] == b[0]:
        return 1.0
    if (a[3] or b[3]) and a[1] and b[1] and not set(a[1]).isdisjoint(b[1]):
        return ONE_EDIT
    common = len(set(a[2]) & set(b[2]))
    dice = 2 * common / (len(a[2]) + len(b[2]))
    return TYPO_CREDIT * dice if dice >= MIN_DICE else 0.0


def _words_similarity(a: list[list[Any]], b: list[list[Any]]) -> float | None:
    """Best one-to-one word agreement over the shorter list; a missing word costs a little."""
    if not a or not b:
        return None
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    remaining = list(long)
    total = 0.0
    for word in short:
        best, best_index = 0.0, -1
        for index, other in enumerate(remaining):
            similarity = _word_similarity(word, other)
            if similarity > best:
                best, best_index = similarity, index
        if best_index >= 0:
            remaining.pop(best_index)
        total += best
    result = total / len(short)
    return result * MISSING_WORD if len(a) != len(b) else result


def _date_similarity(a: list[str] | None, b: list[str] | None) -> float | None:
    if not a or not b:
        return None
    if a == b:
        return 1.0
    if a[0] == b[0] and a[1] == b[2] and a[2] == b[1]:
        return 0.85  # day and month swapped
    same = sum(x == y for x, y in zip(a, b, strict=True))
    return {2: 0.6, 1: 0.1}.get(same, 0.0)


def score(a: dict[str, Any], b: dict[str, Any]) -> float:
    """Similarity of two signatures in [0, 1]."""
    family = _words_similarity(a.get("f", []), b.get("f", []))
    given = _words_similarity(a.get("g", []), b.get("g", []))
    for alias_side, other in ((a, b), (b, a)):
        if alias_side.get("a") and other.get("g"):
            alias_given = _words_similarity(alias_side["a"], other["g"])
            if alias_given is not None and (given is None or alias_given > given):
                given = alias_given
    if family is None and given is None:
        return 0.0
    if family is None or given is None:
        name = 0.75 * (family if family is not None else given or 0.0)
    else:
        name = 0.55 * family + 0.45 * given
    date = _date_similarity(a.get("d"), b.get("d"))
    result = name * NO_DATE if date is None else 0.65 * name + 0.35 * date
    if a.get("s") and b.get("s") and a["s"] != b["s"]:
        result *= 0.6
    return round(result, 4)


def suggestions(scored: Iterable[tuple[Any, float]]) -> list[tuple[Any, float]]:
    """What the system suggests to a user: above the threshold, close to the best, best first."""
    ranked = sorted((item for item in scored if item[1] >= THRESHOLD), key=lambda item: (-item[1], str(item[0])))
    if not ranked:
        return []
    best = ranked[0][1]
    return [item for item in ranked if item[1] >= best - MARGIN][:MAX_SUGGESTIONS]


# --- the search, over any index -------------------------------------------------------------------


class MatchIndex(Protocol):
    def candidates(self, keys: Sequence[tuple[str, str]], limit: int) -> list[Any]: ...

    def signatures(self, ids: Sequence[Any]) -> dict[Any, dict[str, Any]]: ...


def search(index: MatchIndex, record: NameRecord, *, exclude: Iterable[Any] = ()) -> list[tuple[Any, float]]:
    """Suggested duplicates of ``record`` in ``index``: [(id, score)], best first."""
    query = signature(record)
    excluded = set(exclude)
    ids = [item for item in index.candidates(blocking_keys(record), MAX_CANDIDATES) if item not in excluded]
    found = index.signatures(ids)
    return suggestions((item, score(query, data)) for item, data in found.items())


class MemoryIndex:
    """The throwaway index of ``match_persons``: postings and signatures in dictionaries."""

    def __init__(self) -> None:
        self.postings: dict[tuple[str, str], list[Any]] = {}
        self.data: dict[Any, dict[str, Any]] = {}

    def add(self, item: Any, record: NameRecord) -> None:
        for key in blocking_keys(record):
            self.postings.setdefault(key, []).append(item)
        self.data[item] = signature(record)

    def candidates(self, keys: Sequence[tuple[str, str]], limit: int) -> list[Any]:
        counts: Counter[Any] = Counter()
        for key in keys:
            counts.update(self.postings.get(key, [])[:MAX_POSTINGS])
        return [item for item, _count in counts.most_common(limit)]

    def signatures(self, ids: Sequence[Any]) -> dict[Any, dict[str, Any]]:
        return {item: self.data[item] for item in ids if item in self.data}

    def brute_force(self, record: NameRecord) -> list[tuple[Any, float]]:
        """Score against every record (the benchmark's reference; never used in production)."""
        query = signature(record)
        return suggestions((item, score(query, data)) for item, data in self.data.items())
