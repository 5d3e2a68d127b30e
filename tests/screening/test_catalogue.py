"""The catalogue as data: bundled import (idempotent), replacing a list from a file, admin edits."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from ruta.audit.models import AuditEvent
from ruta.screening.catalogue import CatalogueFileError
from ruta.screening.models import Dimension, Indicator, IndicatorList, RuleTable
from ruta.screening.services import (
    catalogue_import_bundled,
    catalogue_object_save,
    indicator_list_replace,
    screening_record_create,
)

pytestmark = pytest.mark.django_db


def _rows(code: str) -> Any:
    return Indicator.objects.filter(indicator_list__code=code, is_active=True)


def test_a_migrated_database_holds_the_bundled_catalogue() -> None:
    assert _rows("adult_labour").count() == 67
    assert _rows("child_labour").count() == 65
    assert _rows("forced_labour").count() == 11
    assert not _rows("adult_sexual").exists() and not _rows("child_sexual").exists()
    lists = {item.code: item for item in IndicatorList.objects.all()}
    assert lists["adult_sexual"].verification == "not_transcribed"
    assert lists["adult_labour"].verification == "unverified"
    assert lists["forced_labour"].verification == "verified"
    assert all(item.source for item in lists.values())
    assert set(Dimension.objects.values_list("code", flat=True)) == {"DR", "CR", "RV", "EX", "CD", "VD"}
    table = RuleTable.objects.get(code="default")
    assert table.rules["dimension_positive"]["any_of"][0] == {"strong": 2}
    assert "possible" in table.rules


def test_rows_keep_source_verification_and_label_status_per_language() -> None:
    row = Indicator.objects.get(code="THB-AL-DR-01")
    assert (row.dimension.code, row.strength, row.verified) == ("DR", "strong", False)
    assert "secondary" in row.source
    assert row.labels["en"] == "Deceived about the nature of the job, location or employer"
    assert row.labels["es"] and row.labels["fr"]
    assert row.label_status == {"en": "source", "es": "working", "fr": "working"}
    assert Indicator.objects.get(code="THB-AL-RV-13").note.startswith("CONFLICT")


def test_forced_labour_checklist_is_mapped_to_dimensions_as_working_data() -> None:
    fl07 = Indicator.objects.get(code="FL07")
    assert fl07.dimension is None and fl07.strength == ""
    assert fl07.mapped_dimensions == ["CR", "CD"]
    assert "THB-AL-CD-01" in fl07.related_codes
    assert fl07.labels["es"] == "Retención de documentos de identidad"
    assert fl07.label_status["es"] == "unverified" and fl07.label_status["fr"] == "working"
    assert Indicator.objects.get(code="FL01").label_status["es"] == "corroborated"
    assert "WORKING MAPPING" in IndicatorList.objects.get(code="forced_labour").verification_note
    assert all(row.mapped_dimensions for row in _rows("forced_labour"))


def test_importing_twice_changes_nothing() -> None:
    before = list(IndicatorList.objects.values_list("code", "version"))
    events = AuditEvent.objects.count()
    summary = catalogue_import_bundled(actor=None)
    assert not summary.changed
    assert list(IndicatorList.objects.values_list("code", "version")) == before
    assert AuditEvent.objects.count() == events
    call_command("import_indicators", stdout=io.StringIO())
    assert list(IndicatorList.objects.values_list("code", "version")) == before


def test_import_restores_an_edited_row_and_bumps_the_version() -> None:
    Indicator.objects.filter(code="THB-AL-DR-02").update(strength="strong")
    summary = catalogue_import_bundled(actor=None)
    assert summary.lists["adult_labour"].updated == 1
    assert Indicator.objects.get(code="THB-AL-DR-02").strength == "medium"
    assert IndicatorList.objects.get(code="adult_labour").version == 2
    assert AuditEvent.objects.filter(object_type="screening.catalogue", action="config").exists()


OFFICIAL = """
lists:
  adult_labour: {verified: true, source: "ILO WCMS_105023, p. 2 (checked by the commission)"}
indicators:
- {list: adult_labour, dimension: DR, code: THB-AL-DR-01, label_en: Deceived, strength: strong, verified: true}
- list: adult_labour
  dimension: EX
  code: THB-AL-EX-01
  label_en: Excessive working days or hours
  label_es: Jornadas excesivas
  strength: strong
  verified: true
