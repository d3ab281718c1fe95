"""The rights engine on OpenFisca-France: amounts, conventions, and the batch equal to OpenFisca's own way."""

import io
from datetime import date
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from pacte.rights import confidence, convention, engine, synthetic
from pacte.rights.catalogue import CATALOGUE, Confidence
from pacte.rights.households import FamilyRole, Household, Housing, Person, read_households

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
    return _make(identifier, people, depcom, housing, rent, received)


def _make(identifier, people, depcom, housing, rent, received):
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


def _benefit(result, code):
    return next(benefit for benefit in result.benefits if benefit.code == code)


def _one(month, *, people, depcom="44109", housing=Housing.RENTER_EMPTY, rent=600, received=()):
    [result] = engine.simulate([_make("H", people, depcom, housing, rent, received)], month)
    return result


def applicant(born, **values):
    return Person(role=FamilyRole.APPLICANT, birth_date=born, **values)


def child(born, **values):
    return Person(role=FamilyRole.CHILD, birth_date=born, **values)


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


# --- Issue 14: the new benefits and rules --------------------------------------------------------------------


def test_a_72_year_old_owner_with_a_500_euro_net_pension_gets_the_aspa_of_openfisca_france():
    """OpenFisca-France 176.1.8, computed directly with retraite_brute = 500 for the months: 534.2867 €."""
    people = [applicant(date(1953, 3, 1), pension=Decimal(500))]
    result = _one("2025-06", people=people, housing=Housing.OWNER, rent=0)
    aspa = _benefit(result, "aspa")
    assert aspa.amount == Decimal("534.29") and aspa.non_take_up
    assert aspa.confidence == Confidence.TO_CHECK  # savings, residence: the file cannot say
    received = _one("2025-06", people=people, housing=Housing.OWNER, rent=0, received=("aspa",))
    assert not _benefit(received, "aspa").non_take_up


def test_a_taxed_pension_is_grossed_up_before_the_aspa_compares_it_to_its_ceiling():
    exempt = _one(
        "2025-06", people=[applicant(date(1950, 1, 1), pension=Decimal(900))], housing=Housing.OWNER
    )
    # 900 € net is under the CSG exemption (RFR ≈ 9 720 € < 12 817 € for one part): gross = net.
    assert _benefit(exempt, "aspa").amount == Decimal("134.29")


def test_gross_and_taxable_pensions_follow_the_csg_class_of_the_household():
    people = [applicant(date(1950, 1, 1), pension=Decimal(2000))]
    household = Household(id="P", line=2, people=people)
    inputs = engine.chunk_inputs([household], "2025-06")
    incomes = convention.taxable_incomes(inputs, engine.rates("2025-06"))
    # RFR ≈ 2 000 × 12 × 0.9 = 21 600 €: between 16 755 and 26 004 € for one part, the median rate: CSG 6.6 %
    # (4.2 % deductible), CRDS 0.5 %, CASA 0.3 %.
    assert incomes.pension_gross[0] == pytest.approx(2000 / (1 - 0.074))
    assert incomes.pension_taxable[0] == pytest.approx(2000 / (1 - 0.074) * (1 - 0.042))
    assert incomes.rfr[0] == round(incomes.pension_taxable[0] * 12 * 0.9)


def test_the_asf_depends_on_the_child_support_received_and_is_probable_only_when_the_file_gives_it():
    def asf(support):
        people = [
            applicant(date(1990, 3, 1), salary=Decimal(900), child_support=support),
            child(date(2015, 1, 1)),
        ]
        return _benefit(_one("2025-06", people=people), "asf")

    full, partial, none_known = asf(Decimal(0)), asf(Decimal(250)), asf(None)
    assert full.amount > Decimal(190) and full.confidence == Confidence.LIKELY and full.non_take_up
    assert not partial.eligible and not partial.non_take_up  # 250 € is more than the ASF for one child
    assert none_known.amount == full.amount and none_known.confidence == Confidence.TO_CHECK
    assert none_known.reason == "pension alimentaire reçue non renseignée"
    differential = asf(Decimal(100))
    assert differential.amount == full.amount - 100  # the ASF tops the child support up


def test_the_aah_at_50_to_79_percent_needs_the_recognised_restriction_of_access_to_employment():
    def aah(rsdae):
        people = [applicant(date(1980, 1, 1), disability_rate=60, rsdae=rsdae)]
        return _benefit(_one("2026-10", people=people, housing=Housing.RENTER_SOCIAL, rent=400), "aah")

    assert aah(True).amount > Decimal(900) and aah(True).confidence == Confidence.LIKELY
    assert not aah(False).eligible and not aah(None).eligible


