from django import template

from ruta.core.timeline import event_label as _event_label

register = template.Library()


@register.filter
def event_label(kind: str) -> str:
    return _event_label(kind)
