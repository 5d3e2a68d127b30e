from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404

from ruta.accounts.models import Membership
from ruta.alerts.permissions import AlertPermission
from ruta.cases.models import Case, CaseMember
from ruta.cases.permissions import CasePermission
from ruta.cases.services import case_open
from ruta.geo.models import Municipality
from ruta.institutions.models import Institution
from ruta.persons.services import person_register
from ruta.policy import access
from ruta.policy.permissions import Permission
from ruta.policy.roles import ROLES, Scope
from tests.roles_helpers import role_with_grants


def _case(owner: Any, institution_code: str, municipality_code: str = "0801") -> Case:
    institution = Institution.objects.get(code=institution_code)
    person = person_register(actor=owner, institution=institution, age_years=25)
    return case_open(
        actor=owner,
        lead_institution=institution,
        presumed_victims=[person],
        municipality=Municipality.objects.get(code=municipality_code),
    )


@pytest.fixture
def cases(personas: dict[str, Any]) -> dict[str, Case]:
    return {
        "eri": _case(personas["eri_responder"], "eri"),
        "health": _case(personas["caseworker"], "sesal", "0501"),
    }


def _visible(user: Any, permission: Permission = CasePermission.VIEW) -> set[str]:
    return set(access.visible(user, permission, Case.objects.all()).values_list("reference", flat=True))


def test_team_scope_reaches_only_the_cases_of_the_team(personas: dict[str, Any], cases: dict[str, Case]) -> None:
    assert _visible(personas["eri_responder"]) == {cases["eri"].reference}
    assert _visible(personas["caseworker"]) == {cases["health"].reference}
    assert _visible(personas["caseworker_ngo"]) == set()
    CaseMember.objects.create(
        case=cases["health"], user=personas["caseworker_ngo"], institution=Institution.objects.get(code="casa-alianza")
    )
    access.forget_grants(personas["caseworker_ngo"])
    assert _visible(personas["caseworker_ngo"]) == {cases["health"].reference}


def test_institution_scope_reaches_the_institutions_cases(personas: dict[str, Any], cases: dict[str, Case]) -> None:
    assert _visible(personas["supervisor"]) == {cases["eri"].reference}
    assert _visible(personas["supervisor_health"]) == {cases["health"].reference}


def test_roles_without_the_permission_reach_nothing(personas: dict[str, Any], cases: dict[str, Case]) -> None:
    for key in ("analyst", "duty_officer", "administrator", "hotline_operator", "trainer"):
        assert _visible(personas[key]) == set(), key


def test_territory_scope_and_national_territory(
    personas: dict[str, Any], cases: dict[str, Case], monkeypatch: pytest.MonkeyPatch
) -> None:
    role_with_grants(monkeypatch, "regional_monitor", {CasePermission.VIEW: Scope.TERRITORY})
    user = personas["analyst"]
    membership = Membership.objects.create(
        user=user,
        institution=Institution.objects.get(code="cicesct"),
        role="regional_monitor",
        department=Municipality.objects.get(code="0501").department,
    )
    access.forget_grants(user)
    assert _visible(user) == {cases["health"].reference}  # San Pedro Sula is in Cortés (05)
    membership.department = None
    membership.save()
    access.forget_grants(user)
    assert _visible(user) == {cases["eri"].reference, cases["health"].reference}


def test_inactive_membership_or_institution_removes_access(personas: dict[str, Any], cases: dict[str, Case]) -> None:
    user = personas["supervisor_health"]
    Institution.objects.filter(code="sesal").update(is_active=False)
    access.forget_grants(user)
    assert _visible(user) == set()
    Institution.objects.filter(code="sesal").update(is_active=True)
    Membership.objects.filter(user=user).update(is_active=False)
    access.forget_grants(user)
    assert _visible(user) == set()


def test_missing_and_forbidden_are_the_same_404(personas: dict[str, Any], cases: dict[str, Case]) -> None:
    user = personas["caseworker"]
    assert access.get_visible_or_404(user, CasePermission.VIEW, Case.objects.all(), reference=cases["health"].reference)
    for reference in (cases["eri"].reference, "C-1999-999999", "not a reference"):
        with pytest.raises(Http404):
            access.get_visible_or_404(user, CasePermission.VIEW, Case.objects.all(), reference=reference)
    with pytest.raises(Http404):
        access.get_visible_or_404(user, CasePermission.VIEW, Case.objects.all(), pk="abc")


def test_anonymous_users_have_no_grants(cases: dict[str, Case]) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert _visible(AnonymousUser()) == set()
    assert not access.has_perm(AnonymousUser(), AlertPermission.CREATE)


def test_every_role_is_declared_with_known_permissions() -> None:
    for role in ROLES.values():
        assert role.grants, role.code
        assert all(isinstance(permission, Permission) for permission in role.grants)
    # Analysts never see identities; administrators neither (need to know).
    assert not ROLES["analyst"].sees_identities
    assert not ROLES["administrator"].sees_identities