def test_a_student_earning_400_euros_gets_no_prime_d_activite_and_an_unknown_status_is_to_check():
    def ppa(student):
        people = [applicant(date(2005, 1, 1), salary=Decimal(400), student=student)]
        return _benefit(_one("2026-10", people=people, rent=450), "ppa")

    assert not ppa(True).eligible
    assert ppa(False).eligible and ppa(False).confidence == Confidence.LIKELY
    unknown = ppa(None)
    assert unknown.eligible and unknown.confidence == Confidence.TO_CHECK and "étudiant" in unknown.reason


def test_a_student_s_housing_aid_counts_the_student_resource_floor():
    def housing_aid(student):
        people = [applicant(date(2004, 1, 1), student=student)]
        return _benefit(
            _one("2026-10", people=people, housing=Housing.RENTER_FURNISHED, rent=450), "aide_logement"
        )

    assert housing_aid(True).amount < housing_aid(False).amount


def test_in_mayotte_the_amounts_without_a_local_scale_are_to_check_with_the_reason():
    result = _one("2026-10", people=[applicant(date(1980, 1, 1))], depcom="97611")
    rsa = _benefit(result, "rsa")
    assert rsa.eligible and rsa.confidence == Confidence.TO_CHECK and rsa.reason.startswith("Mayotte")
    saint_martin = _one("2026-10", people=[applicant(date(1980, 1, 1), salary=Decimal(900))], depcom="97801")
    assert _benefit(saint_martin, "ppa").reason.startswith("collectivité d'outre-mer")


def test_a_benefit_declared_received_but_not_due_comes_back_to_be_checked():
    result = _one(
        "2026-10", people=[applicant(date(1980, 1, 1), salary=Decimal(4000))], received=("ppa", "rsa")
    )
    ppa = _benefit(result, "ppa")
    assert (ppa.eligible, ppa.received, ppa.amount, ppa.confidence) == (False, True, 0, Confidence.TO_CHECK)
    assert ppa.reason == "déclarée perçue, mais sans droit selon le calcul"


def test_from_june_to_august_the_scholarships_are_those_of_the_school_year_that_starts():
    people = [applicant(date(1985, 1, 1), salary=Decimal(900)), child(date(2015, 5, 1))]
    # In June 2026 the child born in 2015 ends CM2; in September 2026 it enters 6e: the bourse de collège.
    assert _benefit(_one("2026-06", people=people), "bourse_college").amount > 0
    assert _benefit(_one("2026-05", people=people), "bourse_college").amount == 0


def test_the_allocation_de_rentree_scolaire_is_computed_in_august_only():
    people = [
        applicant(date(1985, 1, 1), salary=Decimal(1000)),
        child(date(2015, 5, 1)),
        child(date(2010, 2, 1)),
    ]
    august = _benefit(_one("2026-08", people=people), "ars")
    assert august.eligible and august.period == "2026"
    assert august.confidence == Confidence.TO_CHECK  # a child of 16: schooling to prove
    assert not _benefit(_one("2026-07", people=people), "ars").eligible


def test_the_pass_colo_is_to_check_after_the_last_year_a_public_source_confirms():
    people = [applicant(date(1985, 1, 1), salary=Decimal(1200)), child(date(2014, 5, 1))]
    confirmed = _benefit(_one("2025-10", people=people), "pass_colo")
    assert confirmed.eligible and confirmed.confidence == Confidence.LIKELY
    people[1] = child(date(2015, 5, 1))
    later = _benefit(_one("2026-10", people=people), "pass_colo")
    assert later.eligible and later.confidence == Confidence.TO_CHECK and "dernière source" in later.reason


def test_the_complement_familial_and_the_aeeh():
    kids = [child(date(2012, 1, 1)), child(date(2016, 1, 1)), child(date(2020, 1, 1), disability_rate=80)]
    result = _one("2026-10", people=[applicant(date(1985, 1, 1), salary=Decimal(1300)), *kids])
    assert _benefit(result, "cf").amount > 0 and _benefit(result, "aeeh").amount > 0
    kids[2] = child(date(2020, 1, 1), disability_rate=60)
    partial = _benefit(_one("2026-10", people=[applicant(date(1985, 1, 1)), *kids]), "aeeh")
    assert partial.confidence == Confidence.TO_CHECK and "50 à 79 %" in partial.reason


