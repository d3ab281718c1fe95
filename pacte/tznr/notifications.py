"""Who is told of each event of the territoires zéro non-recours (`pacte.accounts.notifications`), by the rules of
`tznr.perms`:
- a period transmitted: the DDETS of the département and the commissioner of the région (`can_review_period`);
- a period validated or sent back: the members of the porteur organisation.
The messages name the territory and the period; never a figure of the period, never the State's observations."""

from pacte.accounts import notifications
from pacte.accounts.enums import Role
from pacte.accounts.models import User
from pacte.tznr import perms


def _period_label(period) -> str:
    return f"du {period.start:%d/%m/%Y} au {period.end:%d/%m/%Y}"


def period_submitted(period, actor) -> int:
    experiment = period.experiment
    territories = [experiment.region, experiment.departement, *experiment.territories.all()]
    recipients = [
        user
        for user in notifications.candidates((Role.DDETS, Role.REGIONAL_COMMISSIONER), territories)
        if perms.can_review_period(user, period)
    ]
    return notifications.notify(
        "tznr_periode_transmise",
        recipients=recipients,
        subject=f"Territoire zéro non-recours – période à valider – {experiment.name}",
        url=period.get_absolute_url(),
        context={"experiment": experiment, "period_label": _period_label(period)},
        actor=actor,
    )


def period_reviewed(period, actor) -> int:
    experiment = period.experiment
    if experiment.porteur_id is None:
        return 0
    members = User.objects.filter(
        organisation_id=experiment.porteur_id, role__in=perms.PORTEUR_ROLES, is_active=True
    ).exclude(email="")
    validated = period.status == "validee"
    return notifications.notify(
        "tznr_periode_validee" if validated else "tznr_periode_renvoyee",
        recipients=list(members),
        subject=(
            f"Territoire zéro non-recours – période {'validée' if validated else 'à corriger'} – {experiment.name}"
        ),
        url=period.get_absolute_url(),
        context={"experiment": experiment, "period_label": _period_label(period)},
        actor=actor,
    )
