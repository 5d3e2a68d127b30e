"""The instrument (XLSForm) and submission permissions."""

from django.utils.translation import gettext_lazy as _

from ruta.policy.permissions import declare


class InstrumentPermission:
    MANAGE = declare("instrument.manage", _("Import, update and export data-collection instruments"))
    SUBMIT = declare("instrument.submit", _("Fill in data-collection instruments"))
    VIEW_SUBMISSIONS = declare("instrument.view_submissions", _("See the answers collected with instruments"))
    IMPORT = declare("instrument.import", _("Import answers exported from KoBoToolbox or ODK Central"))
