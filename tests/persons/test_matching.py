from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ruta.demo.synthetic.variants import benchmark_set
from ruta.persons import blocking, matching
from ruta.persons.blocking import AGE_TOLERANCE, MAX_POSTINGS, blocking_keys, search_keys
from ruta.persons.names import NameRecord, fold, name_keys, name_words, parse_birth_date, phonetic_key


def rec(given: str, family: str, birth: str = "", sex: str = "") -> NameRecord:
    return NameRecord(given, family, parse_birth_date(birth), sex)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Hernández", "HERNANDES"),
        ("Bonilla", "Vonilla"),
        ("Yesenia", "Llesenia"),
        ("Jorge", "Jorje"),
        ("Zelaya", "Selaya"),
        ("Quintanilla", "Kintaniya"),
        ("Ordóñez", "Ordonez"),
        ("Matute", "Mattute"),
        ("Héctor", "Ector"),
        ("Guillermo", "Guiyermo"),
    ],
)
def test_spanish_spelling_variants_share_a_phonetic_key(left: str, right: str) -> None:
    assert name_keys(left) == name_keys(right)


def test_different_names_keep_different_keys() -> None:
    assert name_keys("Ana") != name_keys("Ada")
    assert name_keys("Pérez") != name_keys("López")


def test_particles_initials_and_abbreviations() -> None:
    assert name_words("María de los Ángeles") == ["maria", "angeles"]
    assert name_words("Ma. del Carmen") == ["maria", "carmen"]
    assert name_words("José M. de la Cruz") == ["jose", "cruz"]


def test_tokens_are_keyed_never_plaintext() -> None:
    record = rec("María", "Hernández López", "2001-02-03")
    values = [token for _kind, token in blocking_keys(record)]
    assert values and all("maria" not in token.lower() and "2001" not in token for token in values)
    flat = repr(matching.signature(record)).lower()
    assert "maria" not in flat and "ernandes" not in flat and "2001" not in flat


def test_scores_order_sensible_cases() -> None:
    base = matching.signature(rec("María José", "Hernández López", "2010-05-04", "female"))
    same = matching.signature(rec("Maria Jose", "Lopez Hernandes", "2010-04-05", ""))
    one_surname = matching.signature(rec("María", "Hernández", "2010-05-04"))
    sister = matching.signature(rec("Ana Gabriela", "Hernández López", "2012-08-14", "female"))
    brother = matching.signature(rec("María José", "Hernández López", "2010-05-04", "male"))
    assert matching.score(base, same) >= matching.THRESHOLD
    assert matching.score(base, one_surname) >= matching.THRESHOLD
    assert matching.score(base, sister) < matching.THRESHOLD
    assert matching.score(base, brother) < matching.score(base, same)


def test_common_names_do_not_make_huge_blocks() -> None:
    index = matching.MemoryIndex()
    for number in range(3000):
        day = dt.date(1960, 1, 1) + dt.timedelta(days=number * 7)
        index.add(number, rec("María", f"Hernández {['López', 'Pérez', 'Cruz'][number % 3]}", day.isoformat()))
    target = rec("María", "Hernández López", (dt.date(1960, 1, 1) + dt.timedelta(days=21 * 7)).isoformat())
    keys = search_keys(target)
    assert all(len(index.postings.get(key[:2], [])[:MAX_POSTINGS]) <= MAX_POSTINGS for key in keys)
    assert len(index.candidates(keys, matching.MAX_CANDIDATES)) <= matching.MAX_CANDIDATES
    found = matching.search(index, target)
    assert found[0][0] == 21


def test_quality_on_generated_honduran_variants() -> None:
    registry, queries, truth = benchmark_set(3000, 2000, seed=20260)
    index = matching.MemoryIndex()
    for person in registry:
        index.add(person.id, rec(person.given_names, person.family_names, person.birth_date, person.sex))
    true_positive = false_positive = missed = 0
    for query in queries:
        found = [
            item
            for item, _ in matching.search(
                index, rec(query.given_names, query.family_names, query.birth_date, query.sex)
            )
        ]
        expected = truth[query.id]
        if expected is not None:
            true_positive += expected in found
            missed += expected not in found
        false_positive += sum(item != expected for item in found)
    recall = true_positive / (true_positive + missed)
    precision = true_positive / (true_positive + false_positive)
    assert recall >= 0.95, recall
    assert precision >= 0.90, precision


