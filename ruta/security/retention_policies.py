"""The retention policies the apps register (see ``ruta.security.retention`` for how rules are kept
and applied). Apart from the engine so the rule model can take its choices from here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.functional import Promise

from ruta.core.registry import Registry

POLICY_MAX_LENGTH = 40


@dataclass(frozen=True)
class RetentionPolicy:
    code: str
    label: Promise | str
    count: Callable[[datetime], int]
    apply: Callable[[datetime], int]
    default_keep_days: int
    active_by_default: bool = True


_POLICIES: Registry[RetentionPolicy] = Registry("retention policy", lambda policy: policy.code)


def register_retention(
    code: str,
    label: Promise | str,
    *,
    count: Callable[[datetime], int],
    apply: Callable[[datetime], int],
    default_keep_days: int,
    active_by_default: bool = True,
) -> RetentionPolicy:
    """Declare a retention policy (``code`` like "alerts.reporter_contact", unique across apps)."""
    if len(code) > POLICY_MAX_LENGTH:
        raise ImproperlyConfigured(f"retention policy code {code!r} is longer than {POLICY_MAX_LENGTH}")
    return _POLICIES.register(RetentionPolicy(code, label, count, apply, default_keep_days, active_by_default))


def register_deletion(
    code: str,
    label: Promise | str,
    records: Callable[[datetime], models.QuerySet[Any]],
    *,
    default_keep_days: int,
    active_by_default: bool = True,
) -> RetentionPolicy:
    """A policy that deletes ``records(cutoff)`` (and what cascades from them)."""
    return register_retention(
        code,
        label,
        count=lambda cutoff: records(cutoff).count(),
        apply=lambda cutoff: records(cutoff).delete()[0],
        default_keep_days=default_keep_days,
        active_by_default=active_by_default,
    )


def retention_policies() -> list[RetentionPolicy]:
    return sorted(_POLICIES.all(), key=lambda policy: policy.code)


def retention_policy(code: str) -> RetentionPolicy | None:
    return _POLICIES.get(code)


def retention_policy_choices() -> list[tuple[str, Promise | str]]:
    return [(policy.code, policy.label) for policy in retention_policies()]
