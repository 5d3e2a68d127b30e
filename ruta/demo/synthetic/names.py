"""Honduran names for synthetic persons, and the spelling variants real registries are full of."""

from __future__ import annotations

import datetime as dt
import random
import unicodedata

from ruta.demo.synthetic import data
from ruta.demo.synthetic.rand import Weighted

FEMALE = Weighted(data.FEMALE_GIVEN)
MALE = Weighted(data.MALE_GIVEN)
SURNAME = Weighted(data.SURNAMES)


def given_names(rng: random.Random, sex: str) -> str:
    table = MALE if sex == "male" else FEMALE
    first = table.pick(rng)
    if rng.random() < 0.62:  # most Hondurans have two given names
        second = table.pick(rng)
        if second != first:
            return f"{first} {second}"
    return first


def family_names(rng: random.Random) -> str:
    first = SURNAME.pick(rng)
    if rng.random() < 0.93:  # paternal and maternal surnames
        return f"{first} {SURNAME.pick(rng)}"
    return first


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


_SOUND_ALIKE = [("v", "b"), ("b", "v"), ("s", "z"), ("z", "s"), ("y", "i"), ("ll", "y"), ("c", "s"), ("h", "")]


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    kind = rng.random()
    position = rng.randrange(1, len(word) - 1)
    if kind < 0.4:  # sound-alike spelling
        for old, new in rng.sample(_SOUND_ALIKE, len(_SOUND_ALIKE)):
            if old in word[1:]:
                return word[0] + word[1:].replace(old, new, 1)
    if kind < 0.7:  # adjacent transposition
        return word[:position] + word[position + 1] + word[position] + word[position + 2 :]
    return word[:position] + word[position + 1 :]  # a dropped letter


def variant(rng: random.Random, given: str, family: str, birth_date: str) -> tuple[str, str, str]:
    """The same person as another institution might have written them down (one or two changes)."""
    for _ in range(rng.choice((1, 1, 2))):
        change = rng.random()
        given_words, family_words = given.split(), family.split()
        if change < 0.2:
            given, family = _strip_accents(given).upper(), _strip_accents(family).upper()
        elif change < 0.35 and len(given_words) > 1:
            given = given_words[0]  # second given name left out
        elif change < 0.5 and len(family_words) > 1:
            family = family_words[0] if rng.random() < 0.7 else f"{family_words[1]} {family_words[0]}"
        elif change < 0.6 and given_words[0] in data.NICKNAMES:
            given = " ".join([data.NICKNAMES[given_words[0]], *given_words[1:]])
        elif change < 0.8:
            index = rng.randrange(len(family_words))
            family_words[index] = _typo(rng, family_words[index])
            family = " ".join(family_words)
        elif change < 0.9:
            index = rng.randrange(len(given_words))
            given_words[index] = _typo(rng, given_words[index])
            given = " ".join(given_words)
        elif birth_date:
            date = dt.date.fromisoformat(birth_date)
            if date.day <= 12 and rng.random() < 0.5:
                birth_date = date.replace(month=date.day, day=date.month).isoformat()  # day/month swapped
            else:
                birth_date = ""  # not known to the second institution
    return given, family, birth_date