def test_variant_generator_is_deterministic() -> None:
    assert benchmark_set(50, 20, seed=4) == benchmark_set(50, 20, seed=4)
    assert benchmark_set(50, 20, seed=4) != benchmark_set(50, 20, seed=5)


def test_blocking_search_agrees_with_brute_force() -> None:
    registry, queries, _truth = benchmark_set(800, 200, seed=99)
    index = matching.MemoryIndex()
    for person in registry:
        index.add(person.id, rec(person.given_names, person.family_names, person.birth_date, person.sex))
    agree = 0
    for query in queries:
        record = rec(query.given_names, query.family_names, query.birth_date, query.sex)
        agree += [i for i, _ in matching.search(index, record)] == [i for i, _ in index.brute_force(record)]
    assert agree / len(queries) >= 0.97


def test_a_namesake_born_on_another_day_is_never_suggested() -> None:
    index = matching.MemoryIndex()
    index.add("other", rec("María José", "López Hernández", "1990-03-04", "female"))
    assert matching.search(index, rec("María José", "López Hernández", "2001-07-21", "female")) == []


def test_two_undated_namesakes_are_both_suggested_and_a_crowd_of_them_none() -> None:
    index = matching.MemoryIndex()
    index.add("a", rec("José", "Pérez Cruz", "1990-03-04", "male"))
    index.add("b", rec("José", "Pérez Cruz", "2004-11-30", "male"))
    assert sorted(item for item, _ in matching.search(index, rec("Jose", "Perez Cruz"))) == ["a", "b"]
    index.add("c", rec("José", "Pérez Cruz", "1978-06-12", "male"))
    assert matching.search(index, rec("Jose", "Perez Cruz")) == []
    index.add("d", rec("José Ramón", "Zelaya Cruz", "1990-05-06", "male"))
    assert [item for item, _ in matching.search(index, rec("José Ramón", "Zelaya Cruz"))] == ["d"]


def test_two_close_namesakes_are_shown_together_only_when_both_match_well() -> None:
    # A lone family name that is the namesakes' second one, no birth date on one side: the names
    # alone score below PAIR_FLOOR, so the two stay ambiguous; a query giving the whole name does not.
    query = matching.signature(rec("Dilcia", "Banegas"))
    weak = {name: matching.signature(rec("Dilcia", f"{name} Banegas")) for name in ("Ortiz", "Ulloa")}
    scored = [(name, matching.score(query, data)) for name, data in weak.items()]
    assert all(matching.THRESHOLD <= value < matching.PAIR_FLOOR for _name, value in scored)
    assert abs(scored[0][1] - scored[1][1]) < matching.AMBIGUITY
    assert matching.suggestions(scored, weak, query=query) == []
    full = matching.signature(rec("Dilcia", "Banegas Ortiz"))
    strong = {year: matching.signature(rec("Dilcia", "Banegas Ortiz", f"{year}-02-03")) for year in (1990, 2004)}
    scored = [(year, matching.score(full, data)) for year, data in strong.items()]
    assert all(value >= matching.PAIR_FLOOR for _year, value in scored)
    assert sorted(year for year, _ in matching.suggestions(scored, strong, query=full)) == [1990, 2004]


def test_one_person_registered_twice_is_suggested_twice() -> None:
    index = matching.MemoryIndex()
    index.add("first", rec("Esther Kenia", "Almendárez Cárcamo", "", "female"))
    index.add("again", rec("ESTHER KENIA", "ALMENDAREZ CARCAMO", "", "female"))
    found = [item for item, _ in matching.search(index, rec("Esther Kenia", "Almendarez Carcamo"))]
    assert sorted(found) == ["again", "first"]


def test_a_repeated_family_name_is_a_second_family_name() -> None:
    twice = matching.signature(rec("Alejandra", "López López"))
    other = matching.signature(rec("Alejandra", "López Herrera", "1974-12-07"))
    same = matching.signature(rec("Alejandra", "Lopez Lopez", "1974-12-07"))
    assert matching.score(twice, other) < matching.THRESHOLD <= matching.score(twice, same)


