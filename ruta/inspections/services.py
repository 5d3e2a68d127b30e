"""Planning: visits planned and assigned to inspectors (with their workload), joint operations with
police, prosecutor and ERI members, and the follow-up visit a remedy order calls for."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ruta.accounts.models import User
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.geo.models import Municipality
from ruta.inspections.models import (
    Establishment,
    InspectionType,
    JointOperation,
    Visit,
    VisitMember,
    VisitStatus,
)
from ruta.inspections.permissions import InspectionPermission
from ruta.inspections.protocols import current_protocol
from ruta.institutions.models import Institution, InstitutionType
from ruta.policy import access
from ruta.policy.roles import roles_with

JOINT_PARTNER_TYPES = (
    InstitutionType.POLICE,
    InstitutionType.PROSECUTOR,
    InstitutionType.IMMEDIATE_RESPONSE_TEAM,
)


class PlanningError(Exception):
    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(message)
        self.field, self.code, self.message = field, code, message


def acting_inspectorate(actor: User, permission: str) -> Institution:
    """The institution the actor plans or records for (their first membership holding the permission)."""
    ids = access.institutions_with(actor, permission)  # type: ignore[arg-type]
    if not ids:
        raise PermissionDenied
    return Institution.objects.get(pk=min(ids))


def inspectors(institution_ids: Iterable[int]) -> QuerySet[User]:
    """Who may be assigned visits: active users recording inspections in these institutions."""
    return User.objects.filter(
        is_active=True,
        pk__in=User.objects.filter(
            memberships__is_active=True,
            memberships__institution_id__in=list(institution_ids),
            memberships__role__in=roles_with(InspectionPermission.RECORD),
        ).values("pk"),
    ).order_by("last_name", "first_name", "username")


@dataclass(frozen=True)
class Workload:
    inspector: User
    open_visits: int
    in_period: int


def workloads(institution_ids: Iterable[int], *, since: date | None, until: date | None) -> list[Workload]:
    """Each inspector's open visits, and those planned within the period."""
    period = Q(inspection_visits__status__in=[VisitStatus.PLANNED, VisitStatus.IN_PROGRESS])
    in_period = period
    if since:
        in_period &= Q(inspection_visits__planned_for__gte=since)
    if until:
        in_period &= Q(inspection_visits__planned_for__lte=until)
    rows = inspectors(institution_ids).annotate(
        open_visits=Count("inspection_visits", filter=period), in_period=Count("inspection_visits", filter=in_period)
    )
    return [Workload(user, user.open_visits, user.in_period) for user in rows]  # type: ignore[attr-defined]


def _check_inspector(actor: User, inspector: User | None, institution: Institution) -> None:
    if inspector is not None and not inspectors([institution.pk]).filter(pk=inspector.pk).exists():
        raise PlanningError("inspector", "invalid_choice", _("This person is not an inspector of the inspectorate."))


@transaction.atomic
def visit_plan(
    *,
    actor: User,
    establishment: Establishment,
    inspection_type: str,
    planned_for: date | None,
    inspector: User | None = None,
    members: Sequence[User] = (),
    joint_operation: JointOperation | None = None,
    follow_up_of: Visit | None = None,
    follow_up_due_at: datetime | None = None,
    is_synthetic: bool = False,
) -> Visit:
    """Plan a visit following the type's current protocol, optionally assigned to an inspector."""
    if inspection_type not in InspectionType.values:
        raise PlanningError("inspection_type", "invalid_choice", _("Unknown inspection type."))
    institution = acting_inspectorate(actor, InspectionPermission.PLAN)
    _check_inspector(actor, inspector, institution)
    visit = Visit.objects.create(
        establishment=establishment,
        inspection_type=inspection_type,
        planned_for=planned_for,
        visit_date=planned_for,
        inspector=inspector,
        institution=institution,
        municipality_id=establishment.municipality_id,
        department_id=establishment.department_id,
        protocol=current_protocol(inspection_type),
        joint_operation=joint_operation,
        follow_up_of=follow_up_of,
        follow_up_due_at=follow_up_due_at,
        created_by=actor,
        is_synthetic=is_synthetic,
    )
    VisitMember.objects.bulk_create(VisitMember(visit=visit, user=member) for member in members if member != inspector)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=visit,
        summary=f"inspection visit planned ({inspection_type}, {planned_for})",
        changes={"inspector": inspector.pk if inspector else None},
    )
    return visit


