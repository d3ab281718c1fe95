from decimal import Decimal, InvalidOperation

from django import template

from pacte.programme.sources import source_title

register = template.Library()

NARROW_NBSP = "\u202f"


@register.filter
def number_fr(value) -> str:
    """Format a number the French way: thin space between thousands, decimal comma, no useless zeros."""
    if value is None or value == "":
        return "–"
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    sign = "-" if number < 0 else ""
    number = abs(number)
    text = format(number.normalize(), "f")
    whole, _, fraction = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    result = NARROW_NBSP.join(groups)
    return f"{sign}{result},{fraction}" if fraction else f"{sign}{result}"


@register.filter
def source(value: str) -> str:
    """The title of a cited source document."""
    return source_title(value or "")