def test_a_nickname_stands_for_its_given_name() -> None:
    assert name_keys("Chepe", given=True) == name_keys("José", given=True)
    assert name_keys("Lupe María", given=True) == name_keys("Guadalupe María", given=True)
    assert name_keys("Chico", given=False) != name_keys("Francisco")  # a surname stays itself
    index = matching.MemoryIndex()
    index.add("jose", rec("José Ramón", "Banegas Cruz", "1994-02-11", "male"))
    assert [item for item, _ in matching.search(index, rec("Chepe Ramón", "Banegas Cruz", "1994-02-11"))] == ["jose"]


def test_a_namesake_of_the_other_sex_is_another_person() -> None:
    index = matching.MemoryIndex()
    index.add("sister", rec("Guadalupe", "Turcios Lagos", "2008-06-02", "female"))
    assert matching.search(index, rec("Guadalupe", "Turcios Lagos", "2008-06-02", "male")) == []
    assert [item for item, _ in matching.search(index, rec("Guadalupe", "Turcios Lagos", "2008-06-02"))] == ["sister"]


def _dated_namesakes(index: matching.MemoryIndex, count: int) -> None:
    for number in range(count):
        born = dt.date(1970, 1, 1) + dt.timedelta(days=number * 400)
        index.add(
            f"dated{number}", rec("José", f"García {['Cruz', 'Paz', 'Lobo'][number % 3]}", born.isoformat(), "male")
        )


def test_a_dated_query_is_not_given_an_undated_record_of_a_common_name() -> None:
    """Namesakes born on other days are not candidates but show that the name is common: a newcomer
    named like them is as likely as the one undated record."""
    index = matching.MemoryIndex()
    index.add("undated", rec("José", "García", "", "male"))
    query = rec("Jose", "Garcia", "1989-02-03", "male")
    assert [item for item, _ in matching.search(index, query)] == ["undated"]
    _dated_namesakes(index, 6)
    assert matching.search(index, query) == []
    # A namesake of the other sex does not make the name common.
    lone = matching.MemoryIndex()
    lone.add("undated", rec("José", "García", "", "male"))
    lone.add("woman", rec("José", "García Cruz", "1970-01-01", "female"))
    assert [item for item, _ in matching.search(lone, query)] == ["undated"]


def test_an_undated_query_still_finds_a_rare_name_without_its_date() -> None:
    index = matching.MemoryIndex()
    _dated_namesakes(index, 6)
    index.add("rare", rec("Wilmer Josué", "Izaguirre Raudales", "1999-09-09", "male"))
    found = matching.search(index, rec("Wilmer Josue", "Izaguirre Raudales"))
    assert [item for item, _ in found] == ["rare"]


def test_an_agreeing_birth_date_carries_a_badly_typed_surname() -> None:
    """The same birth date and given name with a surname mistyped twice and the second one missing:
    an exact date is rare enough that the partial name agreement is suggested; without the date the
    same names are not."""
    index = matching.MemoryIndex()
    index.add("dilcia", rec("Dilcia", "Aguilar Martínez", "1992-10-23", "female"))
    index.add("other", rec("Dilcia", "Osorto Martínez", "1992-03-02", "female"))
    assert [item for item, _ in matching.search(index, rec("Dilcia", "Haguliar", "1992-10-23"))] == ["dilcia"]
    assert matching.search(index, rec("Dilcia", "Haguliar")) == []


def test_a_mistyped_date_component_with_a_reduced_given_name_is_suggested() -> None:
    index = matching.MemoryIndex()
    index.add("ana", rec("Ana Gabriela", "Flores Lagos", "1985-07-19", "female"))
    found = matching.search(index, rec("Ana", "Flores Lagos", "1985-07-13", "female"))
    assert [item for item, _ in found] == ["ana"]
    # A namesake whose whole date differs is still another person.
    assert matching.search(index, rec("Ana", "Flores Lagos", "1999-02-01", "female")) == []


