"""Retention: how long each kind of data is kept, declared by the app that owns the data, with the
period and the on/off switch in the database (``RetentionRule``) for administrators to change.

An app registers each of its policies from ``plugin.py`` with ``register_retention`` (or
``register_deletion`` when the treatment is "delete these rows", both in
``ruta.security.retention_policies``; platform modules below ``security`` have theirs registered by
security's ``plugin.py``, as the import contracts want): a code, a label, ``count(cutoff)``
(what is due), ``apply(cutoff)`` (treat it, return how many) and a default period. After every
``migrate`` (and ``flush``) each registered policy without a rule gets one with its default period,
**active** unless the policy says ``active_by_default=False``: keeping personal data longer than its
purpose needs is the failure we guard against, and an app's author states the period as part of
the module. A rule that exists is never changed by code: an administrator's period or switch-off
stays. ``manage.py retention --dry-run`` reports what the active rules would treat.

A daily periodic task applies every active rule; each rule runs in its own transaction with one
audit row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import timezone

from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.security.models import RetentionRule
from ruta.security.retention_policies import retention_policies, retention_policy


def retention_rules_ensure(using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> list[str]:
    """Create the missing rule of every registered policy, with its defaults; returns their codes.
    Connected to ``post_migrate``; also the loader of the ``RetentionRule`` default catalogue."""
    rules = RetentionRule.objects.using(using)
    existing = set(rules.values_list("policy", flat=True))
    missing = [policy for policy in retention_policies() if policy.code not in existing]
    rules.bulk_create(
        [
            RetentionRule(policy=policy.code, keep_days=policy.default_keep_days, is_active=policy.active_by_default)
            for policy in missing
        ],
        ignore_conflicts=True,  # another process migrating at the same time
    )
    return [policy.code for policy in missing]


def retention_rules_load(apps: Any, schema_editor: Any) -> None:
    """``default_catalogue`` loader (called like a data migration's function)."""
    retention_rules_ensure()


@dataclass(frozen=True)
class RuleResult:
    policy: str
    keep_days: int
    cutoff: Any
    count: int
    applied: bool


def retention_run(*, dry_run: bool, now: Any = None) -> list[RuleResult]:
    """Apply (or, with ``dry_run``, only count) every active rule; one transaction per rule. A rule
    whose policy no installed app registers any more is skipped."""
    now = now or timezone.now()
    results = []
    for rule in RetentionRule.objects.filter(is_active=True).order_by("policy"):
        policy = retention_policy(rule.policy)
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
