"""The screening permissions."""

from django.utils.translation import gettext_lazy as _

from ruta.policy.permissions import declare


class ScreeningPermission:
    RUN = declare("screening.run", _("Screen a situation against the indicators"))
    CATALOGUE_MANAGE = declare("screening.catalogue_manage", _("Manage the indicator catalogue"))
