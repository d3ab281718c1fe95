"""Builders of N4's observation tests: the cast of the regional imports (two régions, their départements, who may
import what), and an indicator with the ERFS's national values of metropolitan France.

Pays de la Loire (52)  Loire-Atlantique (44), Maine-et-Loire (49)
Bretagne (53)          Ille-et-Vilaine (35)

`regional_cast()` gives the commissioner of each région, a member of the GT « Pauvreté » of Pays de la Loire (an
association of Loire-Atlantique holding the permission observation.import_regional), the same association
without the permission, and national steering.
"""

from decimal import Decimal
from types import SimpleNamespace

from django.contrib.auth.models import Permission

from pacte.observation.enums import NationalScope
from pacte.observation.perms import REGIONAL_IMPORT_PERMISSION
from tests.accounts.factories import UserFactory
from tests.observation.factories import IndicatorFactory, ObservationFactory
from tests.territories.factories import DepartementFactory, RegionFactory


def grant_regional_import(user):
    """Give `user` the permission of the GT « Pauvreté » members (as the administration does)."""
    app_label, codename = REGIONAL_IMPORT_PERMISSION.split(".")
    user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return type(user).objects.get(pk=user.pk)  # a fresh object: Django caches permissions per instance


def regional_cog() -> SimpleNamespace:
    cog = SimpleNamespace()
    cog.pdl = RegionFactory(code="52", name="Pays de la Loire")
    cog.bretagne = RegionFactory(code="53", name="Bretagne")
    cog.la = DepartementFactory(code="44", name="Loire-Atlantique", parent=cog.pdl)
    cog.ml = DepartementFactory(code="49", name="Maine-et-Loire", parent=cog.pdl)
    cog.iv = DepartementFactory(code="35", name="Ille-et-Vilaine", parent=cog.bretagne)
    return cog


def regional_cast(cog: SimpleNamespace) -> SimpleNamespace:
    cast = SimpleNamespace()
    cast.national = UserFactory(national=True)
    cast.commissioner = UserFactory(commissioner=True, territory=cog.pdl)
    cast.other_commissioner = UserFactory(commissioner=True, territory=cog.bretagne)
    cast.gt_member = grant_regional_import(UserFactory(association=True, territory=cog.la))
    cast.association = UserFactory(association=True, territory=cog.ml)
    return cast


def poverty_indicators() -> list:
    return [IndicatorFactory(code="TP60"), IndicatorFactory(code="MED", kind="montant", unit="€")]


def long_file(*rows: tuple[str, str, str]) -> str:
    """A file of the long format: (territory code, level, value) rows of TP60 in 2021."""
    lines = ["indicateur;territoire;niveau;periode;valeur"]
    lines += [f"TP60;{code};{level};2021;{value}" for code, level, value in rows]
    return "\n".join(lines) + "\n"


def erfs_indicator():
    """TP60 with the ERFS's national values of 2020 and 2021 (France métropolitaine, 14,4 and 14,5 %), Filosofi's
    field, and 2021 values for Loire-Atlantique (44, Pays de la Loire, 11 %) and La Réunion (974, région 04, 36,1 %)."""
    indicator = IndicatorFactory(
        code="TP60",
        territorial_scope="Filosofi : France métropolitaine, Martinique et La Réunion",
        source="INSEE – Filosofi",
    )
    for year, value in ((2020, "14.4"), (2021, "14.5")):
        ObservationFactory(
            indicator=indicator,
            national=True,
            period=year,
            value=Decimal(value),
            scope=NationalScope.METROPOLITAN,
        )
    pdl = RegionFactory(code="52", name="Pays de la Loire")
    reunion = RegionFactory(code="04", name="La Réunion")
    for code, name, region, value in (
        ("44", "Loire-Atlantique", pdl, "11"),
        ("974", "La Réunion", reunion, "36.1"),
    ):
        territory = DepartementFactory(code=code, name=name, parent=region)
        ObservationFactory(indicator=indicator, territory=territory, value=Decimal(value))
    return indicator
