"""Issue 20: administrators never type JSON in the back-office — a catalogue label is one field per
language, a rule's signals are ticked, a deadline is a number of hours or days — its section titles
are translated, and the navigation links to it for those it lets in."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client, RequestFactory
from django.utils.functional import Promise

from ruta.alerts.configuration import catalogue_load
from ruta.alerts.models import CommunitySignal, PriorityLevel, PriorityRule
from ruta.core.admin_forms import duration_text
from ruta.referrals.models import ReferralDeadlineRule


@pytest.fixture
def admin_client(client: Client, personas: dict[str, Any]) -> Client:
    catalogue_load()
    client.force_login(personas["administrator"])
    return client


def test_a_signal_label_is_one_field_per_language(admin_client: Client) -> None:
    signal = CommunitySignal.objects.get(code="S06")
    signal.labels = {"es": "Encierro", "en": "Locked in", "de": "Eingesperrt"}
    signal.save()
    url = f"/admin/alerts/communitysignal/{signal.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert 'name="labels"' not in page
    assert re.search(r'<input type="text" name="label_es" value="Encierro"', page)
    assert re.search(r'<input type="text" name="label_en" value="Locked in"', page)
    assert re.search(r'<input type="text" name="label_fr"', page)
    response = admin_client.post(
        url,
        {
            "group": signal.group,
            "is_active": "on",
            "sort_order": signal.sort_order,
            "label_es": "Encerrada",
            "label_en": "",
            "label_fr": "Enfermée",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    signal.refresh_from_db()
    # An emptied language is dropped; a language the site no longer offers is kept as it was.
    assert signal.labels == {"es": "Encerrada", "fr": "Enfermée", "de": "Eingesperrt"}


def test_a_rule_ticks_its_signals_from_the_catalogue(admin_client: Client) -> None:
    rule = PriorityRule.objects.filter(is_active=True).first()
    assert rule is not None
    url = f"/admin/alerts/priorityrule/{rule.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert re.search(r'<input type="checkbox" name="any_of_signals" value="S01"', page)
    assert '<textarea name="any_of_signals"' not in page
    data = {
        "code": rule.code,
        "priority": rule.priority,
        "order": rule.order,
        "any_of_signals": ["S02", "S07"],
        "min_signals": 0,
        "min_groups": 0,
        "is_active": "on",
        "label_en": "Two named signals",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    rule.refresh_from_db()
    assert rule.any_of_signals == ["S02", "S07"]
    data["any_of_signals"] = ["S99"]
    assert admin_client.post(url, data).status_code == 200  # not a signal: the form says so, nothing saved
    rule.refresh_from_db()
    assert rule.any_of_signals == ["S02", "S07"]


def test_deadlines_are_hours_or_days(admin_client: Client) -> None:
    level = PriorityLevel.objects.get(code="P2")
    url = f"/admin/alerts/prioritylevel/{level.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert re.search(r'<input type="number" name="acknowledge_within_0"', page)
    assert re.search(r'<select name="acknowledge_within_1"', page)
    response = admin_client.post(
        url,
        {
            "code": "P2",
            "acknowledge_within_0": "6",
            "acknowledge_within_1": "hours",
            "first_response_within_0": "2",
            "first_response_within_1": "days",
            "label_en": "High",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    level.refresh_from_db()
    assert (level.acknowledge_within, level.first_response_within) == (timedelta(hours=6), timedelta(days=2))
    listing = admin_client.get("/admin/alerts/prioritylevel/").content.decode()
    assert "6 hours" in listing and "2 days" in listing


def test_referral_deadlines_are_hours_or_days(admin_client: Client) -> None:
    rule = ReferralDeadlineRule.objects.first()
    assert rule is not None
    page = admin_client.get(f"/admin/referrals/referraldeadlinerule/{rule.pk}/change/").content.decode()
    assert re.search(r'<input type="number" name="accept_within_0"', page)
    assert re.search(r'<option value="days"', page)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (timedelta(hours=4), "4 hours"),
        (timedelta(days=1), "1 day"),
        (timedelta(hours=72), "3 days"),
        (timedelta(minutes=90), "2 hours"),
    ],
)
def test_duration_text(value: timedelta, text: str) -> None:
    assert duration_text(value) == text


def test_section_titles_are_translated(admin_client: Client, personas: dict[str, Any]) -> None:
    request = RequestFactory().get("/admin/")
    request.user = personas["administrator"]
    sections = admin.site.get_app_list(request)
    assert sections
    untranslatable = [
        s["app_label"] for s in sections if not isinstance(apps.get_app_config(s["app_label"]).verbose_name, Promise)
    ]
    assert untranslatable == []
    page = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert re.search(r"<caption>\s*<a [^>]*>Alertas</a>", page)
    user_page = admin_client.get(
        f"/admin/accounts/user/{personas['eri_responder'].pk}/change/", HTTP_ACCEPT_LANGUAGE="es"
    )
    assert "Información personal" in user_page.content.decode()


@pytest.mark.parametrize(
    ("persona", "shown"), [("administrator", True), ("eri_responder", False), ("supervisor", False)]
)
def test_the_navigation_links_to_administration_for_those_it_lets_in(
    persona: str, shown: bool, client: Client, personas: dict[str, Any]
) -> None:
    client.force_login(personas[persona])
    nav = re.search(r'<ul class="nav-links" id="site-menu">.*?</ul>', client.get("/").content.decode(), re.S)
    assert nav
    assert ('href="/admin/"' in nav.group(0)) is shown
    assert (client.get("/admin/").status_code == 200) is shown


def test_no_back_office_form_edits_labels_as_json(personas: dict[str, Any]) -> None:
    from ruta.core.models import TranslatedLabelsMixin

    request = RequestFactory().get("/admin/")
    request.user = personas["administrator"]
    labelled = {
        model: model_admin
        for model, model_admin in admin.site._registry.items()
        if issubclass(model, TranslatedLabelsMixin)
    }
    assert {model._meta.label for model in labelled} >= {
        "alerts.CommunitySignal",
        "alerts.PriorityLevel",
        "institutions.ServiceCategory",
        "screening.Indicator",
    }
    for model, model_admin in labelled.items():
        fields = model_admin.get_form(request, None).base_fields
        assert "labels" not in fields, model._meta.label
        assert {"label_es", "label_en", "label_fr"} <= set(fields), model._meta.label


def test_screening_rows_edit_label_status_dimensions_and_codes_as_fields(personas: dict[str, Any]) -> None:
    """No JSON left on an indicator: its labels' status per language is a choice, its mapped dimensions are
    ticked, its related ILO–EC codes are a list checked against the catalogue."""
    from ruta.screening.models import Indicator
    from ruta.screening.services import catalogue_import_bundled

    catalogue_import_bundled()
    request = RequestFactory().get("/admin/")
    request.user = personas["administrator"]
    model_admin = admin.site._registry[Indicator]
    form_class = model_admin.get_form(request, None)
    assert {"label_status", "labels"}.isdisjoint(form_class.base_fields)
    assert {"label_status_es", "label_status_en", "label_status_fr"} <= set(form_class.base_fields)
    row = next(item for item in Indicator.objects.order_by("code") if item.mapped_dimensions)
    other = Indicator.objects.exclude(pk=row.pk).order_by("code").first()
    assert other is not None
    data = {name: value for name, value in form_class(instance=row).initial.items() if value is not None}
    data.update(
        {
            "indicator_list": row.indicator_list_id,
            "dimension": row.dimension_id or "",
            "label_es": row.labels.get("es", "x"),
            "label_en": row.labels.get("en", "x"),
            "label_fr": row.labels.get("fr", "x"),
            "label_status_es": "corroborated",
            "label_status_en": "source",
            "label_status_fr": "working",
            "mapped_dimensions": ["EX", "CD"],
            "related_codes": f"{other.code}, ",
        }
    )
    form = form_class(data, instance=row)
    assert form.is_valid(), form.errors
    saved = form.save()
    assert saved.label_status == {**saved.label_status, "es": "corroborated", "en": "source", "fr": "working"}
    assert saved.mapped_dimensions == ["EX", "CD"]
    assert saved.related_codes == [other.code]
    data["related_codes"] = "THB-NOT-A-CODE"
    form = form_class(data, instance=row)
    assert not form.is_valid()
    assert "THB-NOT-A-CODE" in str(form.errors["related_codes"])
