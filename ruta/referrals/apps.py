from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "ruta.referrals"
    label = "referrals"

    def ready(self) -> None:
        from ruta.referrals import access_rules, worklist  # noqa: F401 - registers access rules and the work list
