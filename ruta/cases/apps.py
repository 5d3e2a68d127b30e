from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "ruta.cases"
    label = "cases"

    def ready(self) -> None:
        from ruta.cases import (
            access_rules,  # noqa: F401 - registers the access rules for cases and persons
            worklist,  # noqa: F401 - registers the case work-list providers
        )
