"""The training indicators. Users carry no sex in Ruta (they are staff accounts, not people
served), so the cuts are by institution and department, not by sex."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ruta.core.indicators import Indicator, counter, records_indicator, register_indicator
from ruta.training.models import Attendance, Certificate, Enrolment, EnrolmentStatus

PARTICIPANTS_TRAINED = register_indicator(
    Indicator(
        "training.participants_trained",
        _("Participants trained"),
        _(
            "Enrolments in a training session with at least one day attended, counted on the session's "
            "last day, by the participant's institution and the department where it was held; "
            "demonstration data excluded."
        ),
        {"institution": _("institution"), "department": _("department")},
        counter(
            lambda: Enrolment.objects.filter(
                is_synthetic=False, status=EnrolmentStatus.ENROLLED, pk__in=Attendance.objects.values("enrolment_id")
            ),
            date_field="session__ends_on",
            paths={"institution": "institution__code", "department": "session__department__code"},
            dated_by_day=True,
        ),
    )
)


CERTIFICATES_ISSUED = register_indicator(
    records_indicator(
        "training.certificates_issued",
        _("Training certificates issued"),
        _(
            "Certificates issued to participants who met their course's attendance and score rules, "
            "counted on the day they were issued (revoked ones included), by the participant's "
            "institution; demonstration data excluded."
        ),
        model=Certificate,
        date_field="issued_at",
        dimensions={"institution": (_("institution"), "enrolment__institution__code")},
    )
)
