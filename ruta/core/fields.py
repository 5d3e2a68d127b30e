"""Model fields for protected identity data, encrypted at rest through ``ruta.core.crypto``.

The associated data binds each ciphertext to its column (``app_label.model.field``), so a value
copied into another column fails to decrypt instead of leaking under the wrong label."""

from __future__ import annotations

import json
from typing import Any

from django.apps import apps as global_apps
from django.db import models

from ruta.core import crypto

ENCRYPTED_FIELDS: list[models.Field[Any, Any]] = []


class _EncryptedMixin:
    """Registers every concrete encrypted field so key rotation can find them all."""

    def contribute_to_class(self, cls: type[models.Model], name: str, *args: Any, **kwargs: Any) -> None:
        super().contribute_to_class(cls, name, *args, **kwargs)  # type: ignore[misc]
        # Only the application's real models: migrations build historical copies of each model.
        if not cls._meta.abstract and cls._meta.apps is global_apps:
            ENCRYPTED_FIELDS.append(self)  # type: ignore[arg-type]

    @property
    def crypto_context(self) -> str:
        model = self.model  # type: ignore[attr-defined]
        return f"{model._meta.label_lower}.{self.name}"  # type: ignore[attr-defined]


class EncryptedTextField(_EncryptedMixin, models.TextField):  # type: ignore[type-arg]
    """Text stored as authenticated ciphertext; the empty string stays empty (nothing to hide)."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return crypto.decrypt(value, context=self.crypto_context)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value), context=self.crypto_context)


class EncryptedJSONField(_EncryptedMixin, models.TextField):  # type: ignore[type-arg]
    """A JSON value (lists of ID numbers, phones, addresses) stored as one ciphertext."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return None if value is None else self._empty()
        return json.loads(crypto.decrypt(value, context=self.crypto_context))

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                return value
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        return crypto.encrypt(json.dumps(value, ensure_ascii=False, sort_keys=True), context=self.crypto_context)

    def _empty(self) -> Any:
        return self.get_default()

    def value_to_string(self, obj: models.Model) -> str:
        return json.dumps(self.value_from_object(obj))
