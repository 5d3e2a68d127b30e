"""Keeping persons out of the threat register: does a narrative look like it names someone?

Two checks, both on the words the member typed and never stored:

- the **registry**: every two neighbouring words are read as a given and a family name and looked
  up among the keyed blocking tokens of the persons' registry (``ruta.persons.blocking``: the same
  normalisation and phonetic keys as duplicate matching; no plaintext ever compared). A person is
  found when both halves of their "given name + family name" tokens agree;
- a **heuristic** for names nobody registered yet: two to four capitalised words in a row (particles
  such as "de" or "del" allowed between them) that are not a place we know or a word that usually
  names a venue ("Bar", "Finca", "Terminal"…).

The warning never says which words matched, so it cannot reveal who is in the registry. The member
may confirm that a heuristic match is not a person's name (a venue's trade name often looks like
one); a registry match cannot be confirmed away: the text must be rephrased."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from ruta.geo.models import Department, Municipality
from ruta.persons.blocking import keyed
from ruta.persons.models import PersonSearchToken
from ruta.persons.names import PARTICLES, fold, name_keys

# Words that open the name of a place or business rather than a person's name.
PLACE_WORDS = frozenset(
    fold(word)
    for word in [
        "bar",
        "barrio",
        "billar",
        "cantina",
        "carretera",
        "centro",
        "calle",
        "colonia",
        "comercial",
        "discoteca",
        "empresa",
        "facebook",
        "finca",
        "frontera",
        "hotel",
        "instagram",
        "kilómetro",
        "maquila",
        "mercado",
        "motel",
        "parque",
        "plaza",
        "puente",
        "puerto",
        "restaurante",
        "río",
        "salón",
        "terminal",
        "tiktok",
        "whatsapp",
        "aldea",
        "caserío",
        "hacienda",
        "avenida",
        "bulevar",
        "aduana",
    ]
)
CAPITALISED = re.compile(r"^[A-ZÁÉÍÓÚÑÜ][a-záéíóúñü]+$")


@dataclass(frozen=True)
class NameCheck:
    registry: bool  # a known person's name appears (never which one)
    heuristic: bool  # something shaped like a person's name appears

    @property
    def found(self) -> bool:
        return self.registry or self.heuristic


def _plain(text: str) -> str:
    return " ".join(word for word in fold(text).split() if word not in PARTICLES)


@lru_cache(maxsize=1)
def _place_names() -> tuple[re.Pattern[str], ...]:
    """The country's municipality and department names (particles left out), longest first."""
    names = set(Municipality.objects.values_list("name", flat=True)) | set(
        Department.objects.values_list("name", flat=True)
    )
    plain = sorted({_plain(name) for name in names if _plain(name)}, key=len, reverse=True)
    return tuple(re.compile(rf"\b{re.escape(name)}\b") for name in plain)


def _without_places(words: list[str]) -> list[str]:
    """The words of a capitalised run once the places in it are taken out ("San Pedro Sula")."""
    text = " ".join(fold(word) for word in words)
    for place in _place_names():
        text = place.sub(" ", text)
    return text.split()


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-zÁÉÍÓÚÑÜáéíóúñü]+", text or "")


def _registry_pairs(words: list[str]) -> list[tuple[str, str]]:
    keys = [name_keys(word) for word in words]
    pairs = []
    for first, second in pairwise(keys):
        if first and second:
            pairs.append((first[0], second[0]))
    return pairs


def mentions_registered_person(text: str) -> bool:
    """True when two neighbouring words are a registered person's given and family name."""
    pairs = _registry_pairs([word for word in _words(text) if fold(word) not in PARTICLES])
    if not pairs:
        return False
    for given, family in pairs:
        start = keyed("block-gf<", f"{given}|{family[:3]}")
        end = keyed("block-gf>", f"{given}|{family[-3:]}")
        both = (
            PersonSearchToken.objects.filter(kind="gf<", token=start)
            .values("person_id")
            .intersection(PersonSearchToken.objects.filter(kind="gf>", token=end).values("person_id"))
        )
        if both.exists():
            return True
    return False


def looks_like_a_name(text: str) -> bool:
    """Two to four capitalised words in a row (particles allowed between them) that are not a
    place we know or a word that opens a venue's name."""
    run: list[str] = []
    naming_a_place = False  # after "Bar", "Colonia", "Terminal"…, the capitalised words name the place
    for word in [*_words(text), ""]:
        folded = fold(word)
        if word and folded in PARTICLES:
            continue  # "María de los Ángeles": particles neither start nor break a name
        capitalised = bool(word and CAPITALISED.match(word))
        if capitalised and folded not in PLACE_WORDS and not naming_a_place:
            run.append(word)
            continue
        if len(_without_places(run)) >= 2:
            return True
        run = []
        naming_a_place = folded in PLACE_WORDS or (naming_a_place and capitalised)
    return False


def check_for_names(*texts: str) -> NameCheck:
    """Each text on its own: a title's last word and a description's first are not one name."""
    return NameCheck(
        registry=any(mentions_registered_person(text) for text in texts),
        heuristic=any(looks_like_a_name(text) for text in texts),
    )
