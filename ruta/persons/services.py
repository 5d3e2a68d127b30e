"""Registering, changing and merging persons. Identity data go only into ``PersonIdentity``
(encrypted); duplicate search works on the keyed tokens kept in step here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ruta.accounts.models import User
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.core import rollups
from ruta.core.references import next_reference
from ruta.institutions.models import Institution
from ruta.persons import matching
from ruta.persons.blocking import blocking_keys
from ruta.persons.models import (
    PERSON_REFERENCE_PREFIX,
    AgeGroup,
    Person,
    PersonIdentity,
    PersonMatchSignature,
    PersonSearchToken,
    Sex,
)
from ruta.persons.names import NameRecord, name_keys, parse_birth_date
from ruta.persons.permissions import PersonPermission
from ruta.policy import access

ADULT_AGE = 18
MAX_AGE = 120
ATTRIBUTE_FIELDS = (
    "sex",
    "age_years",
    "age_group",
    "presumed_child",
    "nationality",
    "languages",
    "disability",
    "migration_status",
)
IDENTITY_FIELDS = (
    "given_names",
    "family_names",
    "aliases",
    "birth_date",
    "id_documents",
    "phones",
    "emails",
    "addresses",
    "notes",
)


@dataclass
class IdentityInput:
    given_names: str = ""
    family_names: str = ""
    aliases: list[str] = field(default_factory=list)
    birth_date: str = ""  # ISO date, YYYY-MM-DD
    id_documents: list[dict[str, str]] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    notes: str = ""


class PersonConflict(Exception):
    """Someone saved the person after the version the user started from."""

    def __init__(self, current: Person) -> None:
        super().__init__("stale person version")
        self.current = current


class MergeError(Exception):
    pass


def age_group_for(age_years: int | None, stated: str = AgeGroup.UNKNOWN) -> str:
    if age_years is not None:
        return AgeGroup.CHILD if age_years < ADULT_AGE else AgeGroup.ADULT
    return stated or AgeGroup.UNKNOWN


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


# --- search tokens --------------------------------------------------------------------------------


def match_record(person: Person, identity: PersonIdentity | None) -> NameRecord:
    """The in-memory record matching works on (plaintext never leaves this process)."""
    birth_year = estimated_birth_year(person.age_years, person.age_recorded_on)
    if identity is None:
        return NameRecord(sex=person.sex, birth_year=birth_year)
    try:
        birth_date = parse_birth_date(identity.birth_date)
    except ValueError:
        birth_date = None
    return NameRecord(
        given_names=identity.given_names or "",
        family_names=identity.family_names or "",
        birth_date=birth_date,
        sex=person.sex,
        aliases=tuple(identity.aliases or ()),
        birth_year=birth_year,
    )


def estimated_birth_year(age_years: int | None, recorded_on: dt.date | None = None) -> int | None:
    """The birth year a recorded age points to (matching tolerates the year or two it may be off)."""
    if age_years is None:
        return None
    return (recorded_on or timezone.localdate()).year - age_years


def person_tokens_rebuild(person: Person) -> int:
    """Recompute a person's keyed search tokens and match signature from their identity.

    Called after every identity change and by key rotation (tokens are keyed with the first
    encryption key). Merged persons keep no tokens: they must never be suggested again.
    Returns the number of blocking tokens written."""
    with transaction.atomic():
        PersonSearchToken.objects.filter(person=person).delete()
        if person.merged_into_id is not None:
            PersonMatchSignature.objects.filter(person=person).delete()
            return 0
        identity = PersonIdentity.objects.filter(person=person).first()
        record = match_record(person, identity)
        tokens = [PersonSearchToken(person=person, kind=kind, token=token) for kind, token in blocking_keys(record)]
        PersonSearchToken.objects.bulk_create(tokens)
        PersonMatchSignature.objects.update_or_create(person=person, defaults={"data": matching.signature(record)})
        return len(tokens)


# --- registering and changing ---------------------------------------------------------------------


@transaction.atomic
def person_register(
    *,
    actor: User,
    institution: Institution,
    sex: str = Sex.UNKNOWN,
    age_years: int | None = None,
    age_group: str = AgeGroup.UNKNOWN,
    presumed_child: bool | None = None,
    identity: IdentityInput | None = None,
    **attributes: Any,
) -> Person:
    """Create a person. With no known age and no stated adulthood the person is presumed a child.

    Duplicate candidates are not decided here: callers show ``selectors.person_duplicates``."""
    group = age_group_for(age_years, age_group)
    if presumed_child is None:
        presumed_child = group != AgeGroup.ADULT and age_years is None
    person = Person.objects.create(
        reference=next_reference(PERSON_REFERENCE_PREFIX),
        sex=sex,
        age_years=age_years,
        age_recorded_on=timezone.localdate() if age_years is not None else None,
        age_group=group,
        presumed_child=presumed_child,
        owner_institution=institution,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **attributes,
    )
    PersonIdentity.objects.create(person=person, **vars(identity or IdentityInput()))
    person_tokens_rebuild(person)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=person, summary="person registered")
    return person


@transaction.atomic
def person_update(
    *,
    actor: User,
    person: Person,
    expected_version: int,
    identity: IdentityInput,
    attributes: dict[str, Any],
    request: Any = None,
) -> Person:
    """Save identity and attributes if nobody saved since ``expected_version``; else PersonConflict.

    The audit row names the fields that changed; identity values never go into the audit log."""
    current = Person.objects.select_for_update().get(pk=person.pk)
    if current.version != expected_version or current.merged_into_id is not None:
        raise PersonConflict(current)
    stored = PersonIdentity.objects.get(person=current)
    changes: dict[str, Any] = {}
    for name in ATTRIBUTE_FIELDS:
        if name in attributes and getattr(current, name) != attributes[name]:
            changes[name] = [_plain(getattr(current, name)), _plain(attributes[name])]
            setattr(current, name, attributes[name])
    if "age_years" in changes:
        current.age_recorded_on = timezone.localdate() if current.age_years is not None else None
    identity_changed = [name for name in IDENTITY_FIELDS if getattr(stored, name) != getattr(identity, name)]
    for name in identity_changed:
        setattr(stored, name, getattr(identity, name))
        changes[name] = "changed"
    if not changes:
        return current
    current.version = F("version") + 1
    current.save()
    current.refresh_from_db()
    if identity_changed:
        stored.save()
    if identity_changed or "sex" in changes or "age_years" in changes:  # all three feed the match signature
        person_tokens_rebuild(current)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=current,
        summary="person updated",
        changes=changes,
        request=request,
    )
    return current


def _plain(value: Any) -> Any:
    return value if isinstance(value, (str, int, bool, list, type(None))) else str(value)


# --- merging --------------------------------------------------------------------------------------

_OWN_RELATIONS = {"identity", "search_tokens", "match_signature", "merged_from"}


def _union(first: list[Any], second: list[Any]) -> list[Any]:
    merged = list(first or [])
    for item in second or []:
        if item not in merged:
            merged.append(item)
    return merged


def _merge_identity(keep: PersonIdentity, other: PersonIdentity) -> list[str]:
    """Fill what the survivor lacks from the duplicate; nothing the survivor has is overwritten."""
    changed = []
    for name in ("given_names", "family_names", "birth_date"):
        if not getattr(keep, name) and getattr(other, name):
            setattr(keep, name, getattr(other, name))
            changed.append(name)
    other_name = " ".join(part for part in (other.given_names, other.family_names) if part).strip()
    keep_name = " ".join(part for part in (keep.given_names, keep.family_names) if part).strip()
    extra_aliases = list(other.aliases or [])
    if other_name and name_keys(other_name) != name_keys(keep_name):
        extra_aliases.append(other_name)
    for name, extra in (
        ("aliases", extra_aliases),
        ("id_documents", other.id_documents),
        ("phones", other.phones),
        ("emails", other.emails),
        ("addresses", other.addresses),
    ):
        merged = _union(getattr(keep, name), extra)
        if merged != (getattr(keep, name) or []):
            setattr(keep, name, merged)
            changed.append(name)
    if other.notes and other.notes not in (keep.notes or ""):
        keep.notes = f"{keep.notes}\n\n{other.notes}".strip()
        changed.append("notes")
    return changed


def _repoint(relation: Any, survivor: Person, duplicate: Person) -> int:
    """Move rows of one relation to the survivor; rows that would become duplicates are dropped
    only when an identical row already exists for the survivor (e.g. the same case and role)."""
    model = relation.related_model
    name = relation.field.name
    rows = list(model._default_manager.filter(**{name: duplicate}).order_by("pk"))
    moved = 0
    for row in rows:
        try:
            with transaction.atomic():
                # The row may be counted through this person (sex, age group) in a kept rollup.
                rollups.mark_changed(model._default_manager.filter(pk=row.pk))
                model._default_manager.filter(pk=row.pk).update(**{name: survivor})
                moved += 1
        except IntegrityError:
            # The survivor already has this exact link (same case and role): the duplicate's copy adds
            # nothing. Anything else is a real conflict and stops the merge.
            unique_twin = _has_twin(model, row, name, survivor)
            if not unique_twin:
                raise MergeError(f"cannot move {model._meta.label} {row.pk}") from None
            model._default_manager.filter(pk=row.pk).delete()
    return moved


def _has_twin(model: type[models.Model], row: models.Model, name: str, survivor: Person) -> bool:
    """Whether the survivor already has a row equal to ``row`` on one of its unique constraints."""
    if getattr(model._meta.get_field(name), "unique", False):
        return model._default_manager.filter(**{name: survivor}).exists()
    for constraint in model._meta.constraints:
        fields = getattr(constraint, "fields", ())
        if name not in fields:
            continue
        attnames = [getattr(model._meta.get_field(other), "attname", other) for other in fields if other != name]
        lookup = {attname: getattr(row, attname) for attname in attnames}
        if model._default_manager.filter(**{name: survivor}, **lookup).exists():
            return True
    return False


class MergeFollower(Protocol):
    def __call__(self, *, actor: User, survivor: Person, duplicate: Person) -> None: ...


# The apps whose records involve persons follow a merge (cases note it on the timeline of every case
# involved): called in the merge's transaction, once the survivor has taken over the duplicate's links.
_MERGE_FOLLOWERS: list[MergeFollower] = []


def on_person_merged(follower: MergeFollower) -> None:
    if follower not in _MERGE_FOLLOWERS:
        _MERGE_FOLLOWERS.append(follower)


def person_merge_allowed(actor: User, *persons: Person) -> bool:
    ids = {person.pk for person in persons}
    reachable = access.visible(actor, PersonPermission.MERGE, Person.objects.filter(pk__in=ids))
    return reachable.count() == len(ids)


@transaction.atomic
def person_merge(*, actor: User, survivor: Person, duplicate: Person, reason: str = "", request: Any = None) -> Person:
    """Record that ``duplicate`` is the same person as ``survivor``.

    Everything that pointed at the duplicate (case links, consents, alert persons…) now points at
    the survivor; the survivor's identity is completed from the duplicate's (its name becomes an
    alias); the duplicate keeps its record, gets ``merged_into`` and answers as a redirect. One
    transaction, audited on both records and followed by the apps involving persons (``on_person_merged``)."""
    if survivor.pk == duplicate.pk:
        raise MergeError(_("A person cannot be merged with themselves."))
    locked = {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=[survivor.pk, duplicate.pk])}
    survivor, duplicate = locked[survivor.pk], locked[duplicate.pk]
    if survivor.merged_into_id or duplicate.merged_into_id:
        raise MergeError(_("One of these persons has already been merged."))
    if not person_merge_allowed(actor, survivor, duplicate):
        raise PermissionDenied
    moved: dict[str, int] = {}
    for relation in Person._meta.related_objects:
        if relation.name in _OWN_RELATIONS or relation.one_to_one or relation.many_to_many:
            continue
        if not relation.field.concrete:
            continue
        count = _repoint(relation, survivor, duplicate)
        if count:
            moved[relation.field.model._meta.label_lower] = count
    # Anything merged into the duplicate before now follows it to the survivor.
    Person.objects.filter(merged_into=duplicate).update(merged_into=survivor)
    keep_identity = PersonIdentity.objects.get(person=survivor)
    other_identity = PersonIdentity.objects.filter(person=duplicate).first()
    identity_changed = _merge_identity(keep_identity, other_identity) if other_identity else []
    if identity_changed:
        keep_identity.save()
    for name in ("nationality", "disability"):
        if not getattr(survivor, name) and getattr(duplicate, name):
            setattr(survivor, name, getattr(duplicate, name))
    if survivor.sex == Sex.UNKNOWN and duplicate.sex != Sex.UNKNOWN:
        survivor.sex = duplicate.sex
    if survivor.age_years is None and duplicate.age_years is not None:
        survivor.age_years, survivor.age_recorded_on = duplicate.age_years, duplicate.age_recorded_on
        survivor.age_group = age_group_for(survivor.age_years, survivor.age_group)
    survivor.presumed_child = survivor.presumed_child or duplicate.presumed_child
    survivor.languages = _union(survivor.languages, duplicate.languages)
    survivor.version = F("version") + 1
    survivor.save()
    survivor.refresh_from_db()
    duplicate.merged_into = survivor
    duplicate.version = F("version") + 1
    duplicate.save(update_fields=["merged_into", "version", "updated_at"])
    duplicate.refresh_from_db()
    person_tokens_rebuild(survivor)
    person_tokens_rebuild(duplicate)
    details = {"survivor": survivor.reference, "duplicate": duplicate.reference, "moved": moved}
    if identity_changed:
        details["identity_completed"] = identity_changed
    for obj, summary in (
        (survivor, f"{duplicate.reference} merged into this person"),
        (duplicate, f"merged into {survivor.reference}"),
    ):
        audit_record(
            actor=actor,
            action=AuditAction.MERGE,
            obj=obj,
            summary=summary,
            reason=reason,
            changes=details,
            request=request,
        )
    for follower in _MERGE_FOLLOWERS:
        follower(actor=actor, survivor=survivor, duplicate=duplicate)
    return survivor
