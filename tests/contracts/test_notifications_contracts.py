"""The e-mails of a convention's workflow and execution (`pacte.contracts.notifications`): each event mails those
who act next (the DDETS of the département and the regional commissioner for the State, the collectivité's users),
not the same role elsewhere, and never an amount or the observations typed by the State."""

import datetime
from decimal import Decimal

import pytest

from pacte.contracts import services
from pacte.core.models import OutgoingMail
from tests.accounts.factories import UserFactory
from tests.contracts.factories import TODAY, build_contract, fill_report, notify
from tests.territories.factories import EpciFactory, RegionFactory


@pytest.fixture(autouse=True)
def _site(settings):
    settings.PACTE_SITE_URL = "https://pacte.example.gouv.fr"


@pytest.fixture
def commissioner(region):
    return UserFactory(username="camille", commissioner=True, territory=region)


@pytest.fixture
def other_commissioner():
    return UserFactory(username="claude", commissioner=True, territory=RegionFactory(code="93"))


@pytest.fixture
def cast(council, other_council, ddets, other_ddets, commissioner, other_commissioner):
    return {"council": council, "ddets": ddets, "commissioner": commissioner}


def told() -> list[str]:
    """The usernames mailed (the addresses are username@example.org)."""
    return sorted(address.split("@")[0] for row in OutgoingMail.objects.all() for address in row.to)


@pytest.fixture
def report(contract):
    notify(contract, 2024)
    return fill_report(services.open_report(contract, 2024, today=TODAY))


def test_a_filed_report_mails_the_ddets_and_the_commissioner_of_its_region_only(
    report, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_report(report, cast["council"])
    assert told() == ["bob", "camille"]
    row = OutgoingMail.objects.first()
    assert row.subject == "Pacte – Rapport d'exécution 2024 déposé – Loire-Atlantique"
    assert f"https://pacte.example.gouv.fr/contrats/{report.contract_id}/rapports/2024/" in row.body
    # No amount, no text of the report.
    assert "€" not in row.body and "Une année de mise en route" not in row.body


@pytest.fixture
def filed(report, council):
    return services.submit_report(report, council)


def test_a_report_sent_back_mails_the_collectivite_without_the_observations(
    filed, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.review_report(
            filed, cast["ddets"], validate=False, comment="Madame X, foyer Dupont : à revoir"
        )
    assert told() == ["alice"]
    row = OutgoingMail.objects.get()
    assert row.subject == "Pacte – Rapport d'exécution 2024 renvoyé pour correction – Loire-Atlantique"
    assert "Dupont" not in row.body and "Madame X" not in row.body
    assert "Ses observations sont sur la page du rapport" in row.body


def test_a_validated_report_mails_the_collectivite(filed, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.review_report(filed, cast["commissioner"], validate=True)
    assert told() == ["alice"]
    assert "validé par l'État" in OutgoingMail.objects.get().subject


# --- Negotiation and signature --------------------------------------------------------------------------------


@pytest.fixture
def draft(loire_atlantique):
    return build_contract(loire_atlantique, signed=False)


def test_a_submitted_convention_mails_the_state_party(draft, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_contract(draft, cast["council"])
    assert told() == ["bob", "camille"]
    assert OutgoingMail.objects.first().subject == "Pacte – Convention soumise à l'État – Loire-Atlantique"


@pytest.fixture
def negotiated(draft, council):
    return services.submit_contract(draft, council)


def test_each_validation_mails_the_other_side_and_the_second_asks_the_state_to_sign(
    negotiated, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.validate_contract(negotiated, cast["ddets"], side="state")
    assert told() == ["alice"]
    assert "à valider par la collectivité" in OutgoingMail.objects.get().subject
    OutgoingMail.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.validate_contract(negotiated, cast["council"], side="local")
    assert told() == ["bob", "camille"]
    assert all("à signer" in row.subject for row in OutgoingMail.objects.all())


def test_a_local_validation_first_mails_the_state(negotiated, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.validate_contract(negotiated, cast["council"], side="local")
    assert told() == ["bob", "camille"]
    assert "à valider par l'État" in OutgoingMail.objects.first().subject


def test_a_signature_mails_the_collectivite(negotiated, cast, django_capture_on_commit_callbacks):
    services.validate_contract(negotiated, cast["ddets"], side="state")
    services.validate_contract(negotiated, cast["council"], side="local")
    with django_capture_on_commit_callbacks(execute=True):
        services.sign_contract(
            negotiated,
            cast["ddets"],
            signed_on=datetime.date(2024, 1, 15),
            state_signatory="La préfète",
            local_signatory="Le président",
        )
    assert told() == ["alice"]
    assert "signée le 15 janvier 2024" in OutgoingMail.objects.get().body


# --- Credits --------------------------------------------------------------------------------------------------


def test_notified_credits_mail_the_collectivite_once(contract, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(contract, 2024, amount="50000")
    assert told() == ["alice"]
    row = OutgoingMail.objects.get()
    assert row.subject == "Pacte – Crédits de l'État 2024 notifiés – Loire-Atlantique"
    assert "50" not in row.body.replace("2024", "")  # no amount
    # The same notified amount again (a change of what is committed or paid) asks nothing more.
    credit = contract.credits.get(year=2024)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_credit(
            contract,
            2024,
            notified=Decimal("50000"),
            committed=Decimal("20000"),
            paid=Decimal("0"),
            notified_on=datetime.date(2024, 2, 1),
            committed_on=datetime.date(2024, 3, 1),
            expected_version=credit.lock_version,
        )
    assert OutgoingMail.objects.count() == 1


# --- A métropole's convention -----------------------------------------------------------------------------


def test_a_metropole_report_goes_to_the_ddets_of_its_departement_not_to_the_departement_council(
    loire_atlantique, cast, django_capture_on_commit_callbacks
):
    nantes = EpciFactory(code="244400404", name="Nantes Métropole", metropole=True, parent=loire_atlantique)
    metropole = UserFactory(username="maelle", metropole=True, territory=nantes)
    contract = build_contract(nantes)
    notify(contract, 2024)
    report = fill_report(services.open_report(contract, 2024, today=TODAY))
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_report(report, metropole)
        services.review_report(report, cast["ddets"], validate=True)
    sent = sorted(
        (row.subject.split(" – ")[1], row.to[0].split("@")[0]) for row in OutgoingMail.objects.all()
    )
    assert sent == [
        ("Rapport d'exécution 2024 déposé", "bob"),
        ("Rapport d'exécution 2024 déposé", "camille"),
        ("Rapport d'exécution 2024 validé par l'État", "maelle"),
    ]
