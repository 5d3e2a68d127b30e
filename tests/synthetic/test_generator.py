"""The synthetic generator: deterministic for a seed, resumable without duplicates, never mixed with
real data, identity encrypted and indexed through the persons app's own functions."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from ruta.alerts.intake import narrative_tokens
from ruta.alerts.models import Alert, AlertToken
from ruta.cases.models import Case, CasePerson
from ruta.core.references import references_reset
from ruta.demo.synthetic import adapters
from ruta.demo.synthetic.generator import Plan, Progress, SyntheticError, generate
from ruta.demo.synthetic.models import SyntheticCheckpoint
from ruta.persons.blocking import blocking_keys
from ruta.persons.models import Person, PersonIdentity, PersonSearchToken
from ruta.persons.services import match_record
from ruta.referrals.models import Referral

ANCHOR = timezone.make_aware(dt.datetime(2026, 3, 2, 10, 0))
SMALL = Plan(seed=11, persons=70, alerts=90, cases=9, batch_size=20, anchor=ANCHOR)

pytestmark = pytest.mark.django_db


class Interrupted(Exception):
    pass


def snapshot() -> dict[str, Any]:
    """Everything a reader of the data would see (plaintext identities, not ciphertexts or ids)."""
    identities = {
        row.person.reference: (row.given_names, row.family_names, row.birth_date, row.id_documents, row.phones)
        for row in PersonIdentity.objects.select_related("person")
    }
    persons = list(
        Person.objects.order_by("reference").values_list(
            "reference", "sex", "age_years", "age_group", "presumed_child", "nationality", "owner_institution__code"
        )
    )
    tokens = sorted(PersonSearchToken.objects.values_list("person__reference", "kind", "token"))
    alerts = [
        (
            a.reference,
            a.channel,
            a.status,
            a.priority,
            a.received_at,
            a.municipality_id,
            a.signal_codes,
            a.narrative,
            a.case.reference if a.case else None,
        )
        for a in Alert.objects.select_related("case").order_by("reference")
    ]
    cases = [
        (
            c.reference,
            c.opened_at,
            c.exploitation,
            c.stage,
            c.has_child,
            c.lead_institution_id,
            c.owner.username,
            sorted(c.persons.values_list("reference", flat=True)),
        )
        for c in Case.objects.select_related("owner").order_by("reference")
    ]
    referrals = sorted(Referral.objects.values_list("reference", "case__reference", "status", "sent_at"))
    return {
        "persons": persons,
        "identities": identities,
        "tokens": tokens,
        "alerts": alerts,
        "cases": cases,
        "referrals": referrals,
    }


def wipe() -> None:
    """Back to an empty database (references included), as a fresh database would be."""
    Referral.objects.all().delete()
    Alert.objects.all().delete()
    Case.objects.all().delete()
    Person.objects.all().delete()
    SyntheticCheckpoint.objects.all().delete()
    references_reset()


@pytest.fixture(autouse=True)
def _fresh_reference_counters(db: Any) -> None:
    """Like a fresh database: PostgreSQL sequences are not rolled back between tests."""
    references_reset()


def test_same_seed_same_rows_and_different_seed_different_rows(reference_data: Any) -> None:
    generate(SMALL)
    first = snapshot()
    assert len(first["persons"]) == 70 and len(first["alerts"]) == 90 and len(first["cases"]) == 9
    wipe()
    generate(SMALL)
    assert snapshot() == first
    wipe()
    generate(Plan(**{**SMALL.__dict__, "seed": 12}))
    other = snapshot()
    assert other["identities"] != first["identities"]
    assert other["alerts"] != first["alerts"]


def test_interrupted_run_resumes_without_duplicates_to_the_same_result(reference_data: Any) -> None:
    generate(SMALL)
    expected = snapshot()
    wipe()

    def stop_after(entity: str, limit: int) -> Any:
        def hook(current: str, batch: int) -> None:
            if current == entity and batch == limit:
                raise Interrupted

        return hook

    with pytest.raises(Interrupted):
        generate(SMALL, progress=Progress(after_batch=stop_after("persons", 1)))
    assert Person.objects.count() == 40  # two committed batches of 20
    with pytest.raises(Interrupted):
        generate(SMALL, progress=Progress(after_batch=stop_after("alerts", 2)))
    assert Alert.objects.count() == 60
    generate(SMALL)
    assert snapshot() == expected
    references = Person.objects.values_list("reference", flat=True)
    assert len(set(references)) == len(references) == 70
    assert Alert.objects.count() == 90 and Case.objects.count() == 9
    # Nothing to do the second time: no new rows.
    generate(SMALL)
    assert Person.objects.count() == 70 and Alert.objects.count() == 90
    counts = Counter(CasePerson.objects.values_list("case_id", "person_id"))
    assert max(counts.values()) == 1


def test_growing_a_partial_batch_gives_the_rows_of_a_direct_run(reference_data: Any) -> None:
    generate(SMALL)
    expected = snapshot()
    wipe()
    generate(Plan(**{**SMALL.__dict__, "persons": 30, "alerts": 50, "cases": 5}))  # stops mid-batch
    generate(SMALL)
    assert snapshot() == expected


def test_refuses_a_database_with_real_records_unless_forced(reference_data: Any) -> None:
    real = Person.objects.create(reference="V-2026-900001", owner_institution=reference_data["eri"])
    with pytest.raises(SyntheticError, match="real"):
        generate(SMALL)
    assert not Person.objects.filter(is_synthetic=True).exists()
    with pytest.raises(CommandError, match="real"):
        call_command("generate_synthetic", "--persons", "5", "--no-progress")
    generate(Plan(**{**SMALL.__dict__, "alerts": 0, "cases": 0}), force=True)
    assert Person.objects.filter(is_synthetic=True).count() == 70
    real.refresh_from_db()
    assert real.is_synthetic is False and not PersonIdentity.objects.filter(person=real).exists()


def test_another_seed_on_the_same_database_is_refused(reference_data: Any) -> None:
    generate(Plan(**{**SMALL.__dict__, "alerts": 0, "cases": 0, "persons": 5}))
    with pytest.raises(SyntheticError, match="seed"):
        generate(Plan(**{**SMALL.__dict__, "seed": 99, "persons": 5, "alerts": 0, "cases": 0}))


def test_everything_is_marked_synthetic_encrypted_and_indexed(reference_data: Any) -> None:
    call_command(
        "generate_synthetic", "--persons", "40", "--alerts", "30", "--cases", "3", "--seed", "4", "--batch-size", "15",
        "--anchor", ANCHOR.isoformat(), "--no-progress",
    )  # fmt: skip
    assert not Person.objects.filter(is_synthetic=False).exists()
    assert not Case.objects.filter(is_synthetic=False).exists()
    assert not Alert.objects.filter(is_synthetic=False).exists()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT given_names, family_names FROM {PersonIdentity._meta.db_table}")
        for given, family in cursor.fetchall():
            assert given.startswith("v1:") and family.startswith("v1:")
        cursor.execute(f"SELECT narrative FROM {Alert._meta.db_table}")
        assert all(value.startswith("v1:") for (value,) in cursor.fetchall())
    person = Person.objects.filter(identity__isnull=False).first()
    assert person is not None
    expected = sorted(blocking_keys(match_record(person, person.identity)))
    assert sorted(PersonSearchToken.objects.filter(person=person).values_list("kind", "token")) == expected
    alert = Alert.objects.first()
    assert alert is not None
    assert set(AlertToken.objects.filter(alert=alert).values_list("token", flat=True)) == set(
        narrative_tokens(alert.narrative)
    )


def test_word_by_word_narrative_tokens_equal_the_alerts_function() -> None:
    for text in [
        "Una vecina informa que una adolescente de 15 años es obligada a atender clientes en Colonia Kennedy.",
        "Llamada anónima: él, ÉL y él; S.A. de C.V. — Tegucigalpa/Comayagüela (2024).",
        " ".join(f"palabra{n}" for n in range(80)),
    ]:
        assert adapters.narrative_tokens(text) == narrative_tokens(text)


def test_name_shares_follow_the_civil_registry_and_have_a_long_tail() -> None:
    from ruta.demo.synthetic import data

    for table in (data.SURNAMES, data.FEMALE_GIVEN, data.MALE_GIVEN):
        assert abs(sum(table.values()) - 100) < 1e-6
        assert len(table) > 150  # a long tail, not a few dozen names shared by everyone
    for name, bearers in data.SURNAME_BEARERS_RNP_2023.items():
        assert data.SURNAMES[name] == pytest.approx(bearers / data.POPULATION_RNP_2023 * 100)
    assert max(data.FEMALE_GIVEN, key=data.FEMALE_GIVEN.__getitem__) == "María"
    assert data.FEMALE_GIVEN["María"] == pytest.approx(data.MARIA_SHARE)
    tail = [data.SURNAMES[name] for name in data.SURNAMES_TAIL if name not in data.SURNAME_BEARERS_RNP_2023]
    assert all(later < earlier for earlier, later in itertools.pairwise(tail))
    assert max(tail) < min(data.SURNAMES[name] for name in data.SURNAMES_RANKS_11_TO_24)


def test_a_tail_too_short_to_decline_is_spread_evenly() -> None:
    from ruta.demo.synthetic.data import with_tail

    assert with_tail({"A": 90.0}, ["B", "C", "A"], first=4.0) == {"A": 90.0, "B": 5.0, "C": 5.0}
    shares = with_tail({"A": 50.0}, [f"N{i}" for i in range(200)], first=1.0)
    assert sum(shares.values()) == pytest.approx(100) and shares["N0"] == 1.0 > shares["N199"]
