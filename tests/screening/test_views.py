"""Every page of /droits/ with a user allowed, a user of the same role outside the scope and an anonymous
visitor; the upload's French messages; the private downloads."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from pacte.screening import files
from pacte.screening.enums import JobStatus
from pacte.screening.models import ScreeningJob
from tests.screening.factories import EXAMPLE, ScreeningAggregateFactory, ScreeningJobFactory

LOGIN = reverse("accounts:login")


@pytest.fixture
def job(users, cog):
    job = ScreeningJobFactory(uploader=users["worker"], territory=cog["44"], done=True)
    ScreeningAggregateFactory(job=job, territory=cog["44109"], households=4, non_take_up_households=3)
    ScreeningAggregateFactory(
        job=job, territory=cog["44"], level="departement", households=4, non_take_up_households=3
    )
    ScreeningAggregateFactory(
        job=job,
        territory=cog["44"],
        level="departement",
        benefit="rsa",
        households=4,
        non_take_up_households=2,
        non_take_up_amount=1271,
    )
    return job


def as_user(client, user):
    client.force_login(user)
    return client


def upload(content: bytes | None = None, name: str = "menages.csv", **fields) -> dict:
    content = EXAMPLE.read_bytes() if content is None else content
    return {
        "fichier": SimpleUploadedFile(name, content, content_type="text/csv"),
        "mois": "2026-05",
        **fields,
    }


# --- Home page --------------------------------------------------------------------------------------------


def test_the_home_page_lists_own_jobs_with_links_to_the_tools(client, users, job):
    content = as_user(client, users["worker"]).get(reverse("screening:index")).content.decode()
    assert reverse("screening:simulator") in content and reverse("screening:upload") in content
    assert job.get_absolute_url() in content


def test_a_social_worker_elsewhere_sees_the_tools_but_not_the_job(client, users, job):
    content = as_user(client, users["worker35"]).get(reverse("screening:index")).content.decode()
    assert reverse("screening:upload") in content
    assert job.get_absolute_url() not in content


def test_an_association_may_simulate_but_not_upload(client, users):
    content = as_user(client, users["association"]).get(reverse("screening:index")).content.decode()
    assert reverse("screening:simulator") in content and reverse("screening:upload") not in content


def test_the_home_page_asks_an_anonymous_visitor_to_sign_in_and_refuses_a_user_without_role(client, users):
    response = client.get(reverse("screening:index"))
    assert response.status_code == 302 and response.url.startswith(LOGIN)
    assert as_user(client, users["nobody"]).get(reverse("screening:index")).status_code == 403


# --- Upload -----------------------------------------------------------------------------------------------


def test_a_social_worker_uploads_a_file_for_its_territory(client, users, cog, private_media):
    as_user(client, users["worker"])
    page = client.get(reverse("screening:upload")).content.decode()
    assert 'enctype="multipart/form-data"' in page and "Taille maximale : 200\u202fMo" in page
    response = client.post(reverse("screening:upload"), upload(territoire=cog["44"].pk))
    job = ScreeningJob.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert (job.status, job.uploader, job.territory, job.month) == (
        JobStatus.QUEUED,
        users["worker"],
        cog["44"],
        "2026-05",
    )
    stored = files.path_of(job.upload_name)
    assert stored.read_bytes() == EXAMPLE.read_bytes()
    assert stored.is_relative_to(private_media) and "menages" not in stored.name


def test_a_social_worker_elsewhere_may_not_upload_for_this_territory(client, users, cog):
    response = as_user(client, users["worker35"]).post(
        reverse("screening:upload"), upload(territoire=cog["44"].pk)
    )
    assert response.status_code == 200
    assert "Territoire : Choisissez un territoire de votre périmètre." in response.content.decode()
    assert not ScreeningJob.objects.exists()


@pytest.mark.parametrize("who", ["association", "ddets44", "national", "nobody"])
def test_other_roles_may_not_open_the_upload_page(client, users, who):
    assert as_user(client, users[who]).get(reverse("screening:upload")).status_code == 403


def test_the_upload_page_asks_an_anonymous_visitor_to_sign_in(client):
    response = client.post(reverse("screening:upload"), upload())
    assert response.status_code == 302 and response.url.startswith(LOGIN)
    assert not ScreeningJob.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "mois", "message"),
    [
        (
            b"foyer_id,date_naissance\nF1,1980-01-01\n",
            "m.csv",
            "2026-05",
            "colonne obligatoire absente : role",
        ),
        (b"", "m.csv", "2026-05", "Le fichier est vide."),
        (b"foyer_id,role,date_naissance\n", "m.csv", "2026-05", "ne contient que l&#x27;en-tête"),
        ("foyer_id,rôle\n".encode("latin-1"), "m.csv", "2026-05", "pas encodé en UTF-8"),
        (None, "menages.xlsx", "2026-05", "extension .csv ou .txt"),
        (None, "m.csv", "2026-13", "« 2026-13 » n&#x27;est pas un mois : choisissez-en un dans la liste"),
        (None, "m.csv", "2023-12", "Le calcul commence en janvier 2024"),
        (None, "m.csv", "2099-01", "ne peut pas dépasser le mois prochain"),
        (None, "m.csv", "", "Indiquez le mois du calcul"),
    ],
)
def test_a_bad_upload_gets_a_french_message_naming_the_field(
    client, users, cog, content, name, mois, message
):
    response = as_user(client, users["worker"]).post(
        reverse("screening:upload"), upload(content, name, territoire=cog["44"].pk, mois=mois)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ScreeningJob.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, users, cog, settings):
    settings.RIGHTS_UPLOAD_MAX_SIZE = 100
    response = as_user(client, users["worker"]).post(
        reverse("screening:upload"), upload(territoire=cog["44"].pk)
    )
    assert "Fichier des ménages (CSV, format v2) : Le fichier pèse" in response.content.decode()
    assert not ScreeningJob.objects.exists()


def test_a_full_disk_on_upload_keeps_the_form_with_a_french_message(client, users, cog, monkeypatch):
    from pacte.screening import jobs

    def full(**_fields):
        raise jobs.StorageFull("Le disque des fichiers déposés est plein : rien n'a été gardé.")

    monkeypatch.setattr(jobs, "submit", full)
    response = as_user(client, users["worker"]).post(
        reverse("screening:upload"), upload(territoire=cog["44"].pk)
    )
    assert response.status_code == 200
    assert "Le disque des fichiers déposés est plein" in response.content.decode()
    assert not ScreeningJob.objects.exists()


# --- Job page and status ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["worker", "ddets44", "cd44", "commissioner52", "national"])
def test_the_uploader_and_the_territory_steering_see_the_job_and_its_summary(client, users, job, who):
    response = as_user(client, users[who]).get(job.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert "Nantes" in content
    # 4 households: the benefits are listed to the uploader only (queries.JobSummary.benefits_withheld)
    assert ("Revenu de solidarité active (RSA)" in content) is (who == "worker")
    assert reverse("screening:job_summary", args=[job.pk]) in content
    assert (reverse("screening:job_results", args=[job.pk]) in content) is (who == "worker")


@pytest.mark.parametrize("who", ["colleague", "worker35", "ddets35", "cd35", "commissioner53", "association"])
def test_others_may_not_see_the_job(client, users, job, who):
    client = as_user(client, users[who])
    assert client.get(job.get_absolute_url()).status_code == 403
    assert client.get(reverse("screening:job_status", args=[job.pk])).status_code == 403
    assert client.get(reverse("screening:job_summary", args=[job.pk])).status_code == 403


def test_the_job_pages_ask_an_anonymous_visitor_to_sign_in(client, job):
    for name in ("job", "job_status", "job_results", "job_rejects", "job_summary"):
        response = client.get(reverse(f"screening:{name}", args=[job.pk]))
        assert response.status_code == 302 and response.url.startswith(LOGIN), name


def test_an_unknown_job_is_not_found(client, users):
    assert as_user(client, users["worker"]).get(reverse("screening:job", args=[999])).status_code == 404


def test_a_running_job_shows_a_progress_bar_that_polls_its_status(client, users, cog):
    job = ScreeningJobFactory(
        uploader=users["worker"], territory=cog["44"], running=True, total_rows=200, rows=50
    )
    client = as_user(client, users["worker"])
    content = client.get(job.get_absolute_url()).content.decode()
    assert '<progress id="job-progress"' in content and 'value="25"' in content
    assert "25\u202f% – 50 lignes lues sur 200, 0 foyer examiné, 0 refusé." in content
    assert "screening/progress.js" in content and 'http-equiv="refresh"' in content
    status = client.get(reverse("screening:job_status", args=[job.pk]))
    assert status["Cache-Control"].startswith("max-age=0") or "no-store" in status["Cache-Control"]
    assert status.json() == {
        "status": "en_cours",
        "status_label": "En cours",
        "finished": False,
        "percent": 25,
        "rows": 50,
        "total_rows": 200,
        "households": 0,
        "rejected": 0,
        "text": "25\u202f% – 50 lignes lues sur 200, 0 foyer examiné, 0 refusé.",
    }


def test_a_done_job_writes_its_counts_shares_and_amounts_the_french_way(client, users, job):
    job.households, job.rows, job.rejected = 1500, 3200, 1
    job.save()
    content = as_user(client, users["worker"]).get(job.get_absolute_url()).content.decode()
    assert "Droits estimés pour mai 2026." in content
    assert ": 3\u202f200 lignes lues, 1\u202f500 foyers examinés, 1 foyer refusé." in content
    rsa = content.split("Revenu de solidarité active (RSA)")[1].split("</tr>")[0]
    assert "<td>2</td><td>2</td><td>1\u202f271\u202f€ par mois</td>" in rsa
    nantes = content.split("Nantes (commune 44109)")[1].split("</tr>")[0]
    assert "<td>4</td><td>3</td><td>75\u202f%</td><td>0\u202f€</td>" in nantes


def test_a_failed_job_shows_its_french_message(client, users, cog):
    job = ScreeningJobFactory(uploader=users["worker"], territory=cog["44"], failed=True)
    content = as_user(client, users["worker"]).get(job.get_absolute_url()).content.decode()
    assert "Le traitement a échoué" in content and "colonne obligatoire absente : role" in content


# --- Downloads --------------------------------------------------------------------------------------------


def test_the_uploader_downloads_the_households_as_a_french_spreadsheet(client, users, job):
    client = as_user(client, users["worker"])
    response = client.get(reverse("screening:job_results", args=[job.pk]))
    body = b"".join(response.streaming_content).decode()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store, private"
    assert 'filename="droits-traitement-' in response["Content-Disposition"]
    assert body.startswith("\ufefffoyer_id;prestation;periode;montant;")
    assert "F001;rsa;2026-05;635,71;non;oui;a_verifier" in body
    rejects = client.get(reverse("screening:job_rejects", args=[job.pk]))
    assert (
        '4;F009;"colonne « role » : « parent » inconnu ; valeurs possibles'
        in b"".join(rejects.streaming_content).decode()
    )


@pytest.mark.parametrize("who", ["ddets44", "national", "colleague", "worker35"])
def test_no_one_but_the_uploader_downloads_the_households(client, users, job, who):
    client = as_user(client, users[who])
    assert client.get(reverse("screening:job_results", args=[job.pk])).status_code == 403
    assert client.get(reverse("screening:job_rejects", args=[job.pk])).status_code == 403


def test_purged_results_are_gone_with_a_french_page(client, users, job):
    files.delete(job.results_name)
    ScreeningJob.objects.filter(pk=job.pk).update(results_name="", results_purged_at=timezone.now())
    response = as_user(client, users["worker"]).get(reverse("screening:job_results", args=[job.pk]))
    assert response.status_code == 410
    assert "ont été supprimés" in response.content.decode()


def test_the_uploader_downloads_every_count_per_territory_and_benefit(client, users, job):
    response = as_user(client, users["worker"]).get(reverse("screening:job_summary", args=[job.pk]))
    lines = response.content.decode().splitlines()
    assert lines[0] == (
        "\ufeffniveau;code;territoire;prestation;libelle_prestation;foyers_examines;foyers_non_recours;"
        "montant_mensuel_non_recours;foyers_non_recours_probable;montant_mensuel_probable;"
        "montant_mensuel_si_droits_ouverts;montant_annuel_non_recours;montant_annuel_probable"
    )
    assert (
        "departement;44;Loire-Atlantique;rsa;Revenu de solidarité active (RSA);4;2;1271;2;1271;1271;0;0"
        in lines
    )
    assert "commune;44109;Nantes;;toutes;4;3;0;3;0;0;0;0" in lines
    assert (
        "traitement;44;Loire-Atlantique;rsa;Revenu de solidarité active (RSA);4;2;1271;2;1271;1271;0;0"
        in lines
    )


def test_the_steering_downloads_the_summary_under_statistical_secrecy(client, users, job):
    response = as_user(client, users["ddets44"]).get(reverse("screening:job_summary", args=[job.pk]))
    lines = response.content.decode().splitlines()
    secret = ";".join(["secret"] * 8)
    assert f"commune;44109;Nantes;;toutes;{secret}" in lines  # 4 households screened
    assert not [line for line in lines if line.startswith("traitement;")]  # 4 households: no line per benefit
    assert not [
        line for line in lines if "1271" in line or line.startswith("departement;44;Loire-Atlantique;rsa")
    ]


def test_the_summary_of_an_unfinished_job_is_not_found(client, users, cog):
    job = ScreeningJobFactory(uploader=users["worker"], territory=cog["44"])
    assert (
        as_user(client, users["worker"]).get(reverse("screening:job_summary", args=[job.pk])).status_code
        == 404
    )


def test_the_expiry_date_is_shown_to_the_uploader(client, users, job):
    job.results_expire_at = timezone.now() + timedelta(days=3)
    job.save()
    content = as_user(client, users["worker"]).get(job.get_absolute_url()).content.decode()
    assert "seront supprimées le" in content
