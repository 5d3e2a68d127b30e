from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ruta.accounts"
    label = "accounts"
