"""The permission matrix for the case pages and the case API (see ``tests/access/harness.py``).

World: a case in Cortés led by the national ERI, opened by the ERI responder (owner and team).
Only the team edits it (eri_responder); the ERI supervisor sees and approves it (institution scope);
the SESAL and NGO caseworkers, the northern ERI responder (not on the team), the prosecutor liaison
and every other persona get 404; anonymous visitors are sent to log in (401 on the API)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from ruta.accounts.models import Membership
from ruta.cases import closure, protection, services
from ruta.cases.models import ConsentPurpose
from tests.access.harness import Route
from tests.cases import factories

CASE_VIEWERS = {
    "eri_responder",
    "caseworker",
    "supervisor",
    "legal_liaison",
    "caseworker_ngo",
    "eri_responder_north",
    "supervisor_health",
}
CASE_CREATORS = CASE_VIEWERS - {"legal_liaison"}
WORKLIST = CASE_VIEWERS | {"duty_officer"}
TEAM_WORKLIST = {"supervisor", "supervisor_health"}
TEAM = {"eri_responder"}
APPROVERS = {"supervisor"}
SEES_CASE = TEAM | APPROVERS
FOUND = frozenset({302})
TODAY = timezone.localdate().isoformat


def _world(personas: dict[str, Any], *, consent: bool = False, child: bool = False) -> dict[str, Any]:
    eri = personas["eri_responder"]
    case = factories.open_case(eri, victims=[factories.CHILD if child else factories.ADULT])
    if consent:
        case = factories.consent_all(eri, case)
    return {"case": case, "person": factories.victim(case), "eri": eri}


def _case(personas: dict[str, Any]) -> dict[str, Any]:
    return _world(personas)


def _consented(personas: dict[str, Any]) -> dict[str, Any]:
    return _world(personas, consent=True)


def _child(personas: dict[str, Any]) -> dict[str, Any]:
    return _world(personas, child=True)


def _draft_plan(personas: dict[str, Any]) -> dict[str, Any]:
    world = _consented(personas)
    world["case"] = factories.plan(world["eri"], world["case"], submit=False)
    return world


def _submitted_plan(personas: dict[str, Any]) -> dict[str, Any]:
    world = _consented(personas)
    world["case"] = factories.plan(world["eri"], world["case"], submit=True)
    return world


def _follow_up(personas: dict[str, Any]) -> dict[str, Any]:
    from ruta.cases import care

    world = _consented(personas)
    case = world["case"]
    world["follow_up"] = care.follow_up_schedule(
        actor=world["eri"],
        case=case,
        version=case.version,
        due_on=timezone.localdate(),
        purpose="Visita",
        assigned_to=world["eri"],
    )
    world["case"] = factories.fresh(case)
    return world


def _with_consent_record(personas: dict[str, Any]) -> dict[str, Any]:
    world = _consented(personas)
    world["consent"] = world["case"].consents.get(purpose=ConsentPurpose.CASE_WORK)
    return world


def _with_member(personas: dict[str, Any]) -> dict[str, Any]:
    world = _case(personas)
    case = world["case"]
    caseworker = personas["caseworker"]
    world["member"] = services.case_member_add(
        actor=world["eri"],
        case=case,
        version=case.version,
        user=caseworker,
        institution=caseworker.memberships.get().institution,
    )
    world["case"] = factories.fresh(case)
    return world


def _closure_requested(personas: dict[str, Any]) -> dict[str, Any]:
    world = _case(personas)
    world["case"] = factories.request_closure(world["eri"], world["case"])
    return world


def _closed(personas: dict[str, Any]) -> dict[str, Any]:
    world = _closure_requested(personas)
    case = world["case"]
    closure.case_closure_decide(actor=personas["supervisor"], case=case, version=case.version, approve=True)
    world["case"] = factories.fresh(case)
    return world


def _child_ready(personas: dict[str, Any]) -> dict[str, Any]:
    world = _child(personas)
    case = world["case"]
    protection.child_notification_record(
        actor=world["eri"],
        case=case,
        version=case.version,
        institution=factories.institution("senaf"),
        notified_at=timezone.now(),
        means="Teléfono",
        authority_represents=True,
    )
    world["case"] = factories.fresh(case)
    return world


def ref(world: dict[str, Any]) -> dict[str, Any]:
    return {"reference": world["case"].reference}


def v(world: dict[str, Any], **data: Any) -> dict[str, Any]:
    return {"version": world["case"].version, **data}


def _step(name: str, world: Any, data: Any, allowed: set[str] = TEAM, **extra: Any) -> Route:
    return Route(
        f"cases:{name}",
        allowed,
        method="POST",
        world=world,
        kwargs=extra.pop("kwargs", ref),
        data=data,
        ok=FOUND,
        **extra,
    )


ROUTES = [
    Route("cases:list", CASE_VIEWERS),
    Route("cases:open", CASE_CREATORS),
    Route("cases:my_work", WORKLIST),
    Route("cases:team_work", TEAM_WORKLIST),
    Route("cases:detail", SEES_CASE, world=_case, kwargs=ref),
    Route("cases:detail", SEES_CASE, world=_child, kwargs=ref, label="child"),
    Route("cases:plan", TEAM, world=_case, kwargs=ref, label="form"),
    _step(
        "plan",
        _consented,
        lambda w: v(
            w,
            goals="Alojamiento seguro.",
            **{"items-TOTAL_FORMS": 1, "items-INITIAL_FORMS": 0, "items-0-service": "shelter"},
            **{"items-0-institution": "casa-alianza", "items-0-starts_on": TODAY()},
        ),
    ),
    _step(
        "person_add",
        _case,
        lambda w: v(w, role="guardian", given_names="Rosa", sex="female", age_group="adult", age_years=45),
    ),
    _step(
        "identify",
        _case,
        lambda w: v(
            w,
            person=w["person"].pk,
            outcome="identified",
            institution=w["case"].lead_institution_id,
            decided_on=TODAY(),
            basis="Indicadores.",
        ),
    ),
    Route("cases:identify", TEAM, world=_case, kwargs=ref, label="form"),
    # The decision with a formal screening recorded in place (adult labour list: sexual not loaded).
    _step(
        "identify",
        _case,
        lambda w: v(
            w,
            person=w["person"].pk,
            outcome="identified",
            institution=w["case"].lead_institution_id,
            decided_on=TODAY(),
            basis="Indicadores.",
            screen_now="on",
            **{"screening-age": "24", "screening-exploitation": "labour"},
            **{"screening-indicators": ["THB-AL-DR-01", "THB-AL-DR-02", "THB-AL-EX-01", "THB-AL-CD-01"]},
        ),
        label="screened",
    ),
    _step("reflection", _case, lambda w: v(w, person=w["person"].pk, starts_on=TODAY(), ends_on=TODAY())),
    _step("consent", _case, lambda w: v(w, person=w["person"].pk, purpose="case_work", granted="yes")),
    _step("consent_withdraw", _with_consent_record, v, kwargs=lambda w: {**ref(w), "pk": w["consent"].pk}),
    _step(
        "child_notify",
        _child,
        lambda w: v(
            w,
            institution=factories.institution("senaf").pk,
            notified_at=timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            means="Oficio",
        ),
    ),
    _step(
        "best_interests",
        _child_ready,
        lambda w: v(
            w,
            person=w["person"].pk,
            purpose="closure",
            decided_on=TODAY(),
            institution=factories.institution("senaf").pk,
            decision="Cierre.",
        ),
    ),
    _step("needs", _consented, lambda w: v(w, **{"health-level": "high"})),
    _step("plan_submit", _draft_plan, v),
    _step("plan_decide", _submitted_plan, lambda w: v(w, decision="approve"), allowed=APPROVERS),
    _step("service", _consented, lambda w: v(w, service="shelter", institution="casa-alianza", delivered_on=TODAY())),
    _step("follow_up", _consented, lambda w: v(w, due_on=TODAY(), purpose="Visita", assigned_to=w["eri"].pk)),
    _step(
        "follow_up_done",
        _follow_up,
        lambda w: v(w, outcome="Bien."),
        kwargs=lambda w: {**ref(w), "pk": w["follow_up"].pk},
    ),
    _step(
        "member_add",
        _case,
        lambda w: v(w, membership=Membership.objects.get(user=w["personas"]["caseworker_ngo"]).pk),
    ),
    # The member added (the SESAL caseworker) is on the team now, so they may edit too.
    _step(
        "member_remove",
        _with_member,
        v,
        allowed=TEAM | {"caseworker"},
        kwargs=lambda w: {**ref(w), "pk": w["member"].pk},
    ),
    _step("close", _case, lambda w: v(w, reason="plan_completed", closed_on=TODAY())),
    _step("close_decide", _closure_requested, lambda w: v(w, decision="approve"), allowed=APPROVERS),
    _step("reopen", _closed, lambda w: v(w, reason="Nueva información.")),
    # API
    Route("api:cases", CASE_VIEWERS),
    Route(
        "api:cases",
        CASE_CREATORS,
        method="POST",
        label="open",
        data=lambda w: {
            "municipality": "0801",
            "exploitation": "sexual",
            "victims": [{"given_names": "Ana", "age_years": 30, "age_group": "adult", "sex": "female"}],
        },
        ok=frozenset({201}),
    ),
    Route("api:case-detail", SEES_CASE, world=_case, kwargs=ref),
    Route(
        "api:case-consents",
        TEAM,
        method="POST",
        world=_case,
        kwargs=ref,
        data=lambda w: v(w, person=w["person"].reference, purpose="statistics", granted=True),
        ok=frozenset({201}),
    ),
    Route(
        "api:case-needs",
        TEAM,
        method="POST",
        world=_consented,
        kwargs=ref,
        data=lambda w: v(w, needs=[{"area": "health", "level": "high"}]),
        ok=frozenset({201}),
    ),
    Route(
        "api:case-follow-ups",
        TEAM,
        method="POST",
        world=_consented,
        kwargs=ref,
        data=lambda w: v(w, due_on=TODAY(), purpose="Llamada"),
        ok=frozenset({201}),
    ),
    Route(
        "api:case-closure",
        TEAM,
        method="POST",
        world=_case,
        kwargs=ref,
        data=lambda w: v(w, reason="plan_completed", closed_on=TODAY()),
        ok=frozenset({201}),
    ),
]
