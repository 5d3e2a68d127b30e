from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "ruta.alerts"
    label = "alerts"
