from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "ruta.referrals"
    label = "referrals"
