"""Demo needs assessments against the labour inspectors' framework: a baseline self-assessment and a
supervisor assessment by the training coordinator for the inspector persona and five more STSS
inspectors in different departments, and a follow-up for some, so the gap heat map and "My
competencies" show something at once. Idempotent; marked as demonstration data."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from ruta.accounts.models import Membership, User
from ruta.competencies.inspector_framework import FRAMEWORK_CODE
from ruta.competencies.models import Assessment, AssessmentKind, Framework
from ruta.competencies.services import RatingInput, assessment_record
from ruta.geo.models import Department
from ruta.institutions.models import Institution
from ruta.policy.access import forget_grants

DEMO_ROUND = "Línea de base 2026 (demo)"
FOLLOW_UP_ROUND = "Seguimiento (demo)"
# (username, first name, last name, department): STSS inspectors beyond the persona. They are only
# assessed (no password: they never sign in).
EXTRA_INSPECTORS = [
    ("inspectora.cortes", "Karen", "Inspectora Cortés", "05"),
    ("inspector.fm", "Mario", "Inspector Morazán", "08"),
    ("inspectora.fm", "Lucía", "Inspectora Morazán", "08"),
    ("inspector.comayagua", "José", "Inspector Comayagua", "03"),
    ("inspectora.choluteca", "Dania", "Inspectora Sur", "06"),
]


def _extra_inspectors() -> list[User]:
    stss = Institution.objects.get(code="stss")
    users = []
    for username, first_name, last_name, department in EXTRA_INSPECTORS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first_name, "last_name": last_name, "email": f"{username}@demo.ruta.invalid"},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        Membership.objects.update_or_create(
            user=user,
            institution=stss,
            role="labour_inspector",
            defaults={"department": Department.objects.filter(code=department).first(), "is_active": True},
        )
        forget_grants(user)
        users.append(user)
    return users


def _level(seed: str, top: int, *, shift: int = 0) -> int:
    """A stable pseudo-random level (1..top), the same on every run."""
    value = int(hashlib.sha256(seed.encode()).hexdigest(), 16) % top + 1
    return max(1, min(top, value + shift))


def _ratings(framework: Framework, seed: str, *, shift: int = 0) -> dict[int, RatingInput]:
    top = framework.levels.count()
    return {
        competency.pk: RatingInput(level=_level(f"{seed}:{competency.code}", top, shift=shift))
        for competency in framework.competencies.all()
    }


@transaction.atomic
def seed(users: dict[str, Any]) -> dict[str, int]:
    framework = Framework.objects.filter(code=FRAMEWORK_CODE).first()
    coordinator = users.get("training_coordinator")
    if framework is None or coordinator is None:
        return {"assessments": 0}
    inspectors = [users["labour_inspector"], *_extra_inspectors()]
    today = timezone.localdate()
    created = 0
    for index, inspector in enumerate(inspectors):
        if Assessment.objects.filter(person=inspector, framework=framework, round_label=DEMO_ROUND).exists():
            continue
        baseline = today - timedelta(days=120 - index)
        plan = [
            (inspector, AssessmentKind.SELF, baseline, DEMO_ROUND, 0),
            (coordinator, AssessmentKind.SUPERVISOR, baseline + timedelta(days=7), DEMO_ROUND, -1),
        ]
        if index % 2 == 0:  # half of them were followed up after a training
            plan.append((coordinator, AssessmentKind.FOLLOW_UP, today - timedelta(days=10), FOLLOW_UP_ROUND, 1))
        for assessor, kind, assessed_on, round_label, shift in plan:
            assessment = assessment_record(
                actor=assessor,
                person=inspector,
                framework=framework,
                kind=kind,
                assessed_on=assessed_on,
                round_label=round_label,
                ratings=_ratings(framework, f"{inspector.username}:{kind}", shift=shift),
            )
            Assessment.objects.filter(pk=assessment.pk).update(is_synthetic=True)
            created += 1
    return {"assessments": created}
