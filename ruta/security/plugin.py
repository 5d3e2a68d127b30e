"""What the security app brings to Ruta: see ``ruta.core.plugins``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ruta.accounts.retention import login_failures_older_than
from ruta.core.defaults import default_catalogue
from ruta.core.models import IdempotencyRecord
from ruta.core.navigation import NavItem, menu_entry
from ruta.core.plugins import mount_pages
from ruta.policy.permissions import PlatformPermission
from ruta.security.exports import AUDIT_LOG, export_permissions, register_export
from ruta.security.retention_policies import register_deletion

mount_pages("security/", "ruta.security.urls")
default_catalogue("security.RetentionRule", "ruta.security.retention", "retention_rules_load")
register_export(AUDIT_LOG)
# Retention of the platform modules below security (which may not import it, see pyproject.toml).
register_deletion(
    "core.idempotency",
    _("Stored answers to retried submissions are deleted"),
    lambda cutoff: IdempotencyRecord.objects.filter(created_at__lt=cutoff),
    default_keep_days=30,
)
register_deletion(
    "accounts.login_failures",
    _("Records of failed log-ins are deleted"),
    login_failures_older_than,
    default_keep_days=90,
)

menu_entry(
    NavItem(
        "security:exports",
        _("Exports"),
        export_permissions,
        _("Download aggregated counts (small cells suppressed), with a stated purpose."),
        order=120,
    )
)

menu_entry(
    NavItem(
        "security:break_glass",
        _("Emergency access"),
        PlatformPermission.BREAK_GLASS,
        _("Open one record outside your scope, with a reason; the commission is told."),
        order=130,
    )
)
