"""Issue 15, finding 3: the CSV import of notified ceilings refuses a cell over the csv field limit and a file
over its row limit in French, naming the line or the limit, instead of a server error."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pacte.contracts.models import NotifiedAllocation
from pacte.contracts.services.allocations import import_allocations
from tests.helpers import is_login

IMPORT = reverse("contracts:allocations_import")
HEADER = "territoire;enveloppe;annee;montant;notifie_le;reference\n"
GOOD = "44;france_travail;2024;300000;15/01/2024;ref\n"


def long_cell_file() -> bytes:
    return (HEADER + GOOD + "44;france_travail;2025;1;15/01/2025;" + "x" * 140_000 + "\n").encode()


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


def test_a_cell_over_the_field_limit_is_refused_naming_its_line(world):
    before = NotifiedAllocation.objects.count()
    with pytest.raises(ValidationError) as raised:
        import_allocations(long_cell_file(), user=world.national)
    assert [plain(text) for text in raised.value.message_dict["file"]] == [
        "Ligne 3 : une cellule dépasse 131 072 caractères, la limite d'une cellule CSV (un guillemet non "
        "fermé réunit les lignes suivantes en une seule cellule)."
    ]
    assert NotifiedAllocation.objects.count() == before


def test_a_file_over_the_row_limit_is_refused_naming_the_limit(world, settings):
    settings.ALLOCATIONS_IMPORT_MAX_ROWS = 3
    with pytest.raises(ValidationError) as raised:
        import_allocations((HEADER + GOOD * 5).encode(), user=world.national)
    assert raised.value.message_dict["file"] == [
        "Le fichier compte plus de 3 lignes de plafonds : la limite est de 3 lignes par import. Découpez-le."
    ]


def test_a_file_within_the_row_limit_is_imported(world, settings):
    settings.ALLOCATIONS_IMPORT_MAX_ROWS = 1
    report = import_allocations((HEADER + GOOD).encode(), user=world.national)
    assert report.created + report.updated + report.unchanged == 1


def test_national_steering_uploading_a_long_cell_gets_the_reason_on_the_page(client, world):
    client.force_login(world.national)
    before = NotifiedAllocation.objects.count()
    response = client.post(IMPORT, {"file": SimpleUploadedFile("plafonds.csv", long_cell_file())})
    content = plain(response.content.decode())
    assert response.status_code == 200 and "Rien n’a été importé" in content
    assert "Ligne 3 : une cellule dépasse 131 072 caractères" in content
    assert NotifiedAllocation.objects.count() == before


def test_other_roles_may_not_upload_and_an_anonymous_visitor_is_sent_to_sign_in(client, world):
    for user in (world.commissioner, world.ddets_a):
        client.force_login(user)
        response = client.post(IMPORT, {"file": SimpleUploadedFile("plafonds.csv", long_cell_file())})
        assert response.status_code == 403
    client.logout()
    response = client.post(IMPORT, {"file": SimpleUploadedFile("plafonds.csv", long_cell_file())})
    assert is_login(response)