def test_ambiguous_in_principle() -> None:
    """The benchmark's measure of what a query allows: another person as consistent as the source."""
    signatures = {
        "source": matching.signature(rec("Daniela", "Turcios Maradiaga", "", "female")),
        "namesake": matching.signature(rec("Daniela María", "Turcios López", "2001-04-05", "female")),
        "brother": matching.signature(rec("Daniel", "Turcios López", "2001-04-05", "male")),
    }
    reduced = matching.signature(rec("Daniela", "Turcios", "", "female"))
    assert matching.consistent(reduced, signatures["source"]) and matching.consistent(reduced, signatures["namesake"])
    assert matching.ambiguous(reduced, ["source"], signatures) is True
    full = matching.signature(rec("Daniela", "Turcios Maradiaga", "", "female"))
    assert matching.ambiguous(full, ["source"], signatures) is False
    dated = matching.signature(rec("Daniela", "Turcios", "1999-01-02", "female"))  # the namesake's date disagrees
    assert matching.ambiguous(dated, ["source"], signatures) is False
    garbled = matching.signature(rec("Dnaeila", "Trucoisx", "", "female"))
    assert matching.ambiguous(garbled, ["source"], signatures) is None


def _crowded(index: Any, add: Any) -> NameRecord:
    """250 dated namesakes sharing every name key of the query, and the true record: same birth date,
    a typing error in the first surname (so it shares fewer name keys than the namesakes)."""
    for number in range(250):
        born = dt.date(1960, 1, 1) + dt.timedelta(days=number * 37)
        add(f"n{number}", rec("Karla", "Hernández López", born.isoformat(), "female"))
    add("truth", rec("Karla", "Hrenández López", "2001-05-06", "female"))
    return rec("Karla", "Hernández López", "2001-05-06", "female")


def test_a_shared_birth_date_outranks_namesakes_in_blocking(monkeypatch: pytest.MonkeyPatch) -> None:
    index = matching.MemoryIndex()
    query = _crowded(index, index.add)
    monkeypatch.setattr(matching, "MAX_CANDIDATES", 50)  # far fewer than the namesakes
    assert index.candidates(search_keys(query), 50)[0] == "truth"
    assert [item for item, _ in matching.search(index, query)] == ["truth"]
    # Every key alike, and without the birth year's keys (which also single it out here): the truth
    # is crowded out.
    monkeypatch.setattr(blocking, "KEY_WEIGHTS", {})
    name_and_date = [key for key in search_keys(query) if key[0] not in ("gfy", "ffy")]
    assert "truth" not in index.candidates(name_and_date, 50)


def aged(given: str, family: str, year: int | None, sex: str = "") -> dict[str, Any]:
    return matching.signature(NameRecord(given, family, None, sex, birth_year=year))


def test_among_namesakes_sharing_every_name_key_the_closest_age_is_read_first() -> None:
    # Namesakes registered earlier, three years off, share as many keys as the one of the same
    # year: the year keys' shares put the same year first within a tight candidate limit.
    index = matching.MemoryIndex()
    for number, family in enumerate(("Díaz", "Mejía", "Reyes", "Cruz", "Paz")):
        index.add(number, NameRecord("Suyapa", f"Bueso {family}", None, "female", birth_year=2010))
    index.add("same year", NameRecord("Suyapa", "Bueso Ortiz", None, "female", birth_year=2007))
    query = NameRecord("Suyapa", "Bueso", None, "female", birth_year=2007)
    keys = search_keys(query)
    assert index.candidates(keys, 1) == ["same year"]
    assert index.candidates([(kind, token, 1.0) for kind, token, _share in keys], 1) == [0]


def test_estimated_ages_tell_undated_namesakes_apart() -> None:
    # No birth date on either side: a namesake a generation apart is never suggested, one of a
    # compatible age (an estimated age may be a few years off) is.
    query = aged("Karla", "Mejía", 2004, "female")
    same_age = aged("Karla Suyapa", "Mejía Bonilla", 2006, "female")
    other_generation = aged("Karla Suyapa", "Mejía Bonilla", 1980, "female")
    unknown_age = aged("Karla Suyapa", "Mejía Bonilla", None, "female")
    assert matching.score(query, other_generation) < matching.THRESHOLD
    assert (
        matching.score(query, same_age) > matching.score(query, unknown_age) >= matching.score(query, other_generation)
    )
    assert matching.suggestions([("old", matching.score(query, other_generation))]) == []


