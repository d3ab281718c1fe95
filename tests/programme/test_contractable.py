"""The « contractable » flags of the référentiel: which measures a fiche-action of each kind of convention may serve,
each with its source (data/referentiel.yaml, docs/referentiel.md)."""

from datetime import date
from pathlib import Path

import pytest

from pacte.programme.enums import ContractScope, MeasureKind
from pacte.programme.models import Measure
from pacte.programme.services import DEFAULT_PATH, ReferentielFormatError, load_referentiel, read_referentiel
from tests.programme.factories import AxisFactory, MeasureFactory

FILE = """\
programme:
  code: pacte-des-solidarites
  name: Pacte de test
  start_year: 2024
  end_year: 2027
  measure_count: 2
  budget_eur: 1000
  source_file: 003_15a36d82a2e300cb.txt
axes:
  - number: 2
    title: Emploi
measures:
  - code: a2-c1
    axis: 2
    kind: contrat_local
    title: Mobilité solidaire
    order: 1
    source_file: 000_ffdb588009e9a993.txt
    contractable: [france_travail, metropole]
    contractable_source: {source}
  - code: a2-r1
    axis: 2
    kind: {reform_kind}
    title: Réforme
    order: 2
    source_file: 000_ffdb588009e9a993.txt
    contractable: {reform_flags}
"""


def _write(tmp_path: Path, **values) -> Path:
    values = {
        "source": "« Dans le cadre des contrats »",
        "reform_kind": "reforme_associee",
        "reform_flags": "[]",
        **values,
    }
    path = tmp_path / "referentiel.yaml"
    path.write_text(FILE.format(**values), encoding="utf-8")
    return path


def test_the_loader_writes_the_flags_of_each_part(tmp_path):
    load_referentiel(_write(tmp_path), today=date(2025, 1, 1))
    mobility = Measure.objects.get(code="a2-c1")
    assert (
        mobility.contractable_departement,
        mobility.contractable_france_travail,
        mobility.contractable_metropole,
    ) == (
        False,
        True,
        True,
    )
    assert mobility.contractable_scopes == [ContractScope.FRANCE_TRAVAIL, ContractScope.METROPOLE]
    assert mobility.contractable_source == "« Dans le cadre des contrats »"
    assert not Measure.objects.get(code="a2-r1").is_contractable


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"reform_flags": "[metropole]"}, "measures[1].contractable", "une réforme associée est nationale"),
        ({"source": '""'}, "measures[0].contractable_source", "cite la source"),
        (
            {"reform_kind": "action_nouvelle", "reform_flags": "[canton]"},
            "measures[1].contractable[0]",
            "valeur inconnue",
        ),
    ],
)
def test_a_wrong_flag_is_refused_with_its_line_and_field(tmp_path, values, field, message):
    with pytest.raises(ReferentielFormatError) as error:
        load_referentiel(_write(tmp_path, **values), today=date(2025, 1, 1))
    assert f"« {field} »" in str(error.value) and message in str(error.value)


def test_the_referentiel_flags_the_local_contract_slides_and_no_national_reform():
    measures = {item.code: item for item in read_referentiel(DEFAULT_PATH).document.measures}
    for code in ("a1-c1", "a4-c1", "a4-c2"):
        assert set(measures[code].contractable) == {"departement", "metropole"}, code
    assert set(measures["a2-c1"].contractable) == {"france_travail", "metropole"}
    for code in (
        "a1-r4",
        "a1-r7",
        "a1-r8",
        "a4-r2",
    ):  # bourses, bourses étudiantes, repas CROUS, leasing social
        assert measures[code].kind == MeasureKind.REFORM and measures[code].contractable == [], code
    for code in ("a1-n4", "a1-n5", "a4-n5"):  # MALIN, Pass colos, chèque énergie
        assert measures[code].contractable == [], code
    assert all(item.contractable_source for item in measures.values())
    assert 8 <= sum(1 for item in measures.values() if item.contractable) <= 12


def test_a_measure_page_says_where_it_may_be_contracted_and_why(client):
    contractable = MeasureFactory(
        axis=AxisFactory(number=2), code="a2-c1", contractable_source="« Dans le cadre des contrats »"
    )
    national = MeasureFactory(
        code="a1-n5", national=True, contractable_source="Mesure nationale (Pass colos)."
    )
    content = client.get(contractable.get_absolute_url()).content.decode()
    assert "Contractualisable dans les conventions locales" in content
    assert (
        "la convention France Travail d’un département, le contrat local des solidarités d’une métropole"
        in content
    )
    content = client.get(national.get_absolute_url()).content.decode()
    assert "Mesure nationale : hors des conventions locales" in content and "Pass colos" in content
