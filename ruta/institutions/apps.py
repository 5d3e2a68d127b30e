from django.apps import AppConfig


class InstitutionsConfig(AppConfig):
    name = "ruta.institutions"
    label = "institutions"
