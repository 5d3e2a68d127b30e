"""The configuration back-office (Django admin), governed by Ruta's permissions, not Django's.

Administrators configure catalogues, institutions, territories, users, deadlines and rules here.
Only model admins built on ``ConfigurationAdmin`` are editable, each by the Ruta permission it
names; data about people (alerts, cases, persons…) is never exposed in the admin."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models.base import ModelBase
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ruta.core.admin_forms import LABEL_FIELDS, HoursOrDaysField, TranslatedLabelsForm
from ruta.core.models import TranslatedLabelsMixin
from ruta.policy.access import has_perm
from ruta.policy.permissions import Permission, PlatformPermission

# Registered by third-party apps but not Ruta's way: roles are not Django groups, API tokens are
# issued by an audited command, and two-factor secrets must never be displayed.
NOT_IN_BACK_OFFICE = {"auth.group", "authtoken.tokenproxy", "otp_totp.totpdevice", "otp_static.staticdevice"}


class RutaAdminSite(admin.AdminSite):
    site_header = "Ruta"
    site_title = "Ruta"
    index_title = _("Configuration")

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        models: list[Any] = [model_or_iterable] if isinstance(model_or_iterable, ModelBase) else list(model_or_iterable)
        kept = [model for model in models if model._meta.label_lower not in NOT_IN_BACK_OFFICE]
        if kept:
            super().register(kept, admin_class, **options)

    def has_permission(self, request: HttpRequest) -> bool:
        """Open to whoever may edit something here: the permissions the apps' model admins name."""
        return self.open_to(request.user)

    def open_to(self, user: Any) -> bool:
        return bool(user.is_active and any(has_perm(user, permission) for permission in self.ruta_permissions()))

    def ruta_permissions(self) -> set[Permission]:
        return {
            model_admin.ruta_permission
            for model_admin in self._registry.values()
            if isinstance(model_admin, ConfigurationAdmin)
        }


class ConfigurationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A model admin editable by holders of ``ruta_permission`` (set it on the subclass)."""

    ruta_permission: Permission = PlatformPermission.CONFIG_MANAGE
    formfield_overrides = {models.DurationField: {"form_class": HoursOrDaysField}}

    def _labelled(self) -> bool:
        return issubclass(self.model, TranslatedLabelsMixin)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        """A catalogue's ``labels`` JSON is edited as one field per language (``TranslatedLabelsForm``)."""
        fields = list(super().get_fields(request, obj))
        if self._labelled() and "labels" in fields:
            at = fields.index("labels")
            fields[at : at + 1] = [name for name in LABEL_FIELDS if name not in fields]
        return fields

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        excluded = list(super().get_exclude(request, obj) or [])
        return [*excluded, "labels"] if self._labelled() else excluded or None

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if self._labelled():
            base = kwargs.get("form", self.form)
            if not issubclass(base, TranslatedLabelsForm):
                kwargs["form"] = type(f"Labelled{base.__name__}", (TranslatedLabelsForm, base), {})
        return super().get_form(request, obj, change=change, **kwargs)

    def _allowed(self, request: HttpRequest) -> bool:
        return has_perm(request.user, self.ruta_permission)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)