def test_a_recorded_age_counts_against_a_birth_date_elsewhere() -> None:
    dated = matching.signature(rec("Wilmer", "Cruz Zelaya", "2009-03-02", "male"))
    assert matching.score(dated, aged("Wilmer", "Cruz Zelaya", 2009)) >= matching.THRESHOLD
    assert matching.score(dated, aged("Wilmer", "Cruz Zelaya", 1990)) < matching.THRESHOLD
    # The age window does not reach past AGE_TOLERANCE on each side.
    edge = 2009 + 2 * AGE_TOLERANCE
    assert matching.score(dated, aged("Wilmer", "Cruz Zelaya", edge)) >= matching.THRESHOLD
    assert matching.score(dated, aged("Wilmer", "Cruz Zelaya", edge + 1)) < matching.THRESHOLD


def test_an_age_never_appears_in_clear_in_the_signature() -> None:
    flat = repr(aged("Karla", "Mejía", 2004)).lower()
    assert "2004" not in flat and "2003" not in flat and "karla" not in flat


def test_a_closer_age_outranks_a_farther_one() -> None:
    # The same reduced name among namesakes of compatible ages: the one whose age agrees best is
    # suggested when the others are at least two years off; three equally close stay ambiguous.
    query = aged("Suyapa", "Bueso", 2007, "female")
    second = {2001: "Cruz", 2003: "López", 2005: "Reyes", 2007: "Díaz", 2009: "Mejía"}
    namesakes = {year: aged("Suyapa", f"Bueso {family}", year, "female") for year, family in second.items()}
    scores = [matching.score(query, namesakes[year]) for year in (2007, 2005, 2003, 2001)]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == 4
    scored = [(year, matching.score(query, data)) for year, data in namesakes.items()]
    assert [year for year, _ in matching.suggestions(scored, namesakes, query=query)] == [2007]
    del namesakes[2007]
    namesakes[2005.5] = aged("Suyapa", "Bueso Paz", 2005, "female")
    scored = [(year, matching.score(query, data)) for year, data in namesakes.items()]
    assert matching.suggestions(scored, namesakes, query=query) == []  # the 2005s and 2009 are as close


def test_an_age_five_years_off_still_finds_the_same_full_name() -> None:
    """Estimated ages are sometimes five years off: the same full name is still suggested, a
    reduced name six years off is not, and a generation apart never is."""
    index = matching.MemoryIndex()
    index.add("ramiro", NameRecord("Ramiro", "Escalante Jiménez", None, "male", birth_year=2003))
    found = matching.search(index, NameRecord("Ramiro", "Escalante Jiménez", None, "male", birth_year=2008))
    assert [item for item, _ in found] == ["ramiro"]
    assert matching.search(index, NameRecord("Ramiro", "Escalante", None, "male", birth_year=2009)) == []
    assert matching.search(index, NameRecord("Ramiro", "Escalante Jiménez", None, birth_year=1980)) == []


def test_age_windows_of_an_earlier_width_compare_by_their_gap(monkeypatch: pytest.MonkeyPatch) -> None:
    # Signatures stored with a narrower window (before AGE_TOLERANCE grew from 2 to 3) still give
    # the years between two ages until they are rebuilt, to within the year their widths differ.
    monkeypatch.setattr(matching, "AGE_TOLERANCE", 2)
    stored = aged("Karla", "Mejía", 2004)
    monkeypatch.undo()
    for year, gap in ((2004, 1), (2005, 1), (2007, 3), (2009, 5), (2010, None)):
        assert matching._age_gap(stored, aged("Karla", "Mejía", year)) == gap
        assert matching._age_gap(aged("Karla", "Mejía", year), stored) == gap
    for gap in range(2 * AGE_TOLERANCE + 1):
        assert matching._age_gap(aged("Karla", "Mejía", 2004), aged("Karla", "Mejía", 2004 + gap)) == gap
    assert matching._age_gap(aged("Karla", "Mejía", 2004), aged("Karla", "Mejía", 2011)) is None


