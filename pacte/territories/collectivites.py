"""The collectivités that sign the conventions of the Pacte, apart from the COG territories they cover.

A département of the COG signs as itself, a métropole (EPCI of nature METRO) as itself; the collectivités of a
special status listed in data/collectivites.yaml (Métropole de Lyon, Ville de Paris, Collectivité de Corse for
2A and 2B, Guyane, Martinique, Mayotte, Collectivité européenne d'Alsace for 67 and 68) sign for the territories
they cover, with a département's social powers, and are counted once. Rows are made on first use
(`collectivite_for`), so that a COG import needs nothing more.
"""

from functools import cache
from pathlib import Path
from typing import Annotated

from django.db import transaction
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from pacte.core.datafiles import YamlFile, YamlFileError
from pacte.territories.enums import CollectiviteKind, EpciType, Level, SignatoryFamily, family_of
from pacte.territories.models import Collectivite, Territory

DATA_FILE = Path(__file__).parent / "data" / "collectivites.yaml"


class CollectivitesFileError(YamlFileError):
    pass


class _FileItem(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CoveredTerritory(_FileItem):
    level: Level
    code: Annotated[str, StringConstraints(min_length=1, max_length=9)]


class SpecialCollectivite(_FileItem):
    code: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=40)]
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    kind: CollectiviteKind
    territories: Annotated[list[CoveredTerritory], Field(min_length=1)]
    legal_basis: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    source_url: Annotated[str, StringConstraints(max_length=500)] = ""


class CollectivitesFile(_FileItem):
    collectivites: list[SpecialCollectivite]


def read_special_collectivites(path: Path = DATA_FILE) -> list[SpecialCollectivite]:
    """The special collectivités of the data file; a French error naming the line and field otherwise."""
    file = YamlFile(path, error_class=CollectivitesFileError)
    document = file.validate(CollectivitesFile)
    seen: dict[tuple[str, str], int] = {}
    for index, item in enumerate(document.collectivites):
        for position, ref in enumerate(item.territories):
            key = (ref.level, ref.code)
            if key in seen:
                raise file.error(
                    ("collectivites", index, "territories", position),
                    f"territoire {ref.code} déjà couvert par la collectivité n°{seen[key] + 1}",
                )
            seen[key] = index
    return document.collectivites


@cache
def _specials() -> dict[tuple[str, str], SpecialCollectivite]:
    return {(ref.level, ref.code): item for item in read_special_collectivites() for ref in item.territories}


def special_for(territory: Territory) -> SpecialCollectivite | None:
    return _specials().get((territory.level, territory.code))


def default_kind(territory: Territory) -> str | None:
    """The kind of the collectivité a COG territory makes by itself: a département, a métropole; None otherwise."""
    if territory.level == Level.DEPARTEMENT:
        return CollectiviteKind.DEPARTEMENT
    if territory.level == Level.EPCI and territory.epci_type == EpciType.MET69:
        return CollectiviteKind.METROPOLE_LYON
    if territory.is_metropole:
        return CollectiviteKind.METROPOLE
    return None


def can_sign(territory: Territory) -> bool:
    """Whether a collectivité signs for this territory (a département, a métropole or a special one)."""
    return special_for(territory) is not None or default_kind(territory) is not None


@transaction.atomic
def collectivite_for(territory: Territory) -> Collectivite | None:
    """The collectivité that signs for `territory` (made on first use); None for a territory no collectivité of
    the Pacte signs for (a région, a commune, an EPCI that is not a métropole)."""
    special = special_for(territory)
    if special is not None:
        return _special_row(special)
    existing = Collectivite.objects.filter(territories=territory).first()
    if existing is not None:
        return existing
    kind = default_kind(territory)
    if kind is None:
        return None
    prefix = "departement" if territory.level == Level.DEPARTEMENT else "epci"
    row, _ = Collectivite.objects.get_or_create(
        code=f"{prefix}-{territory.code.lower()}",
        defaults={"name": territory.name, "kind": kind, "main_territory": territory},
    )
    row.territories.add(territory)
    return row


def _special_row(special: SpecialCollectivite) -> Collectivite:
    found = {
        (row.level, row.code): row
        for row in Territory.objects.filter(code__in=[ref.code for ref in special.territories])
    }
    covered = [found[(ref.level, ref.code)] for ref in special.territories if (ref.level, ref.code) in found]
    row, created = Collectivite.objects.get_or_create(
        code=special.code,
        defaults={
            "name": special.name,
            "kind": special.kind,
            "main_territory": covered[0],
            "legal_basis": special.legal_basis,
            "source_url": special.source_url,
        },
    )
    if not created:
        changed = {
            name: value
            for name, value in (
                ("name", special.name),
                ("kind", special.kind),
                ("legal_basis", special.legal_basis),
                ("source_url", special.source_url),
            )
            if getattr(row, name) != value
        }
        if changed:
            Collectivite.objects.filter(pk=row.pk).update(**changed)
            for name, value in changed.items():
                setattr(row, name, value)
    row.territories.add(*covered)
    return row


def is_signing_territory(territory: Territory) -> bool:
    """Whether `territory` is the one a collectivité signs under (for a collectivité covering several, such as
    Corse, only its first territory is offered), without a query."""
    special = special_for(territory)
    if special is not None:
        first = special.territories[0]
        return (first.level, first.code) == (territory.level, territory.code)
    return default_kind(territory) is not None


def signs_as_departement(territory: Territory) -> bool:
    """Whether the collectivité of `territory` holds a département's social powers (no query)."""
    special = special_for(territory)
    kind = special.kind if special is not None else default_kind(territory)
    return kind is not None and family_of(kind) == SignatoryFamily.DEPARTEMENT
