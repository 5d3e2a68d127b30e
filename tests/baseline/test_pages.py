"""The baseline pages as people use them: figures shown from the rows, names only to those who need
them, the sign-in sheet, the scoring grid, findings with evidence, the actor map and the charts."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.urls import reverse

from ruta.audit.models import AuditEvent
from ruta.baseline.models import Attendance, CapacityScore, Evidence, Finding, Participant
from tests.baseline.factories import seeded_study

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(personas: dict[str, Any]) -> Any:
    return seeded_study(personas["study_coordinator"])


def test_the_workshop_page_states_the_computed_figures(client: Any, login: Any, seeded: Any) -> None:
    login("analyst")
    page = client.get(reverse("baseline:workshop", kwargs={"pk": seeded.workshop.pk})).content.decode()
    summary = re.sub(r"\s+", " ", re.search(r'data-testid="workshop-summary">(.*?)</p>', page, re.S).group(1))
    assert summary.strip() == "7 participants, 3 institutions, 57.1 % (4 of 7) women"
    assert "6 / 7" in page and "5 / 7" in page  # sign-in per session
    # Analysts see aggregates only: no participant names.
    assert "Participante 1" not in page
    login("study_coordinator")
    page = client.get(reverse("baseline:workshop", kwargs={"pk": seeded.workshop.pk})).content.decode()
    assert "Participante 1" in page


def test_participant_names_are_encrypted_at_rest(seeded: Any) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM baseline_participant")
        stored = [row[0] for row in cursor.fetchall()]
    assert stored and not any("Participante" in value for value in stored)
    assert Participant.objects.filter(workshop=seeded.workshop).first().name.startswith("Participante")


def test_enumerator_registers_and_signs_in(client: Any, login: Any, seeded: Any) -> None:
    login("enumerator")
    url = reverse("baseline:participant_new", kwargs={"pk": seeded.workshop.pk})
    response = client.post(
        url,
        {
            "name": "Rosa Paz",
            "institution": seeded.participants[0].institution_id,
            "position": "Técnica",
            "sex": "female",
        },
    )
    assert response.status_code == 302
    newcomer = Participant.objects.get(
        workshop=seeded.workshop, position="Técnica", sex="female", pk__gt=seeded.participants[-1].pk
    )
    session = seeded.workshop.sessions.first()
    sheet = reverse("baseline:attendance", kwargs={"pk": session.pk})
    assert "Rosa Paz" in client.get(sheet).content.decode()
    response = client.post(sheet, {"present": [newcomer.pk, seeded.participants[0].pk]})
    assert response.status_code == 302
    assert set(Attendance.objects.filter(session=session).values_list("participant_id", flat=True)) == {
        newcomer.pk,
        seeded.participants[0].pk,
    }
    # The audit row names no one.
    assert not AuditEvent.objects.filter(summary__contains="Rosa").exists()
    # Enumerators never reach the study pages.
    assert client.get(reverse("baseline:round", kwargs={"pk": seeded.baseline.pk})).status_code == 404


def test_a_participant_form_with_errors_answers_400(client: Any, login: Any, seeded: Any) -> None:
    login("study_coordinator")
    response = client.post(reverse("baseline:participant_new", kwargs={"pk": seeded.workshop.pk}), {"name": ""})
    assert response.status_code == 400


def test_scoring_grid_saves_and_rejects_off_scale_values(client: Any, login: Any, seeded: Any) -> None:
    login("study_coordinator")
    url = reverse("baseline:assessment", kwargs={"pk": seeded.endline.pk, "institution": "mp"})
    page = client.get(url).content.decode()
    assert "No written protocol" in page  # the descriptors of the levels
    scores = {"protocols": 2, "trained_staff": 3, "data_systems": 1, "coordination": 4, "resources": 2}
    assert client.post(url, {**scores, "protocols": 9}).status_code == 400
    assert client.post(url, scores).status_code == 302
    saved = dict(
        CapacityScore.objects.filter(assessment__round=seeded.endline, assessment__institution__code="mp").values_list(
            "dimension__code", "value"
        )
    )
    assert saved == scores


def test_finding_links_its_evidence(client: Any, login: Any, seeded: Any) -> None:
    login("study_coordinator")
    url = reverse("baseline:finding_new", kwargs={"pk": seeded.baseline.pk})
    page = client.get(url).content.decode()
    assert f"output:{seeded.outputs[0].pk}" in page
    response = client.post(
        url,
        {
            "kind": "recommendation",
            "text": "Crear un registro común.",
            "workshop": seeded.workshop.pk,
            "evidence": [f"output:{seeded.outputs[0].pk}", f"output:{seeded.outputs[1].pk}"],
        },
    )
    assert response.status_code == 302
    finding = Finding.objects.get(text="Crear un registro común.")
    assert Evidence.objects.filter(finding=finding).count() == 2
    round_page = client.get(reverse("baseline:round", kwargs={"pk": seeded.baseline.pk})).content.decode()
    assert "Group output: Grupo 1" in round_page and "Group output: Grupo 2" in round_page
    # Evidence must be among the choices offered for this round.
    bad = client.post(url, {"kind": "finding", "text": "x", "evidence": ["output:999999"]})
    assert bad.status_code == 400


def test_comparison_page_embeds_the_chart_data(client: Any, login: Any, seeded: Any) -> None:
    login("analyst")
    page = client.get(reverse("baseline:comparison", kwargs={"pk": seeded.study.pk})).content.decode()
    data = json.loads(
        re.search(r'<script id="capacity-chart-data" type="application/json">(.*?)</script>', page).group(1)
    )
    assert [dataset["label"] for dataset in data["dimensions"]["datasets"]] == ["Baseline", "Endline"]
    assert data["dimensions"]["datasets"][0]["data"][:5] == [1.5, 2.0, 2.0, 1.5, 1.0]
    assert data["dimensions"]["datasets"][1]["data"][:5] == [2.5, 3.0, 2.5, 2.0, 1.5]
    assert "js/baseline-charts.js" in page and "<script>" not in page  # no inline script (CSP)


def test_actor_map_page_draws_svg_and_table(client: Any, login: Any, personas: dict[str, Any]) -> None:
    from ruta.baseline import services
    from tests.baseline.factories import institution

    services.link_create(
        actor=personas["study_coordinator"],
        source=institution("eri"),
        target=institution("senaf"),
        kind="referral_route",
    )
    login("analyst")
    page = client.get(reverse("baseline:actor_map")).content.decode()
    assert page.count('class="node"') == 2 and "<svg" in page
    assert 'data-testid="network-table"' in page and "Referral route" in page
    assert "OpenStreetMap" in page and reverse("geo:departments-geojson") in page


def test_every_page_renders_for_the_coordinator(client: Any, login: Any, seeded: Any) -> None:
    login("study_coordinator")
    session = seeded.workshop.sessions.first()
    for name, kwargs in [
        ("baseline:studies", {}),
        ("baseline:study", {"pk": seeded.study.pk}),
        ("baseline:round", {"pk": seeded.baseline.pk}),
        ("baseline:round_edit", {"pk": seeded.baseline.pk}),
        ("baseline:workshop_new", {"pk": seeded.baseline.pk}),
        ("baseline:workshops", {}),
        ("baseline:workshop", {"pk": seeded.workshop.pk}),
        ("baseline:attendance", {"pk": session.pk}),
        ("baseline:results", {"pk": seeded.study.pk}),
        ("baseline:result_new", {"pk": seeded.study.pk}),
        ("baseline:initiatives", {}),
        ("baseline:initiative_new", {}),
        ("baseline:actor_map", {}),
        ("baseline:link_new", {}),
        ("baseline:comparison", {"pk": seeded.study.pk}),
    ]:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 200, name


def test_api_gives_the_round_figures(api_as: Any, seeded: Any) -> None:
    response = api_as("analyst").get(reverse("api:baseline-round-figures", kwargs={"pk": seeded.baseline.pk}))
    assert response.status_code == 200
    data = response.json()
    assert (data["participants"], data["institutions"], data["women"]) == (
        7,
        3,
        {"count": 4, "total": 7, "percent": "57.1"},
    )
    assert data["workshops"][0]["women"]["percent"] == "57.1"
    means = {row["dimension"]: (row["mean"], row["institutions"]) for row in data["capacity"]}
    assert means["protocols"] == ("1.50", 2)
    assert "Participante" not in response.content.decode()
    assert api_as("enumerator").get(reverse("api:baseline-round-figures", kwargs={"pk": 999999})).status_code == 404


def test_api_schema_documents_the_endpoint(api_as: Any) -> None:
    schema = api_as("analyst").get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/baseline/rounds/{id}/figures/" in schema


def _queries(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_pages_query_count_does_not_grow_with_rows(client: Any, login: Any, personas: dict[str, Any]) -> None:
    from ruta.baseline import services
    from tests.baseline.factories import institution

    actor = personas["study_coordinator"]

    def add(number: int) -> None:
        for index in range(number):
            services.initiative_create(
                actor=actor,
                institution=institution(("eri", "stss", "mp")[index % 3]),
                title=f"Iniciativa {index}",
                kind="service",
                pillar="protection",
                target_group="victims",
                coverage="departmental",
                departments=[Department.objects.get(code="08")],
                status="active",
                source="Entrevista",
            )
        services.link_create(
            actor=actor,
            source=institution(("eri", "stss", "mp")[number % 3]),
            target=institution("senaf"),
            kind="funding",
        )

    from ruta.geo.models import Department

    login("analyst")
    add(1)
    first = {name: _queries(client, reverse(name)) for name in ("baseline:initiatives", "baseline:actor_map")}
    add(6)
    assert {name: _queries(client, reverse(name)) for name in first} == first


def test_a_territorial_enumerator_reaches_only_the_workshops_of_their_department(
    client: Any, personas: dict[str, Any], seeded: Any
) -> None:
    from django.contrib.auth import get_user_model

    from ruta.accounts.models import Membership
    from ruta.geo.models import Department
    from ruta.institutions.models import Institution
    from tests.baseline.factories import make_workshop

    north = get_user_model().objects.create_user(username="encuestador.norte", password="x-Long-enough-1")
    Membership.objects.create(
        user=north,
        institution=Institution.objects.get(code="oim"),  # not among the institutions the round covers
        role="enumerator",
        department=Department.objects.get(code="05"),
    )
    in_cortes = make_workshop(personas["study_coordinator"], seeded.baseline, department="05")
    client.force_login(north)
    assert client.get(reverse("baseline:workshop", kwargs={"pk": in_cortes.pk})).status_code == 200
    assert client.get(reverse("baseline:workshop", kwargs={"pk": seeded.workshop.pk})).status_code == 404  # in 08
    session = seeded.workshop.sessions.first()
    assert client.get(reverse("baseline:attendance", kwargs={"pk": session.pk})).status_code == 404
    listed = client.get(reverse("baseline:workshops")).content.decode()
    assert reverse("baseline:workshop", kwargs={"pk": in_cortes.pk}) in listed
    assert reverse("baseline:workshop", kwargs={"pk": seeded.workshop.pk}) not in listed


def test_administrators_edit_the_capacity_grid_in_the_back_office(client: Any, personas: dict[str, Any]) -> None:
    from ruta.baseline.models import CapacityDimension

    dimension = CapacityDimension.objects.get(code="protocols")
    client.force_login(personas["administrator"])
    page = client.get(f"/admin/baseline/capacitydimension/{dimension.pk}/change/")
    assert page.status_code == 200
    assert "No written protocol" in page.content.decode()  # the levels' descriptors, inline
    client.force_login(personas["analyst"])
    assert client.get(f"/admin/baseline/capacitydimension/{dimension.pk}/change/").status_code != 200
