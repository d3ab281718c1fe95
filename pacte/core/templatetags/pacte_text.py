"""`{% load pacte_text %}`, then `{{ value|quantity:unit }}` (« 1 foyer », « 5 maisons des parents ») or
`{{ amount|compact_euros }}` (« 20 Md€ »).

Like the filters of `pacte.py`, it only calls the module that decides (`pacte.core.units`)."""

from django import template

from pacte.core import units

register = template.Library()


@register.filter
def quantity(value, unit="") -> str:
    """The value followed by its unit agreed with it (a missing value is « – », without its unit)."""
    try:
        return units.quantity(value, unit or "")
    except ValueError:
        return str(value)


@register.filter
def compact_euros(value) -> str:
    """« 20 Md€ », « 250 M€ », « 12 500 € »."""
    try:
        return units.compact_euros(value)
    except ValueError:
        return str(value)
