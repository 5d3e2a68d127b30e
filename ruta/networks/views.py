from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from ruta.alerts.models import Alert, PublicStatus
from ruta.audit.services import audit_read
from ruta.core.http import acting_user
from ruta.core.periods import month_end, month_start, next_month
from ruta.geo.models import Municipality
from ruta.networks import bulletins as bulletin_services
from ruta.networks import services
from ruta.networks import threats as threat_services
from ruta.networks.feedback import monthly_summary, network_alerts, public_status_counts
from ruta.networks.forms import (
    BulletinForm,
    DecisionForm,
    LinkAlertForm,
    MeetingForm,
    MemberForm,
    NetworkForm,
    ThreatForm,
    VulnerabilityForm,
)
from ruta.networks.models import (
    Bulletin,
    DeliveryState,
    FollowUpAction,
    Member,
    MemberRole,
    Network,
    P1Escalation,
    Threat,
    ThreatStatus,
)
from ruta.networks.permissions import NetworkPermission
from ruta.networks.risk import department_levels, risk_pictures
from ruta.networks.rules import NetworkError
from ruta.networks.selectors import bulletins_for, deliveries_for, networks_for, risk_municipalities, threats_for
from ruta.networks.vulnerability import ImportRefused, vulnerability_import
from ruta.policy import access
from ruta.policy.decorators import permission_required
from ruta.policy.permissions import PlatformPermission

PAGE_SIZE = 25


def _network(request: HttpRequest, code: str, permission: Any = NetworkPermission.VIEW) -> Network:
    return access.get_visible_or_404(
        request.user, permission, Network.objects.select_related("municipality", "department"), code=code
    )


def _reaches(request: HttpRequest, permission: Any, network: Network) -> bool:
    return access.visible(request.user, permission, Network.objects.filter(pk=network.pk)).exists()


