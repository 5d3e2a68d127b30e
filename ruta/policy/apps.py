from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "ruta.policy"
    label = "policy"
