from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from ruta.persons.models import PersonSearchToken


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
