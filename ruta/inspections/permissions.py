"""The labour-inspection permissions."""

from django.utils.translation import gettext_lazy as _

from ruta.policy.permissions import declare


class InspectionPermission:
    VIEW = declare("inspection.view", _("See inspection visits"))
    RECORD = declare("inspection.record", _("Record inspection visits and worker interviews"))
    PLAN = declare("inspection.plan", _("Plan inspections and assign them to inspectors"))
    ESTABLISHMENT_VIEW = declare("inspection.establishment_view", _("See the workplace registry"))
    ESTABLISHMENT_MANAGE = declare("inspection.establishment_manage", _("Add and edit workplaces"))
    INTERVIEW_IDENTITY = declare(
        "inspection.interview_identity", _("See the identity of workers who consented to be identified")
    )
    ESCALATION_RECEIVE = declare(
        "inspection.escalation_receive", _("Receive missed remedy and follow-up deadlines of inspections")
    )
    HANDOVER_RECEIVE = declare("inspection.handover_receive", _("Be told of inspection hand-overs in the territory"))
    CHILD_NOTICE_RECEIVE = declare(
        "inspection.child_notice_receive", _("Be told when an inspection finds a child working")
    )
