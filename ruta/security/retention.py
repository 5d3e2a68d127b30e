"""Retention: rules in the database (``RetentionRule``: policy, days to keep, active) applied by a
daily periodic task; ``manage.py retention --dry-run`` reports what would happen.

Each policy is a pair of functions in ``POLICIES``: ``candidates(cutoff)`` returns what is due, and
``apply(cutoff)`` treats it and returns a count. Policies for models that arrive later are added
here and get a rule row through a data migration. Every run writes one audit row per rule."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.security.models import RetentionPolicy, RetentionRule


@dataclass(frozen=True)
class Policy:
    count: Callable[[Any], int]
    apply: Callable[[Any], int]


def _closed_alerts_with_contact(cutoff: Any) -> Any:
    from ruta.alerts.models import Alert

    return Alert.objects.filter(is_open=False, closed_at__lt=cutoff).exclude(reporter_contact="")


def _erase_reporter_contacts(cutoff: Any) -> int:
    # An empty string stays empty in the encrypted column, so this is a plain UPDATE.
    return int(_closed_alerts_with_contact(cutoff).update(reporter_contact=""))


def _old_closed_cases(cutoff: Any) -> Any:
    from ruta.cases.models import Case

    return Case.objects.filter(closed_at__isnull=False, closed_at__lt=cutoff)


def _persons_to_anonymise(cutoff: Any) -> Any:
    from ruta.cases.models import CasePerson
    from ruta.persons.models import Person

    still_needed = CasePerson.objects.filter(Q(case__closed_at__isnull=True) | Q(case__closed_at__gte=cutoff))
    return Person.objects.filter(
        identity__isnull=False, pk__in=CasePerson.objects.filter(case__in=_old_closed_cases(cutoff)).values("person_id")
    ).exclude(pk__in=still_needed.values("person_id"))


def _count_case_anonymisation(cutoff: Any) -> int:
    return int(_old_closed_cases(cutoff).exclude(narrative="").count() + _persons_to_anonymise(cutoff).count())


def _anonymise_cases(cutoff: Any) -> int:
    """Blank the narrative of old closed cases; delete the identity (and search tokens) of persons who
    appear only in such cases. Pseudonymous references, ages and outcomes stay for statistics."""
    from ruta.persons.models import PersonIdentity, PersonSearchToken

    person_ids = list(_persons_to_anonymise(cutoff).values_list("pk", flat=True))
    cases = int(_old_closed_cases(cutoff).exclude(narrative="").update(narrative=""))
    PersonSearchToken.objects.filter(person_id__in=person_ids).delete()
    identities, _ = PersonIdentity.objects.filter(person_id__in=person_ids).delete()
    return cases + int(identities)


def _old_idempotency(cutoff: Any) -> Any:
    from ruta.core.models import IdempotencyRecord

    return IdempotencyRecord.objects.filter(created_at__lt=cutoff)


def _old_login_failures(cutoff: Any) -> Any:
    from ruta.accounts.models import LoginFailure

    return LoginFailure.objects.filter(at__lt=cutoff)


POLICIES: dict[str, Policy] = {
    RetentionPolicy.ALERT_REPORTER_CONTACT: Policy(
        lambda cutoff: _closed_alerts_with_contact(cutoff).count(), _erase_reporter_contacts
    ),
    RetentionPolicy.CASE_ANONYMISE: Policy(_count_case_anonymisation, _anonymise_cases),
    RetentionPolicy.IDEMPOTENCY: Policy(
        lambda cutoff: _old_idempotency(cutoff).count(), lambda cutoff: _old_idempotency(cutoff).delete()[0]
    ),
    RetentionPolicy.LOGIN_FAILURES: Policy(
        lambda cutoff: _old_login_failures(cutoff).count(), lambda cutoff: _old_login_failures(cutoff).delete()[0]
    ),
}


@dataclass(frozen=True)
class RuleResult:
    policy: str
    keep_days: int
    cutoff: Any
    count: int
    applied: bool


def retention_run(*, dry_run: bool, now: Any = None) -> list[RuleResult]:
    """Apply (or, with ``dry_run``, only count) every active rule; one transaction per rule."""
    now = now or timezone.now()
    results = []
    for rule in RetentionRule.objects.filter(is_active=True).order_by("policy"):
        policy = POLICIES.get(rule.policy)
        if policy is None:
            continue
        cutoff = now - timedelta(days=rule.keep_days)
        if dry_run:
            results.append(RuleResult(rule.policy, rule.keep_days, cutoff, policy.count(cutoff), False))
            continue
        with transaction.atomic():
            count = policy.apply(cutoff)
            RetentionRule.objects.filter(pk=rule.pk).update(last_run_at=now, last_run_count=count)
            audit_record(
                actor=None,
                action=AuditAction.DELETE,
                object_type="security.retention",
                object_id=rule.policy,
                summary=f"retention {rule.policy}: {count} treated (older than {rule.keep_days} days)",
            )
        results.append(RuleResult(rule.policy, rule.keep_days, cutoff, count, True))
    return results
