from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "ruta.screening"
    label = "screening"
    verbose_name = _("Screening")

    def ready(self) -> None:
        from ruta.screening.services import ensure_catalogue_after_migrate

        # Reference data, not business logic: a freshly migrated database gets the bundled catalogue.
        post_migrate.connect(ensure_catalogue_after_migrate, sender=self, dispatch_uid="screening_catalogue")
