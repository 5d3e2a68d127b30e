"""What the receiving institution is shown: only the sections the sender shared.

Each section is read here and nowhere else, so nothing of the case leaks by accident. Identity is
shown only when the sender shared it, and every person's record shown is audit-logged. Sections of
other apps (needs assessment, plan, screening) are read through the app registry so referrals keep
working whatever stage those apps are in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from ruta.accounts.models import User
from ruta.audit.services import audit_read
from ruta.persons.models import Person, PersonIdentity
from ruta.referrals.models import LegalMilestone, Referral, SharedSection


@dataclass
class SharedPerson:
    person: Person
    identity: PersonIdentity | None = None
    screenings: list[Any] = field(default_factory=list)


@dataclass
class SharedContent:
    sections: list[str]
    persons: list[SharedPerson]
    needs: list[Any] = field(default_factory=list)
    plan: Any = None
    plan_items: list[Any] = field(default_factory=list)
    milestones: list[LegalMilestone] = field(default_factory=list)

    def shares(self, section: str) -> bool:
        return section in self.sections


def _model(app_label: str, name: str) -> type[Model] | None:
    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None


def shared_content(*, actor: User, referral: Referral, request: HttpRequest | None = None) -> SharedContent:
    """The shared sections of ``referral`` for someone on the receiving side; logs each person read."""
    sections = list(referral.shared_sections)
    persons = [SharedPerson(link.person) for link in referral.referred.all()]
    content = SharedContent(sections=sections, persons=persons)
    reason = f"referral {referral.reference}"
    for shared in persons:
        audit_read(actor=actor, obj=shared.person, request=request, reason=reason)
    by_pk = {shared.person.pk: shared for shared in persons}
    if SharedSection.IDENTITY in sections:
        for identity in PersonIdentity.objects.filter(person_id__in=by_pk):
            by_pk[identity.person_id].identity = identity
    if SharedSection.NEEDS in sections:
        need_model = _model("cases", "NeedAssessment")
        if need_model is not None:
            content.needs = list(
                need_model._default_manager.filter(case_id=referral.case_id).order_by("area")  # type: ignore[misc]
            )
    if SharedSection.PLAN in sections:
        plan_model = _model("cases", "CarePlan")
        if plan_model is not None:
            plans: QuerySet[Any] = plan_model._default_manager.filter(
                case_id=referral.case_id, superseded_at__isnull=True
            ).order_by("-created_at")
            content.plan = plans.first()
            if content.plan is not None:
                content.plan_items = list(content.plan.items.select_related("service", "institution"))
    if SharedSection.SCREENING in sections:
        _attach_screenings(referral, by_pk)
    if SharedSection.LEGAL in sections:
        content.milestones = list(LegalMilestone.objects.filter(case_id=referral.case_id).select_related("institution"))
    return content


def _attach_screenings(referral: Referral, by_pk: dict[int, SharedPerson]) -> None:
    """Formal screening results of the referred persons (outcome and dimensions, no free text)."""
    record_model = _model("screening", "ScreeningRecord")
    decision_model = _model("cases", "IdentificationDecision")
    if record_model is None:
        return
    record_ids: dict[int, int] = {}
    if decision_model is not None:
        for person_id, record_id in decision_model._default_manager.filter(
            case_id=referral.case_id, person_id__in=by_pk, screening_record_id__isnull=False
        ).values_list("person_id", "screening_record_id"):
            record_ids[record_id] = person_id
    for record in record_model._default_manager.filter(pk__in=record_ids):
        by_pk[record_ids[record.pk]].screenings.append(record)
