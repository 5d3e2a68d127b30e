"""Issue 20: notification, timeline and history texts are stored as codes (or a ``Text``) and read
in the reader's language; nothing stored in one language is shown on a page in another."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils.translation import gettext_lazy, override, pgettext_lazy

from ruta.alerts import triage
from ruta.alerts.configuration import catalogue_load
from ruta.alerts.models import AlertStatus
from ruta.core.texts import Text, reader_language
from ruta.jobs.services import work_once
from ruta.notifications.models import Notification
from ruta.notifications.services import notify
from ruta.referrals.models import Urgency
from tests.alerts.conftest import make_alert
from tests.cases.factories import assess, consent_all, open_case, plan
from tests.referrals.factories import make_referral

pytestmark = pytest.mark.django_db


def _page(user: Any, url: str, language: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


# --- Text ----------------------------------------------------------------------------------------


def test_a_text_is_rendered_in_the_language_asked_for() -> None:
    text = Text("New referral %(reference)s", {"reference": "R-2026-000001"})
    assert text.render("es") == "Nueva referencia R-2026-000001"
    assert text.render("fr") == "Nouvelle orientation R-2026-000001"
    assert text.render("en") == "New referral R-2026-000001"
    assert Text.from_json(text.as_json()) == text


def test_a_lazy_label_is_stored_as_its_msgid_with_its_context() -> None:
    """A choices label given as a parameter is stored untranslated, context included, so the
    reader gets the right sense of the word (urgency "High" is "Alta", not the need level "Alto")."""
    body = Text("A referral was sent to your institution (urgency: %(urgency)s).", {"urgency": Urgency.HIGH.label})
    stored = body.as_json()
    assert stored["params"]["urgency"] == {"msgid": "High", "params": {}, "context": "urgency"}
    assert Text.from_json(stored).render("es") == "Se envió una referencia a su institución (urgencia: Alta)."
    assert Text.of(gettext_lazy("High")).render("es") == "Alto"
    assert Text.of(pgettext_lazy("alert status", "Open")).render("fr") == "Ouverte"


def test_plain_stored_text_of_older_rows_is_shown_as_it_is() -> None:
    assert Text.from_json("Se le asignó la alerta A-1").render("fr") == "Se le asignó la alerta A-1"


def test_the_reader_language_is_the_preference_else_the_default(settings: Any) -> None:
    settings.LANGUAGE_CODE = "es"

    class Reader:
        preferred_language = ""

    assert reader_language(Reader()) == "es"
    Reader.preferred_language = "fr"
    assert reader_language(Reader()) == "fr"
    Reader.preferred_language = "xx"  # not a language Ruta speaks
    assert reader_language(Reader()) == "es"


# --- Notifications --------------------------------------------------------------------------------


def test_a_notification_stores_the_msgid_and_is_read_in_the_page_language(personas: dict[str, Any]) -> None:
    referral = make_referral(personas, urgency=Urgency.HIGH)
    note = Notification.objects.get(recipient=personas["caseworker"], kind="referral_received")
    assert note.subject_text == {"msgid": "New referral %(reference)s", "params": {"reference": referral.reference}}
    spanish = _page(personas["caseworker"], "/notifications/", "es")
    assert f"Nueva referencia {referral.reference}" in spanish and "(urgencia: Alta)" in spanish
    assert ">Abrir<" in spanish  # the button is a verb, not the "open alerts" filter
    french = _page(personas["caseworker"], "/notifications/", "fr")
    assert f"Nouvelle orientation {referral.reference}" in french and "Nueva" not in french
    assert ">Ouvrir<" in french


def test_the_email_is_in_the_recipients_language(
    personas: dict[str, Any], settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.LANGUAGE_CODE = "es"
    french, spanish = personas["caseworker"], personas["supervisor"]
    french.preferred_language, spanish.preferred_language = "fr", ""
    french.save(update_fields=["preferred_language"])
    spanish.save(update_fields=["preferred_language"])
    mail.outbox.clear()
    with override("en"), django_capture_on_commit_callbacks(execute=True):  # any language the sender had
        notify(
            recipients=[french, spanish],
            kind="test",
            subject=Text("Referral %(reference)s was accepted", {"reference": "R-2026-000009"}),
            url="/referrals/R-2026-000009/",
        )
    while work_once("test-worker"):
        pass
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects[french.email] == "[Ruta] L'orientation R-2026-000009 a été acceptée"
    assert subjects[spanish.email] == "[Ruta] Se aceptó la referencia R-2026-000009"


def test_every_converted_call_site_stores_a_text(personas: dict[str, Any], reference_data: Any) -> None:
    catalogue_load()
    alert = make_alert(municipality="0801")
    triage.alert_assign(actor=personas["duty_officer"], alert=alert, responder=personas["eri_responder"])
    make_referral(personas)
    notes = Notification.objects.filter(kind__in=["alert.assigned", "referral_received"])
    assert {n.kind for n in notes} == {"alert.assigned", "referral_received"}
    assert all(isinstance(n.subject_text, dict) and "msgid" in n.subject_text for n in notes)
    assigned = notes.get(kind="alert.assigned")
    with override("fr"):
        assert assigned.subject == f"L'alerte {alert.reference} ({alert.priority}) vous a été assignée"


# --- Timelines and histories ----------------------------------------------------------------------


def test_the_case_timeline_shows_labels_not_codes(personas: dict[str, Any]) -> None:
    actor = personas["eri_responder"]
    case = plan(actor, assess(actor, consent_all(actor, open_case(actor))), submit=False)
    url = f"/cases/{case.reference}/"
    spanish = _page(actor, url, "es")
    for code in ("case_work granted", "health=high", "shelter=urgent", ": health_care", ": direct"):
        assert code not in spanish
    assert "Gestión del caso — Consentimiento otorgado" in spanish
    assert "Salud: Alto; Albergue: Urgente" in spanish
    assert "abierto directamente" in spanish
    french = _page(actor, url, "fr")
    assert "Prise en charge du dossier — Consentement donné" in french
    assert "Santé : Élevé" in french or "Santé: Élevé" in french


def test_the_referral_history_shows_status_labels(personas: dict[str, Any]) -> None:
    referral = make_referral(personas)
    page = _page(personas["eri_responder"], f"/referrals/{referral.reference}/", "es")
    assert "(draft)" not in page and "(sent)" not in page
    assert "(Borrador)" in page and "(Enviada, en espera de respuesta)" in page
    timeline = _page(personas["eri_responder"], f"/cases/{referral.case.reference}/", "es")
    assert "urgency normal" not in timeline and f"{referral.reference}: urgencia Normal" in timeline


def test_a_missed_referral_deadline_reads_as_a_label() -> None:
    from ruta.core.timeline import event_label, event_summary

    with override("es"):
        assert event_label("referral_escalated") == "Plazo vencido escalado"
        data = {"referral": "R-2026-000001", "deadline": "acceptance"}
        summary = event_summary("referral_escalated", "R-2026-000001: acceptance deadline missed", data)
    assert summary == "R-2026-000001: Aceptación"


def test_the_alert_timeline_shows_status_labels(personas: dict[str, Any], reference_data: Any) -> None:
    catalogue_load()
    alert = make_alert(municipality="0801")
    triage.alert_add_verification_note(actor=personas["duty_officer"], alert=alert, note="Llamamos de vuelta.")
    page = _page(personas["duty_officer"], f"/alerts/{alert.reference}/", "es")
    assert f"· {AlertStatus.IN_VERIFICATION}" not in page
    assert "· En verificación" in page


# --- Known mistranslations (native review) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "context", "msgid", "expected"),
    [
        ("es", "alert status", "Open", "Abierta"),
        ("fr", "alert status", "Open", "Ouverte"),
        ("es", "action", "Open", "Abrir"),
        ("fr", "action", "Open", "Ouvrir"),
        ("es", "trafficking element", "Purpose", "Fin de explotación"),
        ("fr", "trafficking element", "Purpose", "Finalité d'exploitation"),
        ("es", "", "Purpose", "Finalidad"),
        ("es", "case stage", "Closed", "Cerrado"),
        ("fr", "case stage", "Closed", "Clôturé"),
        ("es", "", "Closed", "Cerrada"),
        ("es", "urgency", "High", "Alta"),
        ("es", "", "High", "Alto"),
        ("es", "", "Released", "Devuelta a la cola"),
        ("fr", "", "Released", "Remise dans la file"),
        ("es", "", "not required (child)", "no se requiere (persona menor de edad)"),
    ],
)
def test_known_mistranslations_stay_fixed(language: str, context: str, msgid: str, expected: str) -> None:
    label = pgettext_lazy(context, msgid) if context else gettext_lazy(msgid)
    with override(language):
        assert str(label) == expected


def test_words_with_several_senses_are_used_with_their_context() -> None:
    from ruta.alerts.forms import QueueFilterForm
    from ruta.cases.models import Stage

    with override("es"):
        assert '<option value="open">Abierta</option>' in str(QueueFilterForm(departments=[])["status"])
        assert Stage.CLOSED.label == "Cerrado" and AlertStatus.CLOSED_UNFOUNDED.label.startswith("Cerrada")
        assert Urgency.HIGH.label == "Alta"


def test_the_palermo_reading_names_the_purpose_of_exploitation(personas: dict[str, Any], reference_data: Any) -> None:
    catalogue_load()
    alert = make_alert(municipality="0801")
    page = _page(personas["duty_officer"], f"/alerts/{alert.reference}/", "es")
    assert "Fin de explotación:" in page and "Fin:" not in page
