"""The permissions over persons' records."""

from django.utils.translation import gettext_lazy as _

from ruta.policy.permissions import declare


class PersonPermission:
    VIEW = declare("person.view", _("See persons' records"))
    EDIT = declare("person.edit", _("Correct persons' records"))
    VIEW_IDENTITY = declare("person.view_identity", _("See persons' identities"))
    MERGE = declare("person.merge", _("Merge duplicate persons"))