- {list: adult_labour, dimension: EX, code: THB-AL-EX-99, label_en: A new row, strength: medium, verified: true}
- {list: child_labour, dimension: EX, code: THB-CL-EX-01, label_en: ignored, strength: strong}
"""


def test_replacing_a_list_deactivates_absent_rows_and_keeps_old_screenings(personas: dict[str, Any]) -> None:
    eri = personas["eri_responder"]
    old = screening_record_create(
        actor=eri,
        subject_type="alert",
        subject_id="A-2026-000001",
        age=30,
        presumed_child=False,
        exploitation="labour",
        indicator_codes=["THB-AL-DR-02", "THB-AL-DR-03", "THB-AL-CD-01"],
    )
    stored = dict(old.result)
    change = indicator_list_replace(actor=personas["administrator"], list_code="adult_labour", content=OFFICIAL)
    assert (change.created, change.updated, change.deactivated) == (1, 2, 65)
    adult = IndicatorList.objects.get(code="adult_labour")
    assert (adult.origin, adult.verification, adult.version) == ("uploaded", "verified", 2)
    assert adult.source.startswith("ILO WCMS_105023")
    assert sorted(_rows("adult_labour").values_list("code", flat=True)) == [
        "THB-AL-DR-01",
        "THB-AL-EX-01",
        "THB-AL-EX-99",
    ]
    assert Indicator.objects.get(code="THB-AL-DR-02").is_active is False
    new_row = Indicator.objects.get(code="THB-AL-EX-01")
    assert new_row.labels["es"] == "Jornadas excesivas" and new_row.label_status["es"] == "source"
    assert Indicator.objects.get(code="THB-AL-EX-99").label_status == {"en": "source"}
    assert _rows("child_labour").count() == 65  # other lists untouched
    old.refresh_from_db()
    assert old.result == stored and old.indicators_snapshot[0]["labels"]["en"] == "Deceived about conditions of work"
    event = AuditEvent.objects.filter(object_type="screening.catalogue", object_id="adult_labour").get()
    assert event.actor == personas["administrator"] and event.changes["deactivated"] == 65

    # The bundled import no longer overwrites an uploaded list, unless forced.
    assert catalogue_import_bundled(actor=None).lists["adult_labour"].skipped
    assert _rows("adult_labour").count() == 3
    catalogue_import_bundled(actor=None, force=True)
    assert _rows("adult_labour").count() == 67
    assert IndicatorList.objects.get(code="adult_labour").origin == "bundled"


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("indicators: [", "YAML"),
        ("just text", "mapping"),
        ("indicators: []", "no rows"),
        ("indicators:\n- {list: adult_sexual, dimension: XX, code: S-1, label_en: a, strength: strong}", "dimension"),
        ("indicators:\n- {list: adult_sexual, dimension: DR, code: S-1, label_en: a, strength: huge}", "strength"),
        ("indicators:\n- {list: adult_sexual, dimension: DR, code: S 1!, label_en: a, strength: weak}", "code"),
        ("indicators:\n- {list: adult_sexual, dimension: DR, code: S-1, strength: weak}", "label_en"),
        (
            "indicators:\n- {list: adult_sexual, dimension: DR, code: S-1, label_en: a, strength: weak}\n"
            "- {list: adult_sexual, dimension: DR, code: S-1, label_en: b, strength: weak}",
            "repeated",
        ),
        (
            "indicators:\n- {list: adult_sexual, dimension: DR, code: THB-AL-DR-01, label_en: a, strength: weak}",
            "another list",
        ),
    ],
)
def test_a_bad_file_changes_nothing(content: str, fragment: str, personas: dict[str, Any]) -> None:
    before = list(Indicator.objects.values_list("code", "is_active", "strength"))
    with pytest.raises(CatalogueFileError) as error:
        indicator_list_replace(actor=personas["administrator"], list_code="adult_sexual", content=content)
    assert fragment in str(error.value)
    assert list(Indicator.objects.values_list("code", "is_active", "strength")) == before
    assert IndicatorList.objects.get(code="adult_sexual").version == 1


def test_only_catalogue_managers_replace_lists(personas: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        indicator_list_replace(actor=personas["supervisor"], list_code="adult_sexual", content=OFFICIAL)


def test_admin_edits_bump_versions_validate_rules_and_are_audited(personas: dict[str, Any]) -> None:
    admin = personas["administrator"]
    row = Indicator.objects.get(code="THB-CL-EX-02")
    row.strength = "strong"
    catalogue_object_save(actor=admin, obj=row, changed_fields=["strength"])
    assert IndicatorList.objects.get(code="child_labour").version == 2
    table = RuleTable.objects.get(code="default")
    table.rules = {**table.rules, "possible": {"any_positive": ["DR"]}}
    catalogue_object_save(actor=admin, obj=table, changed_fields=["rules"])
    assert RuleTable.objects.get(code="default").version == 2
    assert AuditEvent.objects.filter(actor=admin, action="config").count() == 2
    table.rules = {"victim_adult": {}}
    from ruta.screening.errors import RuleTableError

    with pytest.raises(RuleTableError):
        catalogue_object_save(actor=admin, obj=table, changed_fields=["rules"])
    with pytest.raises(PermissionDenied):
        catalogue_object_save(actor=personas["caseworker"], obj=row, changed_fields=["strength"])


def test_admin_changelist_and_rule_validation(client: Any, personas: dict[str, Any]) -> None:
    client.force_login(personas["administrator"])
    assert client.get("/admin/screening/indicator/").status_code == 200
    table = RuleTable.objects.get(code="default")
    response = client.post(
        f"/admin/screening/ruletable/{table.pk}/change/",
        {"code": "default", "rules": '{"victim_adult": {}}', "source": "", "verification": "unverified"},
    )
    assert response.status_code == 200  # the form comes back with the error
    assert RuleTable.objects.get(pk=table.pk).version == 1
    client.force_login(personas["caseworker"])
    assert client.get("/admin/screening/indicator/").status_code in (302, 403, 404)
