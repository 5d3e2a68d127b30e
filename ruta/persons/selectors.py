"""Reads of persons that depend on who asks: the person view (identity only for those who may see
it, every read audited) and duplicate candidates (only among persons the actor may search)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from ruta.accounts.models import User
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.persons import matching
from ruta.persons.blocking import MAX_POSTINGS, SearchKey, posting_weight
from ruta.persons.models import Person, PersonIdentity, PersonMatchSignature, PersonSearchToken
from ruta.persons.names import NameRecord
from ruta.persons.permissions import PersonPermission
from ruta.persons.services import match_record
from ruta.policy import access
from ruta.policy.permissions import Permission


@dataclass(frozen=True)
class PersonView:
    """A person as ``actor`` may see them: identity is None unless they hold PERSON_VIEW_IDENTITY
    for this record; everyone else gets the pseudonymous reference and non-identifying attributes."""

    person: Person
    identity: PersonIdentity | None
    can_edit: bool
    can_merge: bool

    @property
    def display_name(self) -> str:
        if self.identity is None:
            return self.person.reference
        name = " ".join(part for part in (self.identity.given_names, self.identity.family_names) if part)
        return name or self.person.reference


def _reaches(actor: User, permission: Permission, person: Person) -> bool:
    return access.visible(actor, permission, Person.objects.filter(pk=person.pk)).exists()


def identity_visible_ids(actor: User, ids: Sequence[int]) -> set[int]:
    """Which of these persons' identities ``actor`` may see (one query)."""
    if not ids or not access.has_perm(actor, PersonPermission.VIEW_IDENTITY):
        return set()
    queryset = Person.objects.filter(pk__in=list(ids))
    return set(access.visible(actor, PersonPermission.VIEW_IDENTITY, queryset).values_list("pk", flat=True))


def person_get(actor: User, reference: str) -> Person:
    """The person with ``reference`` if ``actor`` reaches them (PERSON_VIEW); 404 otherwise."""
    queryset = Person.objects.select_related("owner_institution", "merged_into")
    return access.get_visible_or_404(actor, PersonPermission.VIEW, queryset, reference=reference)


def person_view(*, actor: User, person: Person, request: Any = None, purpose: str = "view") -> PersonView:
    """Build the view and write the audit row for this read (identity shown or not)."""
    show_identity = _reaches(actor, PersonPermission.VIEW_IDENTITY, person)
    identity = PersonIdentity.objects.filter(person=person).first() if show_identity else None
    can_edit = show_identity and _reaches(actor, PersonPermission.EDIT, person)
    can_merge = access.has_perm(actor, PersonPermission.MERGE) and _reaches(actor, PersonPermission.MERGE, person)
    audit_record(
        actor=actor,
        action=AuditAction.READ,
        obj=person,
        summary=f"person {purpose} ({'identity shown' if identity is not None else 'pseudonymous'})",
        request=request,
    )
    return PersonView(person=person, identity=identity, can_edit=can_edit, can_merge=can_merge)


# --- duplicate search -----------------------------------------------------------------------------


def searchable_persons(actor: User) -> QuerySet[Person]:
    """The persons ``actor`` may find as duplicates: those they already reach with PERSON_VIEW (own,
    team, and for supervisors their institution) or PERSON_MERGE. Never wider: a match outside
    that would tell the user that a named person is known to another institution."""
    queryset = Person.objects.filter(merged_into__isnull=True)
    view = access.scope_filter(actor, PersonPermission.VIEW, Person)
    merge = access.scope_filter(actor, PersonPermission.MERGE, Person)
    if view is None or merge is None:
        return queryset
    return queryset.filter(view | merge)


