from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from pacte.observation.enums import BatchStatus
from pacte.observation.importers import import_file
from pacte.observation.models import ImportBatch, Observation
from tests.accounts.factories import UserFactory
from tests.helpers import keep_menu_count
from tests.observation.factories import IndicatorFactory
from tests.observation.import_factories import grant_regional_import
from tests.territories.factories import DepartementFactory, RegionFactory

INSEE = (
    "CODGEO;LIBGEO;TP6021;MED21\n44;Loire-Atlantique;10,9;24 120\n49;Maine-et-Loire;12,4;s\n99;Inconnu;1;1\n"
)


@pytest.fixture
def cog():
    region = RegionFactory(code="52", name="Pays de la Loire")
    return {
        "region": region,
        "44": DepartementFactory(code="44", name="Loire-Atlantique", parent=region),
        "49": DepartementFactory(code="49", name="Maine-et-Loire", parent=region),
    }


@pytest.fixture
def indicators():
    return [IndicatorFactory(code="TP60"), IndicatorFactory(code="MED", kind="montant", unit="€")]


@pytest.fixture
def national(client):
    user = UserFactory(national=True, first_name="Claire", last_name="Pilote")
    client.force_login(user)
    return user


@pytest.fixture
def commissioner(client, cog):
    user = UserFactory(commissioner=True, territory=cog["region"])
    client.force_login(user)
    return user


def _regional_batch(user):
    return ImportBatch.objects.create(
        file_name="region.csv",
        file_hash="1" * 64,
        status=BatchStatus.SUCCEEDED,
        user=user,
        region=user.territory,
        started_at=timezone.now(),
        finished_at=timezone.now(),
    )


