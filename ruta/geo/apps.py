from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "ruta.geo"
    label = "geo"
