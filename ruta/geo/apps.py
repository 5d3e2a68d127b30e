from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save

GEOGRAPHY = "geo.geography"


class GeoConfig(AppConfig):
    name = "ruta.geo"
    label = "geo"

    def ready(self) -> None:
        from ruta.geo.models import Department, Municipality

        # Processes that keep the geography in memory (intake validation) reload it after any edit.
        for model in (Department, Municipality):
            post_save.connect(_geography_changed, sender=model, dispatch_uid=f"geography-{model}")
            post_delete.connect(_geography_changed, sender=model, dispatch_uid=f"geography-{model}-")


def _geography_changed(**kwargs: Any) -> None:
    from ruta.core import generations

    generations.bump(GEOGRAPHY)
