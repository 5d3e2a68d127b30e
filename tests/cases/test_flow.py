"""The whole route of a case through the pages: opening to closure with supervisor approval."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from ruta.audit.models import AuditEvent
from ruta.cases.models import Case, CaseEvent, Stage
from ruta.persons.models import Person, PersonIdentity


def _post(client: Any, name: str, case: Case, data: dict[str, Any], **kwargs: Any) -> Any:
    case.refresh_from_db()
    return client.post(
        reverse(f"cases:{name}", kwargs={"reference": case.reference, **kwargs}), {"version": case.version, **data}
    )


def _victims(rows: list[dict[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {"victims-TOTAL_FORMS": 3, "victims-INITIAL_FORMS": 0}
    for index in range(3):
        row = rows[index] if index < len(rows) else {}
        data[f"victims-{index}-sex"] = row.get("sex", "unknown")
        data[f"victims-{index}-age_group"] = row.get("age_group", "unknown")
        for key in ("given_names", "family_names", "birth_date", "age_years", "nationality"):
            data[f"victims-{index}-{key}"] = row.get(key, "")
    return data


def test_open_to_closure_with_supervisor_approval(client: Any, personas: dict[str, Any]) -> None:
    eri, supervisor = personas["eri_responder"], personas["supervisor"]
    client.force_login(eri)
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("cases:open"),
        {
            "lead_institution": eri.memberships.get().institution_id,
            "municipality": "0501",
            "exploitation": "sexual",
            "narrative": "Encontrada en un bar de San Pedro Sula.",
            **_victims(
                [
                    {
                        "given_names": "Karla",
                        "family_names": "Ramos",
                        "age_years": 22,
                        "age_group": "adult",
                        "sex": "female",
                    }
                ]
            ),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get()
    assert response["Location"] == reverse("cases:detail", kwargs={"reference": case.reference})
    person = Person.objects.get()
    assert PersonIdentity.objects.get(person=person).given_names == "Karla"
    assert case.stage == Stage.IDENTIFICATION and not case.has_child
    page = client.get(response["Location"]).content.decode()
    assert "Karla Ramos" in page
    assert AuditEvent.objects.filter(action="read", object_reference=person.reference).exists()

    assert (
        _post(
            client,
            "identify",
            case,
            {
                "person": person.pk,
                "outcome": "identified",
                "institution": case.lead_institution_id,
                "decided_on": today,
                "basis": "Indicadores fuertes de explotación sexual.",
            },
        ).status_code
        == 302
    )
    assert Case.objects.get().stage == Stage.CONSENT
    assert (
        _post(client, "consent", case, {"person": person.pk, "purpose": "case_work", "granted": "yes"}).status_code
        == 302
    )
    assert Case.objects.get().stage == Stage.ASSESSMENT
    response = _post(client, "needs", case, {"health-level": "high", "shelter-level": "urgent", "legal-due_on": today})
    assert response.status_code == 302
    assert Case.objects.get().stage == Stage.ASSESSMENT
    response = client.post(
        reverse("cases:plan", kwargs={"reference": case.reference}),
        {
            "version": Case.objects.get().version,
            "goals": "Salud y alojamiento.",
            "submit_for_approval": "on",
            "items-TOTAL_FORMS": 1,
            "items-INITIAL_FORMS": 0,
            "items-0-service": "shelter",
            "items-0-institution": "casa-alianza",
            "items-0-starts_on": today,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Case.objects.get().stage == Stage.PLANNING

    client.force_login(supervisor)
    assert _post(client, "plan_decide", case, {"decision": "approve"}).status_code == 302
    assert Case.objects.get().stage == Stage.SERVICES

    client.force_login(eri)
    assert (
        _post(
            client, "service", case, {"service": "shelter", "institution": "casa-alianza", "delivered_on": today}
        ).status_code
        == 302
    )
    assert (
        _post(
            client, "follow_up", case, {"due_on": today, "purpose": "Visita de seguimiento", "assigned_to": eri.pk}
        ).status_code
        == 302
    )
    follow_up = Case.objects.get().follow_ups.get()
    assert _post(client, "follow_up_done", case, {"outcome": "Estable."}, pk=follow_up.pk).status_code == 302
    assert Case.objects.get().stage == Stage.FOLLOW_UP
    assert _post(client, "close", case, {"reason": "plan_completed", "closed_on": today}).status_code == 302
    assert Case.objects.get().stage == Stage.CLOSURE_REQUESTED
    # The requester cannot approve (and an ERI responder has no approval permission at all).
    assert _post(client, "close_decide", case, {"decision": "approve"}).status_code == 404

    client.force_login(supervisor)
    assert _post(client, "close_decide", case, {"decision": "approve"}).status_code == 302
    case = Case.objects.get()
    assert case.stage == Stage.CLOSED and case.closed_at is not None

    client.force_login(eri)
    blocked = _post(
        client, "service", case, {"service": "shelter", "institution": "casa-alianza", "delivered_on": today}
    )
    assert blocked.status_code == 400 and "closed" in blocked.content.decode()
    assert _post(client, "reopen", case, {"reason": "Nueva situación de riesgo."}).status_code == 302
    assert Case.objects.get().stage == Stage.FOLLOW_UP
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds[0] == "case_opened" and kinds[-2:] == ["closure_approved", "case_reopened"]
    assert {
        "identification_recorded",
        "consent_recorded",
        "needs_assessed",
        "plan_submitted",
        "plan_approved",
        "service_delivered",
        "follow_up_done",
        "closure_requested",
    } <= set(kinds)


def test_supervisor_rejecting_a_closure_must_say_why(client: Any, personas: dict[str, Any]) -> None:
    from tests.cases import factories

    case = factories.request_closure(personas["eri_responder"], factories.open_case(personas["eri_responder"]))
    client.force_login(personas["supervisor"])
    response = _post(client, "close_decide", case, {"decision": "return", "comment": ""})
    assert response.status_code == 400
    assert Case.objects.get().stage == Stage.CLOSURE_REQUESTED
    assert (
        _post(client, "close_decide", case, {"decision": "return", "comment": "Falta seguimiento."}).status_code == 302
    )
    assert Case.objects.get().stage == Stage.IDENTIFICATION
