from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PluginAppConfig(AppConfig):
    name = "tests.plugin_app"
    label = "plugin_app"
    verbose_name = _("Outreach visits")
