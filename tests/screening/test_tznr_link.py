"""The batch jobs of a territoire zéro non-recours: attached by whom follows the experiment and may see the job,
only a finished job of its territories; the NRPE before and after on the same communes, under the statistical
secrecy (11 households, and no hidden commune of a job page recomputed by subtraction); the block of the
experiment's page and its two POSTs (allowed, same role outside, anonymous)."""

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.template import Context, Template
from django.urls import reverse

from pacte.screening import tznr_link
from pacte.screening.enums import AggregateLevel
from pacte.screening.models import ExperimentMoment, ExperimentScreening
from tests.screening.factories import ScreeningAggregateFactory, ScreeningJobFactory
from tests.territories.factories import CommuneFactory
from tests.tznr.factories import ExperimentFactory, tznr_cast

BEFORE, AFTER = ExperimentMoment.BEFORE, ExperimentMoment.AFTER


@pytest.fixture
def cast(region, loire_atlantique, vendee):
    return tznr_cast(region, loire_atlantique, vendee)


def screened(territory, households, probable, uploader=None, **lines):
    """A finished job on `territory` with its line for the commune `territory` (or the lines given as
    {commune: (households, probable)} with their département's)."""
    job = ScreeningJobFactory(done=True, territory=territory, uploader=uploader, write_files=False)
    communes = lines.get("communes") or {territory: (households, probable)}
    for commune, (size, count) in communes.items():
        ScreeningAggregateFactory(
            job=job,
            territory=commune,
            households=size,
            non_take_up_households=count,
            probable_households=count,
        )
    if lines.get("communes"):
        ScreeningAggregateFactory(
            job=job,
            level=AggregateLevel.DEPARTEMENT,
            territory=territory,
            households=sum(size for size, _ in communes.values()),
            non_take_up_households=sum(count for _, count in communes.values()),
        )
    return job


def test_the_nrpe_before_and_after_and_its_gap(cast):
    before = screened(cast.nantes, 100, 20, uploader=cast.porteur)
    after = screened(cast.nantes, 120, 12, uploader=cast.porteur)
    tznr_link.attach_job(cast.porteur, cast.experiment, before, BEFORE)
    tznr_link.attach_job(cast.commissioner, cast.experiment, after, AFTER)
    nrpe = tznr_link.experiment_nrpe(cast.experiment)
    assert [(m.moment, m.households, m.probable, m.rate) for m in nrpe.moments] == [
        (BEFORE, 100, 20, 20),
        (AFTER, 120, 12, 10),
    ]
    assert nrpe.same_scope and nrpe.gap == -10 and not nrpe.has_secret


def test_a_figure_on_fewer_than_11_households_is_secret_and_so_is_the_gap(cast):
    tznr_link.attach_job(
        cast.porteur, cast.experiment, screened(cast.nantes, 100, 20, uploader=cast.porteur), BEFORE
    )
    tznr_link.attach_job(
        cast.porteur, cast.experiment, screened(cast.nantes, 8, 2, uploader=cast.porteur), AFTER
    )
    nrpe = tznr_link.experiment_nrpe(cast.experiment)
    after = nrpe.moments[1]
    assert after.secret and (after.households, after.rate) == (None, None)
    assert nrpe.gap is None and nrpe.gap_secret


def test_a_commune_hidden_on_the_job_page_is_not_given_by_the_common_scope(cast, loire_atlantique):
    """Before: a job of the département on Nantes (100 households) and Rezé (5): its page hides Rezé, and Nantes
    too (the département's total would give Rezé away). After: Nantes only. The common scope is Nantes: the
    figure before would give Rezé away by subtraction, so it is secret."""
    reze = CommuneFactory(code="44143", name="Rezé", parent=loire_atlantique)
    wide = ExperimentFactory(commune=cast.nantes, covers=[loire_atlantique], porteur=cast.ccas_nantes)
    before = screened(loire_atlantique, 0, 0, communes={cast.nantes: (100, 30), reze: (5, 1)})
    tznr_link.attach_job(cast.national, wide, before, BEFORE)
    tznr_link.attach_job(cast.national, wide, screened(cast.nantes, 50, 5), AFTER)
    nrpe = tznr_link.experiment_nrpe(wide)
    assert [m.communes for m in nrpe.moments] == [1, 1]
    assert nrpe.moments[0].secret and not nrpe.moments[1].secret and nrpe.gap_secret
    # With 50 households in Rezé, nothing is hidden on the job page: the figure on Nantes is given.
    ExperimentScreening.objects.filter(job=before).delete()
    larger = screened(loire_atlantique, 0, 0, communes={cast.nantes: (100, 30), reze: (50, 1)})
    tznr_link.attach_job(cast.national, wide, larger, BEFORE)
    nrpe = tznr_link.experiment_nrpe(wide)
    assert (nrpe.moments[0].households, nrpe.moments[0].rate, nrpe.gap) == (100, 30, -20)
    # The form offers the jobs of the département's communes, not those elsewhere.
    on_reze = screened(reze, 40, 4)
    screened(cast.brest, 40, 4)
    assert tznr_link.attachable_jobs(cast.national, wide) == [on_reze, before]  # before: detached above


