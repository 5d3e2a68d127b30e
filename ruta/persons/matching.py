"""Duplicate-person matching on protected data: signatures, scoring and the suggestion rule.

One code path serves the database index (``PersonSearchToken`` + ``PersonMatchSignature``) and the
throwaway index of ``manage.py match_persons``:

1. **Normalise** Spanish names into phonetic keys (``ruta.persons.names``).
2. **Block**: keyed tokens of composite keys, and what sharing each is worth (``ruta.persons.blocking``).
3. **Scoring** compares keyed signatures: per-word key equality, typo tolerance through keyed
   deletion neighbourhoods (one edit, including adjacent transpositions) and letter pairs, family names as a
   set (either order, one missing), compound given names, birth-date agreement (exact, day/month
   swapped, one component wrong), sex disagreement and, when a birth date is missing, the birth
   year a recorded age points to (graded by the years between them, a generation apart vetoes).
   Each name part weighs by the words it compares, so agreeing on more words counts more.

Suggestions are the candidates scoring at least ``THRESHOLD`` and within ``MARGIN`` of the best,
at most ``MAX_SUGGESTIONS``. The thresholds are tuned on ``ruta.demo.synthetic.variants`` (see tests)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, Protocol

from ruta.persons.blocking import (
    AGE_TOLERANCE,
    MAX_POSTINGS,
    SearchKey,
    blocking_keys,
    keyed,
    posting_weight,
    search_keys,
)
from ruta.persons.names import NameRecord, name_parts

THRESHOLD = 0.75  # nothing below is ever suggested
CONFIDENT = 0.9  # birth dates and names agree: suggested with any close runner-up
MARGIN = 0.03  # confident candidates this close to the best are suggested together
AMBIGUITY = 0.02  # below CONFIDENT the best must lead the next candidate by this much
PAIR_FLOOR = 0.8  # unless exactly two are that close and both score this much: both are shown
FLOOR = 0.6  # candidates scoring less do not count as runners-up
MAX_SUGGESTIONS = 10
MAX_CANDIDATES = 100  # candidates scored per search, those with the heaviest shared keys first
SIGNATURE_HASH_LENGTH = 6  # enough to compare two persons' small sets without collisions
ONE_EDIT = 0.85  # two words one typing error apart
LONG_KEY = 4  # a one-edit match needs one of the keys to be at least this long
TYPO_CREDIT = 0.8  # scales the letter-pair similarity of two different keys
MIN_DICE = 0.5  # below this two words are different names
MISSING_WORD = 0.85  # one side has more words in that part (second family name, compound given name)
NO_DATE = 0.88  # without a birth date on both sides names alone must carry the match
DATE_AGREES = 0.6  # birth dates agree: the score starts here and the names add the rest
SWAPPED_DATE = 0.85  # day and month swapped
PARTIAL_DATE = 0.6  # two of year, month and day agree
PARTIAL_DATE_WEIGHT = 0.9  # a date with a mistyped component: the names must carry the match
DATE_DISAGREES = 0.5  # a namesake born on another day is another person
SEX_DISAGREES = 0.6
# A birth year estimated from a recorded age (victims often know or give only their age). Without a
# common birth date, the names' agreement is weighed by how many years the two birth years are
# apart: estimated ages are often a year or two off and sometimes five, so a close age is evidence
# and a far one only counter-evidence, up to 2 × AGE_TOLERANCE years; a namesake a generation older
# or younger is told apart (``AGE_DISAGREES``). The weights stay below ``NO_DATE`` from four years
# on: an age that far off says less for the match than no age at all.
AGE_GAP_WEIGHTS = (0.95, 0.94, 0.92, 0.89, 0.86, 0.83, 0.8)  # by years apart: 0, 1, … 2 × AGE_TOLERANCE
AGE_DISAGREES = 0.7  # names alone, ages far apart: below the threshold even for the same names
CLOSE_AGE = 2  # years apart: ages this close are named as agreeing (most are right or a year off)
FAMILY_SHARE = 0.55  # of a name's weight, when both parts compare as many words
LONE_PART = 0.75  # only given or only family names known on one side
MIN_PART = 0.5  # given and family names must both agree at least this much
PART_DISAGREES = 0.7
SWAPPED_FAMILY = 0.92  # family names in the other order
SWAPPED_GIVEN = 0.92  # given names in the other order: José María and María José are two people
SECOND_FAMILY_ALONE = 0.94  # a lone family name that is the other's second one, not the first
NAMESAKE_MARGIN = 0.16  # names this close to the best one's are namesakes (one word more or less: 0.85)

SEX_VALUES = frozenset({"female", "male", "intersex"})


def _short(purpose: str, value: str) -> str:
    return keyed(purpose, value)[:SIGNATURE_HASH_LENGTH]


# --- signatures and scoring -----------------------------------------------------------------------


def bigrams(key: str) -> set[str]:
    padded = f"^{key}$"
    return {padded[i : i + 2] for i in range(len(padded) - 1)}


def deletions(key: str) -> set[str]:
    """The key and every string one deletion away: keys within one edit (or one adjacent
    transposition) share a member."""
    return {key} | {key[:i] + key[i + 1 :] for i in range(len(key))}


def _word_signature(key: str, spelling: str) -> list[Any]:
    """[key, deletion neighbourhood (keys of 3+ letters), letter pairs, long key?], all hashed.

    The neighbourhood holds the deletions of the spelling as well as of the key: a typing error
    is one edit in the letters, but where it meets a sound rule it can be two in the key
    ("Allan" → "Alpan": aian / alpan; "Amaya" → "Amaha": amaia / ama)."""
    neighbourhood = (
        sorted({_short("del", item) for item in deletions(key) | deletions(spelling)}) if len(key) >= 3 else []
    )
    pairs = sorted(_short("bigram", pair) for pair in bigrams(key))
    return [_short("word", key), neighbourhood, pairs, len(key) >= LONG_KEY]


def signature(record: NameRecord) -> dict[str, Any]:
    """What scoring needs, as keyed hashes only (stored in ``PersonMatchSignature.data``)."""
    data: dict[str, Any] = {
        "g": [_word_signature(*part) for part in record.given_parts],
        "f": [_word_signature(*part) for part in record.family_parts],
    }
    aliases = [part for alias in record.aliases for part in name_parts(alias, given=True)]
    if aliases:
        data["a"] = [_word_signature(*part) for part in aliases]
    if record.birth_date:
        data["d"] = [
            _short("year", str(record.birth_date.year)),
            _short("daymonth", str(record.birth_date.month)),
            _short("daymonth", str(record.birth_date.day)),
        ]
    if record.year:
        window = range(record.year - AGE_TOLERANCE, record.year + AGE_TOLERANCE + 1)
        data["y"] = sorted(_short("year", str(year)) for year in window)
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
        return SWAPPED_DATE  # day and month swapped
    same = sum(x == y for x, y in zip(a, b, strict=True))
    return PARTIAL_DATE if same == 2 else 0.0


def _word_order(a: list[list[Any]], b: list[list[Any]], swapped: float) -> float:
    """Words are compared as a set (either order); two words in the other order still agree, a
    little less than in the same order (``swapped``): family names ``Mencía Hernández`` are more
    often another family than the same person written the other way round, and given names
    ``José María`` another person than ``María José``."""
    if len(a) < 2 or len(b) < 2 or a[0][0] == b[0][0] or a[1][0] == b[1][0]:
        return 1.0
    return swapped if a[0][0] == b[1][0] or a[1][0] == b[0][0] else 1.0


def _lone_family(a: list[list[Any]], b: list[list[Any]]) -> float:
    """A person who gives one family name gives the first (the father's, or the only one): a lone
    family name that agrees with the other's second family name rather than the first counts
    ``SECOND_FAMILY_ALONE`` (``García`` is more likely ``García Alonzo`` than ``Quintanilla García``)."""
    lone, full = (a, b) if len(a) < len(b) else (b, a)
    if len(lone) != 1 or len(full) < 2:
        return 1.0
    return SECOND_FAMILY_ALONE if _word_similarity(lone[0], full[1]) > _word_similarity(lone[0], full[0]) else 1.0


def name_similarity(a: dict[str, Any], b: dict[str, Any]) -> float:
    """Agreement of the names in [0, 1]: family names (as a set) weigh more than given names, each
    part by the words it compares, and both parts must agree; a part known on one side only leaves
    the name half known."""
    family = _words_similarity(a.get("f", []), b.get("f", []))
    given = _words_similarity(a.get("g", []), b.get("g", []))
    if given is not None:
        given *= _word_order(a["g"], b["g"], SWAPPED_GIVEN)
    for alias_side, other in ((a, b), (b, a)):
        if alias_side.get("a") and other.get("g"):
            alias_given = _words_similarity(alias_side["a"], other["g"])
            if alias_given is not None and (given is None or alias_given > given):
                given = alias_given
    if family is None and given is None:
        return 0.0
    if family is None or given is None:
        return LONE_PART * (family if family is not None else given or 0.0)
    family *= _word_order(a["f"], b["f"], SWAPPED_FAMILY) * _lone_family(a["f"], b["f"])
    if min(family, given) < MIN_PART:
        # Same family names, another given name: a sibling (or the reverse).
        return (FAMILY_SHARE * family + (1 - FAMILY_SHARE) * given) * PART_DISAGREES
    # Each part weighs by the words it compares: agreeing on two family names and one given name
    # says more than agreeing on one of each, however many words the other side left out.
    family_weight = FAMILY_SHARE * min(len(a["f"]), len(b["f"]))
    given_weight = (1 - FAMILY_SHARE) * min(len(a["g"]), len(b["g"]))
    return (family_weight * family + given_weight * given) / (family_weight + given_weight)


def score(a: dict[str, Any], b: dict[str, Any]) -> float:
    """Similarity of two signatures in [0, 1], in bands (see ``suggestions``):

    - birth dates agree (or day and month swapped): ``0.6 + 0.4 × name``; *confident*
      (≥ ``CONFIDENT``) when the names agree well;
    - a birth date missing on either side: ``NO_DATE × name``, never confident: the names alone
      must single one person out; with a birth year on both sides (a date's or an age's), the
      ``AGE_GAP_WEIGHTS`` entry for the years between them × name (confident only for the same
      names and close ages), ``AGE_DISAGREES × name`` (below the threshold) when further apart;
    - one date component differs (a mistyped year or day): ``PARTIAL_DATE_WEIGHT × name``, never
      confident;
    - the birth dates disagree: ``DATE_DISAGREES × name``, below the threshold: a namesake born on
      another day is another person.

    A recorded sex that disagrees scales the result by ``SEX_DISAGREES``."""
    name = name_similarity(a, b)
    if name == 0.0:
        return 0.0
    date = _date_similarity(a.get("d"), b.get("d"))
    if date is None:
        result = _no_date_weight(a, b) * name
    elif date >= SWAPPED_DATE:
        result = DATE_AGREES + (1.0 - DATE_AGREES) * name - (1.0 - date) * 0.2
    elif date >= PARTIAL_DATE:
        result = PARTIAL_DATE_WEIGHT * name
    else:
        result = DATE_DISAGREES * name
    if a.get("s") and b.get("s") and a["s"] != b["s"]:
        result *= SEX_DISAGREES
    return round(result, 4)


def agreements(a: Mapping[str, Any], b: Mapping[str, Any]) -> tuple[str, ...]:
    """Which parts of two signatures agree, for the person deciding whether they are one person:
    ``family_names``, ``given_names``, ``birth_date`` (or, without one, ``age``) and ``sex``. Read
    from the keyed signatures only, so it tells nothing the score did not already use."""
    found = []
    for code, key in (("family_names", "f"), ("given_names", "g")):
        similarity = _words_similarity(a.get(key, []), b.get(key, []))
        if similarity is not None and similarity >= MIN_PART:
            found.append(code)
    date = _date_similarity(a.get("d"), b.get("d"))
    if date is not None and date >= SWAPPED_DATE:
        found.append("birth_date")
    elif date is None and (gap := _age_gap(a, b)) is not None and gap <= CLOSE_AGE:
        found.append("age")
    if a.get("s") and a.get("s") == b.get("s"):
        found.append("sex")
    return tuple(found)


def _sexes_disagree(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    return bool(a.get("s") and b.get("s") and a["s"] != b["s"])


def _age_gap(a: Mapping[str, Any], b: Mapping[str, Any]) -> int | None:
    """Years between the two birth years (exact or estimated from an age), from their hashed
    windows: windows reaching r and s years either side of years d apart share r + s + 1 − d years.
    None when either is unknown or they are further apart than the windows reach."""
    if not (a.get("y") and b.get("y")):
        return None
    shared = len(set(a["y"]) & set(b["y"]))
    if not shared:
        return None
    return (len(a["y"]) - 1) // 2 + (len(b["y"]) - 1) // 2 + 1 - shared


def _no_date_weight(a: Mapping[str, Any], b: Mapping[str, Any]) -> float:
    """What the names are worth without a common birth date: graded by how far apart the ages are,
    ``AGE_DISAGREES`` beyond the windows, ``NO_DATE`` when either age is unknown."""
    gap = _age_gap(a, b)
    if gap is not None:
        return AGE_GAP_WEIGHTS[min(gap, len(AGE_GAP_WEIGHTS) - 1)]
    return AGE_DISAGREES if _ages_disagree(a, b) else NO_DATE


def _ages_disagree(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Birth years (exact or estimated from an age) too far apart; unknown on either side: no."""
    return bool(a.get("y") and b.get("y") and set(a["y"]).isdisjoint(b["y"]))


def _one_person(records: Sequence[dict[str, Any] | None]) -> bool:
    """Whether the records all match one another: one person registered several times."""
    known = [record for record in records if record is not None]
    return len(known) == len(records) and all(score(a, b) >= THRESHOLD for a, b in combinations(known, 2))


def _name_singles_out(
    query: dict[str, Any], best: Any, signatures: Mapping[Any, dict[str, Any]], shown: set[Any]
) -> bool:
    """Whether the name alone singles ``best`` out among every candidate bearing it.

    Used when the query has a birth date and the best candidate has none: nothing but the name
    links them. Namesakes whose birth date disagrees are not candidates, but they are evidence: a
    name that many registered persons share is as likely to belong to a newcomer as to the one
    undated record, so the match is suggested only when no other person of a compatible sex
    (besides those ``shown`` with it) bears a name within ``NAMESAKE_MARGIN`` of it."""
    level = name_similarity(query, signatures[best]) - NAMESAKE_MARGIN
    for other, data in signatures.items():
        if other in shown or _sexes_disagree(query, data):
            continue
        if name_similarity(query, data) > level:
            return False
    return True


def suggestions(
    scored: Iterable[tuple[Any, float]],
    signatures: Mapping[Any, dict[str, Any]] | None = None,
    *,
    query: dict[str, Any] | None = None,
) -> list[tuple[Any, float]]:
    """What the system suggests to a user, best first.

    *Confident* candidates (score ≥ ``CONFIDENT``: birth dates agree and the names agree well) are
    suggested when within ``MARGIN`` of the best. Otherwise (no birth date on one side, a date
    component mistyped, names that agree only in part) the best candidate is suggested only if it
    stands out: at least ``THRESHOLD`` and ``AMBIGUITY`` ahead of the next one. Namesakes equally
    close to an undated record are genuinely ambiguous: suggesting a crowd of them would mostly
    point the user at the wrong persons. With the ``query``, close candidates bearing every name it
    gives are preferred to those lacking one (a record that lacks a name the query gives is less
    likely the same person than one that only has a name more). Two exceptions: exactly two close
    candidates that both score at least ``PAIR_FLOOR`` are both shown (two records are quickly told
    apart by the user, and one of them is often the person); close candidates that look like one
    person registered several times (they all match one another, given their ``signatures``): all
    are shown.
    With the ``query``'s signature, a dated query whose best candidate is undated must also be
    singled out by the name among all candidates, dated namesakes included (``_name_singles_out``)."""
    ranked = sorted((item for item in scored if item[1] >= FLOOR), key=lambda item: (-item[1], str(item[0])))
    if not ranked or ranked[0][1] < THRESHOLD:
        return []
    best = ranked[0][1]
    if best >= CONFIDENT:
        return [item for item in ranked if item[1] >= max(CONFIDENT, best - MARGIN)][:MAX_SUGGESTIONS]
    close = [item for item in ranked if item[1] > best - AMBIGUITY]
    if len(close) > 1 and query is not None and signatures is not None:
        # Close candidates that bear every name the query gives come before those lacking one.
        complete = [
            item for item in close if item[1] >= THRESHOLD and has_every_word(query, signatures.get(item[0], {}))
        ]
        close = complete or close
    if len(close) > 1:
        if signatures is None or len(close) > MAX_SUGGESTIONS:
            return []
        two_good = len(close) == 2 and close[1][1] >= PAIR_FLOOR
        if not two_good and not _one_person([signatures.get(item) for item, _score in close]):
            return []
        close = [item for item in close if item[1] >= THRESHOLD]
    if query is not None and signatures is not None and query.get("d"):
        top = close[0][0]
        shown = {item for item, _score in close}
        if top in signatures and not signatures[top].get("d") and not _name_singles_out(query, top, signatures, shown):
            return []
    return close


def _words_within(query: list[list[Any]], other: list[list[Any]]) -> bool:
    remaining = list(other)
    for word in query:
        at = next((i for i, candidate in enumerate(remaining) if _word_similarity(word, candidate) >= ONE_EDIT), None)
        if at is None:
            return False
        remaining.pop(at)
    return True


def has_every_word(query: Mapping[str, Any], other: Mapping[str, Any]) -> bool:
    """Whether each word of each name part of ``query`` is a distinct word of ``other``'s (the same
    key or one edit apart); ``other`` may have more."""
    return _words_within(query.get("g", []), other.get("g", [])) and _words_within(
        query.get("f", []), other.get("f", [])
    )


def consistent(query: dict[str, Any], other: dict[str, Any]) -> bool:
    """Whether ``other`` could be the person ``query`` describes, with no preference: every word of
    each name part of the query is a distinct word of the other's (same key or one edit; words may
    be missing from the query), the birth dates do not disagree (equal, day and month swapped, or
    one missing) and the sexes do not disagree. Used to measure how many queries are ambiguous in
    principle (the benchmark's note); not part of the suggestion rule."""
    if not has_every_word(query, other):
        return False
    date = _date_similarity(query.get("d"), other.get("d"))
    if date is None and _ages_disagree(query, other):
        return False
    return (date is None or date >= SWAPPED_DATE) and not _sexes_disagree(query, other)


def ambiguous(query: dict[str, Any], truth: Sequence[Any], signatures: Mapping[Any, dict[str, Any]]) -> bool | None:
    """For a labelled query: None if none of its true records (``truth``) is even ``consistent`` with it,
    True if another person is as consistent (a true record with exactly the query's word counts is
    preferred to one that needs words dropped), False if the query is answerable in principle."""

    def same_shape(other: dict[str, Any]) -> bool:
        return len(query.get("g", [])) == len(other.get("g", [])) and len(query.get("f", [])) == len(other.get("f", []))

    true = [signatures[item] for item in truth if item in signatures and consistent(query, signatures[item])]
    if not true:
        return None
    exact = any(same_shape(data) for data in true)
    others = (
        data
        for item, data in signatures.items()
        if item not in truth and consistent(query, data) and (not exact or same_shape(data))
    )
    return any(True for _data in others)


# --- the search, over any index -------------------------------------------------------------------


class MatchIndex(Protocol):
    def candidates(self, keys: Sequence[SearchKey], limit: int) -> list[Any]: ...

    def signatures(self, ids: Sequence[Any]) -> dict[Any, dict[str, Any]]: ...


@dataclass(frozen=True)
class SearchResult:
    suggested: list[tuple[Any, float]]  # [(id, score)], best first
    close: int  # candidates scoring at least THRESHOLD, suggested or not
    agreed: dict[Any, tuple[str, ...]] = field(default_factory=dict)  # suggested id: ``agreements``

    @property
    def crowded(self) -> bool:
        """Several persons match and none stands out: the user should add what tells them apart
        (birth date, age, the second family name) rather than be told nobody matches."""
        return not self.suggested and self.close > 1


def search_all(index: MatchIndex, record: NameRecord, *, exclude: Iterable[Any] = ()) -> SearchResult:
    query = signature(record)
    excluded = set(exclude)
    ids = [item for item in index.candidates(search_keys(record), MAX_CANDIDATES) if item not in excluded]
    found = index.signatures(ids)
    scored = [(item, score(query, data)) for item, data in found.items()]
    close = sum(1 for _item, value in scored if value >= THRESHOLD)
    suggested = suggestions(scored, found, query=query)
    return SearchResult(suggested, close, {item: agreements(query, found[item]) for item, _score in suggested})


def search(index: MatchIndex, record: NameRecord, *, exclude: Iterable[Any] = ()) -> list[tuple[Any, float]]:
    """Suggested duplicates of ``record`` in ``index``: [(id, score)], best first."""
    return search_all(index, record, exclude=exclude).suggested


class MemoryIndex:
    """The throwaway index of ``match_persons``: postings and signatures in dictionaries."""

    def __init__(self) -> None:
        self.postings: dict[tuple[str, str], list[Any]] = {}
        self.data: dict[Any, dict[str, Any]] = {}

    def add(self, item: Any, record: NameRecord) -> None:
        for key in blocking_keys(record):
            self.postings.setdefault(key, []).append(item)
        self.data[item] = signature(record)

    def candidates(self, keys: Sequence[SearchKey], limit: int) -> list[Any]:
        counts: dict[Any, float] = {}
        for key in keys:
            kind, token, _share = key
            posting = self.postings.get((kind, token), [])
            weight = posting_weight(key, truncated=len(posting) > MAX_POSTINGS)
            for item in posting[:MAX_POSTINGS]:
                counts[item] = counts.get(item, 0.0) + weight
        # Ties keep the order candidates were first seen, as Counter.most_common would.
        return sorted(counts, key=lambda item: -counts[item])[:limit]

    def signatures(self, ids: Sequence[Any]) -> dict[Any, dict[str, Any]]:
        return {item: self.data[item] for item in ids if item in self.data}

    def brute_force(self, record: NameRecord) -> list[tuple[Any, float]]:
        """Score against every record (the benchmark's reference; never used in production)."""
        query = signature(record)
        return suggestions(((item, score(query, data)) for item, data in self.data.items()), self.data, query=query)
