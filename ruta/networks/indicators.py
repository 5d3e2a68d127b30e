"""The networks' statistics indicators (``ruta.core.indicators``); demonstration rows excluded."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ruta.core.indicators import records_indicator
from ruta.networks.models import Bulletin, Threat

THREATS_REPORTED = records_indicator(
    "network_threats_reported",
    _("Threats reported by local networks"),
    _(
        "Every place or pattern recorded in the threat register (whatever its later status), by the "
        "moment it was reported."
    ),
    model=Threat,
    date_field="reported_at",
    dimensions={
        "threat_type": (_("type of threat"), "threat_type__code"),
        "department": (_("department"), "department__code"),
    },
)

BULLETINS_SENT = records_indicator(
    "network_bulletins_sent",
    _("Bulletins sent by local networks"),
    _("Every bulletin sent to a network's members, by the moment it was sent."),
    model=Bulletin,
    date_field="sent_at",
    dimensions={"kind": (_("kind of bulletin"), "kind"), "department": (_("department"), "department__code")},
)
