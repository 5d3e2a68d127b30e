from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "ruta.demo"
    label = "demo"