class DatabaseIndex:
    """Blocking over ``PersonSearchToken`` posting lists; signatures limited to ``searchable``."""

    def __init__(self, searchable: QuerySet[Person]) -> None:
        self.searchable = searchable

    def candidates(self, keys: Sequence[SearchKey], limit: int) -> list[Any]:
        if not keys:
            return []
        table = connection.ops.quote_name(PersonSearchToken._meta.db_table)
        # A posting list longer than MAX_POSTINGS is read only in part (one more row tells): its
        # entries weigh ``TRUNCATED_SHARE`` of the key's weight (see ``posting_weight``).
        part = (
            "SELECT person_id, CASE WHEN COUNT(*) OVER () > {limit:d} THEN {truncated!r} ELSE {weight!r} END AS w "
            "FROM (SELECT person_id FROM {table} WHERE kind = %s AND token = %s LIMIT %s) AS b{index:d}"
        )
        parts = " UNION ALL ".join(
            part.format(  # numbers and the model's table
                limit=MAX_POSTINGS,
                truncated=posting_weight(key, truncated=True),
                weight=posting_weight(key, truncated=False),
                table=table,
                index=index,
            )
            for index, key in enumerate(keys)
        )
        sql = (
            f"SELECT person_id, SUM(w) AS hits FROM ({parts}) AS postings "  # noqa: S608 - no user input in SQL
            "GROUP BY person_id ORDER BY hits DESC, person_id LIMIT %s"
        )
        params: list[Any] = []
        for kind, token, _share in keys:
            params += [kind, token, MAX_POSTINGS + 1]
        params.append(limit)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def signatures(self, ids: Sequence[Any]) -> dict[Any, dict[str, Any]]:
        if not ids:
            return {}
        rows = PersonMatchSignature.objects.filter(person__in=self.searchable.filter(pk__in=list(ids)))
        return dict(rows.values_list("person_id", "data"))


@dataclass(frozen=True)
class DuplicateCandidate:
    person: Person
    score: float
    identity: PersonIdentity | None  # only when the actor may see it
    agreed: tuple[str, ...] = ()  # why it matched: ``matching.agreements`` codes

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    @property
    def is_high(self) -> bool:
        # Birth date and names agree: likely the same person, so the list opens by itself.
        return self.score >= matching.CONFIDENT


@dataclass(frozen=True)
class DuplicateCheck:
    candidates: list[DuplicateCandidate]
    crowded: bool  # namesakes matched but none stood out (``matching.SearchResult.crowded``)


def record_duplicate_check(
    *, actor: User, record: NameRecord, exclude: Sequence[int] = (), searchable: QuerySet[Person] | None = None
) -> DuplicateCheck:
    """Suggested duplicates of a record (e.g. a registration form before saving), scored on keyed
    tokens only. Candidates' identities are loaded (and their reads audited) only where allowed."""
    index = DatabaseIndex(searchable if searchable is not None else searchable_persons(actor))
    result = matching.search_all(index, record, exclude=exclude)
    found = result.suggested
    if not found:
        return DuplicateCheck([], result.crowded)
    ids = [item for item, _score in found]
    persons = Person.objects.in_bulk(ids)
    with_identity = identity_visible_ids(actor, ids)
    identities = PersonIdentity.objects.in_bulk(list(with_identity)) if with_identity else {}
    candidates = []
    for item, value in found:
        identity = identities.get(item)
        if identity is not None:
            audit_record(
                actor=actor, action=AuditAction.READ, obj=persons[item], summary="shown as a duplicate candidate"
            )
        candidates.append(
            DuplicateCandidate(person=persons[item], score=value, identity=identity, agreed=result.agreed.get(item, ()))
        )
    return DuplicateCheck(candidates, crowded=False)


def record_duplicates(
    *, actor: User, record: NameRecord, exclude: Sequence[int] = (), searchable: QuerySet[Person] | None = None
) -> list[DuplicateCandidate]:
    return record_duplicate_check(actor=actor, record=record, exclude=exclude, searchable=searchable).candidates


def person_duplicates(
    *, actor: User, person: Person, searchable: QuerySet[Person] | None = None
) -> list[DuplicateCandidate]:
    """Suggested duplicates of a registered person, among the persons ``actor`` may search."""
    identity = PersonIdentity.objects.filter(person=person).first()
    audit_record(actor=actor, action=AuditAction.SEARCH, obj=person, summary="duplicate search")
    return record_duplicates(
        actor=actor, record=match_record(person, identity), exclude=[person.pk], searchable=searchable
    )
