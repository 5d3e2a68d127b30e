from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "ruta.cases"
    label = "cases"
