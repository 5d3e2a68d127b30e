from typing import Any

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    default = True
    name = "ruta.core"
    label = "core"

    def ready(self) -> None:
        from ruta.core import rollups
        from ruta.core.plugins import load_plugins

        load_plugins()
        rollups.connect_all()
        post_migrate.connect(_restore_defaults, sender=self, dispatch_uid="ruta.core.restore_defaults")


def _restore_defaults(sender: Any, using: str = "default", **kwargs: Any) -> None:
    from ruta.core import generations
    from ruta.core.defaults import restore_empty_default_catalogues

    restore_empty_default_catalogues(using=using)
    generations.bump_all()


class RutaAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "ruta.core.admin_site.RutaAdminSite"
