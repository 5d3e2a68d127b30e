"""The case-management permissions."""

from django.utils.translation import gettext_lazy as _

from ruta.policy.permissions import declare


class CasePermission:
    CREATE = declare("case.create", _("Open cases"))
    VIEW = declare("case.view", _("See cases"))
    EDIT = declare("case.edit", _("Work on cases"))
    APPROVE = declare("case.approve", _("Approve plans and closures"))
