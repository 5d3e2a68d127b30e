"""The calculator, the htmx partial, the catalogue page and the import form."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ruta.screening.models import Indicator, IndicatorList, ScreeningRecord

pytestmark = pytest.mark.django_db

CHILD_CASE = {
    "age": "15",
    "presumed_child": "",
    "exploitation": "labour",
    "indicators": ["THB-CL-DR-01", "THB-CL-DR-10", "THB-CL-EX-01", "THB-CL-EX-02"],
}


def test_calculator_starts_with_no_exploitation_chosen_and_no_list(client: Any, login: Any) -> None:
    login("eri_responder")
    page = client.get(reverse("screening:calculator")).content.decode()
    # No type of exploitation is pre-selected (a "labour" default biased sexual-exploitation screenings).
    assert 'name="exploitation"' in page and "checked" not in page
    assert "THB-CL-DR-01" not in page and "Choose the type of exploitation" in page
    assert 'hx-get="/screening/indicators/"' in page


def test_the_child_list_grouped_by_dimension_once_the_exploitation_is_chosen(client: Any, login: Any) -> None:
    login("eri_responder")
    page = client.get(reverse("screening:indicator_fields"), {"exploitation": "labour"}).content.decode()
    # Age unknown and nothing stated: a child is presumed, so the child labour list is shown.
    assert 'value="THB-CL-DR-01"' in page and 'value="THB-AL-DR-01"' not in page
    assert "<legend>DR" in page and "<legend>VD" in page


def test_calculator_without_an_exploitation_type_asks_for_it(client: Any, login: Any) -> None:
    login("caseworker")
    response = client.post(reverse("screening:calculator"), {**CHILD_CASE, "exploitation": ""})
    body = response.content.decode()
    assert "screening-result" not in body
    assert "Choose the type of exploitation to screen for." in body


def test_calculator_screens_without_saving(client: Any, login: Any) -> None:
    login("caseworker")
    response = client.post(reverse("screening:calculator"), CHILD_CASE)
    assert response.status_code == 200
    body = response.content.decode()
    assert "outcome-trafficking" in body
    assert "THB-CL-DR-01" in body and "never decides alone" in body
    assert ScreeningRecord.objects.count() == 0


def test_calculator_rejects_codes_of_another_list(client: Any, login: Any) -> None:
    login("caseworker")
    response = client.post(reverse("screening:calculator"), {**CHILD_CASE, "age": "40"})
    body = response.content.decode()
    assert "screening-result" not in body
    assert "THB-CL-DR-01" in body and "Check the indicators again" in body
    assert 'value="THB-AL-DR-01"' in body  # the adult list is now shown


def test_partial_follows_the_answers(client: Any, login: Any) -> None:
    login("labour_inspector")
    url = reverse("screening:indicator_fields")
    adult = client.get(url, {"age": "30", "exploitation": "labour"}).content.decode()
    assert 'value="THB-AL-EX-01"' in adult and "THB-CL-EX-01" not in adult
    child = client.get(url, {"age": "", "presumed_child": "", "exploitation": "sexual"}).content.decode()
    assert 'value="THB-CL-EX-01"' in child
    assert "child_sexual" in child  # the fallback is said
    prefixed = client.get(url, {"_screening_prefix": "scr", "scr-age": "30", "scr-exploitation": "labour"})
    assert 'name="scr-indicators"' in prefixed.content.decode() and 'id="scr-indicators"' in prefixed.content.decode()


@pytest.mark.parametrize("language", ["es", "en", "fr"])
def test_labels_follow_the_users_language(client: Any, login: Any, language: str) -> None:
    login("caseworker")
    page = client.get(
        reverse("screening:indicator_fields"), {"age": "30", "exploitation": "labour"}, HTTP_ACCEPT_LANGUAGE=language
    )
    label = Indicator.objects.get(code="THB-AL-DR-02").labels[language]
    assert label in page.content.decode()


def test_catalogue_page_query_count(client: Any, login: Any, django_assert_num_queries: Any) -> None:
    login("administrator")
    client.get(reverse("screening:catalogue"))  # warm the session
    # session, user, memberships; lists, their rows (one prefetch), dimensions, rule table;
    # the session policy's update (with its savepoint and release).
    with django_assert_num_queries(10):
        response = client.get(reverse("screening:catalogue"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "THB-AL-DR-01" in body and "FL11" in body
    assert "Not transcribed yet" in body or "not_transcribed" in body
    assert body.count('class="card screening-list"') == IndicatorList.objects.count()


def test_catalogue_page_query_count_does_not_grow_with_rows(
    client: Any, login: Any, django_assert_num_queries: Any, personas: dict[str, Any]
) -> None:
    from ruta.screening.services import indicator_list_replace

    rows = "".join(
        f"- {{list: child_sexual, dimension: EX, code: CS-EX-{n}, label_en: Row {n}, strength: medium}}\n"
        for n in range(40)
    )
    indicator_list_replace(actor=personas["administrator"], list_code="child_sexual", content="indicators:\n" + rows)
    login("administrator")
    with django_assert_num_queries(10):
        assert "CS-EX-39" in client.get(reverse("screening:catalogue")).content.decode()


def test_import_form_replaces_a_list(client: Any, login: Any) -> None:
    login("administrator")
    content = (
        b"indicators:\n"
        b"- {list: child_sexual, dimension: DR, code: CS-DR-01, label_en: Deceived, strength: strong}\n"
        b"- {list: child_sexual, dimension: EX, code: CS-EX-01, label_en: Exploited, strength: strong}\n"
    )
    response = client.post(
        reverse("screening:catalogue_import"),
        {
            "indicator_list": "child_sexual",
            "file": SimpleUploadedFile("official.yaml", content, content_type="application/x-yaml"),
            "verification": "verified",
            "source": "Official list, p. 4",
            "confirm": "on",
        },
    )
    assert response.status_code == 302
    child_sexual = IndicatorList.objects.get(code="child_sexual")
    assert (child_sexual.verification, child_sexual.source, child_sexual.origin) == (
        "verified",
        "Official list, p. 4",
        "uploaded",
    )
    assert child_sexual.indicators.count() == 2


def test_import_form_shows_file_problems_and_saves_nothing(client: Any, login: Any) -> None:
    login("administrator")
    response = client.post(
        reverse("screening:catalogue_import"),
        {
            "indicator_list": "child_sexual",
            "file": SimpleUploadedFile("bad.yaml", b"indicators:\n- {list: child_sexual, code: X-1}\n"),
            "confirm": "on",
        },
    )
    assert response.status_code == 400
    assert "unknown dimension" in response.content.decode()
    assert not IndicatorList.objects.get(code="child_sexual").indicators.exists()
    response = client.post(
        reverse("screening:catalogue_import"),
        {"indicator_list": "child_sexual", "file": SimpleUploadedFile("list.csv", b"a,b"), "confirm": "on"},
    )
    assert response.status_code == 400 and ".yaml" in response.content.decode()


def test_refresh_without_javascript_shows_the_new_list_keeping_valid_ticks(client: Any, login: Any) -> None:
    login("eri_responder")
    response = client.post(
        reverse("screening:calculator"),
        {"age": "30", "exploitation": "labour", "indicators": ["THB-AL-EX-01", "THB-CL-EX-01"], "refresh": "1"},
    )
    body = response.content.decode()
    assert "screening-result" not in body and 'role="alert"' not in body
    assert 'value="THB-AL-EX-01" id="screening-ind-THB-AL-EX-01" checked' in body
    assert "THB-CL-EX-01" not in body
