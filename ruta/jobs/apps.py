from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "ruta.jobs"
    label = "jobs"
