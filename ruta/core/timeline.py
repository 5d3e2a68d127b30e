"""Readable, translated timelines (alert timeline, case timeline, referral history).

Events store stable machine codes (``kind``, statuses, choice values, catalogue codes); people read
their labels in the language of the page, resolved when the page is shown. A code that has no label
yet is shown as is rather than hidden. Free text people typed (comments, purposes) stays as typed."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from django.db.models import Choices
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

EVENT_LABELS: dict[str, Promise] = {
    "case_opened": _("Case opened"),
    "case_reopened": _("Case reopened"),
    "person_added": _("Person added"),
    "person_merged": _("Duplicate person merged"),
    "identification_recorded": _("Identification decision recorded"),
    "reflection_period_recorded": _("Reflection and recovery period recorded"),
    "consent_recorded": _("Consent recorded"),
    "consent_withdrawn": _("Consent withdrawn"),
    "child_protection_notified": _("Child-protection authority notified"),
    "best_interests_recorded": _("Best-interests decision recorded"),
    "needs_assessed": _("Needs assessed"),
    "plan_saved": _("Plan saved (draft)"),
    "plan_submitted": _("Plan submitted for approval"),
    "plan_approved": _("Plan approved"),
    "plan_returned": _("Plan returned for changes"),
    "service_delivered": _("Service delivered"),
    "follow_up_scheduled": _("Follow-up scheduled"),
    "follow_up_done": _("Follow-up done"),
    "member_added": _("Team member added"),
    "member_removed": _("Team member removed"),
    "closure_requested": _("Closure requested"),
    "closure_approved": _("Closure approved"),
    "closure_rejected": _("Closure rejected"),
    "created": _("Referral prepared"),
    "sent": _("Referral sent"),
    "received": _("Referral received"),
    "accepted": _("Referral accepted"),
    "declined": _("Referral declined"),
    "completed": _("Referral completed"),
    "revoked": _("Referral revoked"),
    "consent_overridden": _("Sent without consent (override recorded)"),
    "escalation": _("Missed deadline escalated"),
    "escalated": _("Missed deadline escalated"),
    "legal_milestone": _("Legal-process milestone recorded"),
}


def event_label(kind: str) -> str:
    """The label of an event code; referral steps on the case timeline carry a ``referral_`` prefix."""
    label = EVENT_LABELS.get(kind) or EVENT_LABELS.get(kind.removeprefix("referral_"))
    return str(label) if label is not None else kind


@cache
def _choices(path: str) -> type[Choices]:
    return import_string(path)  # type: ignore[no-any-return]


def choice_label(code: Any, path: str) -> str:
    """The label of ``code`` in the choices class at the dotted ``path``; an unknown code as is."""
    if code in (None, ""):
        return ""
    choices = _choices(path)
    try:
        return str(choices(code).label)
    except ValueError:
        return str(code)


def _catalogue_labels(model_path: str, codes: list[str]) -> list[str]:
    """Labels of catalogue rows (``TranslatedLabelsMixin``) by code, in the order given."""
    model = import_string(model_path)
    labels = {row.code: row.label for row in model.objects.filter(code__in=codes)}
    return [labels.get(code, code) for code in codes]


_CASES = "ruta.cases.models"
_PERSON_CODE = re.compile(r"^(?P<ref>[^:]+): (?P<rest>.*)$", re.S)
_TRAILING_PARENS = re.compile(r"^(?P<head>.*?) \((?P<inside>.*)\)$", re.S)
Summary = Callable[[str, dict[str, Any]], str]


def _split_reference(summary: str) -> tuple[str, str]:
    found = _PERSON_CODE.match(summary)
    return (found["ref"], found["rest"]) if found else ("", summary)


def _with_reference(reference: str, text: str) -> str:
    return f"{reference}: {text}" if reference else text


def _consent(summary: str, data: dict[str, Any]) -> str:
    reference, rest = _split_reference(summary)
    purpose, granted = data.get("purpose"), data.get("granted")
    if purpose is None or granted is None:  # rows written before ``data`` carried them
        purpose, _space, answer = rest.rpartition(" ")
        granted = answer == "granted"
    label = choice_label(purpose, f"{_CASES}.ConsentPurpose") if purpose else ""
    text = f"{label} — {_answer(bool(granted))}" if label else _answer(bool(granted))
    return _with_reference(reference or str(data.get("person", "")), text)


def _answer(granted: bool) -> str:
    return gettext("Consent given") if granted else gettext("Consent refused")


def _prefixed_choice(path: str) -> Summary:
    """``REF: code``: the code's label."""

    def render(summary: str, data: dict[str, Any]) -> str:
        reference, code = _split_reference(summary)
        return _with_reference(reference, choice_label(code, path))

    return render


