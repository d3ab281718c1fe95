"""The rules a fiche-action is saved under (services.actions): parity where it applies, the kind's axes, volets,
years and contractable measures, the reinforcement indicator of a reinforced action, the unit of a national
target; and the copy of an action into an avenant, which keeps what breaks the rules."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from pacte import formatting
from pacte.contracts import services
from pacte.contracts.action_forms import ActionEditor
from pacte.contracts.enums import ActionNature, ContractKind, Funder, IndicatorUnit, Reinforcement
from pacte.contracts.models import Action
from pacte.contracts.services.actions import copy_action, national_unit
from pacte.programme.enums import TargetKind
from pacte.programme.models import Target
from tests.contracts.factories import ActionFactory, action_data, build_contract
from tests.programme.factories import AxisFactory, MeasureFactory, TargetFactory
from tests.territories.factories import DepartementFactory

D = Decimal


def refusal(contract, data, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        services.save_action(contract, data, **kwargs)
    return error.value.message_dict


@pytest.fixture
def draft():
    return build_contract(signed=False, actions=[])


# --- Parity ---------------------------------------------------------------------------------------------


def test_the_state_may_match_the_collectivite_with_co_funders_on_top(draft):
    action = services.save_action(draft, action_data(state="50000", local="50000", other="30000"))
    assert action.budget_lines.count() == 12


def test_a_co_funder_does_not_count_in_the_collectivite_s_half_and_the_state_cell_is_named(draft):
    # The demo's old split: State 50 %, CAF 25 %, département 25 %.
    errors = refusal(draft, action_data(state="50000", local="25000", other="25000"))
    assert sorted(errors) == ["budget[0].amount", "budget[3].amount", "budget[6].amount", "budget[9].amount"]
    assert errors["budget[3].amount"] == [
        f"En 2025, l'État apporterait {formatting.euros(50000)} et la collectivité {formatting.euros(25000)} : la "
        "part de l'État ne peut pas dépasser celle de la collectivité (cofinancement à parité). Les "
        f"{formatting.euros(25000)} des autres cofinanceurs viennent en plus et ne comptent pas dans la part de "
        "la collectivité."
    ]
    assert not draft.actions.exists()


def test_the_france_travail_part_is_not_under_parity():
    contract = build_contract(
        DepartementFactory(), signed=False, actions=[], kind=ContractKind.FRANCE_TRAVAIL
    )
    data = action_data(AxisFactory(number=2), state="80000", local="0")
    data.volet = "accompagnement_rsa"
    data.budget = [row for row in data.budget if row.year <= 2025]
    data.indicators[0].year_targets = {2024: D("100"), 2025: D("120")}
    action = services.save_action(contract, data)
    assert not services.actions.action_under_parity(action)


def test_the_single_global_convention_puts_parity_on_its_solidarites_part_only():
    contract = build_contract(DepartementFactory(), signed=False, actions=[], kind=ContractKind.GLOBALE)
    insertion = action_data(AxisFactory(number=2), state="80000", local="20000")
    insertion.volet = "accompagnement_rsa"
    insertion.budget = [row for row in insertion.budget if row.year <= 2025]
    insertion.indicators[0].year_targets = {2024: D("100"), 2025: D("120")}
    services.save_action(contract, insertion)
    errors = refusal(contract, action_data(AxisFactory(number=1), state="80000", local="20000"))
    assert "cofinancement à parité" in errors["budget[0].amount"][0]


# --- The kind's axes, volets, years and measures ---------------------------------------------------------------


def test_a_departement_s_solidarites_contract_refuses_a_new_insertion_action(draft):
    errors = refusal(draft, action_data(AxisFactory(number=2)))
    assert "convention France Travail" in errors["axis"][0]
    assert "axes 1, 3 et 4" in errors["axis"][0]


def test_an_insertion_action_saved_before_the_rule_stays_editable_on_its_axis(draft):
    kept = ActionFactory(contract=draft, axis=AxisFactory(number=2), number=1)
    data = action_data(AxisFactory(number=2), title="Référents de parcours RSA")
    services.save_action(draft, data, action=kept, expected_version=kept.lock_version)
    kept.refresh_from_db()
    assert kept.title == "Référents de parcours RSA"
    other = services.save_action(draft, action_data(AxisFactory(number=1)))
    errors = refusal(
        draft, action_data(AxisFactory(number=2)), action=other, expected_version=other.lock_version
    )
    assert "convention France Travail" in errors["axis"][0]


def test_a_france_travail_action_needs_its_volet_and_keeps_to_the_volet_s_years():
    contract = build_contract(
        DepartementFactory(), signed=False, actions=[], kind=ContractKind.FRANCE_TRAVAIL
    )
    data = action_data(AxisFactory(number=2), state="80000", local="0")
    data.budget = [row for row in data.budget if row.year <= 2025]
    data.indicators[0].year_targets = {2024: D("100"), 2025: D("120")}
    assert refusal(contract, data)["volet"] == [
        "Choisissez le volet de la convention France Travail auquel l'action appartient."
    ]
    data.volet = "gouvernance"  # volet 1: 2024 only
    errors = refusal(contract, data)
    assert errors["budget[2].year"] == ["L'année 2025 est hors des années de cette fiche-action (2024)."]
    assert "indicators[0].year_targets.2025" in errors


def test_a_measure_the_referentiel_does_not_mark_contractable_is_refused(draft):
    axis = AxisFactory(number=1)
    national = MeasureFactory(axis=axis, national=True, code="pass-colo", title="Pass colo")
    errors = refusal(draft, action_data(axis, measures=[national]))
    assert errors["measures"] == [
        "La mesure « pass-colo – Pass colo » n'est pas contractualisable dans une convention de ce type "
        "(Contrat local des solidarités (département)) : c'est une mesure nationale ou d'une autre partie (voir "
        "le référentiel)."
    ]
    contractable = MeasureFactory(axis=axis, local_contract=True)
    action = services.save_action(draft, action_data(axis, measures=[contractable]))
    assert list(action.measures.all()) == [contractable]


# --- Reinforced actions ----------------------------------------------------------------------------------


def reinforced(targets=("130", "150", "170", "190"), *, baseline="120", baseline_year=2023, marked=True):
    data = action_data(AxisFactory(number=1))
    data.nature, data.reinforcement = ActionNature.REINFORCED, Reinforcement.CASELOAD
    indicator = data.indicators[0]
    indicator.baseline_value = None if baseline is None else D(baseline)
    indicator.baseline_year = baseline_year
    indicator.is_reinforcement = marked
    indicator.year_targets = {year: D(value) for year, value in zip(range(2024, 2028), targets, strict=True)}
    return data


def test_a_reinforced_action_goes_above_its_baseline_each_year(draft):
    action = services.save_action(draft, reinforced())
    assert action.indicators.get().is_reinforcement


def test_a_reinforced_action_without_reinforcement_indicator_is_refused(draft):
    assert "cochez « mesure le renforcement »" in refusal(draft, reinforced(marked=False))["indicators"][0]


def test_the_reinforcement_indicator_needs_its_baseline(draft):
    errors = refusal(draft, reinforced(baseline=None, baseline_year=None))
    assert errors["indicators[0].baseline_value"] == [
        "Indiquez la valeur de départ, avant le renforcement : la file active, les publics ou les zones déjà "
        "couverts."
    ]
    assert refusal(draft, reinforced(baseline_year=None))["indicators[0].baseline_year"] == [
        "Indiquez l'année de la valeur de départ."
    ]


def test_a_target_that_does_not_exceed_the_baseline_is_refused_on_its_year(draft):
    errors = refusal(draft, reinforced(targets=("130", "120", "170", "190")))
    assert list(errors) == ["indicators[0].year_targets.2025"]
    assert errors["indicators[0].year_targets.2025"] == [
        "La cible 2025 (120) doit dépasser la valeur de départ (120) : un renforcement augmente la file active, "
        "les publics ou les zones couverts."
    ]


def test_a_new_action_has_no_reinforcement_indicator(draft):
    data = action_data(AxisFactory(number=1))
    data.indicators[0].is_reinforcement = True
    assert refusal(draft, data)["indicators[0].is_reinforcement"] == [
        "Seule une action renforcée a un indicateur du renforcement."
    ]


# --- National targets and units ---------------------------------------------------------------------------


def test_an_indicator_adds_up_to_a_national_target_of_its_own_unit(draft):
    places = TargetFactory(unit="places", label="Nouvelles places d'accueil")
    action = services.save_action(draft, action_data(unit=IndicatorUnit.PLACES, national_target=places))
    assert action.indicators.get().national_target == places
    errors = refusal(draft, action_data(unit=IndicatorUnit.PERSONS, national_target=places))
    assert errors["indicators[0].national_target"] == [
        "La cible nationale « Nouvelles places d'accueil » se compte en places : l'indicateur doit être en "
        "« places » pour s'y additionner, pas en « personnes »."
    ]


def test_only_a_national_target_can_be_linked_and_a_former_link_is_kept(draft):
    reform = TargetFactory(unit="familles", label="Familles bénéficiaires de l'ASF")
    action = services.save_action(draft, action_data(unit=IndicatorUnit.COUNT, national_target=reform))
    Target.objects.filter(pk=reform.pk).update(kind=TargetKind.REFORM)  # reclassified since (issue 13)
    errors = refusal(draft, action_data(unit=IndicatorUnit.COUNT, national_target=reform))
    assert errors["indicators[0].national_target"] == [
        "« Familles bénéficiaires de l'ASF » n'est pas une cible nationale (Réforme en vigueur) : ne la "
        "rattachez pas."
    ]
    kept = services.save_action(
        draft, action_data(unit=IndicatorUnit.COUNT, national_target=reform), action=action
    )
    assert kept.indicators.get().national_target_id == reform.pk


def test_the_form_offers_a_former_link_to_its_action_only(draft):
    reform = TargetFactory(unit="familles", label="Familles bénéficiaires de l'ASF")
    action = services.save_action(draft, action_data(unit=IndicatorUnit.COUNT, national_target=reform))
    Target.objects.filter(pk=reform.pk).update(kind=TargetKind.REFORM)

    def offered(editor) -> dict:
        return dict(editor.indicators.forms[0].fields["national_target"].choices)

    assert (
        "lien conservé, ce n'est plus une cible nationale" in offered(ActionEditor(draft, action))[reform.pk]
    )
    assert reform.pk not in offered(ActionEditor(draft))


def test_no_local_indicator_adds_up_to_a_rate(draft):
    rate = TargetFactory(unit="€ par repas", label="Soutien de l'État par repas")
    errors = refusal(draft, action_data(unit=IndicatorUnit.EUROS, national_target=rate))
    assert (
        "s'exprime en € par repas : aucun indicateur local ne s'y additionne"
        in errors["indicators[0].national_target"][0]
    )


@pytest.mark.parametrize(
    ("target_unit", "unit"),
    [
        ("personnes par an", IndicatorUnit.PERSONS),
        ("ménages par an", IndicatorUnit.HOUSEHOLDS),
        ("places", IndicatorUnit.PLACES),
        ("%", IndicatorUnit.PERCENT),
        ("€", IndicatorUnit.EUROS),
        ("crèches", IndicatorUnit.COUNT),
        ("centres sociaux", IndicatorUnit.COUNT),
        ("€ par an", None),
        ("€ par repas", None),
        ("heure par semaine", None),
        ("coefficient multiplicateur", None),
    ],
)
def test_the_unit_of_each_kind_of_national_target(target_unit, unit):
    assert national_unit(target_unit) == unit


# --- Avenants keep what they copy ---------------------------------------------------------------------------


def test_an_action_copied_into_an_avenant_keeps_what_breaks_the_new_rules(draft):
    data = action_data(AxisFactory(number=2), state="50000", local="25000", other="25000")
    copied = copy_action(draft, data)
    assert copied.axis.number == 2
    split = {(line.year, line.funder): line.amount for line in copied.budget_lines.all()}
    assert split[2024, Funder.STATE] == D("50000") and split[2024, Funder.LOCAL] == D("25000")
    assert Action.objects.filter(contract=draft).count() == 1
