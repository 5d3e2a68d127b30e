from typing import Any

from ruta.notifications.models import Notification
from tests.access.harness import EVERYONE, Route


def _notification_for_caseworker(personas: dict[str, Any]) -> dict[str, Any]:
    notification = Notification.objects.create(recipient=personas["caseworker"], kind="test", subject="Hola")
    return {"notification": notification}


DIRECTORY_READERS = {
    "administrator",
    "duty_officer",
    "hotline_operator",
    "community_reporter",
    "eri_responder",
    "caseworker",
    "supervisor",
    "labour_inspector",
    "legal_liaison",
    "analyst",
    "trainer",
    "caseworker_ngo",
    "eri_responder_north",
    "supervisor_health",
}
AUDIT_READERS = {"administrator", "supervisor", "supervisor_health"}

ROUTES = [
    Route("core:home", {EVERYONE}),
    Route("core:healthz", set(), public=True),
    Route("accounts:login", set(), public=True, ok=frozenset({200, 302})),
    Route("accounts:logout", set(), method="POST", public=True, ok=frozenset({302})),
    Route("geo:municipalities", set(), public=True),
    Route("geo:departments-geojson", set(), public=True),
    Route("institutions:directory", DIRECTORY_READERS),
    Route("institutions:detail", DIRECTORY_READERS, kwargs=lambda w: {"code": "eri"}),
    Route("audit:list", AUDIT_READERS),
    Route("notifications:list", {EVERYONE}),
    Route(
        "notifications:read",
        {"caseworker"},
        method="POST",
        world=_notification_for_caseworker,
        kwargs=lambda w: {"pk": w["notification"].pk},
        ok=frozenset({302}),
    ),
    Route("api:me", {EVERYONE}),
    Route("api:departments", set(), public=True),
    Route("api:municipalities", set(), public=True),
    Route("api:institutions", DIRECTORY_READERS),
    Route("api:schema", set(), public=True),
    Route("api:docs", set(), public=True),
]
