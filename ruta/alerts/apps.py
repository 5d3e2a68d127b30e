from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "ruta.alerts"
    label = "alerts"
    verbose_name = _("Alerts")

    def ready(self) -> None:
        from ruta.alerts.configuration import INTAKE_CONFIGURATION
        from ruta.alerts.models import CommunitySignal, PriorityLevel, PriorityRule
        from ruta.core import generations

        # Every edit gives the intake configuration a new generation, so every process reloads it.
        generations.track(INTAKE_CONFIGURATION, CommunitySignal, PriorityLevel, PriorityRule)
