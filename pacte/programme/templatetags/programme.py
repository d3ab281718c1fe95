"""Template filters of the référentiel: `{% load programme %}`."""

from django import template

from pacte.programme.sources import source_title

register = template.Library()


@register.filter
def source(value: str) -> str:
    """The title of a cited source document."""
    return source_title(value or "")