def test_agreeing_on_more_words_outranks_agreeing_on_fewer() -> None:
    """Both candidates miss one word of the other side; the one that confirms both family names of
    the query is the better match and is suggested alone."""
    index = matching.MemoryIndex()
    index.add("both", rec("Sayda Xiomara", "Guardado Zelaya", "", "female"))
    index.add("one", rec("Sayda", "Guardado", "2010-02-12", "female"))
    query = rec("Sayda", "Guarrdado Zelaya", "", "female")
    assert [item for item, _ in matching.search(index, query)] == ["both"]
    # Agreeing on both family names alone (another given name) is still a sibling, not the person.
    sibling = matching.signature(rec("Kevin", "Guardado Zelaya", "", "male"))
    assert matching.score(matching.signature(rec("Mario", "Guardado Zelaya", "", "male")), sibling) < (matching.FLOOR)


def test_a_married_name_comes_and_goes() -> None:
    assert name_keys("Arita Vásquez de Díaz", repeats=True, family=True) == name_keys(
        "Arita Vásquez", repeats=True, family=True
    )
    assert name_keys("López de Pérez", repeats=True, family=True) == ["lopes"]
    # A name that begins with a particle, or a "de" inside a compound name, is not a married name.
    assert name_keys("De la Cruz Suazo", repeats=True, family=True) == ["krus", "suaso"]
    assert name_keys("de Pérez", repeats=True, family=True) == ["peres"]
    index = matching.MemoryIndex()
    index.add("lidia", rec("Lidia", "Arita Vásquez", "", "female"))
    assert [item for item, _ in matching.search(index, rec("Lidia", "Arita Vasquez de Diaz", "", "female"))] == [
        "lidia"
    ]


def test_a_mistyped_birth_year_still_finds_a_common_surname(monkeypatch: pytest.MonkeyPatch) -> None:
    """A given name with a typing error and a mistyped birth year, under the most common surname:
    day and month with the family name still bring the true record in among many namesakes."""
    index = matching.MemoryIndex()
    for number in range(300):
        born = dt.date(1990, 1, 1) + dt.timedelta(days=number * 23)
        index.add(f"n{number}", rec("Nohelia" if number % 2 else "Amalia", "Hernández", born.isoformat(), "female"))
    index.add("truth", rec("Nohelia", "Hernández", "2013-10-20", "female"))
    monkeypatch.setattr(matching, "MAX_CANDIDATES", 20)
    query = rec("Nlhelia", "Hernández", "2014-10-20", "female")
    assert [item for item, _ in matching.search(index, query)] == ["truth"]
    without_day_and_month = [key for key in search_keys(query) if key[0] != "fdm"]
    assert "truth" not in index.candidates(without_day_and_month, 20)


def test_a_shared_birth_date_finds_names_mistyped_in_every_word() -> None:
    """Each word of both names mistyped once: no name key is shared, the birth date alone brings
    the record in, and the names (one edit each) with the date make it a match."""
    index = matching.MemoryIndex()
    index.add("maria", rec("María", "Martínez", "2001-05-08", "female"))
    for number in range(50):
        index.add(f"n{number}", rec("Karla", "López", f"2001-05-{number % 28 + 1:02d}", "female"))
    query = rec("Marfa", "Maertínez", "2001-05-08", "female")
    assert [item for item, _ in matching.search(index, query)] == ["maria"]
    without_the_date_alone = [key for key in search_keys(query) if key[0] != "d2"]
    assert "maria" not in index.candidates(without_the_date_alone, 100)


def _namesakes_of_each_given_name(index: Any) -> None:
    """Many "María … Martínez" and "Heidy … Martínez" added before the one "María Heidy Martínez"."""
    for number in range(40):
        index.add(f"maria{number}", rec("María", "Martínez", "", "female"))
    for number in range(30):
        index.add(f"heidy{number}", rec("Heidy", "Martínez " + ("Pérez", "López", "Cruz")[number % 3], "", "female"))


def test_two_given_names_together_single_out_a_person(monkeypatch: pytest.MonkeyPatch) -> None:
    # At scale the María keys are read only in part; each Heidy key is shared by 30 namesakes.
    monkeypatch.setattr(matching, "MAX_POSTINGS", 35)
    index = matching.MemoryIndex()
    _namesakes_of_each_given_name(index)
    index.add("truth", rec("María Heidy", "Martínez", "", "female"))
    query = rec("Maria Heidy", "Martinez", "", "female")
    assert index.candidates(search_keys(query), 10)[0] == "truth"
    assert [item for item, _ in matching.search(index, query)] == ["truth"]
    # The whole name singles it out as well: without both, it is lost among the namesakes.
    without_the_pair = [key for key in search_keys(query) if key[0] not in ("gg", "n")]
    assert "truth" not in index.candidates(without_the_pair, 10)


