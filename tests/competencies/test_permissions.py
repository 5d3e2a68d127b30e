"""Who may assess whom, who reads which assessment, and the audit of reads of another person's."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ruta.audit.models import AuditAction, AuditEvent
from ruta.competencies.models import Assessment, AssessmentKind, AssessmentStatus
from ruta.competencies.permissions import CompetencyPermission as P
from ruta.competencies.selectors import assessments_visible
from ruta.competencies.services import AssessmentError, assessable_persons
from ruta.policy import access
from ruta.policy.roles import ROLES, Scope
from tests.competencies.factories import assess, form_data, inspector_framework

pytestmark = pytest.mark.django_db


def test_the_training_coordinator_role_and_its_grants() -> None:
    role = ROLES["training_coordinator"]
    assert role.scope_for(P.ASSESS) == Scope.TERRITORY
    assert role.scope_for(P.VIEW_ASSESSMENTS) == Scope.TERRITORY
    assert role.scope_for(P.HEATMAP) == Scope.TERRITORY
    assert role.scope_for(P.FRAMEWORK_MANAGE) == Scope.NATIONAL
    assert ROLES["labour_inspector"].scope_for(P.VIEW_ASSESSMENTS) is None


# persona → may they give the inspector persona (STSS) a supervisor assessment?
ASSESS_INSPECTOR = {
    "training_coordinator": True,  # no territory: the whole country
    "supervisor": False,  # the ERI's supervisor: the ERI only
    "supervisor_health": False,  # SESAL only
    "labour_inspector": False,  # not oneself
    "trainer": False,
    "analyst": False,
    "caseworker": False,
}


@pytest.mark.parametrize(("persona", "allowed"), sorted(ASSESS_INSPECTOR.items()))
def test_who_may_assess_the_inspector(personas: dict[str, Any], persona: str, allowed: bool) -> None:
    inspector, actor = personas["labour_inspector"], personas[persona]
    assert assessable_persons(actor).filter(pk=inspector.pk).exists() is allowed
    if allowed:
        assessment = assess(inspector, [2] * 13, assessor=actor, kind=AssessmentKind.SUPERVISOR)
        assert assessment.status == AssessmentStatus.SUBMITTED
        return
    with pytest.raises((PermissionDenied, AssessmentError)):
        assess(inspector, [2] * 13, assessor=actor, kind=AssessmentKind.SUPERVISOR)
    assert not Assessment.objects.exists()


def test_an_institution_supervisor_assesses_their_own_staff(personas: dict[str, Any]) -> None:
    # SESAL's supervisor reaches SESAL's caseworker.
    assessment = assess(
        personas["caseworker"], [3] * 13, assessor=personas["supervisor_health"], kind=AssessmentKind.SUPERVISOR
    )
    assert assessments_visible(personas["supervisor_health"]).filter(pk=assessment.pk).exists()
    assert not assessments_visible(personas["supervisor"]).filter(pk=assessment.pk).exists()


def test_nobody_self_assesses_someone_else(personas: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        assess(personas["labour_inspector"], [2] * 13, assessor=personas["training_coordinator"])


def test_an_incomplete_or_out_of_scale_submission_saves_nothing(personas: dict[str, Any]) -> None:
    inspector = personas["labour_inspector"]
    with pytest.raises(AssessmentError) as raised:
        assess(inspector, {"LI-01": 2})
    assert raised.value.code == "incomplete"
    with pytest.raises(AssessmentError) as raised:
        assess(inspector, [5] * 13)
    assert raised.value.code == "invalid_level"
    assert not Assessment.objects.exists()


def test_participants_see_only_their_own(personas: dict[str, Any]) -> None:
    mine = assess(personas["labour_inspector"], [2] * 13)
    theirs = assess(personas["trainer"], [2] * 13)
    visible = set(assessments_visible(personas["labour_inspector"]).values_list("pk", flat=True))
    assert visible == {mine.pk}
    assert set(assessments_visible(personas["training_coordinator"]).values_list("pk", flat=True)) == {
        mine.pk,
        theirs.pk,
    }
    assert not access.has_perm(personas["labour_inspector"], P.VIEW_ASSESSMENTS)


def test_reading_another_persons_assessment_is_audited(personas: dict[str, Any], client: Any) -> None:
    inspector, coordinator = personas["labour_inspector"], personas["training_coordinator"]
    assessment = assess(inspector, [2] * 13)
    url = reverse("competencies:assessment", kwargs={"pk": assessment.pk})
    reads = AuditEvent.objects.filter(action=AuditAction.READ, object_type="competencies.assessment")

    client.force_login(inspector)
    assert client.get(url).status_code == 200
    assert not reads.exists()  # one's own: not a read of someone else's data

    client.force_login(personas["trainer"])
    assert client.get(url).status_code == 404

    client.force_login(coordinator)
    assert client.get(url).status_code == 200
    assert list(reads.values_list("actor_id", "object_id")) == [(coordinator.pk, str(assessment.pk))]

    person_url = reverse("competencies:person", kwargs={"user_id": inspector.pk})
    assert client.get(person_url).status_code == 200
    assert AuditEvent.objects.filter(
        action=AuditAction.READ, actor=coordinator, object_type="accounts.user", object_id=str(inspector.pk)
    ).exists()


def test_self_assessment_through_the_page(personas: dict[str, Any], client: Any) -> None:
    inspector = personas["labour_inspector"]
    client.force_login(inspector)
    framework = inspector_framework()
    url = reverse("competencies:self_assess", kwargs={"code": framework.code})
    response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('type="radio"') == 13 * 4
    incomplete = form_data(framework)
    del incomplete[f"competency_{framework.competencies.first().pk}"]
    response = client.post(url, incomplete)
    assert response.status_code == 200 and not Assessment.objects.exists()
    assert client.post(url, form_data(framework, 3)).status_code == 302
    assessment = Assessment.objects.get()
    assert (assessment.person, assessment.assessor, assessment.kind) == (inspector, inspector, "self")
    assert assessment.institution.code == "stss"
    page = client.get(reverse("competencies:mine")).content.decode()
    assert "Levels over time" in page


def test_a_draft_is_finished_by_its_assessor_only(personas: dict[str, Any], client: Any) -> None:
    inspector = personas["labour_inspector"]
    draft = assess(inspector, {"LI-01": 1}, submit=False)
    url = reverse("competencies:edit", kwargs={"pk": draft.pk})
    client.force_login(personas["training_coordinator"])
    assert client.get(url).status_code == 404
    client.force_login(inspector)
    assert client.post(url, form_data(inspector_framework(), 2)).status_code == 302
    draft.refresh_from_db()
    assert draft.status == AssessmentStatus.SUBMITTED and draft.ratings.count() == 13
    assert client.get(url).status_code == 404  # submitted: final