def upload(text: str = INSEE, name: str = "filosofi.csv", **fields) -> dict:
    return {"fichier": SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv"), **fields}


@pytest.fixture
def batch(cog, indicators, tmp_path):
    path = tmp_path / "filosofi.csv"
    path.write_text(INSEE, encoding="utf-8")
    return import_file(path, file_name="filosofi.csv").batch


# --- Upload page ------------------------------------------------------------------------------------------


def test_national_steering_sees_the_upload_form(client, national, batch):
    response = client.get(reverse("observation:import"))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in content
    assert 'class="fr-upload"' in content and "fr-upload-group" in content
    assert "Taille maximale : 50\u202fMo" in content
    assert "Derniers imports" in content and "filosofi.csv" in content


def test_a_regional_commissioner_opens_the_upload_page_of_the_region(client, commissioner, batch):
    response = client.get(reverse("observation:import"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Import régional" in content and "<strong>Pays de la Loire</strong>" in content
    assert "filosofi.csv" not in content  # the national import is not the région's


def test_a_member_of_a_region_without_the_permission_may_not_open_the_upload_page(client, cog):
    client.force_login(UserFactory(association=True, territory=cog["44"]))
    assert client.get(reverse("observation:import")).status_code == 403


def test_a_member_of_the_gt_pauvrete_opens_the_upload_page_of_the_region(client, cog):
    client.force_login(grant_regional_import(UserFactory(association=True, territory=cog["44"])))
    assert "<strong>Pays de la Loire</strong>" in client.get(reverse("observation:import")).content.decode()


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(reverse("observation:import"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_an_upload_imports_the_file_and_shows_its_report(client, national, cog, indicators):
    response = client.post(reverse("observation:import"), upload(), follow=True)
    batch = ImportBatch.objects.get()
    content = response.content.decode()
    assert response.redirect_chain == [(reverse("observation:import_detail", args=[batch.pk]), 302)]
    assert (batch.user, batch.status, batch.created) == (national, BatchStatus.SUCCEEDED, 4)
    assert Observation.objects.get(indicator__code="TP60", territory__code="44").value == D("10.9")
    assert "Import de « filosofi.csv » enregistré" in content
    assert "code département « 99 » inconnu du COG" in content
    assert "Format détecté : CSV, INSEE" in content


def test_options_of_the_form_are_passed_to_the_importer(client, national, cog, indicators):
    client.post(reverse("observation:import"), upload(indicateurs="TP60"))
    assert set(Observation.objects.values_list("indicator__code", flat=True)) == {"TP60"}


def test_a_trial_upload_shows_the_counts_without_writing(client, national, cog, indicators):
    response = client.post(reverse("observation:import"), upload(essai="on"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Rien n’a été enregistré" in content
    assert "Lignes qui seraient rejetées" in content and "« 99 » inconnu du COG" in content
    assert not Observation.objects.exists() and not ImportBatch.objects.exists()


def test_an_unusable_upload_shows_why_on_the_file_field_and_records_the_failure(
    client, national, cog, indicators
):
    response = client.post(reverse("observation:import"), upload("Nom;Valeur\nNantes;3\n", name="notes.csv"))
    content = response.content.decode()
    failed = ImportBatch.objects.get()
    assert response.status_code == 200
    assert "Rien n’a été importé" in content
    assert "Aucune ligne d&#x27;en-tête reconnue" in content
    assert reverse("observation:import_detail", args=[failed.pk]) in content
    assert failed.status == BatchStatus.FAILED and failed.user == national
    assert not Observation.objects.exists()


def test_an_unknown_indicator_is_reported_on_the_indicators_field(client, national, cog, indicators):
    response = client.post(reverse("observation:import"), upload(indicateurs="XYZ"))
    errors = response.context["form"].errors
    assert list(errors) == ["indicateurs"]
    assert "Indicateur « XYZ » inconnu" in errors["indicateurs"][0]


def test_a_file_over_the_size_limit_is_refused_with_a_clear_message(
    client, national, cog, indicators, settings
):
    settings.OBSERVATION_IMPORT_MAX_SIZE = 50
    response = client.post(reverse("observation:import"), upload())
    assert "Le fichier pèse" in response.context["form"].errors["fichier"][0]
    assert "la limite est de" in response.context["form"].errors["fichier"][0]
    assert not Observation.objects.exists()


def test_a_missing_file_is_asked_for(client, national, cog, indicators):
    response = client.post(reverse("observation:import"), {"annee": "deux mille"})
    errors = response.context["form"].errors
    assert errors["fichier"] == ["Choisissez le fichier à importer."]
    assert errors["annee"] == ["Saisissez une année sur quatre chiffres, par exemple 2021."]
    assert not ImportBatch.objects.exists()


def test_a_regional_commissioner_uploads_for_the_region_only(client, commissioner, cog, indicators):
    DepartementFactory(code="35", name="Ille-et-Vilaine", parent=RegionFactory(code="53", name="Bretagne"))
    text = "CODGEO;TP6021\n44;10,9\n35;11,0\n"
    response = client.post(reverse("observation:import"), upload(text))
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and batch.region == cog["region"]
    assert list(Observation.objects.values_list("territory__code", flat=True)) == ["44"]
    content = client.get(response.url).content.decode()
    assert "Import régional : territoires de la région Pays de la Loire seulement." in content
    assert "Ille-et-Vilaine (35) est hors de votre région (Pays de la Loire)" in content


def test_the_same_role_of_another_region_writes_nothing_here(client, cog, indicators):
    client.force_login(UserFactory(commissioner=True, territory=RegionFactory(code="53", name="Bretagne")))
    response = client.post(reverse("observation:import"), upload())
    assert response.status_code == 200
    assert "Loire-Atlantique (44) est hors de votre région (Bretagne)" in response.content.decode()
    assert not Observation.objects.exists()


def test_an_anonymous_upload_is_sent_to_the_login_page(client, cog, indicators):
    response = client.post(reverse("observation:import"), upload())
    assert response.status_code == 302
    assert not ImportBatch.objects.exists()


# --- List, detail, rejects --------------------------------------------------------------------------------


def test_national_steering_lists_the_imports_with_a_fixed_number_of_queries(
    client, national, batch, django_assert_max_num_queries
):
    for number in range(30):
        ImportBatch.objects.create(
            file_name=f"ancien-{number}.csv",
            file_hash="0" * 64,
            status=BatchStatus.FAILED,
            user=national,
            started_at=batch.started_at,
            finished_at=batch.finished_at,
            message="Le fichier est vide.",
        )
    keep_menu_count(national)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("observation:imports"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "ancien-29.csv" in content and "échoué" in content
    assert "1 / 2" in content
    assert "Claire Pilote" in content


def test_a_regional_commissioner_lists_the_imports_of_the_region_only(client, commissioner, batch):
    regional = _regional_batch(commissioner)
    content = client.get(reverse("observation:imports")).content.decode()
    assert regional.file_name in content and "filosofi.csv" not in content


def test_a_member_without_the_permission_may_not_list_the_imports(client, cog):
    client.force_login(UserFactory(association=True, territory=cog["44"]))
    assert client.get(reverse("observation:imports")).status_code == 403


def test_an_anonymous_visitor_may_not_list_the_imports(client):
    response = client.get(reverse("observation:imports"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_the_detail_of_an_import_shows_its_counts_and_rejected_rows(client, national, batch):
    response = client.get(reverse("observation:import_detail", args=[batch.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert f"Import n°&nbsp;{batch.pk} – filosofi.csv" in content
    assert "valeurs créées" in content
    assert (
        '<td class="fr-cell--right">4</td><td>CODGEO</td><td>code département « 99 » inconnu du COG</td>'
        in content
    )
    assert reverse("observation:import_rejects", args=[batch.pk]) in content


def test_the_detail_of_a_failed_import_says_nothing_was_written(client, national, cog, indicators):
    client.post(reverse("observation:import"), upload("", name="vide.csv"))
    failed = ImportBatch.objects.get()
    content = client.get(reverse("observation:import_detail", args=[failed.pk])).content.decode()
    assert "Rien n’a été écrit" in content and "Le fichier est vide." in content


def test_an_unknown_import_is_not_found(client, national):
    assert client.get(reverse("observation:import_detail", args=[999])).status_code == 404


def test_a_regional_commissioner_sees_the_imports_of_the_region_not_the_national_ones(
    client, commissioner, batch
):
    regional = _regional_batch(commissioner)
    assert client.get(reverse("observation:import_detail", args=[regional.pk])).status_code == 200
    assert client.get(reverse("observation:import_detail", args=[batch.pk])).status_code == 404


def test_the_commissioner_of_another_region_may_not_see_the_regions_import(client, commissioner):
    regional = _regional_batch(commissioner)
    client.force_login(UserFactory(commissioner=True, territory=RegionFactory(code="53", name="Bretagne")))
    assert client.get(reverse("observation:import_detail", args=[regional.pk])).status_code == 404
    assert client.get(reverse("observation:import_rejects", args=[regional.pk])).status_code == 404


def test_an_anonymous_visitor_may_not_see_an_import(client, batch):
    response = client.get(reverse("observation:import_detail", args=[batch.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_the_rejected_rows_download_as_csv(client, national, batch):
    response = client.get(reverse("observation:import_rejects", args=[batch.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines == ["ligne;colonne;motif", "4;CODGEO;code département « 99 » inconnu du COG"]


def test_a_regional_commissioner_downloads_the_rejects_of_the_region_only(client, commissioner, batch):
    regional = _regional_batch(commissioner)
    assert client.get(reverse("observation:import_rejects", args=[regional.pk])).status_code == 200
    assert client.get(reverse("observation:import_rejects", args=[batch.pk])).status_code == 404


def test_a_member_without_the_permission_may_not_download_the_rejects(client, cog, batch):
    client.force_login(UserFactory(association=True, territory=cog["44"]))
    assert client.get(reverse("observation:import_rejects", args=[batch.pk])).status_code == 403


def test_an_anonymous_visitor_may_not_download_the_rejects(client, batch):
    response = client.get(reverse("observation:import_rejects", args=[batch.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
