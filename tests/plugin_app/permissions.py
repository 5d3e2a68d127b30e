from django.utils.translation import gettext_lazy as _

from ruta.policy.permissions import declare


class OutreachPermission:
    VIEW = declare("outreach.view", _("See the institution's outreach visits"))
