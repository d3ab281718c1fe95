"""The state changes of the register: recording an experiment in one's scope, the periods' steps and their
checks, the rights opened replaced all or nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pacte.core.locking import StaleEditError
from pacte.tznr import services
from pacte.tznr.enums import LeadKind, OpenedBenefit, PeriodStatus, RightSource
from tests.tznr.factories import PeriodFactory

DATA = {"name": "Ville de Nantes", "lead_name": "Ville de Nantes", "lead_kind": LeadKind.CCAS}


def test_a_porteur_records_an_experiment_for_its_own_organisation(porteur, nantes, region, loire_atlantique):
    experiment = services.create_experiment(porteur, DATA, [nantes])
    assert experiment.porteur == porteur.organisation
    assert (experiment.region, experiment.departement) == (region, loire_atlantique)
    assert list(experiment.territories.all()) == [nantes]


def test_a_porteur_cannot_place_an_experiment_outside_its_scope(porteur, brest):
    with pytest.raises(ValidationError) as error:
        services.create_experiment(porteur, DATA, [brest])
    assert "Hors de votre territoire de compétence : Brest" in str(error.value)


def test_territories_of_two_regions_make_no_experiment(national, nantes, brest):
    with pytest.raises(ValidationError) as error:
        services.create_experiment(national, DATA, [nantes, brest])
    assert "même région" in str(error.value)


def test_the_ddets_does_not_record_experiments(ddets, nantes):
    with pytest.raises(PermissionDenied):
        services.create_experiment(ddets, DATA, [nantes])


def test_a_period_goes_from_draft_to_validated(porteur, ddets, experiment, mailoutbox):
    period = services.open_period(
        porteur,
        experiment,
        {
            "start": datetime.date(2024, 1, 1),
            "end": datetime.date(2024, 6, 30),
            "households_met": 300,
            "rights_examined": 200,
            "spent": Decimal("50000"),
        },
    )
    services.replace_rights(
        porteur,
        period,
        [
            {
                "benefit": OpenedBenefit.RSA,
                "source": RightSource.LEAD,
                "count": 12,
                "monthly_amount": Decimal("6000"),
            }
        ],
        version=period.lock_version,
    )
    period.refresh_from_db()
    services.submit_period(porteur, period, version=period.lock_version)
    with pytest.raises(PermissionDenied):
        services.update_period(porteur, period, {"households_met": 1}, version=period.lock_version)
    services.review_period(ddets, period, validate=True, version=period.lock_version)
    period.refresh_from_db()
    assert period.status == PeriodStatus.VALIDATED
    assert period.validated_by == ddets


def test_sending_back_needs_observations(ddets, experiment):
    period = PeriodFactory(experiment=experiment, submitted=True)
    with pytest.raises(ValidationError) as error:
        services.review_period(ddets, period, validate=False, comment=" ", version=period.lock_version)
    assert "review_comment" in error.value.message_dict


def test_the_ddets_of_another_departement_cannot_validate(other_ddets, experiment):
    period = PeriodFactory(experiment=experiment, submitted=True)
    with pytest.raises(PermissionDenied):
        services.review_period(other_ddets, period, validate=True, version=period.lock_version)


def test_overlapping_and_future_periods_are_refused(porteur, experiment):
    PeriodFactory(experiment=experiment, start=datetime.date(2024, 1, 1), end=datetime.date(2024, 6, 30))
    data = {"households_met": 1, "rights_examined": 1, "spent": Decimal("1")}
    with pytest.raises(ValidationError) as error:
        services.open_period(
            porteur,
            experiment,
            data | {"start": datetime.date(2024, 6, 1), "end": datetime.date(2024, 12, 31)},
        )
    assert "chevauche celle du 01/01/2024 au 30/06/2024" in str(error.value)
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.open_period(
            porteur, experiment, data | {"start": datetime.date(2025, 1, 1), "end": tomorrow}
        )
    assert "son dernier jour est passé" in str(error.value)


def test_rights_are_replaced_all_or_nothing(porteur, experiment):
    period = PeriodFactory(experiment=experiment)
    services.replace_rights(
        porteur, period, [{"benefit": OpenedBenefit.PPA, "count": 3, "monthly_amount": None}], version=None
    )
    with pytest.raises(ValidationError) as error:
        services.replace_rights(
            porteur,
            period,
            [{"benefit": OpenedBenefit.RSA, "count": 2}, {"benefit": "inconnue", "count": -1}],
            version=None,
        )
    assert {"rights.1.benefit", "rights.1.count"} <= set(error.value.message_dict)
    assert [(r.benefit, r.count) for r in period.rights.all()] == [(OpenedBenefit.PPA, 3)]


def test_two_people_editing_a_period_at_once(porteur, experiment):
    period = PeriodFactory(experiment=experiment)
    version = period.lock_version
    services.update_period(porteur, period, {"households_met": 10}, version=version)
    with pytest.raises(StaleEditError):
        services.update_period(porteur, period, {"households_met": 20}, version=version)
