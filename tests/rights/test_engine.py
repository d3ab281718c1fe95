"""The rights engine on OpenFisca-France: amounts, conventions, and the batch equal to OpenFisca's own way."""

from datetime import date
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pacte.rights import engine
from pacte.rights.catalogue import CATALOGUE
from pacte.rights.households import FamilyRole, Household, Housing, Person

MONTH = "2026-10"


def _household(
    identifier="F1",
    *,
    adults=((date(1990, 5, 1), 0),),
    children=(),
    housing=Housing.RENTER_EMPTY,
    rent=600,
    depcom="44109",
    received=(),
):
    people = [
        Person(
            role=FamilyRole.APPLICANT if index == 0 else FamilyRole.SPOUSE,
            birth_date=born,
            salary=Decimal(salary),
        )
        for index, (born, salary) in enumerate(adults)
    ]
    people += [Person(role=FamilyRole.CHILD, birth_date=born) for born in children]
    return Household(
        id=identifier,
        line=2,
        people=people,
        depcom=depcom,
        housing=housing,
        rent=Decimal(rent),
        received=frozenset(received),
    )


def _amounts(result):
    return {benefit.code: benefit.amount for benefit in result.benefits if benefit.eligible}


def test_a_single_parent_of_two_working_part_time_is_entitled_to_the_benefits_of_her_situation():
    household = _household(
        adults=((date(1990, 5, 1), 800),), children=(date(2014, 3, 1), date(2019, 6, 1)), received=("af",)
    )
    [result] = engine.simulate([household], MONTH)
    amounts = _amounts(result)
    assert set(amounts) >= {"ppa", "aide_logement", "af", "asf", "css", "cheque_energie", "bourse_college"}
    assert "rsa" not in amounts and "aah" not in amounts and "bourse_lycee" not in amounts
    assert amounts["af"] == Decimal("153.01")  # two children, modest income: the base amount of October 2026
    assert amounts["css"] == Decimal("0.00")  # free CSS: no participation
    af = next(benefit for benefit in result.benefits if benefit.code == "af")
    assert af.received and not af.non_take_up
    asf = next(benefit for benefit in result.benefits if benefit.code == "asf")
    assert asf.non_take_up and asf.confidence == "a_verifier"
    assert [benefit.code for benefit in result.benefits] == [benefit.code for benefit in CATALOGUE]
    assert next(b for b in result.benefits if b.code == "cheque_energie").period == "2026"


def test_received_benefits_are_declared_as_past_resources_and_lower_the_prime_d_activite():
    children = (date(2014, 3, 1), date(2019, 6, 1))
    receives_nothing = _household("A", adults=((date(1990, 5, 1), 800),), children=children)
    receives_af = _household(
        "B", adults=((date(1990, 5, 1), 800),), children=children, received=("af", "asf")
    )
    without, with_af = engine.simulate([receives_nothing, receives_af], MONTH)
    assert _amounts(with_af)["ppa"] < _amounts(without)["ppa"]


def test_a_person_without_income_or_home_gets_the_rsa_and_a_childless_couple_no_family_benefit():
    alone = _household("A", housing=Housing.HOMELESS, rent=0, depcom="")
    couple = _household("B", adults=((date(1970, 1, 1), 1500), (date(1972, 1, 1), 1400)))
    alone_result, couple_result = engine.simulate([alone, couple], MONTH)
    assert _amounts(alone_result)["rsa"] > Decimal(500)
    assert not {"af", "asf", "bourse_college", "pass_colo"} & set(_amounts(couple_result))


def test_aah_needs_the_incapacity_rate_of_the_optional_column():
    people = [Person(role=FamilyRole.APPLICANT, birth_date=date(1980, 1, 1), disability_rate=80)]
    with_rate = Household(
        id="A", line=2, people=people, depcom="44109", housing=Housing.RENTER_SOCIAL, rent=Decimal(400)
    )
    without_rate = _household("B", housing=Housing.RENTER_SOCIAL, rent=400)
    with_result, without_result = engine.simulate([with_rate, without_rate], MONTH)
    assert _amounts(with_result)["aah"] > Decimal(900)
    assert "aah" not in _amounts(without_result)


def test_incomes_apply_to_24_months_and_at_least_back_to_january_of_year_n_minus_2():
    assert engine.income_months("2026-10")[0] == "2024-01"
    assert engine.income_months("2026-10")[-1] == "2026-10"
    assert engine.income_months("2026-01") == engine._months_before("2026-01", 24)
    assert len(engine.income_months("2026-12")) == 36


