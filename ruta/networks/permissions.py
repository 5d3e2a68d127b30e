"""The local networks' permissions."""

from django.utils.translation import gettext_lazy as _

from ruta.policy.permissions import declare


class NetworkPermission:
    VIEW = declare("network.view", _("See local networks, their meetings and their alerts' outcomes"))
    MANAGE = declare("network.manage", _("Manage a local network: members, meetings, follow-up actions"))
    MEMBER_CONTACTS = declare("network.member_contacts", _("See network members' names and contacts"))
    ACTION_ESCALATION = declare("network.action_escalation", _("Receive missed follow-up actions of a network"))
    P1_ESCALATION = declare("network.p1_escalation", _("Be told when a P1 alert lands in the network's territory"))
    THREAT_REPORT = declare("threat.report", _("Report threats (places and patterns)"))
    THREAT_VIEW = declare("threat.view", _("See the threat register"))
    THREAT_VERIFY = declare("threat.verify", _("Verify, dismiss and close threats"))
    BULLETIN_SEND = declare("bulletin.send", _("Send bulletins to a network's members"))
    BULLETIN_VIEW = declare("bulletin.view", _("See bulletins and their deliveries"))
    RISK_VIEW = declare("network.risk_view", _("See the risk picture by municipality"))
