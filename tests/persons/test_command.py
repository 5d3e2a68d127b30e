from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from ruta.audit.models import AuditAction, AuditEvent
from ruta.persons import matching
from ruta.persons.blocking import blocking_keys
from ruta.persons.models import Person, PersonIdentity, PersonMatchSignature, PersonSearchToken
from ruta.persons.services import match_record
from tests.persons.factories import make_person


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_match_persons_prints_suggestions_best_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    registry = _write(
        tmp_path / "r.jsonl",
        [
            {
                "id": "a",
                "given_names": "María José",
                "family_names": "Hernández López",
                "birth_date": "2010-05-04",
                "sex": "female",
            },
            {"id": "b", "given_names": "Ana", "family_names": "Zelaya Cruz", "birth_date": "1990-01-02"},
            {"id": 7, "given_names": "Wilmer", "family_names": "Banegas Paz"},
        ],
    )
    queries = _write(
        tmp_path / "q.jsonl",
        [
            {"id": "q1", "given_names": "MARIA JOSE", "family_names": "Hernandes", "birth_date": "2010-05-04"},
            {"id": "q2", "given_names": "Guilmer", "family_names": "Vanegas Paz"},
            {"id": "q3", "given_names": "Pedro", "family_names": "Sierra"},
        ],
    )
    call_command("match_persons", registry=str(registry), queries=str(queries))
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["query"] for line in lines] == ["q1", "q2", "q3"]
    assert [c["id"] for c in lines[0]["candidates"]] == ["a"]
    assert 0 < lines[0]["candidates"][0]["score"] <= 1
    assert [c["id"] for c in lines[1]["candidates"]] == ["7"]
    assert lines[2]["candidates"] == []
    assert PersonSearchToken.objects.count() == 0  # throwaway index: the real tables are untouched


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "line 2"),
        ('{"given_names": "Ana"}', "id"),
        ('{"id": "x", "given_names": "Ana", "birth_date": "2020-02-30"}', "birth_date"),
        ('{"id": "x", "given_names": 5}', "given_names"),
        ('["a"]', "object"),
    ],
)
def test_match_persons_bad_line_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, message: str
) -> None:
    registry = tmp_path / "r.jsonl"
    registry.write_text('{"id": "a", "given_names": "Ana", "family_names": "Cruz"}\n' + line + "\n", encoding="utf-8")
    queries = _write(tmp_path / "q.jsonl", [{"id": "q", "given_names": "Ana", "family_names": "Cruz"}])
    with pytest.raises(SystemExit) as exit_info:
        call_command("match_persons", registry=str(registry), queries=str(queries))
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert "line 2" in captured.err and message in captured.err
    assert captured.out == ""


@pytest.mark.django_db
def test_match_persons_uses_sex_and_nicknames(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    born = "2008-06-02"
    registry = _write(
        tmp_path / "r.jsonl",
        [
            {
                "id": "f",
                "given_names": "Guadalupe",
                "family_names": "Turcios Lagos",
                "birth_date": "2008-06-02",
                "sex": "F",
            },
            {"id": "m", "given_names": "José Ramón", "family_names": "Banegas Cruz", "birth_date": "1994-02-11"},
        ],
    )
    queries = _write(
        tmp_path / "q.jsonl",
        [
            {"id": "he", "given_names": "Guadalupe", "family_names": "Turcios Lagos", "birth_date": born, "sex": "m"},
            {"id": "she", "given_names": "Lupe", "family_names": "Turcios Lagos", "birth_date": born, "sex": "female"},
            {"id": "chepe", "given_names": "Chepe Ramón", "family_names": "Banegas Cruz", "birth_date": "1994-02-11"},
        ],
    )  # fmt: skip
    call_command("match_persons", registry=str(registry), queries=str(queries))
    lines = {json.loads(line)["query"]: json.loads(line)["candidates"] for line in capsys.readouterr().out.splitlines()}
    assert lines["he"] == []
    assert [c["id"] for c in lines["she"]] == ["f"]
    assert [c["id"] for c in lines["chepe"]] == ["m"]


@pytest.mark.django_db
def test_rebuild_person_index_restores_every_token_and_signature_and_resumes_after_an_id(
    personas: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    """Persons whose tokens and signature an older release wrote differently get exactly what the
    current matching computes; ``--after`` leaves the persons up to that id alone."""
    owner = personas["eri_responder"]
    first = make_person(owner, given_names="Ana Lucía", family_names="Reyes Cruz", birth_date="2004-02-03")
    second = make_person(owner, given_names="Wilmer", family_names="Banegas Paz", age_years=30)
    merged = make_person(owner, given_names="Wilmer", family_names="Banegas", age_years=30)
    Person.objects.filter(pk=merged.pk).update(merged_into=second)

    def wanted(person: Person) -> tuple[set[tuple[str, str]], dict[str, Any]]:
        record = match_record(person, PersonIdentity.objects.get(person=person))
        return set(blocking_keys(record)), matching.signature(record)

    def stored(person: Person) -> tuple[set[tuple[str, str]], dict[str, Any] | None]:
        signature = PersonMatchSignature.objects.filter(person=person).first()
        return set(PersonSearchToken.objects.filter(person=person).values_list("kind", "token")), (
            signature.data if signature else None
        )

    PersonSearchToken.objects.filter(person__in=[first, second]).delete()
    PersonSearchToken.objects.create(person=first, kind="old", token="from-an-older-release")
    PersonSearchToken.objects.create(person=merged, kind="old", token="merged-keeps-none")
    PersonMatchSignature.objects.filter(person__in=[first, second]).update(data={"old": True})

    call_command("rebuild_person_index", "--batch-size", "1", "--after", str(first.pk))
    assert stored(first) == ({("old", "from-an-older-release")}, {"old": True})  # before --after: untouched
    assert stored(second) == wanted(second)
    assert stored(merged)[0] == set()

    call_command("rebuild_person_index")
    assert stored(first) == wanted(first) and stored(second) == wanted(second)
    output = capsys.readouterr().out
    assert f"persons up to id {second.pk}" in output
    assert AuditEvent.objects.filter(action=AuditAction.CONFIG, object_type="persons.search_index").count() == 2


@pytest.mark.django_db
def test_rebuild_person_index_refuses_a_batch_size_below_one() -> None:
    with pytest.raises(CommandError, match="batch-size"):
        call_command("rebuild_person_index", "--batch-size", "0")