def test_school_level_follows_the_birth_year():
    household = _household(
        children=(date(2015, 12, 31), date(2016, 1, 1), date(2011, 1, 1), date(2008, 6, 1))
    )
    levels = engine._school_level(engine.chunk_inputs([household], "2026-10"))
    # 2026-2027 school year: born in 2015 → 6e (collège); 2016 → CM2; 2011 → 2de (lycée); 2008 → beyond.
    assert list(levels) == ["inconnue", "college", "primaire", "lycee", "inconnue"]
    levels = engine._school_level(engine.chunk_inputs([household], "2026-06"))  # 2025-2026 school year
    assert list(levels) == ["inconnue", "primaire", "primaire", "college", "lycee"]


def test_the_situation_is_a_web_api_json_with_the_declared_inputs_and_the_variables_to_compute():
    household = _household(
        adults=((date(1990, 5, 1), 800),), children=(date(2015, 3, 1), date(2018, 1, 1)), received=("af",)
    )
    situation = engine.situation(household, MONTH)
    assert set(situation) == {"individus", "familles", "foyers_fiscaux", "menages"}
    assert situation["familles"]["foyer_1"]["parents"] == ["personne_1"]
    assert situation["familles"]["foyer_1"]["enfants"] == ["personne_2", "personne_3"]
    applicant = situation["individus"]["personne_1"]
    assert applicant["date_naissance"] == {"ETERNITY": "1990-05-01"}
    assert applicant["salaire_net"]["2024-01"] == applicant["salaire_net"][MONTH] == 800.0
    assert situation["familles"]["foyer_1"]["rsa"][MONTH] is None
    assert situation["menages"]["foyer_1"]["cheque_energie"] == {"2026": None}
    assert situation["foyers_fiscaux"]["foyer_1"]["rfr"]["2024"] > 0
    # Past AF (received) is declared with the amount of the month; the others are zero.
    [result] = engine.simulate([household], MONTH)
    assert situation["familles"]["foyer_1"]["af"]["2026-09"] == float(_amounts(result)["af"]) > 0
    assert situation["familles"]["foyer_1"]["asf"]["2026-09"] == 0.0


# --- Property: the batch equals OpenFisca run one household at a time on the engine's situations ----------

BIRTHS = st.dates(min_value=date(1940, 1, 1), max_value=date(2007, 12, 31))
CHILD_BIRTHS = st.dates(min_value=date(2006, 1, 1), max_value=date(2026, 9, 30))
INCOMES = st.sampled_from([0, 0, 250, 800, 1200, 1800, 2600, 4200])


@st.composite
def households(draw, identifier):
    adults = draw(st.integers(1, 2))
    people = [
        Person(
            role=FamilyRole.APPLICANT if index == 0 else FamilyRole.SPOUSE,
            birth_date=draw(BIRTHS),
            salary=Decimal(draw(INCOMES)),
            unemployment=Decimal(draw(st.sampled_from([0, 0, 700, 1100]))),
            pension=Decimal(draw(st.sampled_from([0, 0, 0, 900]))),
            disability_rate=draw(st.sampled_from([0, 0, 0, 50, 80])),
        )
        for index in range(adults)
    ]
    people += [
        Person(role=FamilyRole.CHILD, birth_date=draw(CHILD_BIRTHS)) for _ in range(draw(st.integers(0, 4)))
    ]
    housing = draw(st.sampled_from(list(Housing)))
    return Household(
        id=identifier,
        line=2,
        people=people,
        depcom=draw(st.sampled_from(["44109", "75056", "97411", "85191", ""])),
        housing=housing,
        rent=Decimal(draw(st.sampled_from([0, 350, 620, 900]))),
        received=frozenset(draw(st.sets(st.sampled_from([b.code for b in CATALOGUE]), max_size=3))),
    )


@settings(max_examples=3, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.integers(), min_size=4, max_size=6).flatmap(
        lambda ids: st.tuples(*[households(f"H{index}") for index in range(len(ids))])
    ),
    st.sampled_from(["2025-03", "2026-01", "2026-10"]),
)
def test_the_batch_equals_openfisca_one_household_at_a_time_on_the_engine_situations(batch, month):
    results = engine.simulate(list(batch), month)
    for household, result in zip(batch, results, strict=True):
        wanted = {
            variable: engine.benefit_period(code, month)
            for code, (variable, _, _) in engine.VARIABLES.items()
        }
        wanted["cmu_c"] = month
        alone = engine.compute_situation(engine.situation(household, month), wanted)
        for benefit in result.benefits:
            variable = engine.VARIABLES[benefit.code][0]
            expected = round(float(np.sum(alone[variable])), 2)
            assert float(benefit.amount) == pytest.approx(expected, abs=0.011), (benefit.code, month)
        css = next(benefit for benefit in result.benefits if benefit.code == "css")
        assert css.eligible == bool(alone["cmu_c"][0] or alone["css_participation_forfaitaire"][0] > 0)
