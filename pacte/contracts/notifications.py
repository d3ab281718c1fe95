"""Who is told of each event of a convention and its execution, and what (`pacte.accounts.notifications`).

Those who must act next, by the rules of `contracts.perms`:
- a report filed: the State's party, who validates it or sends it back (`can_review_report`: the DDETS of the
  convention's département and the regional commissioner);
- a report validated or sent back: the collectivité (`is_local_party`), who corrects it or moves on;
- a convention submitted: the State's party, who negotiates and validates its side (`acts_for_state`);
- one side's validation: the other side, whose validation is still missing; both validations: the State's party,
  who records the signature (`can_sign_contract`);
- a convention signed: the collectivité, which will report on its execution;
- the State's credits of a year notified (or raised): the collectivité, whose report of the year can then record
  the State's spending (`execution.credit_wait`).
The messages name the convention, the collectivité and the year; never an amount nor the State's observations."""

from django.urls import reverse

from pacte.accounts import notifications
from pacte.accounts.enums import Role
from pacte.contracts import perms
from pacte.contracts.enums import ContractStatus
from pacte.core.enums import ReportStatus


def _territories(contract) -> list:
    territories = [contract.territory]
    if contract.collectivite_id:
        territories += list(contract.collectivite.territories.all())
    return territories


def state_party(contract) -> list:
    """The DDETS and regional commissioners who act for the State on `contract`."""
    users = notifications.candidates((Role.DDETS, Role.REGIONAL_COMMISSIONER), _territories(contract))
    return [user for user in users if perms.acts_for_state(user, contract)]


def local_party(contract) -> list:
    """The users of the signing collectivité."""
    users = notifications.candidates((Role.LOCAL_AUTHORITY,), _territories(contract))
    return [user for user in users if perms.is_local_party(user, contract)]


def report_filed(report, actor) -> int:
    contract = report.contract
    return notifications.notify(
        "rapport_depose",
        recipients=[user for user in state_party(contract) if perms.can_review_report(user, report)],
        subject=f"Rapport d'exécution {report.year} déposé – {contract.signatory_name}",
        url=report.get_absolute_url(),
        context={"report": report, "contract": contract},
        actor=actor,
    )


def report_reviewed(report, actor) -> int:
    contract = report.contract
    validated = report.status == ReportStatus.VALIDATED
    return notifications.notify(
        "rapport_valide" if validated else "rapport_renvoye",
        recipients=local_party(contract),
        subject=(
            f"Rapport d'exécution {report.year} validé par l'État – {contract.signatory_name}"
            if validated
            else f"Rapport d'exécution {report.year} renvoyé pour correction – {contract.signatory_name}"
        ),
        url=report.get_absolute_url(),
        context={"report": report, "contract": contract},
        actor=actor,
    )


def contract_submitted(contract, actor) -> int:
    return notifications.notify(
        "contrat_soumis",
        recipients=state_party(contract),
        subject=f"Convention soumise à l'État – {contract.signatory_name}",
        url=contract.get_absolute_url(),
        context={"contract": contract},
        actor=actor,
    )


def contract_validated(contract, actor, *, side: str) -> int:
    """After the validation of `side` ("state" or "local")."""
    if contract.status == ContractStatus.VALIDATED:
        event, recipients = (
            "contrat_a_signer",
            [user for user in state_party(contract) if perms.can_sign_contract(user, contract)],
        )
        subject = f"Convention validée par les deux parties, à signer – {contract.signatory_name}"
    elif side == "state":
        event, recipients = "contrat_valide_etat", local_party(contract)
        subject = f"Convention validée par l'État, à valider par la collectivité – {contract.signatory_name}"
    else:
        event, recipients = "contrat_valide_collectivite", state_party(contract)
        subject = f"Convention validée par la collectivité, à valider par l'État – {contract.signatory_name}"
    return notifications.notify(
        event,
        recipients=recipients,
        subject=subject,
        url=contract.get_absolute_url(),
        context={"contract": contract},
        actor=actor,
    )


def contract_signed(contract, actor) -> int:
    return notifications.notify(
        "contrat_signe",
        recipients=local_party(contract),
        subject=f"Convention signée – {contract.signatory_name}",
        url=contract.get_absolute_url(),
        context={"contract": contract},
        actor=actor,
    )


def credits_notified(credit, previous_notified, actor=None) -> int:
    """When the credits notified for a year are recorded or raised (not for a change of what is committed or
    paid, which asks nothing of the collectivité)."""
    if not credit.notified or credit.notified <= (previous_notified or 0):
        return 0
    contract = credit.contract
    return notifications.notify(
        "credits_notifies",
        recipients=local_party(contract),
        subject=f"Crédits de l'État {credit.year} notifiés – {contract.signatory_name}",
        url=reverse("contracts:reports", kwargs={"pk": contract.pk}),
        context={"credit": credit, "contract": contract},
        actor=actor,
    )
