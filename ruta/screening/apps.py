from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "ruta.screening"
    label = "screening"
