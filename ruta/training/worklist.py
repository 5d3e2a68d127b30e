"""The three-month follow-up, for participants who are not labour inspectors (inspectors' change is
read from their field work instead, see ``impact``): three months after a session they attended,
their work list asks them to rate themselves again against the course's framework, and their
supervisors' team list asks for a follow-up assessment of them. Each item stays until such an
assessment against that framework is submitted within the window."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ruta.accounts.models import Membership, User
from ruta.competencies.models import Assessment, AssessmentKind, AssessmentStatus
from ruta.competencies.permissions import CompetencyPermission
from ruta.core.worklist import WorkItem, worklist_provider
from ruta.policy import access
from ruta.training.impact import INSPECTOR_ROLE
from ruta.training.models import Attendance, Enrolment, EnrolmentStatus

FOLLOW_UP_AFTER = timedelta(days=91)
# The list shows the item from two weeks before it is due; an assessment from then on answers it.
WINDOW_OPENS = timedelta(days=14)


LIMIT = 200


def _due_enrolments(**where: Any) -> QuerySet[Enrolment]:
    """Attended enrolments of non-inspectors whose follow-up window is open."""
    return (
        Enrolment.objects.filter(
            status=EnrolmentStatus.ENROLLED,
            pk__in=Attendance.objects.values("enrolment_id"),
            session__ends_on__lte=timezone.localdate() - FOLLOW_UP_AFTER + WINDOW_OPENS,
            session__course__framework__isnull=False,
            **where,
        )
        .exclude(participant_id__in=Membership.objects.filter(role=INSPECTOR_ROLE, is_active=True).values("user_id"))
        .select_related("session__course__framework", "participant")
        .order_by("session__ends_on", "pk")
    )


def _due(enrolment: Enrolment) -> date:
    return enrolment.session.ends_on + FOLLOW_UP_AFTER


@worklist_provider("training_follow_up")
def follow_up_work(user: User, team: bool) -> list[WorkItem]:
    if team:
        institutions = access.institutions_with(user, CompetencyPermission.ASSESS)
        enrolments = list(_due_enrolments(institution_id__in=institutions).exclude(participant=user)[:LIMIT])
        kinds: tuple[str, ...] = (AssessmentKind.FOLLOW_UP,)
    else:
        enrolments = list(_due_enrolments(participant=user)[:LIMIT])
        kinds = (AssessmentKind.SELF, AssessmentKind.FOLLOW_UP)
    answered = set(
        Assessment.objects.filter(
            person_id__in={e.participant_id for e in enrolments}, status=AssessmentStatus.SUBMITTED, kind__in=kinds
        ).values_list("person_id", "framework_id", "assessed_on")
    )
    items = []
    for enrolment in enrolments:
        framework = enrolment.session.course.framework
        assert framework is not None
        due = _due(enrolment)
        if any(
            (person, pk) == (enrolment.participant_id, framework.pk) and on >= due - WINDOW_OPENS
            for person, pk, on in answered
        ):
            continue
        course = enrolment.session.course
        if team:
            label = _("Three-month follow-up assessment of %(name)s after “%(course)s”") % {
                "name": enrolment.participant.get_full_name(),
                "course": course,
            }
            url = reverse("competencies:assess", kwargs={"user_id": enrolment.participant_id, "code": framework.code})
            url += "?kind=follow_up"
        else:
            label = _("Three-month follow-up: rate yourself again after “%(course)s”") % {"course": course}
            url = reverse("competencies:self_assess", kwargs={"code": framework.code})
        items.append(
            WorkItem(
                "training_follow_up",
                label,
                f"T{enrolment.session_id}-{enrolment.pk}",
                timezone.make_aware(datetime.combine(due, time(17))),
                url,
            )
        )
    return items
