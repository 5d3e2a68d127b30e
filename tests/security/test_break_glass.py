"""Break-the-glass: a supervisor opens one record outside their scope with a reason."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ruta.audit.models import AuditAction, AuditEvent
from ruta.cases.models import Case
from ruta.cases.permissions import CasePermission
from ruta.notifications.models import Notification
from ruta.persons.models import Person
from ruta.persons.permissions import PersonPermission
from ruta.policy import access
from ruta.security.break_glass import BreakGlassError, break_glass_open
from ruta.security.models import BreakGlassGrant
from tests.security.factories import case_for

REASON = "Call from the shelter: the child is missing since last night."


@pytest.fixture
def health_case(personas: dict[str, Any]) -> Case:
    """A case of the health ministry (SESAL) that the ERI supervisor does not reach."""
    return case_for("caseworker", personas, "sesal")


def test_grant_opens_exactly_one_record_for_reading_until_it_expires(personas: Any, health_case: Case) -> None:
    supervisor = personas["supervisor"]
    other_case = case_for("caseworker", personas, "sesal", given="Yessenia")
    cases = Case.objects.all()
    assert not access.visible(supervisor, CasePermission.VIEW, cases).filter(pk=health_case.pk).exists()

    opened = break_glass_open(
        actor=supervisor, object_type="cases.case", identifier=health_case.reference, reason=REASON
    )
    access.forget_grants(supervisor)
    seen = access.get_visible_or_404(supervisor, CasePermission.VIEW, cases, pk=health_case.pk)
    assert seen == health_case
    assert not access.visible(supervisor, CasePermission.VIEW, cases).filter(pk=other_case.pk).exists()
    # Reading only: editing still needs the normal scope.
    assert not access.visible(supervisor, CasePermission.EDIT, cases).filter(pk=health_case.pk).exists()
    # Another model with the same primary key is not opened.
    assert not access.visible(
        supervisor, PersonPermission.VIEW_IDENTITY, Person.objects.filter(pk=health_case.pk)
    ).exists()

    BreakGlassGrant.objects.filter(pk=opened.grant.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert not access.visible(supervisor, CasePermission.VIEW, cases).filter(pk=health_case.pk).exists()


def test_break_glass_is_audited_and_tells_owner_and_commission(personas: Any, health_case: Case) -> None:
    supervisor = personas["supervisor"]
    break_glass_open(actor=supervisor, object_type="cases.case", identifier=health_case.reference, reason=REASON)
    event = AuditEvent.objects.get(action=AuditAction.BREAK_GLASS)
    assert event.actor == supervisor and event.object_reference == health_case.reference and event.reason == REASON
    told = set(Notification.objects.filter(kind="security.break_glass").values_list("recipient__username", flat=True))
    assert told == {"salud", "oficial", "admin"}


def test_reason_is_required_and_only_holders_may_break_glass(personas: Any, health_case: Case) -> None:
    with pytest.raises(BreakGlassError):
        break_glass_open(
            actor=personas["supervisor"], object_type="cases.case", identifier=health_case.reference, reason="short"
        )
    with pytest.raises(PermissionError):
        break_glass_open(
            actor=personas["caseworker_ngo"], object_type="cases.case", identifier=health_case.reference, reason=REASON
        )
    assert not BreakGlassGrant.objects.exists()


def test_break_glass_page_opens_the_record(client: Client, personas: Any, health_case: Case) -> None:
    client.force_login(personas["supervisor"])
    response = client.post(
        reverse("security:break_glass"),
        {"object_type": "cases.case", "identifier": health_case.reference, "reason": REASON},
    )
    assert response.status_code == 302
    assert BreakGlassGrant.objects.get().object_id == str(health_case.pk)
    page = client.get(reverse("security:break_glass"))
    assert health_case.reference in page.content.decode()


def test_unknown_reference_saves_nothing(client: Client, personas: Any) -> None:
    client.force_login(personas["supervisor"])
    response = client.post(
        reverse("security:break_glass"), {"object_type": "cases.case", "identifier": "C-1999-000001", "reason": REASON}
    )
    assert response.status_code == 200 and not BreakGlassGrant.objects.exists()
