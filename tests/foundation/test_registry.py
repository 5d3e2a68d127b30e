"""The registry the plugins declare into: one entry per code, the same declaration again harmless."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.exceptions import ImproperlyConfigured

from ruta.core.registry import Registry


@dataclass(frozen=True)
class Entry:
    code: str
    value: int


def test_one_entry_per_code_and_an_equal_declaration_again_is_harmless() -> None:
    registry: Registry[Entry] = Registry("entry", lambda entry: entry.code)
    first = registry.register(Entry("a", 1))
    registry.register(Entry("b", 2))
    # A plugin module imported twice builds an equal entry again.
    assert registry.register(Entry("a", 1)) == first
    with pytest.raises(ImproperlyConfigured, match="entry 'a' is registered twice"):
        registry.register(Entry("a", 2))
    assert registry.all() == [Entry("a", 1), Entry("b", 2)]
    assert registry.get("a") == first and registry["b"] == Entry("b", 2)
    assert registry.get("missing") is None
    with pytest.raises(KeyError):
        registry["missing"]