def _identification(summary: str, data: dict[str, Any]) -> str:
    reference, rest = _split_reference(summary)
    found = _TRAILING_PARENS.match(rest)
    outcome, institution = (found["head"], found["inside"]) if found else (rest, "")
    label = choice_label(outcome, f"{_CASES}.IdentificationOutcome")
    return _with_reference(reference, f"{label} ({institution})" if institution else label)


def _person_added(summary: str, data: dict[str, Any]) -> str:
    found = _TRAILING_PARENS.match(summary)
    if not found:
        return summary
    return f"{found['head']} ({choice_label(found['inside'], f'{_CASES}.CasePersonRole')})"


def _needs(summary: str, data: dict[str, Any]) -> str:
    parts = []
    for item in filter(None, (part.strip() for part in summary.split(","))):
        area, _sign, level = item.partition("=")
        level_label = choice_label(level, f"{_CASES}.NeedLevel") if level and level != "-" else gettext("not assessed")
        parts.append(f"{choice_label(area, f'{_CASES}.NeedArea')}: {level_label}")
    return "; ".join(parts)


def _services(summary: str, data: dict[str, Any]) -> str:
    codes = [code.strip() for code in summary.split(",") if code.strip()]
    return ", ".join(_catalogue_labels("ruta.institutions.models.ServiceCategory", codes))


def _service_delivered(summary: str, data: dict[str, Any]) -> str:
    found = _TRAILING_PARENS.match(summary)
    code, institution = (found["head"], found["inside"]) if found else (summary, "")
    label = _catalogue_labels("ruta.institutions.models.ServiceCategory", [code])[0]
    return f"{label} ({institution})" if institution else label


def _closure_requested(summary: str, data: dict[str, Any]) -> str:
    return _catalogue_labels(f"{_CASES}.ClosureReason", [summary])[0]


def _case_opened(summary: str, data: dict[str, Any]) -> str:
    origin = data.get("origin", summary)
    return gettext("opened directly") if origin in ("", "direct") else str(origin)


_REFERRAL_CREATED = re.compile(r"^to (?P<institution>\S+) \((?P<service>[^)]*)\)$")


def _referral(summary: str, data: dict[str, Any], step: str) -> str:
    """Referral steps on the case timeline: ``R-ref: what the referral history wrote``."""
    reference, rest = _split_reference(summary)
    reference = str(data.get("referral") or reference)
    if step == "created" and (found := _REFERRAL_CREATED.match(rest)):
        service = _catalogue_labels("ruta.institutions.models.ServiceCategory", [found["service"]])[0]
        return f"{reference} → {found['institution']} ({service})"
    if step == "sent" and rest.startswith("urgency "):
        urgency = choice_label(rest.removeprefix("urgency "), "ruta.referrals.models.Urgency")
        return f"{reference}: {gettext('urgency')} {urgency}"
    if step == "consent_recorded":
        person, answer = _split_reference(rest)
        granted = data.get("granted", answer == "granted")
        return f"{reference}: {_with_reference(person, _answer(bool(granted)))}"
    if step == "escalated" and data.get("deadline"):
        return f"{reference}: {choice_label(data['deadline'], 'ruta.referrals.models.Deadline')}"
    if step == "legal_milestone":
        return f"{reference}: {choice_label(data.get('milestone', rest), 'ruta.referrals.models.MilestoneKind')}"
    if step in ("accepted", "declined", "completed", "revoked", "consent_overridden"):
        return reference  # the label says it all; the stored English word is not for reading
    return summary


SUMMARIES: dict[str, Summary] = {
    "case_opened": _case_opened,
    "person_added": _person_added,
    "identification_recorded": _identification,
    "consent_recorded": _consent,
    "consent_withdrawn": _prefixed_choice(f"{_CASES}.ConsentPurpose"),
    "best_interests_recorded": _prefixed_choice(f"{_CASES}.BestInterestsPurpose"),
    "needs_assessed": _needs,
    "plan_saved": _services,
    "plan_submitted": _services,
    "service_delivered": _service_delivered,
    "closure_requested": _closure_requested,
}


def event_summary(kind: str, summary: str, data: dict[str, Any] | None = None) -> str:
    """What a case-timeline entry says, in the page's language: stored codes become their labels."""
    if not summary:
        return ""
    data = data or {}
    if kind.startswith("referral_"):
        return _referral(summary, data, kind.removeprefix("referral_"))
    render = SUMMARIES.get(kind)
    return render(summary, data) if render else summary
