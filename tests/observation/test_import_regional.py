"""Regional imports: the commissioner and the members of the région's GT « Pauvreté » import files for the région's
territories only; a row about another région or about France is rejected with its line and the territory."""

import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from pacte.observation import perms
from pacte.observation.importers import UnusableFileError, import_file
from pacte.observation.models import ImportBatch, Observation
from tests.observation.import_factories import long_file, poverty_indicators, regional_cast, regional_cog

pytestmark = pytest.mark.django_db


@pytest.fixture
def cog():
    return regional_cog()


@pytest.fixture
def cast(cog):
    return regional_cast(cog)


def _import(text: str, user, **options):
    return import_file(
        io.BytesIO(text.encode("utf-8")),
        file_name="pauvrete.csv",
        user=user,
        region=perms.import_limit(user),
        **options,
    )


# --- Who may import, and where ---------------------------------------------------------------------------


def test_the_commissioner_and_the_gt_member_import_for_their_region(cog, cast):
    assert perms.import_region(cast.commissioner) == cog.pdl
    assert perms.import_region(cast.gt_member) == cog.pdl  # an association of Loire-Atlantique: its région
    assert perms.can_import_observations(cast.commissioner) and perms.can_import_observations(cast.gt_member)


def test_the_commissioner_of_another_region_imports_for_that_region_only(cog, cast):
    assert perms.import_region(cast.other_commissioner) == cog.bretagne


def test_national_steering_imports_without_limit(cast):
    assert perms.can_import_observations(cast.national) and perms.import_limit(cast.national) is None


def test_a_member_without_the_permission_and_an_anonymous_visitor_may_not_import(cast):
    assert perms.import_region(cast.association) is None
    assert not perms.can_import_observations(cast.association)
    assert not perms.can_import_observations(AnonymousUser())


# --- The importer keeps the région ------------------------------------------------------------------------


def test_an_import_inside_the_region_writes_every_row(cog, cast):
    poverty_indicators()
    result = _import(long_file(("44", "departement", "10,9"), ("49", "departement", "12,4")), cast.gt_member)
    assert result.rejects == [] and result.created == 2
    assert result.batch.region == cog.pdl
    assert Observation.objects.get(territory=cog.la).value == Decimal("10.9")


def test_a_row_outside_the_region_is_rejected_naming_its_line_and_territory(cog, cast):
    poverty_indicators()
    text = long_file(("44", "departement", "10,9"), ("35", "departement", "11,0"), ("53", "region", "10,5"))
    result = _import(text, cast.commissioner)
    assert result.created == 1 and Observation.objects.get().territory == cog.la
    assert [str(reject) for reject in result.rejects] == [
        "ligne 3 : Ille-et-Vilaine (35) est hors de votre région (Pays de la Loire) : valeur non importée",
        "ligne 4 : Bretagne (53) est hors de votre région (Pays de la Loire) : valeur non importée",
    ]
    assert result.territories == {"departement": 1}
    batch = ImportBatch.objects.get()
    assert batch.rejected == 2 and batch.rejects[0]["line"] == 3


def test_a_national_row_is_national_steerings(cast):
    poverty_indicators()
    result = _import(long_file(("44", "departement", "10,9"), ("FR", "france", "14,5")), cast.commissioner)
    assert result.created == 1
    assert "France entière : seul le pilotage national" in str(result.rejects[0])
    assert not Observation.objects.filter(territory=None).exists()


def test_a_regional_file_never_changes_the_field_of_a_national_value(cast):
    rate, _median = poverty_indicators()
    national = Observation.objects.create(indicator=rate, territory=None, period=2021, value=Decimal("14.5"))
    text = (
        "indicateur;territoire;niveau;periode;valeur;champ\nTP60;FR;france;2021;14,5;France métropolitaine\n"
    )
    text += "TP60;44;departement;2021;10,9;\n"
    result = _import(text, cast.commissioner)
    assert result.created == 1 and result.rejected == 1
    national.refresh_from_db()
    assert national.scope == ""


def test_the_same_role_of_another_region_writes_nothing_of_this_region(cog, cast):
    poverty_indicators()
    with pytest.raises(UnusableFileError) as error:
        _import(long_file(("44", "departement", "10,9")), cast.other_commissioner)
    assert "Loire-Atlantique (44) est hors de votre région (Bretagne)" in error.value.message
    assert not Observation.objects.exists()
    assert ImportBatch.objects.get().region == cog.bretagne


def test_national_steering_imports_every_row(cast):
    poverty_indicators()
    result = _import(long_file(("44", "departement", "10,9"), ("35", "departement", "11,0")), cast.national)
    assert result.created == 2 and result.batch.region is None


def test_an_insee_file_of_several_regions_keeps_the_communes_of_the_region(cog, cast):
    from tests.territories.factories import CommuneFactory

    poverty_indicators()
    CommuneFactory(code="44109", name="Nantes", parent=cog.la)
    CommuneFactory(code="35238", name="Rennes", parent=cog.iv)
    result = _import("CODGEO;TP6021\n44109;16,0\n35238;18,2\n", cast.gt_member)
    assert result.created == 1 and result.territories == {"commune": 1}
    assert [reject.line for reject in result.rejects] == [3] and "Rennes (35238)" in result.rejects[0].reason
