from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "ruta.alerts"
    label = "alerts"

    def ready(self) -> None:
        from ruta.alerts import selectors  # noqa: F401 - registers the access rules for alerts
