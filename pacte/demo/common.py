"""What the demo loaders share: the demo-mode guard, the look-ups of what an earlier step loaded (with the
command to run when it is missing), a report of what was created and kept, and the translation of a rule
broken by the demo data into an error that says where."""

import datetime
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import timezone
from pydantic import model_validator

from pacte import formatting
from pacte.accounts.models import Organisation, User
from pacte.demo.files import Spec
from pacte.territories.models import Territory

DEMO_PASSWORD = "demo-pacte-2026"


class DemoDataError(Exception):
    """The demo data break a rule of the services: a defect of the data files, never of the user."""


def require_demo_mode(what: str = "Les données de démonstration") -> None:
    if not settings.DEMO_MODE:
        raise ImproperlyConfigured(f"{what} ne se chargent qu'en mode démonstration (PACTE_DEMO=1).")


class DemoTerritory(Spec):
    """A territory of the COG, by its level and code: `{departement: "44"}`."""

    region: str | None = None
    departement: str | None = None
    epci: str | None = None
    commune: str | None = None

    @model_validator(mode="after")
    def _one_level(self):
        given = [level for level, code in self.model_dump().items() if code is not None]
        if len(given) != 1:
            raise ValueError("un seul niveau attendu : region, departement, epci ou commune")
        return self

    @property
    def level(self) -> str:
        return next(level for level, code in self.model_dump().items() if code is not None)

    @property
    def code(self) -> str:
        return getattr(self, self.level)


def territory(level: str, code: str) -> Territory:
    found = Territory.objects.filter(level=level, code=code).first()
    if found is None:
        raise ImproperlyConfigured(
            f"Le territoire {level} {code} est absent : chargez d'abord le COG (pacte load_cog)."
        )
    return found


def territory_of(ref: DemoTerritory | None) -> Territory | None:
    return None if ref is None else territory(ref.level, ref.code)


def user(username: str) -> User:
    found = User.objects.filter(username=username).select_related("organisation", "territory").first()
    if found is None:
        raise ImproperlyConfigured(
            f"Le compte de démonstration « {username} » est absent : chargez d'abord les comptes de "
            "démonstration (pacte load_demo)."
        )
    return found


def organisation(name: str) -> Organisation:
    found = Organisation.objects.filter(name=name).first()
    if found is None:
        raise ImproperlyConfigured(
            f"L'organisation « {name} » est absente : chargez d'abord les comptes de démonstration "
            "(pacte load_demo)."
        )
    return found


def at(day: datetime.date, clock: datetime.time) -> datetime.datetime:
    """That day at that time, in the time zone of the platform."""
    return datetime.datetime.combine(day, clock, timezone.get_current_timezone())


@contextmanager
def checked(what: str) -> Iterator[None]:
    """Turn a rule broken by the demo data into an error that says where."""
    try:
        yield
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            details = " ; ".join(
                f"{key} : {' '.join(messages)}" for key, messages in error.message_dict.items()
            )
        else:
            details = " ".join(error.messages)
        raise DemoDataError(
            f"Les données de démonstration enfreignent une règle ({what}) : {details}"
        ) from error


@dataclass
class LoadReport:
    """What a loader created and what it found already there and kept, counted by kind of row.

    A subclass gives `LABELS` (key, singular, plural, in the order to show) and the sentences of its summary.
    """

    created: Counter = field(default_factory=Counter)
    kept: Counter = field(default_factory=Counter)

    LABELS: ClassVar[tuple[tuple[str, str, str], ...]] = ()
    CREATED: ClassVar[str] = "Données de démonstration chargées (données fictives)"
    NOTHING: ClassVar[str] = "Aucune donnée de démonstration à charger."

    def describe(self, counts: Counter) -> str:
        return formatting.counts([(counts[key], singular, plural) for key, singular, plural in self.LABELS])

    def lines(self) -> list[str]:
        lines = []
        if self.created:
            lines.append(f"{self.CREATED} : {self.describe(self.created)}.")
        if self.kept:
            lines.append(f"Données déjà présentes, laissées telles quelles : {self.describe(self.kept)}.")
        return lines

    def summary(self) -> str:
        return "\n".join(self.lines()) or self.NOTHING
