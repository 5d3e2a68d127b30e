"""The cases' retention policy: a case closed longer than the period is anonymised."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import models
from django.db.models import Q

from ruta.cases.models import Case, CasePerson
from ruta.persons.models import Person
from ruta.persons.retention import person_identities_erase


def _old_closed_cases(cutoff: datetime) -> models.QuerySet[Case]:
    return Case.objects.filter(closed_at__isnull=False, closed_at__lt=cutoff)


def _persons_to_anonymise(cutoff: datetime) -> models.QuerySet[Person]:
    """Persons with an identity who appear only in cases closed before the cutoff."""
    still_needed = CasePerson.objects.filter(Q(case__closed_at__isnull=True) | Q(case__closed_at__gte=cutoff))
    return Person.objects.filter(
        identity__isnull=False, pk__in=CasePerson.objects.filter(case__in=_old_closed_cases(cutoff)).values("person_id")
    ).exclude(pk__in=still_needed.values("person_id"))


def closed_cases_due(cutoff: datetime) -> int:
    return int(_old_closed_cases(cutoff).exclude(narrative="").count() + _persons_to_anonymise(cutoff).count())


def closed_cases_anonymise(cutoff: datetime) -> int:
    """Blank the narrative of old closed cases; erase the identity of persons who appear only in such
    cases. Pseudonymous references, ages and outcomes stay for statistics."""
    person_ids = list(_persons_to_anonymise(cutoff).values_list("pk", flat=True))
    blanked: Any = _old_closed_cases(cutoff).exclude(narrative="").update(narrative="")
    return int(blanked) + person_identities_erase(person_ids=person_ids)
