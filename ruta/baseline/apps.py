from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BaselineConfig(AppConfig):
    name = "ruta.baseline"
    label = "baseline"
    verbose_name = _("Baseline study and actor map")
