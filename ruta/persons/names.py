"""Spanish person names as matching sees them: normalised words and their phonetic keys.

Accents, case and punctuation are folded; particles (de, del, la, los, y…) and initials dropped; a
married name at the end of the family names ("… de Díaz") left out; common abbreviations expanded
(Ma. → María) and nicknames of one name only replaced by it; each word reduced to a Spanish
*phonetic key* that merges the usual spelling variants (b/v, s/c/z, y/ll/i, silent h, g/j, qu/k/c,
ñ/n, doubled letters…). ``NameRecord`` is one person's names, birth date and sex as compared."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

MAX_WORDS = 4  # words kept per name part (long compound names are truncated)

PARTICLES = frozenset({"de", "del", "la", "las", "los", "lo", "y", "e", "da", "das", "do", "dos", "di", "van", "von"})
ABBREVIATIONS = {"ma": "maria", "mria": "maria", "fco": "francisco", "fca": "francisca", "jse": "jose"}
# Common Spanish (Honduran) hypocorisms of given names, each of one name only ("Beto" is Roberto or
# Alberto, "Dani" Daniel or Daniela: left alone). A given name written as its nickname matches it.
NICKNAMES = {
    "chepe": "jose", "pepe": "jose", "chico": "francisco", "paco": "francisco", "pancho": "francisco",
    "lola": "dolores", "lupe": "guadalupe", "manolo": "manuel", "tono": "antonio", "chus": "jesus",
    "nacho": "ignacio", "memo": "guillermo", "quique": "enrique", "tere": "teresa", "chayo": "rosario",
    "charo": "rosario", "chelo": "consuelo", "concha": "concepcion", "lencho": "lorenzo", "suya": "suyapa",
    "mari": "maria", "toya": "victoria", "lalo": "eduardo", "chente": "vicente",
}  # fmt: skip


def fold(text: str) -> str:
    """Lower case, accents and ñ folded, anything but letters turned into spaces."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    return re.sub(r"[^a-z]+", " ", stripped).strip()


def name_words(text: str, *, repeats: bool = False, given: bool = False, family: bool = False) -> list[str]:
    """The meaningful words of a name: particles, initials and repeated words removed (kept with
    ``repeats``: "López López" has two family names, and "López Herrera" is not the same person);
    for ``given`` names, a nickname stands for its name ("Chepe" → José); for ``family`` names, a
    married name ("Arita Vásquez de Díaz") is left out: it comes and goes with the record."""
    words: list[str] = []
    raws = fold(text).split()
    if family and len(raws) >= 3 and raws[-2] == "de" and raws[-3] not in PARTICLES:
        raws = raws[:-2]
    for raw in raws:
        word = ABBREVIATIONS.get(raw, raw)
        if given:
            word = NICKNAMES.get(word, word)
        if word in PARTICLES or len(word) < 2 or (word in words and not repeats):
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


def name_parts(text: str, *, repeats: bool = False, given: bool = False, family: bool = False) -> list[tuple[str, str]]:
    """(phonetic key, spelling) of each meaningful word; words that sound alike count once, unless
    ``repeats``."""
    parts: list[tuple[str, str]] = []
    for word in name_words(text, repeats=repeats, given=given, family=family):
        key = phonetic_key(word)
        if repeats or all(key != seen for seen, _spelling in parts):
            parts.append((key, word))
    return parts


def name_keys(text: str, *, repeats: bool = False, given: bool = False, family: bool = False) -> list[str]:
    return [key for key, _spelling in name_parts(text, repeats=repeats, given=given, family=family)]


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
    birth_year: int | None = None  # estimated from a recorded age; used when the birth date is unknown

    @property
    def year(self) -> int | None:
        return self.birth_date.year if self.birth_date else self.birth_year

    @property
    def given_parts(self) -> list[tuple[str, str]]:
        return name_parts(self.given_names, given=True)

    @property
    def family_parts(self) -> list[tuple[str, str]]:
        return name_parts(self.family_names, repeats=True, family=True)

    @property
    def given_keys(self) -> list[str]:
        return [key for key, _spelling in self.given_parts]

    @property
    def family_keys(self) -> list[str]:
        return [key for key, _spelling in self.family_parts]