def test_a_posting_list_read_in_part_counts_for_little(monkeypatch: pytest.MonkeyPatch) -> None:
    """Postings longer than MAX_POSTINGS are read only in part (the earliest entries): sharing them
    must not push out a candidate that shares the selective keys."""
    monkeypatch.setattr(matching, "MAX_POSTINGS", 35)  # the María keys (41 entries) are cut, not the Heidy ones
    index = matching.MemoryIndex()
    _namesakes_of_each_given_name(index)
    index.add("truth", rec("Heidy", "Martínez", "", "female"))
    query = rec("María Heidy", "Martínez", "", "female")
    keys = [key for key in search_keys(query) if key[0] != "gg"]
    ranked = index.candidates(keys, 31)
    assert "truth" in ranked and not any(item.startswith("maria") for item in ranked)
    monkeypatch.setattr(blocking, "TRUNCATED_SHARE", 1.0)  # counted like any key: the first Marías crowd it out
    assert "truth" not in index.candidates(keys, 31)


@pytest.mark.parametrize(("spelled", "mistyped"), [("Allan", "Alpan"), ("Amaya", "Amaha"), ("Alexis", "Alexs")])
def test_a_typing_error_that_meets_a_sound_rule_is_still_one_edit(spelled: str, mistyped: str) -> None:
    """One wrong letter is one edit in the spelling, but next to a sound rule ("ll", "y", "x") it is
    two in the phonetic key: the words still compare as one typing error apart."""
    key, typo_key = phonetic_key(fold(spelled)), phonetic_key(fold(mistyped))
    assert matching.deletions(key).isdisjoint(matching.deletions(typo_key))
    name = matching.signature(rec(spelled, "Mejía"))
    assert matching._words_similarity(name["g"], matching.signature(rec(mistyped, "Mejía"))["g"]) == matching.ONE_EDIT
    index = matching.MemoryIndex()
    index.add("truth", rec(spelled, "Mejía Paz", "", "male"))
    index.add("other", rec("Marlon", "Mejía Paz", "", "male"))
    assert [item for item, _ in matching.search(index, rec(mistyped, "Mejía Paz", "", "male"))] == ["truth"]


def test_one_person_registered_three_times_is_shown_with_all_three_records() -> None:
    """Close candidates that all match one another are one person registered several times: shown
    together. Close candidates that do not (namesakes born years apart) are not shown at all."""
    index = matching.MemoryIndex()
    for number, spelling in enumerate(("Ena Génesis", "ENA GENESIS", "Ena Genesis")):
        index.add(f"copy{number}", rec(spelling, "Estrada Ávila", "2003-01-25", "female"))
    query = NameRecord("Hena Génesis", "Estrada", None, "female", birth_year=2003)
    assert sorted(item for item, _ in matching.search(index, query)) == ["copy0", "copy1", "copy2"]
    namesakes = matching.MemoryIndex()
    for number, born in enumerate(("1970-03-02", "1990-07-12", "2010-11-30")):
        namesakes.add(f"namesake{number}", rec("Ena Génesis", "Estrada Ávila", born, "female"))
    assert matching.search(namesakes, NameRecord("Hena Génesis", "Estrada", None, "female")) == []


def test_the_whole_name_ranks_its_bearer_first_among_those_sharing_its_words() -> None:
    """Forty "Belén … Hernández" with a second family name share every key of "Belén Hernández";
    the one person who bears exactly that name still comes first when candidates are cut."""
    index = matching.MemoryIndex()
    for number in range(40):
        index.add(f"n{number}", rec("Belén", f"Hernández {('López', 'Sierra', 'Márquez', 'Cruz')[number % 4]}"))
    index.add("truth", rec("Belén", "Hernández", "", "female"))
    query = rec("Beléñ", "Hernándes", "", "female")
    assert index.candidates(search_keys(query), 5)[0] == "truth"
    without_the_whole_name = [key for key in search_keys(query) if key[0] != "n"]
    assert "truth" not in index.candidates(without_the_whole_name, 5)


