"""Every computed figure of a seeded study against hand counts (see ``factories.seeded_study``)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from ruta.baseline import services
from ruta.baseline.actormap import actor_map, referral_flows
from ruta.baseline.figures import (
    Share,
    capacity_comparison,
    initiatives_by_department,
    initiatives_by_pillar,
    results_framework,
    round_figures,
    workshop_figures,
)
from ruta.baseline.models import ActorLink, Initiative
from ruta.core.indicators import indicator
from ruta.geo.models import Department
from tests.baseline.factories import institution, seeded_study

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(personas: dict[str, Any]) -> Any:
    return personas["study_coordinator"]


def test_workshop_figures_match_hand_counts(coordinator: Any) -> None:
    seeded = seeded_study(coordinator)
    figures = workshop_figures(seeded.workshop)
    assert figures.participants == 7
    assert figures.institutions == 3
    assert figures.by_sex == {"female": 4, "male": 2, "unstated": 1}
    assert (figures.women.count, figures.women.total, figures.women.percent) == (4, 7, Decimal("57.1"))
    assert [session.present for session in figures.sessions] == [6, 5]
    assert [(item.code, number) for item, number in figures.by_institution] == [("eri", 3), ("mp", 2), ("sesal", 2)]
    assert figures.outputs == 2


def test_round_figures_add_up_the_workshops_of_the_round(coordinator: Any) -> None:
    seeded = seeded_study(coordinator)
    second = services.workshop_create(
        actor=coordinator,
        round_=seeded.baseline,
        title="Taller regional",
        starts_on=date(2019, 5, 2),
        ends_on=date(2019, 5, 2),
        place="San Pedro Sula",
    )
    services.participant_add(
        actor=coordinator, workshop=second, name="X", institution=institution("stss"), position="Inspector", sex="male"
    )
    figures = round_figures(seeded.baseline)
    assert (figures.workshops, figures.participants, figures.institutions) == (2, 8, 4)
    assert (figures.women.count, figures.women.total, figures.women.percent) == (4, 8, Decimal("50.0"))
    assert figures.assessments == 2
    assert round_figures(seeded.endline).participants == 0
    assert round_figures(seeded.endline).women.percent is None


def test_share_rounds_half_up_and_keeps_its_counts() -> None:
    assert Share(17, 35).percent == Decimal("48.6")
    assert Share(1, 8).percent == Decimal("12.5")
    assert Share(0, 0).percent is None


def test_capacity_means_and_changes_match_hand_counts(coordinator: Any) -> None:
    seeded = seeded_study(coordinator)
    comparison = capacity_comparison(seeded.study)
    assert [round_.kind for round_ in comparison.rounds] == ["baseline", "endline"]
    by_code = {dimension.code: dimension.pk for dimension in comparison.dimensions}
    baseline, endline = seeded.baseline.pk, seeded.endline.pk
    expected_means = {
        "protocols": (Decimal("1.50"), Decimal("2.50")),
        "trained_staff": (Decimal("2.00"), Decimal("3.00")),
        "data_systems": (Decimal("2.00"), Decimal("2.50")),
        "coordination": (Decimal("1.50"), Decimal("2.00")),
        "resources": (Decimal("1.00"), Decimal("1.50")),
    }
    for code, (before, after) in expected_means.items():
        assert comparison.means[by_code[code]] == {baseline: before, endline: after}, code
        assert comparison.counts[by_code[code]] == {baseline: 2, endline: 2}
    eri, stss = institution("eri").pk, institution("stss").pk
    assert [comparison.change(eri, by_code[code]) for code in expected_means] == [2, 1, 1, 0, 0]
    assert [comparison.change(stss, by_code[code]) for code in expected_means] == [0, 1, 0, 1, 1]
    assert [comparison.mean_change(by_code[code]) for code in expected_means] == [
        Decimal("1.00"),
        Decimal("1.00"),
        Decimal("0.50"),
        Decimal("0.50"),
        Decimal("0.50"),
    ]
    assert comparison.institution_means[eri] == {baseline: Decimal("1.40"), endline: Decimal("2.20")}
    assert comparison.institution_means[stss] == {baseline: Decimal("1.80"), endline: Decimal("2.40")}


def test_a_change_needs_two_rounds(coordinator: Any) -> None:
    seeded = seeded_study(coordinator)
    from tests.baseline.factories import scores

    services.assessment_save(
        actor=coordinator, round_=seeded.baseline, institution=institution("mp"), scores=scores((1, 1, 1, 1, 1))
    )
    comparison = capacity_comparison(seeded.study)
    protocols = next(dimension.pk for dimension in comparison.dimensions if dimension.code == "protocols")
    assert comparison.change(institution("mp").pk, protocols) is None
    assert comparison.means[protocols][seeded.baseline.pk] == Decimal("1.33")  # (1 + 2 + 1) / 3
    assert comparison.mean_change(protocols) == Decimal("1.00")  # MP has no endline: only ERI (+2), STSS (0)


def _initiative(
    actor: Any, code: str, pillar: str, coverage: str = "national", departments: tuple[str, ...] = ()
) -> Initiative:
    return services.initiative_create(
        actor=actor,
        institution=institution(code),
        title=f"{code} {pillar}",
        kind="programme",
        pillar=pillar,
        target_group="children",
        coverage=coverage,
        departments=list(Department.objects.filter(code__in=departments)),
        status="active",
        source="Entrevista",
    )


def test_initiatives_per_pillar_and_department(coordinator: Any) -> None:
    _initiative(coordinator, "seduc", "prevention", "departmental", ("08", "05"))
    _initiative(coordinator, "stss", "prevention", "departmental", ("05",))
    _initiative(coordinator, "senaf", "protection")
    _initiative(coordinator, "mp", "prosecution")
    _initiative(coordinator, "dpi", "prosecution", "local", ("08",))
    rows = {row.pillar: row for row in initiatives_by_pillar(Initiative.objects.all())}
    assert {pillar: row.count for pillar, row in rows.items()} == {
        "prevention": 2,
        "protection": 1,
        "prosecution": 2,
        "partnership": 0,
    }
    assert [rows[p].share.percent for p in ("prevention", "protection", "prosecution", "partnership")] == [
        Decimal("40.0"),
        Decimal("20.0"),
        Decimal("40.0"),
        Decimal("0.0"),
    ]
    by_department, national = initiatives_by_department(Initiative.objects.all())
    assert (by_department, national) == ({"08": 2, "05": 2}, 2)
    registered = indicator("baseline.initiatives")
    assert registered.count(by=("pillar",)) == {("prevention",): 2, ("protection",): 1, ("prosecution",): 2}


def test_workshop_participants_indicator_by_sex(coordinator: Any) -> None:
    seeded_study(coordinator)
    counts = indicator("baseline.workshop_participants").count(by=("sex",))
    assert counts == {("female",): 4, ("male",): 2, ("unstated",): 1}


def test_actor_map_counts_declared_links_and_referrals_made(personas: dict[str, Any], coordinator: Any) -> None:
    from tests.referrals.factories import accepted_referral, make_referral

    make_referral(personas)  # ERI → SESAL, sent
    make_referral(personas)  # ERI → SESAL, sent
    make_referral(personas, send=False, consent=False)  # a draft never left ERI: not counted
    accepted_referral(personas, to=("mp", "prosecution"))  # ERI → MP
    for source, target, kind in [
        ("eri", "senaf", "referral_route"),
        ("eri", "senaf", "coordination"),
        ("mp", "dpi", "coordination"),
    ]:
        services.link_create(actor=coordinator, source=institution(source), target=institution(target), kind=kind)

    eri, sesal, mp = institution("eri").pk, institution("sesal").pk, institution("mp").pk
    assert [(flow.source_id, flow.target_id, flow.count) for flow in referral_flows()] == sorted(
        [(eri, sesal, 2), (eri, mp, 1)]
    )
    network = actor_map(ActorLink.objects.all())
    edges = {(edge.source.institution.code, edge.target.institution.code): edge for edge in network.edges}
    assert set(edges) == {("eri", "senaf"), ("mp", "dpi"), ("eri", "sesal"), ("eri", "mp")}
    assert len(edges[("eri", "senaf")].declared) == 2 and edges[("eri", "senaf")].referrals == 0
    assert edges[("eri", "sesal")].referrals == 2 and not edges[("eri", "sesal")].declared
    assert edges[("eri", "mp")].referrals == 1
    assert (len(network.nodes), network.declared_links, network.referrals) == (5, 3, 3)
    assert {node.institution.code: node.degree for node in network.nodes}["eri"] == 3
    # Thicker for more referrals; every node on the circle of radius 250 around the centre.
    assert edges[("eri", "sesal")].width > edges[("eri", "mp")].width > edges[("mp", "dpi")].width
    for node in network.nodes:
        assert abs(((node.x - 320) ** 2 + (node.y - 320) ** 2) ** 0.5 - 250) < 0.2
    # Referrals of another period are left out.
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert referral_flows(since=tomorrow) == []


def test_results_framework_typed_and_computed(coordinator: Any) -> None:
    seeded = seeded_study(coordinator)
    today = timezone.localdate()
    current = services.round_save(
        actor=coordinator,
        study=seeded.study,
        data=services.RoundInput(
            kind="midline", starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=1)
        ),
    )
    for pillar in ("prevention", "protection", "protection"):
        _initiative(coordinator, "senaf", pillar)
    typed = services.result_indicator_create(
        actor=coordinator, study=seeded.study, title="Protocolos", baseline_value=Decimal(1), target_value=Decimal(5)
    )
    computed = services.result_indicator_create(
        actor=coordinator,
        study=seeded.study,
        title="Iniciativas",
        baseline_value=Decimal(0),
        target_value=Decimal(10),
        statistic="baseline.initiatives",
    )
    services.result_value_record(
        actor=coordinator, indicator=typed, round_=seeded.baseline, value=Decimal(2), source="Matriz"
    )
    rows = {row.indicator.pk: row for row in results_framework(seeded.study)}
    assert [(r.kind, value, source) for r, value, source in rows[typed.pk].actuals] == [
        ("baseline", Decimal("2.00"), "Matriz"),
        ("midline", None, ""),
        ("endline", None, ""),
    ]
    # Counted over each round's dates: the three initiatives recorded today fall in the midline only.
    assert [(r.pk, value) for r, value, _source in rows[computed.pk].actuals] == [
        (seeded.baseline.pk, 0),
        (current.pk, 3),
        (seeded.endline.pk, 0),
    ]
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.result_value_record(
            actor=coordinator, indicator=computed, round_=seeded.baseline, value=Decimal(1), source="x"
        )
