from django.apps import AppConfig


class InstitutionsConfig(AppConfig):
    name = "ruta.institutions"
    label = "institutions"

    def ready(self) -> None:
        from ruta.institutions import selectors  # noqa: F401 - registers the access rules
