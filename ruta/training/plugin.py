"""What the training app brings to Ruta: see ``ruta.core.plugins``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ruta.core.navigation import NavItem, menu_entry
from ruta.core.plugins import mount_pages
from ruta.policy.roles import Scope, grant_table
from ruta.training import access_rules, indicators, worklist  # noqa: F401 - registers rules, indicators, work
from ruta.training.permissions import TrainingPermission

mount_pages("training/", "ruta.training.urls")
mount_pages("verify/", "ruta.training.verify_urls")

menu_entry(
    NavItem(
        "training:sessions",
        _("Training"),
        (TrainingPermission.SESSION_MANAGE, TrainingPermission.SESSION_RUN),
        _("Courses, sessions, attendance, tests and certificates."),
        order=300,
    )
)
menu_entry(
    NavItem(
        "training:mine",
        _("My trainings"),
        None,
        _("Your trainings, tests, attendance code, certificates and competency levels."),
        order=305,
    )
)
menu_entry(
    NavItem(
        "training:impact",
        _("Training impact"),
        TrainingPermission.IMPACT_VIEW,
        _("Field outcomes before and after training, with the counts behind every figure."),
        order=310,
    )
)

P, S = TrainingPermission, Scope
grant_table(
    {
        # A coordinator's membership with a department reaches that department's sessions; one
        # without reaches the whole country (as for the competency grants).
        "training_coordinator": {
            P.COURSE_MANAGE: S.NATIONAL,
            P.QUESTION_MANAGE: S.NATIONAL,
            P.SESSION_MANAGE: S.TERRITORY,
            P.IMPACT_VIEW: S.TERRITORY,
        },
        "trainer": {P.QUESTION_MANAGE: S.NATIONAL, P.SESSION_RUN: S.OWN},
    }
)
