"""Which visits a user reaches (the access rules) and the lists built on them."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from ruta.policy import access
from tests.plugin_app.models import OutreachVisit
from tests.plugin_app.permissions import OutreachPermission

access.register(OutreachVisit, access.ScopeRules(institution=lambda ids: Q(institution_id__in=ids)))


def visits_visible(*, actor: Any) -> models.QuerySet[OutreachVisit]:
    return access.visible(actor, OutreachPermission.VIEW, OutreachVisit.objects.select_related("institution"))
