"""Who is told when the association answers a pledge: the commissioner of the project's région (who recorded it
for the company), never the commissioner of another région; the company's contact by e-mail
(`mails.pledge_answered`); never the amount nor the association's note."""

from django.core import mail as outbox

from pacte.core.mail import send_pending
from pacte.sponsorship import services
from tests.sponsorship.factories import PledgeFactory


def test_the_commissioner_is_told_of_an_accepted_pledge_the_other_region_s_is_not(
    commissioner, other_commissioner, member, project, company, django_capture_on_commit_callbacks
):
    pledge = PledgeFactory(project=project, company=company)
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_pledge(pledge, member, accept=True, note="Merci, rendez-vous le 3")
    send_pending()
    to_commissioner = [message for message in outbox.outbox if message.to == [commissioner.email]]
    assert len(to_commissioner) == 1
    message = to_commissioner[0]
    assert message.subject == "Pacte – Mécénat de proximité – promesse acceptée – Épicerie solidaire"
    assert "Entraide de test a accepté la promesse de mécénat" in message.body
    assert "Boulangerie Dupont" in message.body
    assert "2000" not in message.body and "2 000" not in message.body
    assert "rendez-vous le 3" not in message.body
    addresses = {address for sent in outbox.outbox for address in sent.to}
    assert other_commissioner.email not in addresses
    assert company.contact_email in addresses  # the company's e-mail (mails.pledge_answered)
    assert member.email not in addresses  # who acted is not told


def test_a_declined_pledge_is_told_as_declined(
    commissioner, member, project, company, django_capture_on_commit_callbacks
):
    pledge = PledgeFactory(project=project, company=company)
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_pledge(pledge, member, accept=False)
    send_pending()
    subjects = [message.subject for message in outbox.outbox if message.to == [commissioner.email]]
    assert subjects == ["Pacte – Mécénat de proximité – promesse déclinée – Épicerie solidaire"]
