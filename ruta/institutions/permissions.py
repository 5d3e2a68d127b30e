"""The referral directory's permissions."""

from django.utils.translation import gettext_lazy as _

from ruta.policy.permissions import declare


class DirectoryPermission:
    VIEW = declare("directory.view", _("See the referral directory"))
    MANAGE = declare("directory.manage", _("Manage institutions and their services"))
