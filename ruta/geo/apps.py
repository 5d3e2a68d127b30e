from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

GEOGRAPHY = "geo.geography"


class GeoConfig(AppConfig):
    name = "ruta.geo"
    label = "geo"
    verbose_name = _("Territories")

    def ready(self) -> None:
        from ruta.core import generations
        from ruta.geo.models import Department, Municipality

        # Processes that keep the geography in memory (intake validation) reload it after any edit.
        generations.track(GEOGRAPHY, Department, Municipality)
