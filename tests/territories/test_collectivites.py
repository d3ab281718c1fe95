"""The signing collectivités, apart from the COG territories they cover (pacte/territories/collectivites.py)."""

from pathlib import Path

import pytest

from pacte.territories.collectivites import (
    CollectivitesFileError,
    can_sign,
    collectivite_for,
    is_signing_territory,
    read_special_collectivites,
)
from pacte.territories.enums import CollectiviteKind, EpciType, SignatoryFamily
from tests.territories.factories import CommuneFactory, DepartementFactory, EpciFactory


def test_a_departement_signs_as_itself_once(loire_atlantique):
    collectivite = collectivite_for(loire_atlantique)
    assert (collectivite.kind, collectivite.family) == (
        CollectiviteKind.DEPARTEMENT,
        SignatoryFamily.DEPARTEMENT,
    )
    assert collectivite.main_territory == loire_atlantique and collectivite.name == "Loire-Atlantique"
    assert collectivite_for(loire_atlantique) == collectivite


def test_a_metropole_signs_as_a_metropole(loire_atlantique):
    nantes = EpciFactory(code="244400404", name="Nantes Métropole", metropole=True, parent=loire_atlantique)
    assert collectivite_for(nantes).family == SignatoryFamily.METROPOLE


def test_the_metropole_de_lyon_holds_a_departement_social_powers(region):
    rhone = DepartementFactory(code="69", name="Rhône", parent=region)
    lyon = EpciFactory(code="200046977", name="Métropole de Lyon", epci_type=EpciType.MET69, parent=rhone)
    collectivite = collectivite_for(lyon)
    assert collectivite.kind == CollectiviteKind.METROPOLE_LYON
    assert collectivite.family == SignatoryFamily.DEPARTEMENT and collectivite.has_departement_powers
    assert "L3611-1" in collectivite.legal_basis
    assert collectivite_for(rhone).kind == CollectiviteKind.DEPARTEMENT


def test_corsica_is_one_collectivite_covering_2a_and_2b(region):
    corse_du_sud = DepartementFactory(code="2A", name="Corse-du-Sud", parent=region)
    haute_corse = DepartementFactory(code="2B", name="Haute-Corse", parent=region)
    collectivite = collectivite_for(haute_corse)
    assert collectivite == collectivite_for(corse_du_sud)
    assert collectivite.name == "Collectivité de Corse" and collectivite.main_territory == corse_du_sud
    assert set(collectivite.territories.all()) == {corse_du_sud, haute_corse}
    assert is_signing_territory(corse_du_sud) and not is_signing_territory(haute_corse)


def test_paris_guyane_martinique_mayotte_and_alsace_sign_as_departement_type_collectivites(region):
    for code, name in (
        ("75", "Ville de Paris"),
        ("973", "Collectivité territoriale de Guyane"),
        ("976", "Département de Mayotte"),
    ):
        assert collectivite_for(DepartementFactory(code=code, parent=region)).name == name
    bas_rhin = DepartementFactory(code="67", parent=region)
    assert collectivite_for(DepartementFactory(code="68", parent=region)) == collectivite_for(bas_rhin)


def test_a_commune_or_a_communaute_de_communes_signs_nothing(loire_atlantique):
    assert collectivite_for(CommuneFactory(parent=loire_atlantique)) is None
    community = EpciFactory(parent=loire_atlantique)
    assert collectivite_for(community) is None and not can_sign(community)


def test_every_special_collectivite_quotes_its_legal_basis():
    for item in read_special_collectivites():
        assert item.legal_basis and item.source_url.startswith("http")


def test_a_faulty_data_file_is_refused_with_its_line_and_field(tmp_path: Path):
    path = tmp_path / "collectivites.yaml"
    path.write_text(
        "collectivites:\n"
        "  - code: corse\n    name: Corse\n    kind: corse\n    legal_basis: CGCT\n"
        "    territories:\n      - {level: departement, code: '2A'}\n      - {level: departement, code: '2A'}\n",
        encoding="utf-8",
    )
    with pytest.raises(CollectivitesFileError) as error:
        read_special_collectivites(path)
    assert "ligne 8" in str(error.value) and "déjà couvert" in str(error.value)
    path.write_text(
        "collectivites:\n  - code: x\n    name: X\n    kind: canton\n    legal_basis: L\n    territories: []\n",
        encoding="utf-8",
    )
    with pytest.raises(CollectivitesFileError) as error:
        read_special_collectivites(path)
    assert "kind" in str(error.value) and "valeur inconnue" in str(error.value)
