from django.apps import AppConfig


class PersonsConfig(AppConfig):
    name = "ruta.persons"
    label = "persons"
