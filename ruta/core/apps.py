from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    default = True
    name = "ruta.core"
    label = "core"


class RutaAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "ruta.core.admin_site.RutaAdminSite"
