"""The access policy: which records a user may see or act on, for every view and API endpoint.

Each protected model registers ``ScopeRules``: how to express "own", "team", "institution" and
"territory" as a filter on it. ``visible(user, permission, queryset)`` ORs together what each of the
user's memberships grants for that permission; ``get_visible_or_404`` answers 404 both for records
that do not exist and for records the user may not see, so nobody can probe for existence."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, Union, cast

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import MultipleObjectsReturned, ObjectDoesNotExist
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404

from ruta.policy.permissions import Permission
from ruta.policy.roles import ROLES, Scope, roles_with

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ruta.accounts.models import User

# Who asks: a signed-in user, an anonymous visitor or nobody (a background job); only users reach anything.
Reader = Union["User", "AnonymousUser", None]
ModelT = TypeVar("ModelT", bound=models.Model)


@dataclass(frozen=True)
class Grant:
    """One membership's reach for one permission."""

    scope: Scope
    institution_id: int
    department_id: int | None
    municipality_id: int | None


@dataclass(frozen=True)
class ScopeRules:
    """How a model answers each scope. A rule left out means that scope reaches nothing extra.

    Rules must not join many-valued relations directly (use ``pk__in=<subquery>``): the filter is
    applied to large lists and must never need DISTINCT or multiply rows."""

    own: Callable[[User], Q] | None = None
    team: Callable[[User], Q] | None = None
    institution: Callable[[set[int]], Q] | None = None
    territory: Callable[[set[int], set[int]], Q] | None = None


_RULES: dict[type[models.Model], ScopeRules] = {}
# Extra reach beyond the scopes (break-the-glass grants): each returns a Q to OR in, or None.
ExtraReach = Callable[[Any, Permission, type[models.Model]], Q | None]
_EXTRA_REACH: list[ExtraReach] = []
_CACHE_ATTR = "_ruta_grants"
NOTHING = Q(pk__in=[])


def register(model: type[models.Model], rules: ScopeRules) -> None:
    _RULES[model] = rules


def register_extra_reach(function: ExtraReach) -> None:
    """Let another module widen what users reach (e.g. a time-limited break-the-glass grant)."""
    if function not in _EXTRA_REACH:
        _EXTRA_REACH.append(function)


def registered_models() -> list[type[models.Model]]:
    return list(_RULES)


def rules_for(model: type[models.Model]) -> ScopeRules:
    try:
        return _RULES[model]
    except KeyError:
        raise LookupError(f"{model.__name__} has no access rules registered") from None


def _grants_from(user: User, institution_ids: Iterable[int] | None = None) -> dict[Permission, list[Grant]]:
    """What each permission reaches through the user's active memberships (optionally only those in
    ``institution_ids``)."""
    memberships = user.memberships.filter(is_active=True, institution__is_active=True)
    if institution_ids is not None:
        memberships = memberships.filter(institution_id__in=list(institution_ids))
    found: dict[Permission, list[Grant]] = {}
    for role_code, institution_id, department_id, municipality_id in memberships.values_list(
        "role", "institution_id", "department_id", "municipality_id"
    ):
        role = ROLES.get(role_code)
        if role is None:
            continue
        for perm, scope in role.grants.items():
            found.setdefault(perm, []).append(Grant(scope, institution_id, department_id, municipality_id))
    return found


def grants(user: Reader, permission: Permission) -> list[Grant]:
    """The user's grants for ``permission``, from active memberships; cached on the user object."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cache: dict[Permission, list[Grant]] | None = getattr(user, _CACHE_ATTR, None)
    if cache is None:
        cache = _grants_from(user)
        setattr(user, _CACHE_ATTR, cache)
    return cache.get(permission, [])


def forget_grants(user: Reader) -> None:
    """Drop the cached grants after a membership change in the same request."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def has_perm(user: Reader, permission: Permission) -> bool:
    return bool(grants(user, permission))


def institutions_with(user: Reader, permission: Permission) -> set[int]:
    return {grant.institution_id for grant in grants(user, permission)}


def scope_filter(user: Reader, permission: Permission, model: type[models.Model]) -> Q | None:
    """A filter selecting what ``user`` may reach with ``permission`` on ``model``; None means all."""
    condition = _scope_condition(user, permission, model)
    if condition is None:
        return None
    for extra_reach in _EXTRA_REACH:
        extra = extra_reach(user, permission, model)
        if extra is not None:
            condition = extra if condition == NOTHING else condition | extra
    return condition


def _scope_condition(user: Reader, permission: Permission, model: type[models.Model]) -> Q | None:
    found = grants(user, permission)
    if not found:
        return NOTHING
    if any(grant.scope == Scope.NATIONAL for grant in found):
        return None
    rules = rules_for(model)
    member = cast("User", user)  # only a signed-in user has grants
    condition = NOTHING
    if rules.own:
        condition |= rules.own(member)
    if rules.team and any(grant.scope >= Scope.TEAM for grant in found):
        condition |= rules.team(member)
    institution_ids = {grant.institution_id for grant in found if grant.scope >= Scope.INSTITUTION}
    if rules.institution and institution_ids:
        condition |= rules.institution(institution_ids)
    territorial = [grant for grant in found if grant.scope == Scope.TERRITORY]
    if territorial:
        # A territorial grant with no territory set covers the whole country (e.g. the national ERI).
        if any(grant.department_id is None and grant.municipality_id is None for grant in territorial):
            return None
        if rules.territory:
            departments = {g.department_id for g in territorial if g.department_id and not g.municipality_id}
            municipalities = {g.municipality_id for g in territorial if g.municipality_id}
            condition |= rules.territory(departments, municipalities)
    return condition


def visible(user: Reader, permission: Permission, queryset: QuerySet[ModelT]) -> QuerySet[ModelT]:
    condition = scope_filter(user, permission, queryset.model)
    if condition is None:
        return queryset
    if condition == NOTHING:
        return queryset.none()
    return queryset.filter(condition)


def get_visible_or_404(user: Reader, permission: Permission, queryset: QuerySet[ModelT], **lookup: Any) -> ModelT:
    """The one object matching ``lookup`` that ``user`` may reach, or 404 whether missing or forbidden."""
    try:
        return visible(user, permission, queryset).get(**lookup)
    except (ObjectDoesNotExist, MultipleObjectsReturned, ValueError, TypeError):
        raise Http404 from None


def holders(
    permission: Permission, record: models.Model, *, institution_ids: Iterable[int] | None = None
) -> list[AbstractBaseUser]:
    """Every active user who holds ``permission`` with a scope that reaches ``record`` (optionally only
    through memberships of ``institution_ids``): who to notify, who an escalation goes to, who may
    be assigned. The one answer to "who may act on this", so notifiers never check scope by hand."""
    membership = Q(
        memberships__is_active=True,
        memberships__institution__is_active=True,
        memberships__role__in=roles_with(permission),
    )
    if institution_ids is not None:
        institution_ids = set(institution_ids)
        membership &= Q(memberships__institution_id__in=institution_ids)
    users = get_user_model().objects.filter(is_active=True)
    candidates = users.filter(pk__in=users.filter(membership).values("pk")).order_by("pk")
    one = type(record)._default_manager.filter(pk=record.pk)
    found: list[AbstractBaseUser] = []
    for user in candidates:
        if institution_ids is not None:
            # Reach through the named institutions' memberships only.
            setattr(user, _CACHE_ATTR, _grants_from(user, institution_ids))
        if visible(user, permission, one).exists():
            found.append(user)
        forget_grants(user)
    return found
