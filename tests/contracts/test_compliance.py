"""« À mettre en conformité »: existing rows that break a rule added since they were saved are listed (never
changed), per rule, within the reader's scope; the page, its exports, and a fiche-action's own findings."""

import pytest
from django.urls import reverse

from pacte.contracts import compliance
from pacte.contracts.enums import ActionNature, ContractKind, ContractStatus, IndicatorUnit, Reinforcement
from pacte.contracts.models import BudgetLine, Contract
from pacte.contracts.services.actions import copy_action
from tests.contracts.factories import action_data, build_contract
from tests.helpers import count_queries, is_login, page
from tests.programme.factories import AxisFactory, MeasureFactory, TargetFactory
from tests.territories.factories import DepartementFactory

URL = reverse("contracts:compliance")


def legacy(contract: Contract, data) -> None:
    """`data` saved in `contract` as it was before the rules (whatever the version's status)."""
    status = contract.status
    Contract.objects.filter(pk=contract.pk).update(status=ContractStatus.DRAFT)
    copy_action(contract, data)
    Contract.objects.filter(pk=contract.pk).update(status=status)


def codes(found) -> list[tuple[str, str]]:
    return [(finding.rule.code, finding.field) for finding in found]


def everything():
    return compliance.findings(compliance.Scope())


# --- The rules ------------------------------------------------------------------------------------------------


def test_a_compliant_convention_has_nothing_to_correct(world):
    assert everything() == []


def test_each_year_that_breaks_parity_is_listed_on_the_state_cell(world):
    legacy(
        world.signed,
        action_data(AxisFactory(number=1), title="Ancien cofinancement", local="25000", other="25000"),
    )
    found = everything()
    assert codes(found) == [("parite", f"budget.{year}.etat") for year in (2024, 2025, 2026, 2027)]
    first = found[0]
    assert (first.contract, first.action.title, first.year) == (world.signed, "Ancien cofinancement", 2024)
    assert first.field_label == "Budget 2024 – État"
    assert first.how_to_fix == "Version signée : à corriger par un avenant."
    # Listed, never changed.
    assert BudgetLine.objects.filter(action=first.action, funder="collectivite", amount=25000).count() == 4


def test_the_france_travail_part_is_not_checked_for_parity():
    contract = build_contract(
        DepartementFactory(), signed=False, actions=[], kind=ContractKind.FRANCE_TRAVAIL
    )
    data = action_data(AxisFactory(number=2), state="80000", local="0")
    data.volet = "accompagnement_rsa"
    data.budget = [row for row in data.budget if row.year <= 2025]
    legacy(contract, data)
    assert everything() == []


def test_an_insertion_action_of_a_departement_s_solidarites_contract_is_listed_once(world):
    axis = AxisFactory(number=2)
    legacy(world.draft, action_data(axis, measures=[MeasureFactory(axis=axis)]))
    found = everything()
    assert codes(found) == [("axe", "axis")]
    assert "convention France Travail" in found[0].message
    assert found[0].how_to_fix == "À corriger dans la version en cours de rédaction (collectivité)."


def test_a_measure_that_is_not_contractable_is_listed(world):
    axis = AxisFactory(number=1)
    legacy(
        world.draft, action_data(axis, measures=[MeasureFactory(axis=axis, national=True, title="Pass colo")])
    )
    found = everything()
    assert codes(found) == [("mesure", "measures")]
    assert "Pass colo" in found[0].message


def test_a_reinforced_action_without_its_reinforcement_indicator_or_above_its_baseline_is_listed(world):
    data = action_data(AxisFactory(number=1), title="Renforcée")
    data.nature, data.reinforcement = ActionNature.REINFORCED, Reinforcement.PUBLICS
    legacy(world.draft, data)
    assert codes(everything()) == [("renforcement", "indicators")]
    marked = action_data(AxisFactory(number=1), title="Renforcée aussi", target="100")
    marked.nature, marked.reinforcement = ActionNature.REINFORCED, Reinforcement.AREAS
    marked.indicators[0].is_reinforcement = True
    marked.indicators[0].baseline_value, marked.indicators[0].baseline_year = 100, 2023
    legacy(world.signed, marked)
    assert ("renforcement", "indicators[0].year_targets.2024") in codes(everything())


