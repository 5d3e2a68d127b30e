"""The configuration back-office follows Ruta's roles: administrators configure, nobody else does,
and no data about people is reachable there."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.db.models import Model
from django.test import Client

from ruta.audit.models import AuditAction, AuditEvent
from ruta.core.admin_site import ConfigurationAdmin
from ruta.demo.personas import PERSONAS
from ruta.institutions.models import ServiceCategory

PEOPLE_MODELS = {"persons.Person", "cases.Case", "alerts.Alert", "referrals.Referral", "audit.AuditEvent"}
CONFIG_ONLY = {"administrator"}


@pytest.mark.parametrize("persona", [p.key for p in PERSONAS])
def test_only_administrators_enter_the_back_office(persona: str, client: Client, personas: dict[str, Any]) -> None:
    client.force_login(personas[persona])
    response = client.get("/admin/")
    if persona in CONFIG_ONLY:
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_administrator_edits_a_catalogue_and_it_is_usable(client: Client, personas: dict[str, Any]) -> None:
    client.force_login(personas["administrator"])
    category = ServiceCategory.objects.get(code="shelter")
    response = client.get(f"/admin/institutions/servicecategory/{category.pk}/change/")
    assert response.status_code == 200


def _about_people(model: type[Model]) -> bool:
    """A model holds data about people if it has an encrypted field or points at a person-bearing record."""
    from django.apps import apps

    people = {apps.get_model(label) for label in PEOPLE_MODELS if apps.is_installed(f"ruta.{label.split('.')[0]}")}
    for field in model._meta.get_fields():
        if field.__class__.__name__.startswith("Encrypted"):
            return True
        if field.is_relation and field.concrete and field.related_model in people:
            return True
    return model in people


def test_no_model_about_people_is_registered_in_the_admin() -> None:
    exposed = [model._meta.label for model in admin.site._registry if _about_people(model)]
    assert exposed == []


def test_every_registered_admin_is_governed_by_ruta_permissions() -> None:
    ungoverned = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, ConfigurationAdmin)
    ]
    assert not ungoverned


def test_user_changes_are_audited(client: Client, personas: dict[str, Any]) -> None:
    client.force_login(personas["administrator"])
    user = personas["analyst"]
    page = client.get(f"/admin/accounts/user/{user.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields if name != "password"}
    data.update({"first_name": "Andrea", "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"})
    data["is_active"] = "on"
    response = client.post(f"/admin/accounts/user/{user.pk}/change/", data)
    assert response.status_code == 302, response.content[:2000]
    user.refresh_from_db()
    assert user.first_name == "Andrea"
    assert AuditEvent.objects.filter(action=AuditAction.CONFIG, object_id=str(user.pk)).exists()
