"""The training permissions. A participant's own trainings, tests, survey and certificates need none:
every signed-in user reads their own; these permissions reach other people's."""

from django.utils.translation import gettext_lazy as _

from ruta.policy.permissions import declare


class TrainingPermission:
    COURSE_MANAGE = declare("training.course_manage", _("Build courses from competency frameworks"))
    QUESTION_MANAGE = declare("training.question_manage", _("Edit the question bank"))
    SESSION_MANAGE = declare(
        "training.session_manage", _("Plan training sessions, enrol participants, issue and revoke certificates")
    )
    SESSION_RUN = declare(
        "training.session_run", _("Run one's own training sessions: attendance, tests, marking, certificates")
    )
    IMPACT_VIEW = declare("training.impact_view", _("See whether training changed the work in the field"))
