"""The workplace registry's duplicate check, planning and assignment with workloads, and joint
operations with police, prosecutor and ERI partners."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from ruta.geo.models import Municipality
from ruta.inspections.models import JointOperation, Visit
from ruta.inspections.registry import EstablishmentError, normalise_name, possible_duplicates
from ruta.inspections.services import PlanningError, joint_operation_create, visit_assign, workloads
from ruta.institutions.models import Institution
from tests.inspections.factories import establishment, planned_visit

pytestmark = pytest.mark.django_db


def test_names_are_compared_normalised() -> None:
    assert normalise_name("Finca  El Roble, S.A. de C.V.") == normalise_name("finca roble") == "finca roble"
    assert normalise_name("Maquiladora Textiles del Valle") == "maquiladora textiles del valle"


def test_duplicate_establishments_are_refused(personas: dict[str, Any]) -> None:
    first = establishment(personas, name="Finca El Roble S.A.", municipality="0107", tax_id="0801-1999-123456")
    with pytest.raises(EstablishmentError) as refused:
        establishment(personas, name="FINCA EL ROBLE", municipality="0107")
    assert refused.value.errors["name"][0][0] == "duplicate"
    with pytest.raises(EstablishmentError):
        establishment(personas, name="Otra razón social", municipality="0801", tax_id="08011999123456")
    # The same name in another municipality is another workplace.
    other = establishment(personas, name="Finca El Roble", municipality="0101")
    tela = Municipality.objects.get(code="0107")
    assert list(possible_duplicates(name="finca el roble", municipality=tela)) == [first]
    assert other.pk != first.pk


def test_assignment_and_workloads(personas: dict[str, Any]) -> None:
    inspector = personas["labour_inspector"]
    planned_visit(personas, planned_for=date(2026, 5, 5))
    planned_visit(personas, planned_for=date(2026, 7, 1))
    unassigned = planned_visit(personas, planned_for=date(2026, 5, 20), inspector=None)
    stss = Institution.objects.get(code="stss")
    load = {w.inspector.pk: w for w in workloads([stss.pk], since=date(2026, 5, 1), until=date(2026, 5, 31))}
    assert (load[inspector.pk].open_visits, load[inspector.pk].in_period) == (2, 1)
    visit_assign(actor=personas["inspection_supervisor"], visit=unassigned, inspector=inspector)
    unassigned.refresh_from_db()
    assert unassigned.inspector == inspector and unassigned.version == 2
    load = {w.inspector.pk: w for w in workloads([stss.pk], since=date(2026, 5, 1), until=date(2026, 5, 31))}
    assert (load[inspector.pk].open_visits, load[inspector.pk].in_period) == (3, 2)
    with pytest.raises(PlanningError):
        visit_assign(actor=personas["inspection_supervisor"], visit=unassigned, inspector=personas["eri_responder"])


def test_joint_operation_with_partners(personas: dict[str, Any]) -> None:
    places = [establishment(personas, sector="5630"), establishment(personas, sector="5630")]
    partners = list(Institution.objects.filter(code__in=["dpi", "mp", "eri"]))
    operation = joint_operation_create(
        actor=personas["inspection_supervisor"],
        name="Operativo bares zona norte",
        planned_for=date(2026, 6, 12),
        municipality=places[0].municipality,
        partners=partners,
        establishments=places,
        inspector=personas["labour_inspector"],
    )
    visits = Visit.objects.filter(joint_operation=operation)
    assert visits.count() == 2 and set(visits.values_list("inspection_type", flat=True)) == {"joint_operation"}
    assert set(operation.partners.values_list("code", flat=True)) == {"dpi", "mp", "eri"}
    with pytest.raises(PlanningError):
        joint_operation_create(
            actor=personas["inspection_supervisor"],
            name="Con salud",
            planned_for=date(2026, 6, 12),
            municipality=places[0].municipality,
            partners=list(Institution.objects.filter(code="sesal")),
            establishments=places,
            inspector=None,
        )
    assert JointOperation.objects.count() == 1


def test_plan_page_plans_a_joint_operation(client: Any, personas: dict[str, Any]) -> None:
    place = establishment(personas, sector="5630")
    client.force_login(personas["inspection_supervisor"])
    response = client.post(
        "/inspections/plan/",
        {
            "establishments": [place.pk],
            "inspection_type": "joint_operation",
            "planned_for": "2026-06-12",
            "inspector": personas["labour_inspector"].pk,
            "operation_name": "Operativo conjunto",
            "partners": [Institution.objects.get(code="dpi").pk],
        },
    )
    assert response.status_code == 302
    visit = Visit.objects.get(establishment=place)
    assert visit.joint_operation is not None and visit.inspector == personas["labour_inspector"]
