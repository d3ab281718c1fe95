"""The screening block of a territoire zéro non-recours' page: `{% load screening_tznr %}{% experiment_screening
experiment user %}` — the batch jobs attached, the NRPE before and after on the same communes and their gap
(statistical secrecy), the form to attach a job. Nothing for a user who does not follow the experiment."""

from django import template

from pacte import formatting
from pacte.screening import perms, secrecy, tznr_link
from pacte.screening.models import ExperimentMoment
from pacte.tznr import perms as tznr_perms

register = template.Library()


@register.inclusion_tag("screening/_tznr_screening.html", takes_context=True)
def experiment_screening(context, experiment, user):
    if not tznr_perms.can_follow(user, experiment):
        return {"follows": False}
    nrpe = tznr_link.experiment_nrpe(experiment)
    gap_text = None
    if nrpe.gap is not None:
        sign = "+" if nrpe.gap > 0 else ""
        gap_text = f"{sign}{formatting.number(nrpe.gap, 1)} {formatting.plural_word(abs(nrpe.gap), 'point')}"
    return {
        "follows": True,
        "experiment": experiment,
        "nrpe": nrpe,
        "gap_text": gap_text,
        "links": [(link, perms.can_view_job(user, link.job)) for link in nrpe.links],
        "attachable": tznr_link.attachable_jobs(user, experiment),
        "moments": ExperimentMoment.choices,
        "min_households": secrecy.MIN_HOUSEHOLDS,
        "secret_sentence": tznr_link.SECRET_SENTENCE,
        "csrf_token": context.get("csrf_token"),
    }
