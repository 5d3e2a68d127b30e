"""Anonymising persons for retention: what identifies them goes, the pseudonymous record stays."""

from __future__ import annotations

from collections.abc import Iterable

from ruta.persons.models import PersonIdentity, PersonSearchToken


def person_identities_erase(*, person_ids: Iterable[int]) -> int:
    """Delete the identity and the search tokens of these persons; their pseudonymous reference, age
    and the outcomes recorded about them stay for statistics. Returns the identities deleted."""
    person_ids = list(person_ids)
    PersonSearchToken.objects.filter(person_id__in=person_ids).delete()
    identities, _detail = PersonIdentity.objects.filter(person_id__in=person_ids).delete()
    return int(identities)