def test_an_indicator_linked_to_a_target_of_another_unit_is_listed(world):
    places = TargetFactory(unit="places", label="Nouvelles places")
    legacy(
        world.draft, action_data(AxisFactory(number=1), unit=IndicatorUnit.PERSONS, national_target=places)
    )
    found = everything()
    assert codes(found) == [("unite", "indicators[0].national_target")]
    assert "se compte en places" in found[0].message


def test_a_version_replaced_by_an_avenant_is_no_longer_listed(world):
    legacy(world.signed, action_data(AxisFactory(number=1), local="25000", other="25000"))
    Contract.objects.filter(pk=world.signed.pk).update(status=ContractStatus.SUPERSEDED)
    assert everything() == []


# --- The page ------------------------------------------------------------------------------------------------


@pytest.fixture
def breaches(world):
    legacy(
        world.draft,
        action_data(AxisFactory(number=1), title="Fiche de Loire-Atlantique", local="1", other="1"),
    )
    legacy(world.signed, action_data(AxisFactory(number=1), title="Fiche de Vendée", local="1", other="1"))
    return world


def test_national_steering_sees_every_convention(client, breaches):
    html = page(client, URL, breaches.national)
    assert "Fiche de Loire-Atlantique" in html and "Fiche de Vendée" in html
    assert "Parité entre l’État et la collectivité : 8" in html.replace("&#x27;", "’").replace("'", "’")


def test_a_ddets_sees_its_departement_only(client, breaches):
    html = page(client, URL, breaches.ddets_a)
    assert "Fiche de Loire-Atlantique" in html
    assert "Fiche de Vendée" not in html


def test_the_same_role_elsewhere_sees_none_of_them(client, breaches):
    html = page(client, URL, breaches.ddets_c)
    assert "Fiche de Loire-Atlantique" not in html and "Fiche de Vendée" not in html
    assert "Aucune fiche-action de votre périmètre n’est à mettre en conformité" in html


def test_a_commissioner_sees_its_region_and_not_another(client, breaches):
    html = page(client, URL, breaches.commissioner)
    assert "Fiche de Loire-Atlantique" in html and "Fiche de Vendée" in html
    assert "Fiche de Vendée" not in page(client, URL, breaches.commissioner_other)


def test_the_collectivite_and_an_association_are_refused_and_an_anonymous_visitor_signs_in(client, breaches):
    page(client, URL, breaches.local_a, status=403)
    page(client, URL, breaches.association, status=403)
    client.logout()
    assert is_login(client.get(URL))


def test_the_page_filters_by_rule_and_exports(client, breaches):
    legacy(breaches.draft, action_data(AxisFactory(number=2), title="Insertion"))
    client.force_login(breaches.national)
    html = page(client, URL, regle="axe")
    assert "Insertion" in html and "Fiche de Vendée" not in html
    response = client.get(URL, {"format": "csv"})
    assert response.status_code == 200
    content = response.content.decode("utf-8-sig")
    assert content.startswith("Territoire;Convention;Statut de la version;Fiche-action;Règle;Champ;")
    assert "Budget 2024 – État" in content and "Version signée : à corriger par un avenant." in content


def test_the_page_needs_the_same_queries_whatever_the_number_of_conventions(client, breaches):
    before = count_queries(client, URL, breaches.national)
    for code in ("49", "53"):
        legacy(
            build_contract(DepartementFactory(code=code, parent=breaches.vendee.parent)),
            action_data(AxisFactory(number=1), local="1", other="1"),
        )
    assert count_queries(client, URL, breaches.national) == before


# --- A fiche-action's own findings ------------------------------------------------------------------------------


def test_a_fiche_action_shows_what_it_breaks_to_those_who_follow_the_convention(client, breaches):
    action = breaches.signed.actions.get(title="Fiche de Vendée")
    html = page(client, action.get_absolute_url(), breaches.local_b)
    assert "À mettre en conformité" in html
    assert "Budget 2024 – État" in html
    assert "Budget 2024 – État" not in page(
        client, action.get_absolute_url(), breaches.ddets_c
    )  # another département
    client.logout()
    assert "Budget 2024 – État" not in page(client, action.get_absolute_url())
