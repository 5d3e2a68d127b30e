"""The early-warning permissions."""

from django.utils.translation import gettext_lazy as _

from ruta.policy.permissions import declare


class AlertPermission:
    CREATE = declare("alert.create", _("Record alerts"))
    VIEW = declare("alert.view", _("See alerts"))
    TRIAGE = declare("alert.triage", _("Triage alerts: acknowledge, assign, verify, close, open cases"))
    HOTLINE_LOG = declare("alert.hotline_log", _("Log hotline calls"))