def test_only_a_follower_who_sees_the_job_attaches_a_finished_job_of_the_territory(cast):
    job = screened(cast.nantes, 100, 20, uploader=cast.porteur)
    with pytest.raises(PermissionDenied):
        tznr_link.attach_job(cast.other_porteur, cast.experiment, job, BEFORE)  # the same role elsewhere
    colleague_job = screened(cast.nantes, 100, 20, uploader=cast.other_porteur)
    with pytest.raises(PermissionDenied):
        tznr_link.attach_job(cast.porteur, cast.experiment, colleague_job, BEFORE)  # a job it may not see
    with pytest.raises(ValidationError) as error:
        tznr_link.attach_job(cast.national, cast.experiment, screened(cast.brest, 100, 20), BEFORE)
    assert "porte sur Brest, hors des territoires de l'expérimentation (Nantes)" in str(error.value)
    running = ScreeningJobFactory(running=True, territory=cast.nantes, uploader=cast.porteur)
    with pytest.raises(ValidationError) as error:
        tznr_link.attach_job(cast.porteur, cast.experiment, running, "pendant")
    assert "n'est pas terminé" in str(error.value) and "« avant » ou « après »" in str(error.value)
    link = tznr_link.attach_job(cast.porteur, cast.experiment, job, AFTER)
    with pytest.raises(ValidationError) as error:
        tznr_link.attach_job(cast.porteur, cast.experiment, job, BEFORE)
    assert "déjà rattaché" in str(error.value)
    assert tznr_link.attachable_jobs(cast.porteur, cast.experiment) == []
    with pytest.raises(PermissionDenied):
        tznr_link.detach_job(cast.other_porteur, link)
    tznr_link.detach_job(cast.porteur, link)
    assert tznr_link.attachable_jobs(cast.porteur, cast.experiment) == [job]


def render(experiment, user) -> str:
    template = Template("{% load screening_tznr %}{% experiment_screening experiment user %}")
    return template.render(Context({"experiment": experiment, "user": user, "csrf_token": "jeton"}))


def test_the_block_is_for_the_followers_only(cast):
    job = screened(cast.nantes, 100, 20, uploader=cast.porteur)
    tznr_link.attach_job(cast.porteur, cast.experiment, job, BEFORE)
    html = render(cast.experiment, cast.porteur)
    assert "Repérage du non-recours avant et après" in html
    assert f"traitement n° {job.pk}" in html and "20,0" in html
    assert "Aucun autre traitement terminé" in html  # the only job is attached
    for outsider in (cast.other_porteur, cast.other_commissioner, AnonymousUser()):
        assert render(cast.experiment, outsider).strip() == ""


def test_the_experiment_page_shows_the_block(client, cast):
    job = screened(cast.nantes, 100, 20, uploader=cast.porteur)
    client.force_login(cast.porteur)
    content = client.get(cast.experiment.get_absolute_url()).content.decode()
    assert 'id="reperage-non-recours"' in content and f"n° {job.pk} – Nantes" in content


def test_the_attach_and_detach_posts(client, cast):
    job = screened(cast.nantes, 100, 20, uploader=cast.porteur)
    attach = reverse("screening:tznr_attach", args=[cast.experiment.pk])
    data = {"traitement": job.pk, "moment": AFTER}
    response = client.post(attach, data)
    assert response.status_code == 302 and response.url.startswith(reverse(settings.LOGIN_URL))
    assert not ExperimentScreening.objects.exists()
    client.force_login(cast.other_porteur)
    assert client.post(attach, data).status_code == 403
    client.force_login(cast.porteur)
    assert client.get(attach).status_code == 405
    response = client.post(attach, data)
    assert response.url == cast.experiment.get_absolute_url() + "#reperage-non-recours"
    link = ExperimentScreening.objects.get(experiment=cast.experiment, job=job, moment=AFTER)
    response = client.post(attach, {"traitement": "n'importe quoi", "moment": AFTER}, follow=False)
    assert response.status_code == 302 and ExperimentScreening.objects.count() == 1
    detach = reverse("screening:tznr_detach", args=[cast.experiment.pk, link.pk])
    client.force_login(cast.other_porteur)
    assert client.post(detach).status_code == 403
    client.force_login(cast.porteur)
    assert client.post(detach).status_code == 302
    assert not ExperimentScreening.objects.exists()