def test_amounts_are_rounded_half_up_to_the_cent_from_openfisca_s_32_bit_floats():
    values = np.array([953.565, 12.005, 0.125, 1315.855, 100.0, 99.994], dtype=np.float32)
    assert list(engine.round_cents(values)) == [953.57, 12.01, 0.13, 1315.86, 100.0, 99.99]


def test_a_spouse_listed_before_the_applicant_does_not_become_the_applicant():
    household = Household(
        id="S",
        line=2,
        people=[
            Person(role=FamilyRole.SPOUSE, birth_date=date(1950, 1, 1), pension=Decimal(700)),
            applicant(date(1990, 1, 1), salary=Decimal(1200)),
        ],
        depcom="44109",
        housing=Housing.RENTER_EMPTY,
        rent=Decimal(600),
    )
    situation = engine.situation(household, MONTH)
    first = situation["individus"]["personne_1"]
    assert first["date_naissance"] == {"ETERNITY": "1990-01-01"}
    assert situation["familles"]["foyer_1"]["parents"] == ["personne_1", "personne_2"]
    assert situation["menages"]["foyer_1"]["personne_de_reference"] == ["personne_1"]


def test_opened_amounts_are_those_of_the_household_once_its_probable_rights_are_claimed():
    people = [applicant(date(1990, 3, 1), salary=Decimal(900), child_support=Decimal(0))]
    people += [child(date(2015, 1, 1)), child(date(2017, 1, 1))]
    claims_nothing = _one("2025-06", people=people)
    claims_all = _one("2025-06", people=people, received=("af", "asf"))
    ppa = _benefit(claims_nothing, "ppa")
    assert ppa.opened_amount == _benefit(claims_all, "ppa").amount < ppa.amount
    assert (
        claims_nothing.opened_total()
        == sum(_benefit(claims_nothing, code).amount for code in ("af", "asf"))
        + _benefit(claims_all, "ppa").amount
    )
    assert claims_nothing.counts_in_nrpe


def test_the_openfisca_speedups_give_the_same_results():
    households = [
        _household(
            f"H{index}", adults=((date(1960 + index, 1, 1), 300 * index),), children=children, depcom=depcom
        )
        for index, (children, depcom) in enumerate(
            [((), "44109"), ((date(2014, 1, 1), date(2019, 1, 1)), "75056"), ((date(2020, 1, 1),), "97411")]
            * 3
        )
    ]
    fast = engine.simulate(households, MONTH)
    engine.openfisca_speedups(False)
    try:
        slow = engine.simulate(households, MONTH)
    finally:
        engine.openfisca_speedups(True)
    assert fast == slow


def test_copying_only_the_opening_candidates_gives_the_amounts_of_copying_every_household(monkeypatch):
    """The third pass copies the households whose composition may open the AF, CF, ASF or AAH: the opened amounts
    are those of a simulation that copies every household."""
    buffer = io.StringIO()
    synthetic.write(buffer, 400, seed=5, today=date(2026, 12, 1))
    households = list(read_households(io.StringIO(buffer.getvalue()), today=date(2026, 12, 1), month=MONTH))
    inputs = engine.chunk_inputs(households, MONTH)
    tight = engine.compute_chunk(inputs)
    likely, _ = confidence.confidences(inputs, np.zeros_like(inputs.received))
    candidates = engine.opening_candidates(inputs, likely)
    monkeypatch.setattr(engine, "opening_candidates", lambda inputs, likely: np.ones(inputs.size, dtype=bool))
    every = engine.compute_chunk(inputs)
    assert np.array_equal(tight.opened, every.opened) and np.array_equal(tight.amounts, every.amounts)
    opening = (every.opened != every.amounts).any(axis=1)
    assert opening.sum() >= 20 and (opening <= candidates).all() and candidates.sum() < 0.6 * inputs.size


