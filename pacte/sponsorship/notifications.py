"""Who is told of each event of the mécénat de proximité (`pacte.accounts.notifications`), by the rules of
`sponsorship.perms`:
- a company registered: the commissioner(s) of its région (`can_decide_company`), who validate or refuse it;
- a pledge recorded: the members of the association (`can_answer_pledge`), who accept or decline it;
- a pledge accepted or declined: the commissioner(s) of the project's région (`is_commissioner_for`), who
  recorded it for the company (the company's contact gets an e-mail: `mails.pledge_answered`).
The messages name the company, the association and the project; never an amount, never free text."""

from pacte.accounts import notifications
from pacte.accounts.enums import Role
from pacte.accounts.models import User
from pacte.sponsorship import perms
from pacte.sponsorship.enums import PledgeStatus


def company_registered(company) -> int:
    recipients = [
        user
        for user in notifications.candidates((Role.REGIONAL_COMMISSIONER,), [company.commune])
        if perms.can_decide_company(user, company)
    ]
    return notifications.notify(
        "mecenat_entreprise_inscrite",
        recipients=recipients,
        subject=f"Mécénat de proximité – entreprise à valider – {company.name}",
        url=company.get_absolute_url(),
        context={"company": company},
    )


def pledge_recorded(pledge, actor) -> int:
    application = pledge.project.application
    members = User.objects.filter(
        organisation_id=application.organisation_id, role=Role.ASSOCIATION, is_active=True
    ).exclude(email="")
    return notifications.notify(
        "mecenat_promesse_proposee",
        recipients=[user for user in members if perms.can_answer_pledge(user, pledge)],
        subject=f"Mécénat de proximité – promesse à accepter ou décliner – {application.project_title}",
        url=pledge.project.get_absolute_url(),
        context={"pledge": pledge, "project": pledge.project},
        actor=actor,
    )


def pledge_answered(pledge, actor) -> int:
    project = pledge.project
    region = project.region
    recipients = [
        user
        for user in notifications.candidates((Role.REGIONAL_COMMISSIONER,), [region])
        if perms.is_commissioner_for(user, region)
    ]
    accepted = pledge.status == PledgeStatus.ACCEPTED
    return notifications.notify(
        "mecenat_promesse_repondue",
        recipients=recipients,
        subject=f"Mécénat de proximité – promesse {'acceptée' if accepted else 'déclinée'} – "
        f"{project.application.project_title}",
        url=project.get_absolute_url(),
        context={"pledge": pledge, "project": project, "accepted": accepted},
        actor=actor,
    )
