from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "ruta.deadlines"
    label = "deadlines"