@pytest.mark.parametrize("month", ["2022-03", "2023-09", "2024-06", "2025-08", "2026-10"])
def test_the_benefits_computed_before_their_past_is_declared_read_no_undeclared_past(month):
    """The engine computes AAH, then AF, CF, ASF, ASPA and housing aid in M, before declaring their past (see
    engine.compute_chunk): OpenFisca must not read those past months in between, or it would compute them."""
    household = _household(
        adults=((date(1958, 1, 1), 300), (date(1960, 1, 1), 0)),
        children=(date(2010, 1, 1), date(2014, 1, 1), date(2018, 1, 1)),
        received=("rsa", "aah", "af", "cf", "asf", "aspa", "aide_logement"),
    )
    inputs = engine.chunk_inputs([household], month)
    simulation = engine._simulation(
        inputs, engine.first_pass(inputs), deferred=engine.IN_SIMULATION_VARIABLES
    )
    simulation.trace = True

    def past_reads(names) -> set[str]:
        return {
            node.name
            for node in simulation.tracer.browse_trace()
            if node.name in names and str(node.period) < month
        }

    simulation.calculate("aah", month)  # before the copies' opened AAH is declared in the past
    assert past_reads(engine.IN_SIMULATION_VARIABLES | {"aah"}) == set()
    for code in engine.IN_SIMULATION:
        engine._calculate(simulation, inputs, code)
    assert past_reads(engine.IN_SIMULATION_VARIABLES) == set()


# --- Property: the batch equals OpenFisca run one household at a time on the engine's situations ----------

BIRTHS = st.dates(min_value=date(1940, 1, 1), max_value=date(2006, 12, 31))
CHILD_BIRTHS = st.dates(min_value=date(2004, 1, 1), max_value=date(2024, 12, 31))
INCOMES = st.sampled_from([0, 0, 250, 800, 1200, 1800, 2600, 4200])
UNKNOWN_OR = lambda strategy: st.one_of(st.none(), strategy)  # noqa: E731


@st.composite
def households(draw, identifier):
    adults = draw(st.integers(1, 2))
    roles = [FamilyRole.APPLICANT, FamilyRole.SPOUSE][:adults]
    if adults == 2 and draw(st.booleans()):
        roles.reverse()  # the spouse may come first in the file
    people = [
        Person(
            role=role,
            birth_date=draw(BIRTHS),
            salary=Decimal(draw(INCOMES)),
            unemployment=Decimal(draw(st.sampled_from([0, 0, 700, 1100, 2100]))),
            pension=Decimal(draw(st.sampled_from([0, 0, 0, 500, 900, 2300]))),
            disability_rate=draw(st.sampled_from([0, 0, 0, 50, 60, 80])),
            child_support=draw(UNKNOWN_OR(st.sampled_from([Decimal(0), Decimal(120), Decimal(300)]))),
            student=draw(UNKNOWN_OR(st.booleans())),
            rsdae=draw(UNKNOWN_OR(st.booleans())),
            invalidity_pension=draw(st.sampled_from([None, None, None, Decimal(650)])),
        )
        for role in roles
    ]
    people += [
        Person(
            role=FamilyRole.CHILD,
            birth_date=draw(CHILD_BIRTHS),
            disability_rate=draw(st.sampled_from([0, 0, 80])),
        )
        for _ in range(draw(st.integers(0, 4)))
    ]
    housing = draw(st.sampled_from(list(Housing)))
    return Household(
        id=identifier,
        line=2,
        people=people,
        depcom=draw(st.sampled_from(["44109", "75056", "97411", "97611", "85191", ""])),
        housing=housing,
        rent=Decimal(draw(st.sampled_from([0, 350, 620, 900]))),
        received=frozenset(draw(st.sets(st.sampled_from([b.code for b in CATALOGUE]), max_size=4))),
    )


@settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.generate],  # shrinking a failure would take minutes of OpenFisca runs
)
@given(
    st.lists(st.integers(), min_size=4, max_size=6).flatmap(
        lambda ids: st.tuples(*[households(f"H{index}") for index in range(len(ids))])
    ),
    st.sampled_from(["2025-03", "2025-06", "2025-08", "2026-01", "2026-10"]),
)
def test_the_batch_equals_openfisca_one_household_at_a_time_on_the_engine_situations(batch, month):
    results = engine.simulate(list(batch), month)
    wanted = engine.wanted_variables(month)
    for household, result in zip(batch, results, strict=True):
        alone = engine.compute_situation(engine.situation(household, month), wanted)
        for benefit in result.benefits:
            variable = engine.VARIABLES[benefit.code][0]
            expected = round(float(np.sum(alone[variable])), 2) if variable in alone else 0.0
            assert float(benefit.amount) == pytest.approx(expected, abs=0.011), (benefit.code, month)
        css = next(benefit for benefit in result.benefits if benefit.code == "css")
        assert css.eligible == bool(alone["cmu_c"][0] or alone["css_participation_forfaitaire"][0] > 0)
