"""Notified ceilings (services/allocations.py): national steering notifies each collectivité's annual allocation
per envelope, by hand or from a CSV file with line-level French errors; a convention's yearly State total per
envelope cannot exceed it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from pacte.contracts import services
from pacte.contracts.enums import ContractKind, Envelope
from pacte.contracts.models import NotifiedAllocation
from pacte.contracts.services import allocations
from pacte.territories.collectivites import collectivite_for
from tests.accounts.factories import UserFactory
from tests.contracts.factories import action_data, build_contract, france_travail_action_data, notify_ceiling
from tests.programme.factories import AxisFactory
from tests.territories.factories import DepartementFactory, EpciFactory

DAY = datetime.date(2024, 1, 10)


def _notify(territory, envelope=Envelope.SOLIDARITES, year=2024, amount="100000", **kwargs):
    return allocations.notify_allocation(
        collectivite_for(territory), envelope, year, amount=Decimal(amount), notified_on=DAY, **kwargs
    )


def test_national_steering_notifies_an_allocation_and_corrects_it(loire_atlantique):
    allocation = _notify(loire_atlantique, amount="120000", reference="Courrier n° 1")
    assert allocation.amount == Decimal("120000") and allocation.reference == "Courrier n° 1"
    _notify(loire_atlantique, amount="130000", expected_version=allocation.lock_version)
    assert NotifiedAllocation.objects.get().amount == Decimal("130000")


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"envelope": Envelope.METROPOLES}, "envelope", "reçoit ses crédits sur"),
        ({"envelope": "autre"}, "envelope", "Enveloppe inconnue"),
        ({"year": 2023}, "year", "entre 2024 et 2027"),
        ({"amount": "-1"}, "amount", "ne peut pas être négatif"),
    ],
)
def test_an_allocation_is_refused_with_a_message_naming_the_field(loire_atlantique, kwargs, field, message):
    with pytest.raises(ValidationError) as error:
        _notify(loire_atlantique, **kwargs)
    assert message in error.value.message_dict[field][0]
    assert not NotifiedAllocation.objects.exists()


def test_a_metropole_receives_only_the_metropoles_envelope(loire_atlantique):
    nantes = EpciFactory(metropole=True, parent=loire_atlantique)
    with pytest.raises(ValidationError) as error:
        _notify(nantes, Envelope.SOLIDARITES)
    assert "« Métropoles »" in error.value.message_dict["envelope"][0]
    assert _notify(nantes, Envelope.METROPOLES).envelope == Envelope.METROPOLES


def test_a_notification_date_in_the_future_is_refused(loire_atlantique):
    with pytest.raises(ValidationError) as error:
        allocations.notify_allocation(
            collectivite_for(loire_atlantique),
            Envelope.SOLIDARITES,
            2024,
            amount=Decimal("1"),
            notified_on=datetime.date.today() + datetime.timedelta(days=2),
        )
    assert "dans le futur" in error.value.message_dict["notified_on"][0]


def test_a_ceiling_cannot_go_below_what_a_signed_convention_already_asks(loire_atlantique):
    contract = build_contract(loire_atlantique)  # 50 000 € of State credits a year
    with pytest.raises(ValidationError) as error:
        _notify(loire_atlantique, amount="40000")
    assert "prévoit déjà 50\u202f000\u202f€" in error.value.message_dict["amount"][0]
    _notify(loire_atlantique, amount="50000")
    assert allocations.notified_ceiling(contract, 2024) == Decimal("50000")


def test_a_changed_ceiling_clears_the_validations_of_a_convention_in_negotiation(loire_atlantique):
    contract = build_contract(loire_atlantique, signed=False)
    services.submit_contract(contract, None)
    services.validate_contract(contract, None, side="state")
    _notify(loire_atlantique, year=2025, amount="60000")
    contract.refresh_from_db()
    assert contract.state_validated_at is None


def test_the_yearly_state_total_is_checked_per_envelope_in_a_single_global_convention(loire_atlantique):
    insertion = AxisFactory(number=2)
    contract = build_contract(
        loire_atlantique, signed=False, ceiling=None, kind=ContractKind.GLOBALE, actions=[]
    )
    services.save_action(contract, action_data(AxisFactory(number=1), state="30000", local="30000"))
    services.save_action(contract, france_travail_action_data(insertion, state="80000"))
    notify_ceiling(contract, "50000")
    problems = dict(allocations.ceiling_problems(contract))
    assert "ceilings.solidarites.2024" not in problems
    assert (
        "« Insertion (réforme France Travail) » (80\u202f000\u202f€) dépassent le plafond notifié"
        in problems["ceilings.france_travail.2024"]
    )
    notify_ceiling(contract, "80000", envelopes=[Envelope.FRANCE_TRAVAIL])
    assert allocations.ceiling_problems(contract) == []


def test_credits_are_notified_within_the_notified_ceiling(loire_atlantique):
    contract = build_contract(loire_atlantique, ceiling="60000")
    with pytest.raises(ValidationError) as error:
        services.record_credit(
            contract,
            2024,
            notified=Decimal("70000"),
            committed=Decimal("0"),
            paid=Decimal("0"),
            notified_on=DAY,
        )
    assert "plafond notifié de 2024" in error.value.message_dict["notified"][0]
    services.record_credit(
        contract, 2024, notified=Decimal("60000"), committed=Decimal("0"), paid=Decimal("0"), notified_on=DAY
    )


# --- CSV import -------------------------------------------------------------------------------------------


def _csv(*lines: str) -> bytes:
    return (
        "\ufeff" + "\r\n".join(["territoire;enveloppe;annee;montant;notifie_le;reference", *lines])
    ).encode()


def test_an_import_notifies_every_line(loire_atlantique, vendee):
    report = allocations.import_allocations(
        _csv(
            "44;solidarites;2024;1 200 000,50;15/01/2024;Courrier",
            "85;france_travail;2024;300000;2024-01-15;",
        )
    )
    assert (report.created, report.updated) == (2, 0)
    assert NotifiedAllocation.objects.get(envelope=Envelope.SOLIDARITES).amount == Decimal("1200000.50")
    again = allocations.import_allocations(_csv("44;solidarites;2024;1 200 000,50;15/01/2024;Courrier"))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_an_import_with_a_faulty_line_writes_nothing_and_names_each_line_and_column(loire_atlantique):
    with pytest.raises(ValidationError) as error:
        allocations.import_allocations(
            _csv(
                "44;solidarites;2024;100000;15/01/2024;",
                "99;solidarites;2024;100000;15/01/2024;",
                "44;metropoles;2025;100000;15/01/2024;",
                "44;solidarites;2026;cent mille;15/01/2024;",
                "44;solidarites;2027;100000;le 15 janvier;",
                "44;solidarites;2024;200000;15/01/2024;",
            )
        )
    messages = error.value.message_dict["file"]
    assert messages[0].startswith(
        "Ligne 3, colonne « territoire » : aucune collectivité signataire pour « 99 »"
    )
    assert any(m.startswith("Ligne 4, colonne « enveloppe »") for m in messages)
    assert any(m.startswith("Ligne 5, colonne « montant » : nombre attendu") for m in messages)
    assert any(m.startswith("Ligne 6, colonne « notifie_le » : date attendue") for m in messages)
    assert any(
        m.startswith(
            "Ligne 7, colonne « territoire » : même collectivité, enveloppe et année qu'à la ligne 2"
        )
        for m in messages
    )
    assert not NotifiedAllocation.objects.exists()


def test_an_import_without_the_expected_columns_is_refused():
    with pytest.raises(ValidationError) as error:
        allocations.import_allocations(b"code;montant\r\n44;1\r\n")
    assert (
        "Colonnes manquantes : territoire, enveloppe, annee, notifie_le"
        in error.value.message_dict["file"][0]
    )


def test_corsica_is_one_collectivite_for_2a_and_2b(region):
    corse_du_sud = DepartementFactory(code="2A", name="Corse-du-Sud", parent=region)
    DepartementFactory(code="2B", name="Haute-Corse", parent=region)
    allocations.import_allocations(_csv("2A;solidarites;2024;100000;15/01/2024;"))
    with pytest.raises(ValidationError) as error:
        allocations.import_allocations(
            _csv("2A;solidarites;2025;100000;15/01/2024;", "2B;solidarites;2025;100000;15/01/2024;")
        )
    assert "même collectivité" in error.value.message_dict["file"][0]
    assert collectivite_for(corse_du_sud).name == "Collectivité de Corse"


def test_credits_are_reallocated_inside_one_envelope(loire_atlantique, vendee):
    national = UserFactory(national=True)
    solidarites = build_contract(loire_atlantique)
    other = build_contract(vendee)
    moved = services.reallocate_credits(
        solidarites, other, 2024, amount=Decimal("1000"), reason="Sous-consommation", user=national
    )
    assert moved.envelope == Envelope.SOLIDARITES
    insertion = AxisFactory(number=2)
    france_travail = build_contract(
        loire_atlantique, kind=ContractKind.FRANCE_TRAVAIL, actions=[france_travail_action_data(insertion)]
    )
    with pytest.raises(ValidationError) as error:
        services.reallocate_credits(
            france_travail, other, 2024, amount=Decimal("1000"), reason="Motif", user=national
        )
    assert "à l'intérieur d'une même enveloppe" in error.value.message_dict["to_contract"][0]
