"""Reads about users that depend on who asks."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from ruta.accounts.models import Membership, User
from ruta.institutions import selectors as institution_selectors
from ruta.institutions.models import Institution
from ruta.policy import access
from ruta.policy.permissions import PlatformPermission

# Institution's scope rules are registered by its selectors module; make sure they are loaded.
assert institution_selectors.access is access


def users_administered(actor: User) -> QuerySet[Any]:
    """Active users with an active membership in an institution ``actor`` may administer
    (``USER_MANAGE`` in its scope), never ``actor`` themselves."""
    institutions = access.visible(actor, PlatformPermission.USER_MANAGE, Institution.objects.all())
    members = Membership.objects.filter(is_active=True, institution__in=institutions).values("user_id")
    return get_user_model().objects.filter(is_active=True, pk__in=members).exclude(pk=actor.pk)


def administered_user(actor: User, username: str) -> Any | None:
    """The user called ``username`` if ``actor`` administers them; None for missing and forbidden alike."""
    username = (username or "").strip()
    if not username:
        return None
    return users_administered(actor).filter(username=username).first()
