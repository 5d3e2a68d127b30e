from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ruta.core"
    label = "core"
