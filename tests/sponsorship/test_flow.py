"""The mécénat journey through the services: a company registers and is validated, the association publishes
its selected project, the commissioner records a pledge, the association accepts it, it is delivered; and the
rules on the way (French messages per field, consent, scope)."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail as outbox
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pacte.core.mail import send_pending
from pacte.grants.enums import ApplicationStatus
from pacte.sponsorship import services
from pacte.sponsorship.enums import CompanyStatus, PledgeKind, PledgeStatus, PublicationStatus
from tests.sponsorship.factories import CompanyFactory, PledgeFactory, siret_with_key


def _messages(error: ValidationError) -> dict:
    return error.message_dict


def test_publish_pledge_accept_deliver(commissioner, member, selected, nantes):
    company = services.register_company(
        name="Boulangerie Dupont",
        siret=siret_with_key("4412345640001"),
        address="2 quai de la Fosse",
        commune=nantes,
        contact_name="Paul Dupont",
        contact_email="paul@dupont.example.org",
    )
    assert company.status == CompanyStatus.PENDING
    services.decide_company(company, commissioner, validate=True)
    company.refresh_from_db()
    assert company.is_validated

    project = services.publish_project(
        selected,
        member,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        association_consent=True,
        money_wanted=Decimal("3000"),
    )
    assert project.is_public

    pledge = services.record_pledge(
        project, commissioner, company=company, kind=PledgeKind.MONEY, amount=Decimal("1500")
    )
    assert pledge.status == PledgeStatus.PROPOSED
    pledge = services.answer_pledge(pledge, member, accept=True)
    assert pledge.status == PledgeStatus.ACCEPTED
    pledge = services.mark_delivered(pledge, commissioner, note="1 500 € versés le 3 décembre")
    assert pledge.status == PledgeStatus.DELIVERED
    assert pledge.delivered_at is not None


def test_registration_errors_name_their_fields(nantes):
    taken = CompanyFactory(commune=nantes)
    with pytest.raises(ValidationError) as caught:
        services.register_company(
            name=" ",
            siret=taken.siret,
            address="",
            commune=nantes.parent,
            contact_name="",
            contact_email="",
        )
    errors = _messages(caught.value)
    assert errors["siret"] == ["Une entreprise de ce SIRET est déjà inscrite."]
    assert set(errors) == {"name", "siret", "address", "commune", "contact_name", "contact_email"}


def test_a_bad_siret_is_refused_at_registration(nantes):
    with pytest.raises(ValidationError) as caught:
        services.register_company(
            name="X",
            siret="12345678901234",
            address="a",
            commune=nantes,
            contact_name="a",
            contact_email="a@example.org",
        )
    assert "clé de contrôle" in _messages(caught.value)["siret"][0]


def test_a_refusal_needs_its_reason(commissioner, nantes):
    company = CompanyFactory(commune=nantes, pending=True)
    with pytest.raises(ValidationError) as caught:
        services.decide_company(company, commissioner, validate=False, reason=" ")
    assert "motif" in _messages(caught.value)["reason"][0]
    services.decide_company(company, commissioner, validate=False, reason="SIRET d'une autre entreprise")
    company.refresh_from_db()
    assert company.status == CompanyStatus.REFUSED


def test_only_the_commissioner_of_the_region_validates(other_commissioner, nantes):
    company = CompanyFactory(commune=nantes, pending=True)
    with pytest.raises(PermissionDenied):
        services.decide_company(company, other_commissioner, validate=True)


def test_publication_needs_the_association_s_consent_and_a_need(member, selected):
    with pytest.raises(ValidationError) as caught:
        services.publish_project(
            selected,
            member,
            deadline=timezone.localdate() - datetime.timedelta(days=1),
            association_consent=False,
        )
    errors = _messages(caught.value)
    assert "accord" in errors["association_consent"][0]
    assert "passée" in errors["deadline"][0]
    assert "au moins un besoin" in errors["money_wanted"][0]


def test_only_a_selected_project_of_its_own_association_is_published(member, other_member, selected):
    deadline = timezone.localdate() + datetime.timedelta(days=10)
    with pytest.raises(PermissionDenied):
        services.publish_project(
            selected, other_member, deadline=deadline, association_consent=True, skills_wanted="x"
        )
    selected.status = ApplicationStatus.SUBMITTED
    selected.save()
    with pytest.raises(ValidationError) as caught:
        services.publish_project(
            selected, member, deadline=deadline, association_consent=True, skills_wanted="x"
        )
    assert "retenu" in _messages(caught.value)["application"][0]


def test_a_pending_company_cannot_pledge(commissioner, project, nantes):
    company = CompanyFactory(commune=nantes, pending=True)
    with pytest.raises(ValidationError) as caught:
        services.record_pledge(
            project, commissioner, company=company, kind=PledgeKind.GOODS, description="Pain"
        )
    assert "validée" in _messages(caught.value)["company"][0]


def test_a_pledge_says_what_it_gives(commissioner, project, company):
    with pytest.raises(ValidationError) as caught:
        services.record_pledge(project, commissioner, company=company, kind=PledgeKind.MONEY, amount=None)
    assert "montant" in _messages(caught.value)["amount"][0]
    with pytest.raises(ValidationError) as caught:
        services.record_pledge(project, commissioner, company=company, kind=PledgeKind.SKILLS, description="")
    assert "Décrivez" in _messages(caught.value)["description"][0]


def test_the_commissioner_of_another_region_records_no_pledge(other_commissioner, project, company):
    with pytest.raises(PermissionDenied):
        services.record_pledge(project, other_commissioner, company=company, kind=PledgeKind.MONEY, amount=1)


def test_only_the_association_answers_and_delivery_follows_acceptance(commissioner, member, project, company):
    pledge = PledgeFactory(project=project, company=company)
    with pytest.raises(PermissionDenied):
        services.answer_pledge(pledge, commissioner, accept=True)
    with pytest.raises(PermissionDenied):
        services.mark_delivered(pledge, member, note="x")  # not accepted yet
    services.answer_pledge(pledge, member, accept=False, note="Besoin couvert")
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.DECLINED
    with pytest.raises(PermissionDenied):
        services.mark_delivered(pledge, member, note="x")


def test_delivery_says_what_was_given(member, project, company):
    pledge = PledgeFactory(project=project, company=company, status=PledgeStatus.ACCEPTED)
    with pytest.raises(ValidationError) as caught:
        services.mark_delivered(pledge, member, note="  ")
    assert "donné" in _messages(caught.value)["note"][0]


def test_withdrawal_removes_consent(member, project):
    services.withdraw_project(project, member)
    project.refresh_from_db()
    assert project.status == PublicationStatus.WITHDRAWN
    assert not project.association_consent
    assert not project.is_public


def test_the_company_s_contact_is_told_by_mail(commissioner, member, project, nantes):
    company = CompanyFactory(name="Boulangerie Dupont", commune=nantes, pending=True)
    services.decide_company(company, commissioner, validate=True)
    pledge = PledgeFactory(project=project, company=company)
    services.answer_pledge(pledge, member, accept=True)
    refused = CompanyFactory(commune=nantes, pending=True, contact_email="autre@example.org")
    services.decide_company(refused, commissioner, validate=False, reason="Entreprise hors de la région")
    assert outbox.outbox == []  # queued, sent by the worker
    assert send_pending().sent == 3
    validated, accepted, refusal = outbox.outbox
    assert validated.to == [company.contact_email] and "inscription validée" in validated.subject
    assert company.siret not in validated.body
    assert accepted.subject.endswith("promesse acceptée – Épicerie solidaire")
    assert "Entraide de test accepte la promesse de Boulangerie Dupont" in accepted.body
    assert refusal.to == ["autre@example.org"] and "Motif : Entreprise hors de la région" in refusal.body


def test_who_acts_next_is_notified(
    commissioner,
    other_commissioner,
    member,
    other_member,
    project,
    nantes,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        company = services.register_company(
            name="Boulangerie Dupont",
            siret=siret_with_key("4412345640001"),
            address="2 quai de la Fosse",
            commune=nantes,
            contact_name="Paul Dupont",
            contact_email="paul@dupont.example.org",
        )
    company = services.decide_company(company, commissioner, validate=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_pledge(
            project, commissioner, company=company, kind=PledgeKind.SKILLS, description="Conseil"
        )
    send_pending()
    told = {(tuple(message.to), message.subject) for message in outbox.outbox}
    assert (
        (commissioner.email,),
        "Pacte – Mécénat de proximité – entreprise à valider – Boulangerie Dupont",
    ) in told
    assert (
        (member.email,),
        "Pacte – Mécénat de proximité – promesse à accepter ou décliner – Épicerie solidaire",
    ) in told
    addresses = {address for message in outbox.outbox for address in message.to}
    assert other_commissioner.email not in addresses and other_member.email not in addresses
    assert "Conseil" not in next(m.body for m in outbox.outbox if m.to == [member.email])
