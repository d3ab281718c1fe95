"""Issue 15, finding 3: a household upload with a line the engine's csv reader cannot read (a cell over the
csv module's field limit) is refused in French, naming the line, without reading the file into memory."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pacte.screening import files
from pacte.screening.models import ScreeningJob
from tests.helpers import is_login
from tests.screening.factories import EXAMPLE

HEADER = b"foyer_id,role,date_naissance,depcom\n"
PERSON = b"F1,demandeur,1980-01-01,44109\n"


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


def test_a_line_over_the_field_limit_is_found_by_its_number():
    content = HEADER + PERSON * 3 + b"F2,demandeur," + b"x" * 140_000 + b",44109\n" + PERSON
    assert files.first_long_line(io.BytesIO(content)) == 5


@pytest.mark.parametrize("chunk", [7, 1000, 1024 * 1024])
def test_the_line_is_found_whatever_the_chunks(monkeypatch, chunk):
    monkeypatch.setattr(files, "READ_CHUNK", chunk)
    content = b"a\nbb\n" + b"c" * 50 + b"\nd"
    assert files.first_long_line(io.BytesIO(content), 10) == 3
    assert files.first_long_line(io.BytesIO(b"a\nbb\nd" + b"e" * 20), 10) == 3  # the last line, unterminated
    assert files.first_long_line(io.BytesIO(b"a\nbb\n" * 100), 10) is None


def test_an_ordinary_file_of_several_chunks_passes_and_is_left_at_its_start():
    upload = SimpleUploadedFile("menages.csv", HEADER + PERSON * 100_000)  # about 3 MB
    upload.read(10)
    assert files.first_long_line(upload) is None
    assert upload.tell() == 0
    files.check_line_lengths(upload)


def test_the_refusal_names_the_line_and_the_limit_in_french():
    upload = SimpleUploadedFile("menages.csv", HEADER + b"F1," + b"y" * (csv.field_size_limit() + 1) + b"\n")
    with pytest.raises(ValidationError) as raised:
        files.check_line_lengths(upload)
    message = plain(raised.value.messages[0])
    assert message.startswith(
        "Ligne 2 : la ligne dépasse 131 072 caractères, la longueur maximale d'une cellule"
    )
    assert "guillemet non fermé" in message


# --- The upload page --------------------------------------------------------------------------------------


def long_line_upload(territory) -> dict:
    lines = EXAMPLE.read_bytes().splitlines(keepends=True)
    content = b"".join([*lines[:2], b"F9,demandeur," + b"z" * 140_000 + b"\n", *lines[2:]])
    return {
        "fichier": SimpleUploadedFile("menages.csv", content, content_type="text/csv"),
        "mois": "2026-05",
        "territoire": territory.pk,
    }


def test_a_social_worker_uploading_a_long_line_is_told_its_number_and_nothing_is_queued(client, users, cog):
    client.force_login(users["worker"])
    response = client.post(reverse("screening:upload"), long_line_upload(cog["44"]))
    assert response.status_code == 200
    error = plain(response.context["form"].errors["fichier"][0])
    assert error.startswith("Ligne 3 : la ligne dépasse 131 072 caractères")
    assert not ScreeningJob.objects.exists()


def test_a_social_worker_elsewhere_gets_the_same_refusal_and_nothing_is_queued(client, users, cog):
    client.force_login(users["worker35"])
    response = client.post(reverse("screening:upload"), long_line_upload(cog["44"]))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert plain(errors["fichier"][0]).startswith("Ligne 3 : la ligne dépasse")
    assert errors["territoire"] == ["Choisissez un territoire de votre périmètre."]
    assert not ScreeningJob.objects.exists()


def test_an_anonymous_upload_of_a_long_line_is_sent_to_sign_in(client, cog):
    response = client.post(reverse("screening:upload"), long_line_upload(cog["44"]))
    assert is_login(response)
    assert not ScreeningJob.objects.exists()