def test_namesakes_of_a_compatible_age_rank_first() -> None:
    """An undated query with an age: among many namesakes sharing the name keys, those born within
    ``AGE_TOLERANCE`` years of the age's year are read first, the true one among them."""
    index = matching.MemoryIndex()
    for number in range(60):
        index.add(f"n{number}", NameRecord("Karla", "Mejía Paz", None, "female", birth_year=1950 + number % 30))
    index.add("truth", NameRecord("Karla", "Mejía Paz", None, "female", birth_year=2013))
    query = NameRecord("Karla", "Mejía", None, "female", birth_year=2015)  # the age two years off
    assert "truth" in index.candidates(search_keys(query), 10)
    without_ages = [key for key in search_keys(query) if key[0] not in ("gfy", "ffy")]
    assert "truth" not in index.candidates(without_ages, 10)
    assert [item for item, _ in matching.search(index, query)] == ["truth"]


def _suggested(index: matching.MemoryIndex, query: NameRecord) -> list[Any]:
    return [item for item, _score in matching.search(index, query)]


def test_given_names_in_the_other_order_are_another_person_more_often_than_the_same() -> None:
    """José María is rarely María José written the other way round: between two undated records
    that each lack the query's second family name, the one with the given names in the query's
    order is suggested, alone (without the rule they tie and nothing is suggested)."""
    index = matching.MemoryIndex()
    index.add("same order", rec("Ana Lucía", "Reyes Cruz"))
    index.add("other order", rec("Lucía Ana", "Reyes Cruz"))
    assert _suggested(index, rec("Ana Lucía", "Reyes")) == ["same order"]
    query, same, other = (matching.signature(rec(*names)) for names in (
        ("Ana Lucía", "Reyes"), ("Ana Lucía", "Reyes Cruz"), ("Lucía Ana", "Reyes Cruz")
    ))  # fmt: skip
    assert matching.score(query, other) < matching.score(query, same) - matching.AMBIGUITY


def test_a_lone_family_name_is_taken_as_the_first_one() -> None:
    """A person who gives one family name gives the first: "Karla García" is sooner "Karla García
    Alonzo" than "Karla Alonzo García"."""
    index = matching.MemoryIndex()
    index.add("first", rec("Karla", "García Alonzo", "2001-03-04", "female"))
    index.add("second", rec("Karla", "Alonzo García", "1985-07-09", "female"))  # another person
    assert _suggested(index, rec("Karla", "García", "", "female")) == ["first"]
    # Either side may be the one with the lone name.
    lone = matching.signature(rec("Karla", "García"))
    both = matching.signature(rec("Karla", "Alonzo García"))
    assert (
        matching.score(lone, both)
        == matching.score(both, lone)
        < matching.score(lone, matching.signature(rec("Karla", "García Alonzo")))
    )


def test_a_candidate_with_every_name_of_the_query_comes_before_one_lacking_a_name() -> None:
    """For "Juliana Lizeth Lanza", "Juliana Lizeth Lanza Vásquez" has each of its names and one more;
    "Lizeth Lanza" and "Juliana Lanza" lack one. They score within ``AMBIGUITY`` of one another, and
    only the first is suggested; without it, namesakes that all lack a name are crowded out."""
    index = matching.MemoryIndex()
    index.add("every name", rec("Juliana Lizeth", "Lanza Vásquez", "", "female"))
    index.add("lacks one", rec("Lizeth", "Lanza", "1999-04-26", "female"))
    index.add("lacks another", rec("Juliana", "Lanza", "2012-04-17", "female"))
    query = rec("Juliana Lizeth", "Lanza", "", "female")
    wanted = matching.signature(query)
    scores = {item: matching.score(wanted, data) for item, data in index.data.items()}
    assert scores["every name"] - scores["lacks one"] < matching.AMBIGUITY
    assert _suggested(index, query) == ["every name"]
    del index.data["every name"]
    index.add("lacks one too", rec("Lizeth", "Lanza", "1987-10-02", "female"))
    assert _suggested(index, query) == []
