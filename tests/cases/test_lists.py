"""The case list and the work lists: scope, filters, and a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from ruta.cases import care
from tests.cases import factories


def _cases(personas: dict[str, Any], count: int) -> list[Any]:
    eri = personas["eri_responder"]
    cases = []
    for index in range(count):
        case = factories.open_case(
            eri, municipality="0501" if index % 2 else "0801", victims=[factories.ADULT, factories.CHILD]
        )
        cases.append(case)
    return cases


def test_case_list_query_count_is_fixed(client: Any, personas: dict[str, Any], django_assert_num_queries: Any) -> None:
    _cases(personas, 6)
    client.force_login(personas["eri_responder"])
    # session read and save (savepoint, update, release), user, grants, count,
    # department and institution filter choices, page (victim count as a subquery)
    with django_assert_num_queries(10):
        response = client.get(reverse("cases:list"))
    assert response.status_code == 200
    assert response.content.decode().count("data-case=") == 6
    _cases(personas, 4)
    with django_assert_num_queries(10):
        response = client.get(reverse("cases:list"))
    assert response.content.decode().count("data-case=") == 10
    assert "María" not in response.content.decode()  # the list never shows names


def test_case_list_scope_and_filters(client: Any, personas: dict[str, Any]) -> None:
    _cases(personas, 4)
    factories.open_case(personas["caseworker"], lead="sesal", municipality="0801")
    client.force_login(personas["eri_responder"])
    assert client.get(reverse("cases:list")).content.decode().count("data-case=") == 4
    assert client.get(reverse("cases:list"), {"department": "05"}).content.decode().count("data-case=") == 2
    assert (
        client.get(reverse("cases:list"), {"has_child": "yes", "stage": "identification"})
        .content.decode()
        .count("data-case=")
        == 4
    )
    client.force_login(personas["caseworker"])
    assert client.get(reverse("cases:list")).content.decode().count("data-case=") == 1
    client.force_login(personas["eri_responder_north"])  # territory for alerts, but cases only by team
    assert client.get(reverse("cases:list")).content.decode().count("data-case=") == 0
    client.force_login(personas["analyst"])
    assert client.get(reverse("cases:list")).status_code == 404


def test_my_work_lists_due_items_with_fixed_queries(
    client: Any, personas: dict[str, Any], django_assert_num_queries: Any
) -> None:
    eri = personas["eri_responder"]
    for case in _cases(personas, 3):
        case = factories.consent_all(eri, case, authority=factories.institution("senaf"))
    client.force_login(eri)
    # session read and save (savepoint, update, release), user, grants, then one query per case provider
    # (needs, child protection, plans, follow-ups;
    # closures need none without CASE_APPROVE), one for the referrals provider and one for training's
    # three-month follow-ups
    with django_assert_num_queries(12):
        response = client.get(reverse("cases:my_work"))
    page = response.content.decode()
    assert page.count('data-kind="child_protection"') == 3
    adult = factories.consent_all(eri, factories.open_case(eri))
    care.needs_assessment_record(
        actor=eri,
        case=adult,
        version=adult.version,
        entries=[care.NeedEntry(area="legal", due_on=timezone.localdate())],
    )
    care.follow_up_schedule(
        actor=eri,
        case=factories.fresh(adult),
        version=factories.fresh(adult).version,
        due_on=timezone.localdate(),
        purpose="Llamada",
        assigned_to=eri,
    )
    factories.plan(eri, factories.fresh(adult), submit=False)
    with django_assert_num_queries(12):
        page = client.get(reverse("cases:my_work")).content.decode()
    for kind in ("needs_assessment", "follow_up", "care_plan", "child_protection"):
        assert f'data-kind="{kind}"' in page, kind


def test_team_work_shows_approvals_for_the_supervisor(
    client: Any, personas: dict[str, Any], django_assert_num_queries: Any
) -> None:
    eri = personas["eri_responder"]
    case = factories.plan(eri, factories.consent_all(eri, factories.open_case(eri)), submit=True)
    factories.request_closure(eri, factories.open_case(eri))
    client.force_login(personas["supervisor"])
    # session read and save (savepoint, update, release), user, grants,
    # then needs, child protection, plans, follow-ups, closures, referrals, training follow-ups
    with django_assert_num_queries(13):
        page = client.get(reverse("cases:team_work")).content.decode()
    assert page.count('data-kind="care_plan"') == 1 and page.count('data-kind="closure"') == 1
    assert "Ernesto" in page  # who holds each item
    mine = client.get(reverse("cases:my_work")).content.decode()
    assert reverse("cases:plan_decide", kwargs={"reference": case.reference}) in mine
    client.force_login(personas["supervisor_health"])
    assert 'data-kind="care_plan"' not in client.get(reverse("cases:team_work")).content.decode()
