"""Deadline kinds: "this record must reach state S by time T; if not, escalate once to the holders of
permission P". Each app declares its kinds and registers them from its ``plugin.py``; the engine
(``ruta.deadlines.services``) scans every registered kind and never knows a domain."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q
from django.utils.functional import Promise

from ruta.core.registry import Registry
from ruta.core.texts import Text
from ruta.policy.permissions import Permission

if TYPE_CHECKING:
    from ruta.deadlines.models import Escalation


@dataclass(frozen=True)
class Notice:
    """What the recipients of an escalation read: texts rendered in the reader's language."""

    subject: Text
    body: Text


@dataclass(frozen=True)
class DeadlineKind:
    """One deadline of one model.

    - ``code``: the deadline's name within the model (``"acknowledge"``), stored on each escalation;
    - ``due_field``: the record's field holding when the state is due;
    - ``pending``: what "not reached yet" means on the record (the done field unset, the status not
      moved on); a record that no longer matches it is never escalated;
    - ``permission``: whose holders receive the escalation, reaching ``recipients_reach(record)``
      (the record itself by default) through the memberships of ``recipients_institutions(record)``
      (all of them by default);
    - ``notice``, ``url``: the notification, built in one place per kind;
    - ``on_escalated``: the domain's own timeline event, written in the escalation's transaction;
    - ``escalated_field``: optionally a nullable datetime on the record set with the escalation, so a
      busy table's scan can use a partial index instead of looking up escalations.
    """

    model: type[models.Model]
    code: str
    label: Promise | str
    due_field: str
    pending: Q
    permission: Permission
    notification_kind: str
    notice: Callable[[Any, datetime], Notice]
    url: Callable[[Any], str]
    on_escalated: Callable[[Any, Escalation], None]
    recipients_reach: Callable[[Any], models.Model] | None = None
    recipients_institutions: Callable[[Any], Iterable[int]] | None = None
    escalated_field: str | None = None

    @property
    def key(self) -> str:
        return f"{self.model._meta.label_lower}.{self.code}"


_KINDS: Registry[DeadlineKind] = Registry("deadline", lambda kind: kind.key)


def register_deadline(kind: DeadlineKind) -> DeadlineKind:
    return _KINDS.register(kind)


def deadline_kinds() -> list[DeadlineKind]:
    return _KINDS.all()


def deadline_kind(model: type[models.Model], code: str) -> DeadlineKind | None:
    return _KINDS.get(f"{model._meta.label_lower}.{code}")
