"""A labelled generator of Honduran person records and realistic duplicate variants.

Deterministic by seed. The tests measure matching quality with it and the benchmark reuses it:

    registry, queries, truth = benchmark_set(registry_size=5000, query_count=1000, seed=7)

``truth[query.id]`` is the id of the registry record the query is a variant of, or None for a
person who is not in the registry. Registries contain the hard negatives real data has: very
common names (María, José, Hernández, López…), namesakes and siblings sharing both family names.

Variant operations, as they happen at intake: accents and case lost, Spanish spelling variants
(b/v, s/c/z, y/ll/i, silent h, g/j, qu/k/c, ñ/n, doubled letters), typing errors (deletion,
insertion, substitution by a neighbouring key, transposition), compound given names shortened,
second family name missing or family names in the other order, a married name added with "de",
birth date missing, day and month swapped or one component mistyped, sex not recorded."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, replace

# (name, weight): weights follow the rough frequency of names in Honduran civil registers.
FEMALE_GIVEN = [
    ("María", 30),
    ("Ana", 8),
    ("Karla", 5),
    ("Dania", 3),
    ("Sandra", 4),
    ("Gloria", 3),
    ("Suyapa", 5),
    ("Lesly", 3),
    ("Yesenia", 3),
    ("Dilcia", 2),
    ("Xiomara", 2),
    ("Wendy", 4),
    ("Glenda", 2),
    ("Iris", 3),
    ("Rosa", 5),
    ("Marta", 3),
    ("Reina", 3),
    ("Ingrid", 2),
    ("Keila", 2),
    ("Heidy", 2),
    ("Jessica", 4),
    ("Cindy", 3),
    ("Lourdes", 2),
    ("Alejandra", 4),
    ("Fernanda", 3),
    ("Gabriela", 4),
    ("Daniela", 4),
    ("Nohemí", 2),
    ("Belkis", 1),
    ("Yolanda", 2),
    ("Olga", 2),
    ("Elsa", 2),
    ("Blanca", 2),
    ("Carmen", 4),
    ("Teresa", 2),
    ("Isabel", 3),
    ("Patricia", 3),
    ("Mirian", 2),
    ("Dunia", 2),
    ("Nelly", 1),
    ("Marlen", 2),
    ("Sonia", 2),
    ("Lidia", 2),
    ("Brenda", 3),
    ("Josefa", 1),
    ("Yessica", 2),
    ("Kenia", 2),
    ("Lilian", 2),
    ("Evelyn", 2),
    ("Julia", 2),
    ("Elena", 2),
    ("Guadalupe", 2),
    ("Nancy", 2),
    ("Vilma", 2),
    ("Zoila", 1),
]
MALE_GIVEN = [
    ("José", 30),
    ("Juan", 12),
    ("Carlos", 8),
    ("Luis", 8),
    ("Jorge", 5),
    ("Mario", 4),
    ("Francisco", 5),
    ("Manuel", 4),
    ("Marvin", 3),
    ("Wilmer", 3),
    ("Elvin", 3),
    ("Nelson", 3),
    ("Óscar", 3),
    ("Héctor", 3),
    ("Kevin", 4),
    ("Brayan", 3),
    ("Erick", 3),
    ("Josué", 4),
    ("Jonathan", 2),
    ("Wilson", 2),
    ("Denis", 3),
    ("Edwin", 3),
    ("Ever", 2),
    ("Santos", 4),
    ("Pedro", 3),
    ("Miguel", 4),
    ("Ángel", 4),
    ("David", 4),
    ("Daniel", 4),
    ("Cristian", 3),
    ("Roberto", 3),
    ("Ramón", 3),
    ("Rigoberto", 2),
    ("Wilfredo", 2),
    ("Dagoberto", 1),
    ("Fredy", 2),
    ("Allan", 2),
    ("Henry", 2),
    ("Selvin", 2),
    ("Walter", 2),
    ("Yovani", 1),
    ("Gerardo", 2),
    ("Guillermo", 2),
    ("Alexis", 2),
    ("Joel", 2),
    ("Isaac", 1),
    ("Javier", 3),
    ("Héctor", 1),
    ("Axel", 1),
    ("Bayron", 1),
    ("Víctor", 3),
    ("Raúl", 2),
    ("Julio", 2),
    ("Enrique", 2),
    ("Esteban", 1),
]
FAMILY = [
    ("Hernández", 30),
    ("López", 20),
    ("Martínez", 18),
    ("Rodríguez", 15),
    ("García", 14),
    ("Mejía", 10),
    ("Flores", 12),
    ("Reyes", 10),
    ("Pérez", 10),
    ("Cruz", 10),
    ("Gómez", 8),
    ("Sánchez", 9),
    ("Díaz", 6),
    ("Ramírez", 7),
    ("Castillo", 6),
    ("Zelaya", 5),
    ("Romero", 5),
    ("Aguilar", 6),
    ("Ramos", 5),
    ("Álvarez", 5),
    ("Sosa", 4),
    ("Ortiz", 4),
    ("Torres", 4),
    ("Vásquez", 6),
    ("Maradiaga", 3),
    ("Ordóñez", 3),
    ("Bonilla", 4),
    ("Rivera", 5),
    ("Matute", 2),
    ("Mendoza", 4),
    ("Castro", 4),
    ("Chávez", 4),
    ("Padilla", 3),
    ("Murillo", 3),
    ("Banegas", 2),
    ("Paz", 3),
    ("Euceda", 2),
    ("Valladares", 2),
    ("Zúniga", 3),
    ("Amaya", 3),
    ("Cáceres", 2),
    ("Velásquez", 3),
    ("Osorto", 2),
    ("Fúnez", 2),
    ("Membreño", 2),
    ("Pineda", 3),
    ("Suazo", 2),
    ("Argueta", 2),
    ("Molina", 3),
    ("Espinoza", 3),
    ("Lagos", 2),
    ("Posadas", 1),
    ("Sierra", 2),
    ("Turcios", 2),
    ("Carranza", 2),
    ("Lobo", 2),
    ("Izaguirre", 2),
    ("Galeas", 1),
    ("Guevara", 2),
    ("Villatoro", 1),
    ("Medina", 3),
    ("Alvarado", 3),
    ("Andrade", 2),
    ("Baquedano", 1),
    ("Discua", 1),
    ("Urbina", 2),
    ("Escoto", 1),
    ("Irías", 1),
    ("Raudales", 1),
    ("Cálix", 1),
    ("Cerrato", 1),
    ("Erazo", 1),
    ("Ferrera", 1),
    ("Girón", 2),
    ("Herrera", 3),
    ("Juárez", 2),
    ("Leiva", 2),
    ("Midence", 1),
    ("Núñez", 2),
    ("Orellana", 2),
    ("Quintanilla", 1),
    ("Rosales", 2),
    ("Santos", 2),
    ("Tróchez", 1),
    ("Ulloa", 1),
    ("Varela", 2),
    ("Zavala", 2),
    ("de la Cruz", 2),
    ("del Cid", 1),
    ("Guillén", 1),
    ("Yánez", 1),
    ("Villeda", 1),
    ("Hernández", 1),
    ("Chinchilla", 1),
]
COMPOUND_FEMALE = ["María José", "María de los Ángeles", "María del Carmen", "Ana María", "Rosa María"]

# Spelling variants that people really write (both directions are applied).
SPELLING = [
    ("v", "b"),
    ("b", "v"),
    ("z", "s"),
    ("s", "z"),
    ("ce", "se"),
    ("ci", "si"),
    ("se", "ce"),
    ("ll", "y"),
    ("y", "ll"),
    ("y", "i"),
    ("i", "y"),
    ("ge", "je"),
    ("gi", "ji"),
    ("je", "ge"),
    ("j", "g"),
    ("qu", "k"),
    ("c", "k"),
    ("k", "c"),
    ("ñ", "n"),
    ("n", "ñ"),
    ("rr", "r"),
    ("r", "rr"),
    ("ll", "l"),
    ("tt", "t"),
    ("ss", "s"),
    ("s", "ss"),
    ("nn", "n"),
    ("x", "j"),
    ("w", "gu"),
    ("gu", "w"),
]
KEYBOARD = {
    "a": "qwsz",
    "b": "vghn",
    "c": "xdfv",
    "d": "serfcx",
    "e": "wsdr",
    "f": "drtgvc",
    "g": "ftyhbv",
    "h": "gyujnb",
    "i": "ujko",
    "j": "huikmn",
    "k": "jiolm",
    "l": "kop",
    "m": "njk",
    "n": "bhjm",
    "o": "iklp",
    "p": "ol",
    "q": "wa",
    "r": "edft",
    "s": "awedxz",
    "t": "rfgy",
    "u": "yhji",
    "v": "cfgb",
    "w": "qase",
    "x": "zsdc",
    "y": "tghu",
    "z": "asx",
}


@dataclass(frozen=True)
class PersonRecord:
    id: str
    given_names: str
    family_names: str
    birth_date: str = ""  # YYYY-MM-DD or empty
    sex: str = ""  # female / male / empty

    def as_json(self) -> dict[str, str]:
        data = {"id": self.id, "given_names": self.given_names, "family_names": self.family_names}
        if self.birth_date:
            data["birth_date"] = self.birth_date
        if self.sex:
            data["sex"] = self.sex
        return data


def _pick(rng: random.Random, table: list[tuple[str, int]]) -> str:
    names, weights = zip(*table, strict=True)
    return rng.choices(names, weights=weights)[0]


def _birth_date(rng: random.Random, today: dt.date) -> str:
    age_days = rng.randint(2 * 365, 70 * 365)
    return (today - dt.timedelta(days=age_days)).isoformat()


def _person(rng: random.Random, ident: str, today: dt.date, family: str | None = None) -> PersonRecord:
    sex = rng.choice(["female", "male"])
    if sex == "female" and rng.random() < 0.12:
        given = rng.choice(COMPOUND_FEMALE)
    else:
        table = FEMALE_GIVEN if sex == "female" else MALE_GIVEN
        given = _pick(rng, table)
        if rng.random() < 0.55:
            second = _pick(rng, table)
            if second != given:
                given = f"{given} {second}"
    if family is None:
        first, second = _pick(rng, FAMILY), _pick(rng, FAMILY)
        family = first if rng.random() < 0.05 else f"{first} {second}"
    return PersonRecord(ident, given, family, _birth_date(rng, today), sex)


def registry(size: int, seed: int = 1, today: dt.date | None = None) -> list[PersonRecord]:
    """``size`` distinct persons; about one in ten is a sibling of an earlier one (same family names)."""
    rng = random.Random(seed)  # noqa: S311 - deterministic synthetic data, not secrets
    today = today or dt.date(2026, 1, 1)
    people: list[PersonRecord] = []
    for number in range(size):
        ident = f"r{number}"
        if people and rng.random() < 0.1:
            people.append(_person(rng, ident, today, family=rng.choice(people).family_names))
        else:
            people.append(_person(rng, ident, today))
    return people


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def spelling_variant(rng: random.Random, word: str) -> str:
    lower = word.lower()
    options = [(old, new) for old, new in SPELLING if old in lower]
    if lower[:1] in "aeiou" and rng.random() < 0.5:
        return "H" + lower if word[:1].isupper() else "h" + lower
    if lower.startswith("h"):
        options.append(("h", ""))
    if not options:
        return word
    old, new = rng.choice(options)
    positions = [i for i in range(len(lower)) if lower.startswith(old, i)]
    at = rng.choice(positions)
    changed = lower[:at] + new + lower[at + len(old) :]
    return changed.capitalize() if word[:1].isupper() else changed


def typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    at = rng.randrange(1, len(word) - 1)
    operation = rng.choice(["delete", "insert", "substitute", "transpose"])
    char = word[at].lower()
    neighbour = rng.choice(KEYBOARD.get(strip_accents(char), "aeiou"))
    if operation == "delete":
        return word[:at] + word[at + 1 :]
    if operation == "insert":
        return word[:at] + neighbour + word[at:]
    if operation == "substitute":
        return word[:at] + neighbour + word[at + 1 :]
    return word[: at - 1] + word[at] + word[at - 1] + word[at + 1 :]


def _alter_one_word(rng: random.Random, text: str, change: str) -> str:
    words = text.split()
    candidates = [i for i, w in enumerate(words) if w.lower() not in ("de", "del", "la", "los", "las")]
    if not candidates:
        return text
    at = rng.choice(candidates)
    words[at] = spelling_variant(rng, words[at]) if change == "spelling" else typo(rng, words[at])
    return " ".join(words)


def variant(rng: random.Random, person: PersonRecord, ident: str) -> PersonRecord:
    """The same person as another institution might register them."""
    given, family, birth, sex = person.given_names, person.family_names, person.birth_date, person.sex
    # Structure of the names.
    given_words = given.split()
    if len(given_words) > 1 and rng.random() < 0.3 and "de" not in given_words and "del" not in given_words:
        given = rng.choice(given_words)  # goes by one of the given names
    family_words = family.split()
    if len(family_words) == 2 and family_words[0][:1].isupper() and family_words[1][:1].isupper():
        roll = rng.random()
        if roll < 0.15:
            family = family_words[0]  # second family name not given
        elif roll < 0.22:
            family = f"{family_words[1]} {family_words[0]}"
        elif roll < 0.25 and sex == "female":
            family = f"{family} de {_pick(rng, FAMILY)}"  # married name added
    # Spelling and typing.
    for _ in range(rng.choice([0, 1, 1, 1, 2])):
        if rng.random() < 0.5:
            given = _alter_one_word(rng, given, rng.choice(["spelling", "typo"]))
        else:
            family = _alter_one_word(rng, family, rng.choice(["spelling", "typo"]))
    if rng.random() < 0.5:
        given, family = strip_accents(given), strip_accents(family)
    if rng.random() < 0.15:
        given, family = given.upper(), family.upper()
    # Birth date and sex.
    roll = rng.random()
    if roll < 0.12:
        birth = ""
    elif roll < 0.16 and birth:
        year, month, day = birth.split("-")
        if int(day) <= 12:
            birth = f"{year}-{day}-{month}"
    elif roll < 0.21 and birth:
        date = dt.date.fromisoformat(birth)
        part = rng.choice(["year", "day"])
        with contextlib.suppress(ValueError):  # 29 February in a year without one
            date = (
                date.replace(year=date.year + rng.choice([-1, 1]))
                if part == "year"
                else date.replace(day=rng.randint(1, 28))
            )
        birth = date.isoformat()
    if rng.random() < 0.2:
        sex = ""
    return replace(person, id=ident, given_names=given, family_names=family, birth_date=birth, sex=sex)


def recorded_birth_year(rng: random.Random, year: int | None) -> int | None:
    """The birth year implied by the age a second institution records when it has no birth date:
    unknown one time in ten, usually right, often a year or two off, sometimes five."""
    roll = rng.random()
    if year is None or roll < 0.1:
        return None
    if roll < 0.7:
        return year
    if roll < 0.95:
        return year + rng.choice((-2, -1, 1, 2))
    return year + rng.choice((-5, 5))


def benchmark_set(
    registry_size: int, query_count: int, seed: int = 1, match_share: float = 0.8
) -> tuple[list[PersonRecord], list[PersonRecord], dict[str, str | None]]:
    """A registry, queries (variants of registry persons, or new persons) and the truth."""
    rng = random.Random(seed * 7919 + 13)  # noqa: S311 - deterministic synthetic data
    people = registry(registry_size, seed=seed)
    strangers = registry(query_count, seed=seed + 104729)
    queries: list[PersonRecord] = []
    truth: dict[str, str | None] = {}
    for number in range(query_count):
        ident = f"q{number}"
        if rng.random() < match_share:
            source = rng.choice(people)
            queries.append(variant(rng, source, ident))
            truth[ident] = source.id
        else:
            queries.append(variant(rng, strangers[number], ident))
            truth[ident] = None
    return people, queries, truth
