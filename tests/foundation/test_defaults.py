from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import call_command

from ruta.core.defaults import DEFAULT_CATALOGUES, restore_empty_default_catalogues


@pytest.mark.django_db(transaction=True)
def test_default_catalogues_come_back_after_a_flush() -> None:
    call_command("flush", interactive=False, verbosity=0)
    for label, _module, _function in DEFAULT_CATALOGUES:
        assert apps.get_model(label).objects.exists(), label


@pytest.mark.django_db
def test_an_edited_catalogue_is_left_alone() -> None:
    restore_empty_default_catalogues()
    model = apps.get_model(DEFAULT_CATALOGUES[1][0])
    kept = model.objects.first()
    model.objects.exclude(pk=kept.pk).delete()
    assert restore_empty_default_catalogues() == []
    assert list(model.objects.all()) == [kept]
