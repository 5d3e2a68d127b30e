"""Every user-facing string is translatable, and the shipped catalogues are complete."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import polib
import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2] / "ruta"
LOCALES = ROOT / "locale"
# Text that is the same in every language: the product's name, the national hotline number.
NEUTRAL = {"Ruta", "145", "·", "—", "*", "/", ":", "(", ")", "|", ",", ".", "©"}
# The 500 page is static and bilingual by design: it must render even when translations are broken.
STATIC_PAGES = {"500.html"}

_BLOCKS = [
    re.compile(r"{%\s*blocktranslate.*?%}.*?{%\s*endblocktranslate\s*%}", re.S),
    re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S),
    re.compile(r"<script\b.*?</script>", re.S),
    re.compile(r"<style\b.*?</style>", re.S),
    re.compile(r"<!--.*?-->", re.S),
    re.compile(r"{#.*?#}", re.S),
    re.compile(r"{%.*?%}", re.S),
    re.compile(r"{{.*?}}", re.S),
    re.compile(r"<[^>]+>", re.S),
    re.compile(r"&[a-z]+;|&#\d+;"),
]


def _templates() -> list[Path]:
    return sorted(p for p in ROOT.rglob("templates/**/*.html") if p.name not in STATIC_PAGES)


def _untranslated_text(source: str) -> list[str]:
    for pattern in _BLOCKS:
        source = pattern.sub(" ", source)
    chunks = [chunk.strip() for chunk in re.split(r"\s{2,}|\n", source) if chunk.strip()]
    return [chunk for chunk in chunks if _is_words(" ".join(w for w in chunk.split() if w not in NEUTRAL))]


def _is_words(text: str) -> bool:
    """Human words: a run of letters with a lower-case one (not a code or a mask like XXXX-XXXX)."""
    return bool(re.search(r"[A-Za-zÁÉÍÓÚáéíóúñÑ]*[a-záéíóúñ][A-Za-zÁÉÍÓÚáéíóúñÑ]*", text))


@pytest.mark.parametrize("template", _templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_have_no_hard_coded_text(template: Path) -> None:
    assert _untranslated_text(template.read_text(encoding="utf-8")) == []


def test_attributes_shown_to_people_are_translated() -> None:
    offenders = []
    for template in _templates():
        for match in re.finditer(
            r'\b(aria-label|title|placeholder|alt)="([^"{]*)"', template.read_text(encoding="utf-8")
        ):
            if _is_words(match.group(2)):
                offenders.append(f"{template.name}: {match.group(0)}")
    assert offenders == []


@pytest.mark.parametrize("language", ["es", "fr"])
def test_catalogues_are_complete(language: str) -> None:
    catalogue = polib.pofile(str(LOCALES / language / "LC_MESSAGES" / "django.po"))
    missing = [entry.msgid for entry in catalogue if not entry.obsolete and (not entry.translated() or entry.fuzzy)]
    assert missing == [], f"{len(missing)} untranslated in {language}: {missing[:20]}"


@pytest.mark.parametrize("language", ["es", "fr"])
def test_translations_keep_every_placeholder(language: str) -> None:
    placeholder = re.compile(r"%\([^)]+\)[sdif]|%[sdif]|\{[a-zA-Z_0-9]*\}")
    catalogue = polib.pofile(str(LOCALES / language / "LC_MESSAGES" / "django.po"))
    broken = []
    for entry in catalogue.translated_entries():
        wanted = sorted(placeholder.findall(entry.msgid))
        texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        plural_wanted = sorted(placeholder.findall(entry.msgid_plural or entry.msgid))
        broken += [entry.msgid for text in texts if sorted(placeholder.findall(text)) not in (wanted, plural_wanted)]
    assert broken == []


@pytest.mark.parametrize(("language", "expected"), [("es", "Iniciar sesión"), ("en", "Log in"), ("fr", "Se connecter")])
def test_login_page_speaks_each_language(language: str, expected: str, client: Client, db: None) -> None:
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=language)
    assert expected in response.content.decode()


def test_spanish_is_the_default(client: Client, db: None, settings: Any) -> None:
    from ruta import settings as project_settings

    assert project_settings.LANGUAGE_CODE == "es"
    settings.LANGUAGE_CODE = project_settings.LANGUAGE_CODE
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="de")
    assert '<html lang="es">' in response.content.decode()


@pytest.mark.parametrize("language", ["es", "fr"])
def test_plural_entries_have_every_form_the_language_needs(language: str) -> None:
    catalogue = polib.pofile(str(LOCALES / language / "LC_MESSAGES" / "django.po"))
    forms = int(re.search(r"nplurals=(\d+)", catalogue.metadata["Plural-Forms"]).group(1))
    short = [e.msgid for e in catalogue if e.msgid_plural and len([v for v in e.msgstr_plural.values() if v]) < forms]
    assert short == []
