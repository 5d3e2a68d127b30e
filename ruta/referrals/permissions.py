"""The referral and legal-process permissions."""

from django.utils.translation import gettext_lazy as _

from ruta.policy.permissions import declare


class ReferralPermission:
    SEND = declare("referral.send", _("Send referrals"))
    RECEIVE = declare("referral.receive", _("Receive referrals"))
    CONSENT_OVERRIDE = declare("referral.consent_override", _("Send a referral without consent, with a reason"))
    LEGAL_MILESTONE_RECORD = declare("legal.milestone_record", _("Record legal-process milestones"))