def _refused(form: Any, error: NetworkError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@permission_required(NetworkPermission.VIEW)
def network_list(request: HttpRequest) -> HttpResponse:
    networks = networks_for(acting_user(request)).annotate(members_count=Count("members"))
    can_create = access.has_perm(request.user, NetworkPermission.MANAGE)
    return render(request, "networks/list.html", {"networks": networks, "can_create": can_create})


@permission_required(NetworkPermission.MANAGE)
def network_new(request: HttpRequest) -> HttpResponse:
    form = NetworkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            network = services.network_create(
                actor=acting_user(request),
                code=data["code"],
                name=data["name"],
                municipality=data["municipality"],
                covers=list(data["covers"]),
            )
        except PermissionDenied:
            form.add_error("municipality", _("This municipality is outside your territory."))
        except NetworkError as error:
            _refused(form, error)
        else:
            return redirect("networks:detail", code=network.code)
    return render(request, "networks/form.html", {"form": form, "title": _("New local network")})


@permission_required(NetworkPermission.VIEW)
def network_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = acting_user(request)
    network = _network(request, code)
    members = Member.objects.filter(network=network).select_related("organisation")
    sees_contacts = _reaches(request, NetworkPermission.MEMBER_CONTACTS, network)
    if sees_contacts:
        audit_read(actor=user, obj=network, request=request, reason="member contacts")
    role_counts = {
        MemberRole(role).label: n
        for role, n in members.values_list("role").annotate(n=Count("pk")).values_list("role", "n")
    }
    own_alerts = Alert.objects.filter(created_by=user).order_by("-received_at")[:20]
    context = {
        "network": network,
        "covers": network.municipalities.order_by("name"),
        "members": members if sees_contacts else None,
        "role_counts": role_counts,
        "organisations": network.organisations.all(),
        "meetings": network.meetings.prefetch_related("actions")[:10],
        "bulletins": bulletins_for(user, network)[:10],
        "can_manage": _reaches(request, NetworkPermission.MANAGE, network),
        "can_send": _reaches(request, NetworkPermission.BULLETIN_SEND, network),
        "statuses": [
            (PublicStatus(status).label, count)
            for status, count in public_status_counts(network_alerts(network)).items()
        ],
        "own_alerts": [(alert, PublicStatus(alert.public_status).label) for alert in own_alerts],
        "risk": risk_pictures(
            until=timezone.localdate(), municipalities=network.municipalities.select_related("department")
        ),
        "now": timezone.now(),
    }
    return render(request, "networks/detail.html", context)


@permission_required(NetworkPermission.MANAGE)
def member_new(request: HttpRequest, code: str) -> HttpResponse:
    network = _network(request, code, NetworkPermission.MANAGE)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actor = acting_user(request)
        try:
            organisation = None
            if data["organisation_name"] or data["institution"]:
                organisation = services.organisation_add(
                    actor=actor, network=network, name=data["organisation_name"], institution=data["institution"]
                )
            services.member_add(
                actor=actor,
                network=network,
                data=services.MemberInput(
                    name=data["name"],
                    role=data["role"],
                    channel=data["channel"],
                    email=data["email"],
                    phone=data["phone"],
                    consent_to_contact=data["consent_to_contact"],
                    organisation=organisation,
                ),
            )
        except NetworkError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Member added."))
            return redirect("networks:detail", code=network.code)
    return render(request, "networks/form.html", {"form": form, "title": _("New member"), "network": network})


@require_POST
@permission_required(NetworkPermission.MANAGE)
def member_opt_out(request: HttpRequest, code: str, member_id: int) -> HttpResponse:
    network = _network(request, code, NetworkPermission.MANAGE)
    member = access.get_visible_or_404(
        request.user, NetworkPermission.MANAGE, Member.objects.filter(network=network), pk=member_id
    )
    services.member_opt_out(member=member, how="recorded by the network", actor=acting_user(request))
    messages.success(request, _("The member will receive no more bulletins."))
    return redirect("networks:detail", code=network.code)


@permission_required(NetworkPermission.MANAGE)
def meeting_new(request: HttpRequest, code: str) -> HttpResponse:
    network = _network(request, code, NetworkPermission.MANAGE)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions = [
            services.ActionInput(
                description=data[f"action_{n}"],
                responsible=data[f"responsible_{n}"],
                due_at=timezone.make_aware(datetime.combine(data[f"due_{n}"], time(23, 59))),
            )
            for n in (1, 2)
            if data.get(f"action_{n}") and data.get(f"due_{n}")
        ]
        try:
            services.meeting_record(
                actor=acting_user(request),
                network=network,
                held_on=data["held_on"],
                place=data["place"],
                attendees=data["attendees"],
                minutes=data["minutes"],
                agreements=data["agreements"],
                actions=actions,
            )
        except NetworkError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Meeting recorded."))
            return redirect("networks:detail", code=network.code)
    return render(request, "networks/form.html", {"form": form, "title": _("Record a meeting"), "network": network})


@require_POST
@permission_required(NetworkPermission.MANAGE)
def action_done(request: HttpRequest, code: str, action_id: int) -> HttpResponse:
    network = _network(request, code, NetworkPermission.MANAGE)
    action = access.get_visible_or_404(
        request.user, NetworkPermission.MANAGE, FollowUpAction.objects.filter(network=network), pk=action_id
    )
    services.action_done(actor=acting_user(request), action=action)
    return redirect("networks:detail", code=network.code)


@permission_required(NetworkPermission.BULLETIN_SEND)
def bulletin_new(request: HttpRequest, code: str) -> HttpResponse:
    network = _network(request, code, NetworkPermission.BULLETIN_SEND)
    alert_reference = request.GET.get("alert") or request.POST.get("alert") or ""
    escalation = (
        P1Escalation.objects.select_related("alert__municipality")
        .filter(network=network, alert__reference=alert_reference)
        .first()
        if alert_reference
        else None
    )
    form = BulletinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            bulletin = bulletin_services.bulletin_send(
                actor=acting_user(request),
                network=network,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                alert=escalation.alert if escalation else None,
            )
        except NetworkError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Bulletin sent to %(count)s members.") % {"count": bulletin.deliveries.count()})
            return redirect("networks:bulletin", reference=bulletin.reference)
    audience = bulletin_services.audience(network).count()
    return render(
        request,
        "networks/bulletin_new.html",
        {"form": form, "network": network, "escalation": escalation, "audience": audience},
    )


@permission_required(NetworkPermission.BULLETIN_VIEW)
def bulletin_detail(request: HttpRequest, reference: str) -> HttpResponse:
    user = acting_user(request)
    bulletin = access.get_visible_or_404(
        user, NetworkPermission.BULLETIN_VIEW, Bulletin.objects.select_related("network"), reference=reference
    )
    deliveries = deliveries_for(user, bulletin).select_related("member")
    sees_names = _reaches(request, NetworkPermission.MEMBER_CONTACTS, bulletin.network)
    counts = dict.fromkeys(DeliveryState.values, 0)
    for state, n in deliveries.values_list("state").annotate(n=Count("pk")).values_list("state", "n"):
        counts[state] = n
    return render(
        request,
        "networks/bulletin_detail.html",
        {
            "bulletin": bulletin,
            "deliveries": deliveries if sees_names else None,
            "counts": [(DeliveryState(state).label, n) for state, n in counts.items()],
            "acknowledged": deliveries.filter(acknowledged_at__isnull=False).count(),
        },
    )


@permission_required(NetworkPermission.VIEW)
def network_summary(request: HttpRequest, code: str) -> HttpResponse:
    network = _network(request, code)
    today = timezone.localdate()
    try:
        first = date.fromisoformat(f"{request.GET.get('month', '')}-01")
    except ValueError:
        first = month_start(today)
    last = month_end(first)
    return render(
        request,
        "networks/summary.html",
        {
            "network": network,
            "first": first,
            "last": last,
            "lines": monthly_summary(network, first, last),
            "previous": month_start(first - timedelta(days=1)).strftime("%Y-%m"),
            "next": next_month(first).strftime("%Y-%m") if last < today else "",
        },
    )


# --- threats ------------------------------------------------------------------------------------


@permission_required(NetworkPermission.THREAT_VIEW, NetworkPermission.THREAT_REPORT)
def threat_list(request: HttpRequest) -> HttpResponse:
    threats = threats_for(acting_user(request))
    status = request.GET.get("status", "")
    if status in ThreatStatus.values:
        threats = threats.filter(status=status)
    page = Paginator(threats, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "networks/threats.html",
        {
            "page": page,
            "status": status,
            "statuses": ThreatStatus.choices,
            "can_report": access.has_perm(request.user, NetworkPermission.THREAT_REPORT),
        },
    )


@permission_required(NetworkPermission.THREAT_REPORT)
def threat_new(request: HttpRequest) -> HttpResponse:
    flagged = request.POST.get("flagged") == "1"
    form = ThreatForm(request.POST or None, show_confirmation=flagged)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            threat = threat_services.threat_report(
                actor=acting_user(request),
                data=threat_services.ThreatInput(
                    threat_type=data["threat_type"],
                    title=data["title"],
                    description=data["description"],
                    municipality=data["municipality"],
                    evidence=data["evidence"],
                    latitude=data["latitude"],
                    longitude=data["longitude"],
                    not_a_name=bool(data.get("not_a_name")) and flagged,
                ),
            )
        except PermissionDenied:
            form.add_error("municipality", _("You can report threats only in your own territory."))
        except NetworkError as error:
            if error.code == "person_name":
                flagged = True
                form = ThreatForm(request.POST, show_confirmation=True)
                form.is_valid()
            _refused(form, error)
        else:
            messages.success(request, _("Threat recorded: %(reference)s.") % {"reference": threat.reference})
            return redirect("networks:threat", reference=threat.reference)
    return render(request, "networks/threat_new.html", {"form": form, "flagged": flagged})


@permission_required(NetworkPermission.THREAT_VIEW)
def threat_detail(request: HttpRequest, reference: str) -> HttpResponse:
    user = acting_user(request)
    threat = access.get_visible_or_404(
        user,
        NetworkPermission.THREAT_VIEW,
        Threat.objects.select_related("threat_type", "municipality__department"),
        reference=reference,
    )
    can_decide = access.visible(user, NetworkPermission.THREAT_VERIFY, Threat.objects.filter(pk=threat.pk)).exists()
    return render(
        request,
        "networks/threat_detail.html",
        {
            "threat": threat,
            "can_decide": can_decide,
            "decision_form": DecisionForm(),
            "link_form": LinkAlertForm(),
            "alerts": threat.alerts.order_by("received_at"),
            "visits": threat.visits.order_by("planned_for"),
        },
    )


@require_POST
@permission_required(NetworkPermission.THREAT_VERIFY)
def threat_decide(request: HttpRequest, reference: str) -> HttpResponse:
    threat = access.get_visible_or_404(
        request.user, NetworkPermission.THREAT_VERIFY, Threat.objects.all(), reference=reference
    )
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            threat_services.threat_decide(
                actor=acting_user(request),
                threat=threat,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
            )
        except NetworkError as error:
            messages.error(request, error.message)
    return redirect("networks:threat", reference=threat.reference)


@require_POST
@permission_required(NetworkPermission.THREAT_VERIFY)
def threat_link(request: HttpRequest, reference: str) -> HttpResponse:
    threat = access.get_visible_or_404(
        request.user, NetworkPermission.THREAT_VERIFY, Threat.objects.all(), reference=reference
    )
    form = LinkAlertForm(request.POST)
    if form.is_valid():
        try:
            threat_services.threat_link(
                actor=acting_user(request), threat=threat, reference=form.cleaned_data["reference"]
            )
        except NetworkError as error:
            messages.error(request, error.message)
    return redirect("networks:threat", reference=threat.reference)


# --- risk ---------------------------------------------------------------------------------------


def _risk(request: HttpRequest) -> list[Any]:
    places = risk_municipalities(acting_user(request))
    department = request.GET.get("department", "")
    if department:
        scoped = places if places is not None else Municipality.objects.all()
        places = scoped.filter(department__code=department)
    if places is not None:
        places = places.select_related("department")
    return risk_pictures(until=timezone.localdate(), municipalities=places)


@permission_required(NetworkPermission.RISK_VIEW)
def risk_map(request: HttpRequest) -> HttpResponse:
    pictures = _risk(request)
    return render(
        request,
        "networks/risk.html",
        {
            "pictures": [picture for picture in pictures if picture.points > 0],
            "departments": department_levels(pictures),
        },
    )


@permission_required(NetworkPermission.RISK_VIEW)
def risk_data(request: HttpRequest) -> HttpResponse:
    """The map's data: each department's level, and every municipality with points (its level,
    trend and the points of each factor; counts under k suppressed)."""
    pictures = _risk(request)
    municipalities = [
        {
            "code": picture.municipality.code,
            "name": picture.municipality.name,
            "department": picture.municipality.department.code,
            "level": picture.level,
            "trend": picture.trend,
            "points": None if picture.shown_points is None else float(picture.shown_points),
            "factors": [
                {
                    "code": c.factor.code,
                    "label": c.factor.label,
                    "value": float(c.shown) if isinstance(c.shown, Decimal) else c.shown,
                    "points": None if c.shown_points is None else float(c.shown_points),
                }
                for c in picture.contributions
            ],
        }
        for picture in pictures
        if picture.points > 0
    ]
    return JsonResponse({"departments": department_levels(pictures), "municipalities": municipalities})


@permission_required(PlatformPermission.CONFIG_MANAGE)
def vulnerability_upload(request: HttpRequest) -> HttpResponse:
    form = VulnerabilityForm(request.POST or None, request.FILES or None)
    errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        try:
            text = form.cleaned_data["file"].read().decode("utf-8-sig")
            count = vulnerability_import(actor=acting_user(request), text=text)
        except UnicodeDecodeError:
            form.add_error("file", _("The file must be a CSV saved as UTF-8."))
        except ImportRefused as refused:
            errors = refused.errors
        else:
            messages.success(request, _("%(count)s values imported.") % {"count": count})
            return redirect("networks:risk")
    return render(request, "networks/vulnerability.html", {"form": form, "errors": errors})
