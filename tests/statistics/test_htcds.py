"""The HTCDS export: the standard's names and codes, the consent filter, k-anonymity by
generalisation and suppression, the command's contract, and no partial file."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from ruta.cases import services
from ruta.cases.models import Case, Consent, ConsentPurpose, ExploitationType, IdentificationDecision
from ruta.geo.models import Municipality
from ruta.persons.models import AgeGroup, Person, Sex
from ruta.persons.services import IdentityInput
from ruta.statistics import htcds
from ruta.statistics.htcds import COLUMNS, choose_generalisation, export_htcds, field_catalogue
from tests.cases.factories import institution

QUASI = ["prs_Gender", "prs_Citizenship", "vic_AgeWhenTrafficked", "hte_State", "hte_City", "hte_Date"]


def _victims(count: int, *, sex: str = Sex.FEMALE, age: int = 24, nationality: str = "HN") -> list[Any]:
    group = AgeGroup.CHILD if age < 18 else AgeGroup.ADULT
    return [
        services.PersonInput(
            sex=sex,
            age_years=age,
            age_group=group,
            nationality=nationality,
            identity=IdentityInput(given_names=f"Nombre{n}", family_names="Secreto Apellido"),
        )
        for n in range(count)
    ]


def _case(actor: Any, victims: list[Any], *, municipality: str = "0801", days_ago: int = 20, **kw: Any) -> Case:
    return services.case_open_direct(
        actor=actor,
        lead_institution=institution("eri"),
        municipality=Municipality.objects.get(code=municipality),
        exploitation=kw.get("exploitation", ExploitationType.SEXUAL),
        narrative="Situación registrada para la prueba de exportación.",
        opened_at=timezone.now() - timedelta(days=days_ago),
        victims=victims,
    )


def _consent(actor: Any, case: Case, *, granted: bool = True, withdrawn: bool = False, minutes: int = 0) -> None:
    at = timezone.now() + timedelta(minutes=minutes)
    for person in services.presumed_victims(case):
        Consent.objects.create(
            case=case,
            person=person,
            purpose=ConsentPurpose.STATISTICS,
            granted=granted,
            recorded_by=actor,
            recorded_at=at,
            withdrawn_at=at if withdrawn else None,
        )


def _export(tmp_path: Path, **kwargs: Any) -> tuple[list[dict[str, str]], htcds.HtcdsReport]:
    out = tmp_path / "htcds.csv"
    report = export_htcds(out, **kwargs)
    with open(out, encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream)), report


@pytest.fixture
def eri(personas: dict[str, Any]) -> Any:
    return personas["eri_responder"]


def test_columns_are_htcds_fields_and_values_come_from_their_picklists(eri: Any, tmp_path: Path) -> None:
    catalogue = field_catalogue()
    assert all(column in catalogue for column in COLUMNS)
    labour = _case(eri, _victims(6, age=15) + _victims(6, age=16), exploitation=ExploitationType.LABOUR)
    sexual = _case(eri, _victims(12, sex=Sex.MALE, age=30), municipality="0801")
    for case in (labour, sexual):
        _consent(eri, case)
    person = services.presumed_victims(sexual)[0]
    IdentificationDecision.objects.create(
        case=sexual,
        person=person,
        outcome="identified",
        institution=institution("dpi"),
        decided_on=timezone.localdate(),
        recorded_by=eri,
    )
    rows, report = _export(tmp_path)
    assert report.rows == 24 and len(rows) == 24
    for row in rows:
        for column in COLUMNS:
            allowed = catalogue[column].values
            values = row[column].split(htcds.MULTI_SEPARATOR) if row[column] else []
            assert not allowed or set(values) <= allowed, (column, row[column])
    statuses = Counter(row["vic_TraffickingStatus"] for row in rows)
    assert statuses == {"PossibleVictimOfTrafficking": 23, "ActualVictimOfTrafficking": 1}
    assert Counter(row["vic_TraffickingStatusDecisionMakingOrg"] for row in rows) == {"": 23, "Police": 1}
    # A child exploited for labour is also child labour; the adults of the sexual case are not.
    assert Counter(row["vic_TypeOfExploitation"] for row in rows) == {
        "ForcedLabour;ChildLabour": 12,
        "SexualExploitation": 12,
    }
    assert {row["prs_Gender"] for row in rows} == {"Feminine", "Masculine"}
    assert Counter(row["vic_AgeWhenTrafficked"] for row in rows) == {"9-17": 12, "30-38": 12}
    assert {row["prs_Citizenship"] for row in rows} == {"HN"}
    assert {row["hte_Country"] for row in rows} == {"HN"} and {row["con_Consent"] for row in rows} == {"true"}


def test_only_consent_in_force_for_statistics(eri: Any, tmp_path: Path) -> None:
    granted = _case(eri, _victims(11))
    _consent(eri, granted)
    refused = _case(eri, _victims(11))
    _consent(eri, refused, granted=False)
    withdrawn = _case(eri, _victims(11))
    _consent(eri, withdrawn, withdrawn=True)
    changed_mind = _case(eri, _victims(11))
    _consent(eri, changed_mind)
    _consent(eri, changed_mind, granted=False, minutes=5)
    case_work_only = _case(eri, _victims(11))
    for person in services.presumed_victims(case_work_only):
        Consent.objects.create(
            case=case_work_only,
            person=person,
            purpose=ConsentPurpose.CASE_WORK,
            granted=True,
            recorded_by=eri,
            recorded_at=timezone.now(),
        )
    _rows, report = _export(tmp_path)
    assert (report.rows, report.suppressed) == (11, 0)
    assert htcds.registrations().count() == 11
    assert set(htcds.registrations().values_list("case_id", flat=True)) == {granted.pk}


def test_identities_are_never_exported(eri: Any, tmp_path: Path) -> None:
    _consent(eri, _case(eri, _victims(11)))
    out = tmp_path / "htcds.csv"
    export_htcds(out)
    text = out.read_text(encoding="utf-8")
    assert "Secreto" not in text and "Nombre" not in text
    assert not any(column.startswith(("prs_First", "prs_Second", "prs_Birth", "prs_Email")) for column in COLUMNS)


def test_every_published_group_has_at_least_k_rows(eri: Any, tmp_path: Path) -> None:
    for municipality, count in (("0801", 13), ("0801", 4), ("0501", 12), ("0101", 2)):
        _consent(eri, _case(eri, _victims(count, age=20 + count), municipality=municipality))
    rows, report = _export(tmp_path)
    groups = Counter(tuple(row[column] for column in QUASI) for row in rows)
    assert groups and min(groups.values()) >= 11
    assert report.rows + report.suppressed == 31


def test_municipalities_too_small_are_generalised_to_their_department(eri: Any, tmp_path: Path) -> None:
    # Six and six in two municipalities of Francisco Morazán: no municipality reaches k, the department does.
    _consent(eri, _case(eri, _victims(6), municipality="0801"))
    _consent(eri, _case(eri, _victims(6), municipality="0802"))
    rows, report = _export(tmp_path)
    assert (report.rows, report.suppressed) == (12, 0)
    assert report.generalised["hte_City"] == "department (municipality removed)"
    assert report.generalised["hte_State"] == "department (municipality removed)"
    assert {row["hte_City"] for row in rows} == {""}
    assert {row["hte_State"] for row in rows} == {Municipality.objects.get(code="0801").department.name}
    assert report.generalised["hte_Date"] == "month (YYYY-MM)"
    assert "prs_Citizenship" not in report.generalised


def test_a_lone_outlier_is_suppressed_rather_than_blurring_everyone(eri: Any, tmp_path: Path) -> None:
    _consent(eri, _case(eri, _victims(22), municipality="0801"))
    _consent(eri, _case(eri, _victims(1), municipality="0501"))
    rows, report = _export(tmp_path)
    assert (report.rows, report.suppressed) == (22, 1)
    assert {row["hte_City"] for row in rows} == {Municipality.objects.get(code="0801").name}
    assert "hte_City" not in report.generalised


def test_synthetic_records_are_left_out_unless_asked(eri: Any, tmp_path: Path) -> None:
    case = _case(eri, _victims(11))
    _consent(eri, case)
    Case.objects.filter(pk=case.pk).update(is_synthetic=True)
    Person.objects.filter(case_links__case=case).update(is_synthetic=True)
    assert _export(tmp_path)[1].rows == 0
    assert _export(tmp_path, include_synthetic=True)[1].rows == 11


def test_choice_on_counts_matches_a_hand_computation() -> None:
    # Stored combinations (sex, age, citizenship, municipality id, (year, month)) and their counts.
    places = {1: htcds.Place("Cortés", "San Pedro Sula"), 2: htcds.Place("Cortés", "Choloma")}
    ladders = htcds._ladders("HN", places)
    sizes = Counter(
        {
            ("female", 15, "HN", 1, (2026, 3)): 7,
            ("female", 16, "HN", 1, (2026, 3)): 5,  # same band 9-17 as 15: 12 together in San Pedro Sula
            ("female", 25, "HN", 2, (2026, 4)): 11,
            ("female", 25, "GT", 2, (2026, 4)): 1,  # alone: 1 of 24 rows (4 %) is within the 5 % budget
        }
    )
    chosen = choose_generalisation(sizes, ladders, k=11)
    assert chosen.levels == {"sex": 0, "age": 0, "citizenship": 0, "place": 0, "date": 0}
    assert chosen.suppressed == 1
    assert chosen.classes[("Feminine", "9-17", "HN", "Cortés", "San Pedro Sula", "2026-03")] == 12
    # No ladder can merge the Guatemalan with anyone (HN and XX stay apart), so even with no
    # budget nothing is blurred for nothing: the fewest suppressed, then the least generalised.
    strict = choose_generalisation(sizes, ladders, k=11, max_share=0.0)
    assert strict.levels == chosen.levels and strict.suppressed == 1


def test_choice_generalises_exactly_the_quasi_identifier_that_helps() -> None:
    places = {1: htcds.Place("Cortés", "San Pedro Sula"), 2: htcds.Place("Cortés", "Choloma")}
    ladders = htcds._ladders("HN", places)
    sizes = Counter({("male", 30, "HN", 1, (2025, 1)): 6, ("male", 31, "HN", 2, (2025, 1)): 6})
    chosen = choose_generalisation(sizes, ladders, k=11)
    assert chosen.levels == {"sex": 0, "age": 0, "citizenship": 0, "place": 1, "date": 0}
    assert chosen.suppressed == 0
    assert chosen.classes == {("Masculine", "30-38", "HN", "Cortés", "", "2025-01"): 12}


def test_xlsx_has_the_same_header_and_rows(eri: Any, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    _consent(eri, _case(eri, _victims(11)))
    out = tmp_path / "htcds.xlsx"
    report = export_htcds(out, fmt="xlsx")
    sheet = load_workbook(out, read_only=True).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == COLUMNS and len(values) == 1 + report.rows == 12


def test_an_interrupted_export_leaves_no_file(eri: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _consent(eri, _case(eri, _victims(11)))
    calls = {"n": 0}
    original = htcds._row_values

    def dies_after_five(*args: Any) -> list[str]:
        calls["n"] += 1
        if calls["n"] > 5:
            raise KeyboardInterrupt
        return original(*args)

    monkeypatch.setattr(htcds, "_row_values", dies_after_five)
    out = tmp_path / "htcds.csv"
    with pytest.raises(KeyboardInterrupt):
        export_htcds(out)
    assert list(tmp_path.iterdir()) == []


def test_command_prints_the_report_and_refuses_bad_k(eri: Any, tmp_path: Path) -> None:
    _consent(eri, _case(eri, _victims(12)))
    stdout = io.StringIO()
    out = tmp_path / "export.csv"
    call_command("export_htcds", "--out", str(out), "--k", "11", stdout=stdout)
    answer = json.loads(stdout.getvalue())
    assert set(answer) == {"rows", "suppressed", "generalised"}
    assert answer["rows"] == 12 and answer["suppressed"] == 0
    assert out.read_text(encoding="utf-8").splitlines()[0] == ",".join(COLUMNS)
    with pytest.raises(CommandError) as refused:
        call_command("export_htcds", "--out", str(tmp_path / "x.csv"), "--k", "1")
    assert refused.value.returncode == 2


def test_web_export_is_requested_built_by_the_worker_and_downloaded_with_audit(
    eri: Any, personas: dict[str, Any], client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from ruta.audit.models import AuditEvent
    from ruta.jobs.services import discover, work_once
    from ruta.statistics.models import HtcdsExport

    discover()  # the worker imports every app's tasks at start
    _consent(eri, _case(eri, _victims(12)))
    analyst = personas["analyst"]
    client.force_login(analyst)  # a fresh sign-in counts as recent: exports ask for one
    with django_capture_on_commit_callbacks(execute=True):  # the job is queued once the request commits
        answer = client.post("/statistics/htcds/", {"fmt": "csv", "purpose": "Informe anual al CTDC"})
    export = HtcdsExport.objects.get()
    assert answer.status_code == 302 and answer["Location"].endswith(f"/statistics/htcds/{export.pk}/")
    # Nothing to download before the worker has built it.
    assert client.get(f"/statistics/htcds/{export.pk}/download/").status_code == 404
    work_once("test-worker")
    export.refresh_from_db()
    assert (export.status, export.rows, export.suppressed) == ("ready", 12, 0)
    page = client.get(f"/statistics/htcds/{export.pk}/")
    assert b"12 registrations exported" in page.content
    download = client.get(f"/statistics/htcds/{export.pk}/download/")
    assert download.status_code == 200
    assert download.content.decode().splitlines()[0] == ",".join(COLUMNS)
    audited = AuditEvent.objects.filter(object_type="export.htcds", actor=analyst)
    assert audited.count() == 1 and audited.get().reason == "Informe anual al CTDC"


def test_an_interrupted_web_export_offers_nothing_and_the_retry_completes(
    eri: Any, personas: dict[str, Any], monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    from ruta.jobs.models import Job
    from ruta.jobs.services import discover, work_once
    from ruta.statistics import htcds_exports
    from ruta.statistics.models import HtcdsExport

    discover()
    _consent(eri, _case(eri, _victims(11)))
    with django_capture_on_commit_callbacks(execute=True):
        export = htcds_exports.htcds_request(actor=personas["analyst"], fmt="xlsx", purpose="Prueba")
    original = htcds._row_values

    def worker_dies(*args: Any) -> list[str]:
        raise RuntimeError("worker killed")

    monkeypatch.setattr(htcds, "_row_values", worker_dies)
    work_once("test-worker")
    export.refresh_from_db()
    assert export.status == "pending" and export.content is None
    monkeypatch.setattr(htcds, "_row_values", original)
    Job.objects.update(run_after=timezone.now())
    work_once("test-worker")
    export.refresh_from_db()
    assert export.status == "ready" and export.rows == 11 and bytes(export.content).startswith(b"PK")
    assert HtcdsExport.objects.count() == 1
