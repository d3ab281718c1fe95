"""The platform's French formatting in templates: `{% load pacte %}`, then `{{ amount|euros }}`.

Each filter only calls `pacte.formatting`, the one module that decides how numbers, amounts, dates and counts
are written; none formats anything itself.
"""

from django import template
from django.utils import timezone

from pacte import formatting

register = template.Library()


def _local(value):
    """A datetime in the current time zone (dates pass through)."""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        return timezone.localtime(value)
    return value


@register.filter
def number_fr(value, decimals=None) -> str:
    """« 21 340 », « 14,5 »; `|number_fr:1` rounds to one decimal and keeps it (« 14,0 »)."""
    try:
        return formatting.number(value, None if decimals in (None, "") else int(decimals))
    except ValueError:
        return str(value)


@register.filter
def euros(value, cents=None) -> str:
    """« 1 234 € », « 1 234,50 € »; `|euros:"cents"` always shows the cents, `|euros:"rounded"` never."""
    option = {"cents": True, "rounded": False}.get(cents)
    try:
        return formatting.euros(value, cents=option)
    except ValueError:
        return str(value)


@register.filter
def amount(value, cents=None) -> str:
    """An amount without its unit, cents only when there are some: « 1 234 », « 1 234,50 »."""
    option = {"cents": True, "rounded": False}.get(cents)
    try:
        return formatting.amount(value, cents=option)
    except ValueError:
        return str(value)


@register.filter
def percent(value, decimals=1) -> str:
    """« 12,3 % » (the value is already a percentage)."""
    try:
        return formatting.percent(value, int(decimals))
    except ValueError:
        return str(value)


@register.filter
def with_unit(value, unit: str = "") -> str:
    """« 14,5 % », « 3 ménages »: the value, then its unit after a narrow no-break space."""
    try:
        return formatting.with_unit(value, unit or "")
    except ValueError:
        return str(value)


@register.filter
def quantity(value, unit="") -> str:
    """« 1 foyer », « 5 maisons des parents »: the value followed by its unit agreed with it (a missing value is
    « – », without its unit)."""
    try:
        return formatting.quantity(value, unit or "")
    except ValueError:
        return str(value)


@register.filter
def compact_euros(value) -> str:
    """« 20 Md€ », « 250 M€ », « 12 500 € »."""
    try:
        return formatting.compact_euros(value)
    except ValueError:
        return str(value)


@register.filter
def file_size(value) -> str:
    """« 1,5 Mo »."""
    try:
        return formatting.file_size(value)
    except ValueError:
        return str(value)


@register.filter
def date_fr(value) -> str:
    """« 1er janvier 2027 »."""
    return formatting.date(_local(value)) if value not in (None, "") else formatting.MISSING


@register.filter
def long_date_fr(value) -> str:
    """« jeudi 4 décembre 2026 »."""
    return formatting.long_date(_local(value)) if value not in (None, "") else formatting.MISSING


@register.filter
def datetime_fr(value) -> str:
    """« 4 décembre 2026 à 14 h 30 », in local time."""
    return formatting.date_time(_local(value)) if value not in (None, "") else formatting.MISSING


@register.filter
def time_fr(value) -> str:
    """« 14 h 30 », in local time."""
    return formatting.time(_local(value)) if value not in (None, "") else formatting.MISSING


@register.filter
def short_date(value) -> str:
    """« 04/12/2026 »."""
    return formatting.short_date(_local(value)) if value not in (None, "") else formatting.MISSING


@register.filter
def short_date_time(value) -> str:
    """« 04/12/2026 14 h 30 », in local time."""
    return formatting.short_date_time(_local(value)) if value not in (None, "") else formatting.MISSING


@register.filter
def month_fr(value) -> str:
    """« décembre 2026 » from a date or "2026-12"."""
    return formatting.month(value)


@register.filter
def plural(count, forms: str) -> str:
    """`{{ n|plural:"foyer" }}` → « 1 foyer », « 3 foyers »; `{{ n|plural:"maison des parents,maisons des
    parents" }}` when the plural is not the singular plus s."""
    singular, _, several = forms.partition(",")
    return formatting.plural(count or 0, singular, several or None)


@register.filter
def plural_word(count, forms: str) -> str:
    """The noun alone, agreed with `count`: `{{ n|plural_word:"foyer" }}`."""
    singular, _, several = forms.partition(",")
    return formatting.plural_word(count or 0, singular, several or None)
