"""Attaching a batch job to a territoire zéro non-recours, and detaching it: two POSTs from the screening block
of the experiment's page (`templatetags/screening_tznr.py`), which they return to with a French message."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from pacte.screening import tznr_link
from pacte.screening.models import ExperimentScreening, ScreeningJob
from pacte.tznr import perms as tznr_perms
from pacte.tznr.models import Experiment

ANCHOR = "#reperage-non-recours"


def _back(experiment):
    return redirect(experiment.get_absolute_url() + ANCHOR)


def _experiment(user, pk: int) -> Experiment:
    experiment = get_object_or_404(Experiment.objects.prefetch_related("territories"), pk=pk)
    if not tznr_perms.can_follow(user, experiment):
        raise PermissionDenied
    return experiment


@login_required
@require_POST
def attach(request, pk: int):
    experiment = _experiment(request.user, pk)
    job_id = (request.POST.get("traitement") or "").strip()
    if not job_id.isdigit() or len(job_id) > 12:
        messages.error(request, "Traitement : choisissez un traitement dans la liste.")
        return _back(experiment)
    job = ScreeningJob.objects.select_related("territory").filter(pk=int(job_id)).first()
    if job is None:
        messages.error(request, f"Traitement : le traitement n° {job_id} n'existe pas.")
        return _back(experiment)
    try:
        tznr_link.attach_job(request.user, experiment, job, request.POST.get("moment", ""))
    except PermissionDenied:
        messages.error(request, f"Traitement : vous ne pouvez pas consulter le traitement n° {job.pk}.")
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, f"Traitement n° {job.pk} rattaché à l'expérimentation.")
    return _back(experiment)


@login_required
@require_POST
def detach(request, pk: int, link: int):
    experiment = _experiment(request.user, pk)
    row = get_object_or_404(ExperimentScreening, pk=link, experiment=experiment)
    tznr_link.detach_job(request.user, row)
    messages.success(request, f"Traitement n° {row.job_id} détaché de l'expérimentation.")
    return _back(experiment)
