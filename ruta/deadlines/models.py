"""A missed deadline, escalated once: one row per (record, deadline), whatever the domain."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class EscalationQuerySet(models.QuerySet["Escalation"]):
    def for_model(self, model: type[models.Model]) -> EscalationQuerySet:
        """The escalations of ``model``'s records: ``pk__in=....values("object_id")`` selects them."""
        # Joined by name, not by a looked-up id: a list that filters on it costs no extra query.
        meta = model._meta
        return self.filter(content_type__app_label=meta.app_label, content_type__model=meta.model_name)


class Escalation(models.Model):
    """The unique constraint is what makes an escalation happen once: the row is written in the same
    transaction as the notifications, the timeline event and the audit row. A domain model reads its
    own escalations through a ``GenericRelation`` (``referral.escalations``)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    deadline = models.CharField(_("deadline"), max_length=32)
    due_at = models.DateTimeField(_("was due"))
    escalated_at = models.DateTimeField(_("escalated at"))
    recipients = models.PositiveIntegerField(_("people notified"), default=0)

    objects = EscalationQuerySet.as_manager()

    class Meta:
        ordering = ["escalated_at", "id"]
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        constraints = [
            # Leads with the deadline so the scan's "not escalated yet" sub-query reads the index only.
            models.UniqueConstraint(fields=["content_type", "deadline", "object_id"], name="deadline_escalated_once"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="deadline_escalation_record")]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id}:{self.deadline}"

    @property
    def label(self) -> Promise | str:
        """The deadline's name for people, as its kind declares it."""
        from ruta.deadlines.registry import deadline_kind

        model = ContentType.objects.get_for_id(self.content_type_id).model_class()  # cached per process
        kind = deadline_kind(model, self.deadline) if model is not None else None
        return kind.label if kind is not None else self.deadline
