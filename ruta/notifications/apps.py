from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "ruta.notifications"
    label = "notifications"
