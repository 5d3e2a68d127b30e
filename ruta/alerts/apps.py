from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class AlertsConfig(AppConfig):
    name = "ruta.alerts"
    label = "alerts"

    def ready(self) -> None:
        from ruta.alerts import selectors  # noqa: F401 - registers the access rules for alerts
        from ruta.alerts.models import CommunitySignal, PriorityLevel, PriorityRule

        # Every edit, wherever it comes from (admin, import, shell), gives the intake configuration a
        # new generation in the same transaction, so every process reloads it (ruta.core.generations).
        for model in (CommunitySignal, PriorityLevel, PriorityRule):
            post_save.connect(_intake_configuration_changed, sender=model, dispatch_uid=f"intake-config-{model}")
            post_delete.connect(_intake_configuration_changed, sender=model, dispatch_uid=f"intake-config-{model}-")


def _intake_configuration_changed(**kwargs: Any) -> None:
    from ruta.alerts.services import INTAKE_CONFIGURATION
    from ruta.core import generations

    generations.bump(INTAKE_CONFIGURATION)
