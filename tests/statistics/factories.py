"""A seeded data set for the statistics tests: alerts, persons, cases, identification decisions,
screenings and referrals spread over months, departments and categories, written straight to the
tables (the statistics only read them; the apps' own tests cover how they are written).

Every moment is noon in Honduras on the 10th–20th of a month, so local dates and months equal the
UTC ones the raw-SQL recounts use."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from ruta.alerts.models import Alert, Channel, Priority
from ruta.cases.models import Case, ExploitationType, IdentificationDecision, IdentificationOutcome, Stage
from ruta.geo.models import Municipality
from ruta.institutions.models import Institution, InstitutionService
from ruta.persons.models import AgeGroup, Person, Sex
from ruta.referrals.models import Referral, ReferralStatus, Urgency
from ruta.screening.models import Outcome, ScreeningRecord

MUNICIPALITIES = ("0801", "0801", "0801", "0501", "0501", "0101", "1801", "0301")
MONTHS = ((2026, 1), (2026, 2), (2026, 3), (2026, 4))
PERIOD = ("2026-01-01", "2026-04-30")


def noon(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 18, 0, tzinfo=UTC)  # 12:00 in Tegucigalpa (UTC−6)


@dataclass
class Seeded:
    alerts: list[Alert]
    cases: list[Case]
    persons: list[Person]
    decisions: list[IdentificationDecision]
    referrals: list[Referral]


def seed_statistics(
    personas: dict[str, Any], *, alerts: int = 240, seed: int = 7, synthetic_too: bool = True
) -> Seeded:
    rng = random.Random(seed)
    municipalities = {
        m.code: m for m in Municipality.objects.select_related("department").filter(code__in=MUNICIPALITIES)
    }
    institutions = {i.code: i for i in Institution.objects.filter(code__in=["eri", "sesal", "cicesct", "amdc", "mp"])}
    actor = personas["eri_responder"]
    made_alerts = []
    for number in range(alerts):
        year, month = rng.choice(MONTHS)
        received = noon(year, month, rng.randint(10, 20))
        municipality = municipalities[rng.choice(MUNICIPALITIES)]
        priority = rng.choice(list(Priority.values))
        acknowledge_due = received + timedelta(hours=rng.choice([1, 4, 24]))
        acknowledged = rng.choice([None, received + timedelta(minutes=30), received + timedelta(hours=30)])
        responded = rng.choice([None, received + timedelta(hours=rng.randint(1, 90))])
        made_alerts.append(
            Alert(
                reference=f"STA-{number:05d}",
                tracking_hash=f"statistics-{seed}-{number}",
                channel=rng.choice(list(Channel.values)),
                public_status_changed_at=received,
                received_at=received,
                department=municipality.department,
                municipality=municipality if rng.random() > 0.1 else None,
                priority=priority,
                acknowledge_due_at=acknowledge_due,
                first_response_due_at=received + timedelta(days=3),
                acknowledged_at=acknowledged,
                first_response_at=responded,
                reporting_institution=rng.choice([None, institutions["amdc"], institutions["cicesct"]]),
                assigned_institution=rng.choice([None, institutions["eri"], institutions["sesal"]]),
                is_synthetic=synthetic_too and number % 17 == 0,
            )
        )
    Alert.objects.bulk_create(made_alerts)
    persons, cases, decisions, referrals = [], [], [], []
    service = InstitutionService.objects.filter(institution=institutions["sesal"]).first()
    for number in range(alerts // 3):
        year, month = rng.choice(MONTHS)
        opened = noon(year, month, rng.randint(10, 20))
        child = rng.random() < 0.4
        person = Person.objects.create(
            reference=f"VST-{number:05d}",
            sex=rng.choice(list(Sex.values)),
            age_group=AgeGroup.CHILD if child else rng.choice([AgeGroup.ADULT, AgeGroup.UNKNOWN]),
            presumed_child=not child and rng.random() < 0.1,
            owner_institution=institutions["eri"],
        )
        case = Case.objects.create(
            reference=f"CST-{number:05d}",
            opened_at=opened,
            lead_institution=rng.choice([institutions["eri"], institutions["sesal"]]),
            owner=actor,
            municipality=municipalities[rng.choice(MUNICIPALITIES)] if rng.random() > 0.05 else None,
            exploitation=rng.choice(list(ExploitationType.values)),
            stage=rng.choice(list(Stage.values)),
            is_synthetic=synthetic_too and number % 13 == 0,
        )
        persons.append(person)
        cases.append(case)
        if rng.random() < 0.8:
            decisions.append(
                IdentificationDecision.objects.create(
                    case=case,
                    person=person,
                    outcome=rng.choice([IdentificationOutcome.IDENTIFIED] * 3 + [IdentificationOutcome.NOT_IDENTIFIED]),
                    institution=institutions["eri"],
                    decided_on=(opened + timedelta(days=rng.randint(0, 5))).date(),
                    basis="",
                    recorded_by=actor,
                )
            )
        ScreeningRecord.objects.create(
            subject_type="case_person",
            subject_id=str(person.pk),
            exploitation=rng.choice(["labour", "sexual"]),
            outcome=rng.choice(list(Outcome.values)),
            child_rule=child,
            list_code="test",
            list_version=1,
            rules_version=1,
            created_by=actor,
        )
        if service is not None and rng.random() < 0.7:
            sent = opened + timedelta(days=1)
            answered = rng.choice([None, sent + timedelta(hours=10), sent + timedelta(days=5)])
            referrals.append(
                Referral.objects.create(
                    reference=f"RST-{number:05d}",
                    case=case,
                    from_institution=case.lead_institution,
                    to_institution=rng.choice([institutions["sesal"], institutions["mp"]]),
                    service=service,
                    urgency=rng.choice(list(Urgency.values)),
                    status=ReferralStatus.SENT if answered is None else ReferralStatus.ACCEPTED,
                    created_by=actor,
                    sent_by=actor,
                    sent_at=sent if rng.random() > 0.1 else None,
                    accept_due_at=sent + timedelta(days=2),
                    answered_at=answered,
                )
            )
    # ScreeningRecord.created_at is auto_now_add: spread them over the months like the rest.
    for record in ScreeningRecord.objects.filter(list_code="test"):
        year, month = rng.choice(MONTHS)
        ScreeningRecord.objects.filter(pk=record.pk).update(created_at=noon(year, month, rng.randint(10, 20)))
    return Seeded(made_alerts, cases, persons, decisions, referrals)
