"""The end-of-session satisfaction survey: Likert items answered 1 (strongly disagree) to 5
(strongly agree), and a free comment."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ITEMS = {
    "relevant": _("The content is relevant to my work."),
    "clear": _("The trainers explained clearly."),
    "practice": _("There was enough practice (cases, role plays)."),
    "materials": _("The materials are useful."),
    "apply": _("I will be able to apply what I learned."),
}
SCALE = {
    1: _("Strongly disagree"),
    2: _("Disagree"),
    3: _("Neither agree nor disagree"),
    4: _("Agree"),
    5: _("Strongly agree"),
}
