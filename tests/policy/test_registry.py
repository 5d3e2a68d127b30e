"""The policy registries: permissions declared once, role rows contributed by apps, one answer to
"who holds P on this record"."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from ruta.alerts.permissions import AlertPermission
from ruta.cases.models import Case, CaseMember
from ruta.cases.permissions import CasePermission
from ruta.institutions.models import Institution
from ruta.policy import access, roles
from ruta.policy.permissions import PlatformPermission, declare, declared, lookup
from ruta.policy.roles import Scope, grant_table, roles_with
from tests.foundation.test_access_policy import _case


@pytest.fixture
def cases(personas: dict[str, Any]) -> dict[str, Case]:
    return {"eri": _case(personas["eri_responder"], "eri"), "health": _case(personas["caseworker"], "sesal", "0501")}


def test_a_permission_is_its_code_and_is_declared_once() -> None:
    assert AlertPermission.VIEW == "alert.view"
    assert lookup("alert.view") is AlertPermission.VIEW
    assert AlertPermission.VIEW in declared()
    with pytest.raises(ImproperlyConfigured):
        declare("alert.view", "again")


def test_apps_contribute_rows_to_the_role_table() -> None:
    # Rows from three different plugin.py files and the platform's own rows end up on one role.
    eri = roles.ROLES["eri_responder"]
    assert eri.scope_for(AlertPermission.TRIAGE) == Scope.TERRITORY
    assert eri.scope_for(CasePermission.VIEW) == Scope.TEAM
    assert eri.scope_for(PlatformPermission.WORKLIST_VIEW) == Scope.OWN
    assert "eri_supervisor" in roles_with(PlatformPermission.ESCALATION_RECEIVE)
    assert "analyst" not in roles_with(CasePermission.VIEW)


def test_a_contribution_cannot_silently_change_another_apps_grant() -> None:
    with pytest.raises(ImproperlyConfigured):
        grant_table({"eri_responder": {AlertPermission.TRIAGE: Scope.NATIONAL}})
    with pytest.raises(ImproperlyConfigured):
        grant_table({"no_such_role": {AlertPermission.VIEW: Scope.OWN}})
    assert roles.ROLES["eri_responder"].scope_for(AlertPermission.TRIAGE) == Scope.TERRITORY


def test_the_role_table_prints_every_declared_permission() -> None:
    out = StringIO()
    call_command("roles", stdout=out)
    text = out.getvalue()
    for permission in declared():
        assert f"`{permission}`" in text
    row = next(line for line in text.splitlines() if "`case.approve`" in line)
    assert row.count("institution") == 2  # supervisor and ERI supervisor


@pytest.mark.django_db
def test_holders_are_exactly_the_users_whose_scope_reaches_the_record(
    personas: dict[str, Any], cases: dict[str, Case]
) -> None:
    """``holders`` agrees with the access policy user by user: whoever it names can open the record,
    and every persona it leaves out cannot."""
    for case in cases.values():
        named = {user.pk for user in access.holders(CasePermission.VIEW, case)}
        for user in personas.values():
            access.forget_grants(user)
            reaches = access.visible(user, CasePermission.VIEW, Case.objects.filter(pk=case.pk)).exists()
            assert (user.pk in named) == reaches, (case.reference, user.username)
        assert named  # someone can always act on a case


@pytest.mark.django_db
def test_holders_through_named_institutions_only(personas: dict[str, Any], cases: dict[str, Case]) -> None:
    """Limited to some institutions, only the reach of those memberships counts (an escalation goes to
    the sending institution's people, not to every team member's)."""
    case = cases["health"]
    ngo = Institution.objects.get(code="casa-alianza")
    CaseMember.objects.create(case=case, user=personas["caseworker_ngo"], institution=ngo)
    everyone = {user.username for user in access.holders(CasePermission.VIEW, case)}
    lead_only = {
        user.username for user in access.holders(CasePermission.VIEW, case, institution_ids=[case.lead_institution_id])
    }
    assert personas["caseworker_ngo"].username in everyone
    assert personas["caseworker_ngo"].username not in lead_only
    assert lead_only == everyone - {personas["caseworker_ngo"].username}
    # The cached grants of the users it looked at are the full ones again afterwards.
    access.forget_grants(personas["caseworker_ngo"])
    assert access.visible(personas["caseworker_ngo"], CasePermission.VIEW, Case.objects.filter(pk=case.pk)).exists()
