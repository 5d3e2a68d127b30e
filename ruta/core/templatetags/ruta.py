from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ruta.core.timeline import choice_label as _choice_label
from ruta.core.timeline import event_label as _event_label
from ruta.core.timeline import event_summary as _event_summary

register = template.Library()


@register.filter
def event_label(kind: str) -> str:
    return _event_label(kind)


@register.filter
def event_summary(event: object) -> str:
    """A case-timeline entry's summary with its stored codes shown as labels in the page's language."""
    return _event_summary(getattr(event, "kind", ""), getattr(event, "summary", ""), getattr(event, "data", None))


@register.filter
def choice_label(code: object, choices: str) -> str:
    """``{{ event.new.status|choice_label:"ruta.alerts.models.AlertStatus" }}``: a stored code's label."""
    return _choice_label(code, choices)


@register.simple_tag
def link(url: str, text: object) -> SafeString:
    """An escaped link to put inside a translated sentence: ``{% link url text as name %}``, then
    ``{% blocktranslate with x=name %}`` keeps the msgid free of markup."""
    return format_html('<a href="{}">{}</a>', url, text)
