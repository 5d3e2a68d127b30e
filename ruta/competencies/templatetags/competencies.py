from __future__ import annotations

from typing import Any

from django import template

register = template.Library()

# Mean gap → one of five shades (CSS classes gap-0 … gap-4); the number is always printed too.
GAP_STEPS = (0.0, 0.5, 1.0, 1.5)


@register.filter
def lookup(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def gap_class(mean_gap: float | None) -> str:
    if mean_gap is None:
        return "gap-none"
    shade = sum(1 for step in GAP_STEPS if mean_gap > step)
    return f"gap-{shade}"
