from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ruta.audit"
    label = "audit"
