from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ruta.audit"
    label = "audit"

    def ready(self) -> None:
        from ruta.audit import selectors  # noqa: F401 - registers the access rules