@transaction.atomic
def visit_assign(*, actor: User, visit: Visit, inspector: User) -> Visit:
    """Give a planned visit to an inspector; the offline form picks it up at its next sync."""
    locked = Visit.objects.select_for_update().get(pk=visit.pk)
    if locked.status == VisitStatus.COMPLETED:
        raise PlanningError("inspector", "completed", _("A completed visit cannot be reassigned."))
    _check_inspector(actor, inspector, locked.institution)
    previous = locked.inspector_id
    locked.inspector = inspector
    locked.version += 1
    locked.save(update_fields=["inspector", "version", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=locked,
        summary="inspection visit assigned",
        changes={"inspector": [previous, inspector.pk]},
    )
    return locked


@transaction.atomic
def joint_operation_create(
    *,
    actor: User,
    name: str,
    planned_for: date,
    municipality: Municipality,
    partners: Sequence[Institution],
    establishments: Sequence[Establishment],
    inspector: User | None,
) -> JointOperation:
    """An operation with police, prosecutor and ERI partners, and one joint-operation visit per workplace."""
    if not name.strip():
        raise PlanningError("name", "required", _("Give the operation a name."))
    wrong = [p.name for p in partners if p.type not in JOINT_PARTNER_TYPES]
    if wrong:
        raise PlanningError(
            "partners",
            "invalid_choice",
            _("Joint operations are with the police, the prosecutor and the ERI: %(names)s.")
            % {"names": ", ".join(wrong)},
        )
    institution = acting_inspectorate(actor, InspectionPermission.PLAN)
    operation = JointOperation.objects.create(
        name=name.strip(), planned_for=planned_for, municipality=municipality, institution=institution, created_by=actor
    )
    operation.partners.set(partners)
    for establishment in establishments:
        visit_plan(
            actor=actor,
            establishment=establishment,
            inspection_type=InspectionType.JOINT_OPERATION,
            planned_for=planned_for,
            inspector=inspector,
            joint_operation=operation,
        )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=operation,
        summary=f"joint operation with {', '.join(p.code for p in partners)}",
    )
    return operation


def follow_up_for(*, actor: User, visit: Visit, due: date) -> Visit:
    """The follow-up visit of a visit whose remedy orders fall due on ``due`` (one per visit)."""
    existing = visit.follow_ups.filter(inspection_type=InspectionType.FOLLOW_UP).first()
    due_at = timezone.make_aware(datetime.combine(due + timedelta(days=1), time.min))
    if existing is not None:
        if existing.status == VisitStatus.PLANNED and existing.planned_for != due:
            existing.planned_for = existing.visit_date = due
            existing.follow_up_due_at = due_at
            existing.save(update_fields=["planned_for", "visit_date", "follow_up_due_at", "updated_at"])
        return existing
    follow_up = Visit.objects.create(
        establishment=visit.establishment,
        inspection_type=InspectionType.FOLLOW_UP,
        planned_for=due,
        visit_date=due,
        inspector=visit.inspector,
        institution=visit.institution,
        municipality_id=visit.municipality_id,
        department_id=visit.department_id,
        protocol=current_protocol(InspectionType.FOLLOW_UP),
        follow_up_of=visit,
        follow_up_due_at=due_at,
        created_by=actor,
        is_synthetic=visit.is_synthetic,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=follow_up, summary=f"follow-up visit planned for {due}")
    return follow_up
