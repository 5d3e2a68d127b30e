from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "ruta.alerts"
    label = "alerts"

    def ready(self) -> None:
        from ruta.alerts.models import CommunitySignal, PriorityLevel, PriorityRule
        from ruta.alerts.services import INTAKE_CONFIGURATION
        from ruta.core import generations

        # Every edit gives the intake configuration a new generation, so every process reloads it.
        generations.track(INTAKE_CONFIGURATION, CommunitySignal, PriorityLevel, PriorityRule)
