"""`pacte load_concertation`: the platform's file by default, another with `--fichier` (or its former English
spelling `--file`), a French message naming the option for a file that does not exist."""

import io

import pytest
from django.core.management import CommandError, call_command

from pacte.governance.models import ConcertationTheme
from pacte.governance.services.concertation import THEMES_FILE

ONE_THEME = """\
source_file: essai.txt
themes:
  - code: essai
    kind: theme
    number: 1
    title: Un thème d'essai
"""


def test_it_loads_the_platforms_themes_by_default_then_changes_nothing():
    out = io.StringIO()
    call_command("load_concertation", stdout=out)
    assert "Thèmes de la concertation : 8 créés, 0 mis à jour, 0 inchangé." in out.getvalue()
    from pacte.core import data_version

    before = data_version.current()
    call_command("load_concertation", stdout=out)
    assert "Thèmes de la concertation : 0 créé, 0 mis à jour, 8 inchangés." in out.getvalue()
    assert ConcertationTheme.objects.count() == 8
    # Nothing written the second time: the public pages kept stay valid.
    assert data_version.current() == before


def test_a_theme_changed_in_the_file_is_updated(tmp_path):
    path = tmp_path / "themes.yaml"
    path.write_text(ONE_THEME, encoding="utf-8")
    call_command("load_concertation", "--fichier", str(path), stdout=io.StringIO())
    path.write_text(ONE_THEME.replace("Un thème d'essai", "Un thème d'essai renommé"), encoding="utf-8")
    out = io.StringIO()
    call_command("load_concertation", "--fichier", str(path), stdout=out)
    assert "0 créé, 1 mis à jour, 0 inchangé" in out.getvalue()
    assert ConcertationTheme.objects.get(code="essai").title == "Un thème d'essai renommé"


@pytest.mark.parametrize("option", ["--fichier", "--file"])
def test_it_loads_another_file_under_its_french_name_or_the_former_english_one(tmp_path, option):
    path = tmp_path / "themes.yaml"
    path.write_text(ONE_THEME, encoding="utf-8")
    out = io.StringIO()
    call_command("load_concertation", option, str(path), stdout=out)
    assert "1 créé, 0 mis à jour, 0 inchangé" in out.getvalue()
    assert list(ConcertationTheme.objects.values_list("code", "title")) == [("essai", "Un thème d'essai")]


def test_a_missing_file_gets_a_french_message_naming_the_option(tmp_path):
    with pytest.raises(CommandError, match="--fichier : le fichier « .*absent.yaml » est introuvable."):
        call_command("load_concertation", "--fichier", str(tmp_path / "absent.yaml"))
    assert not ConcertationTheme.objects.exists()


def test_the_help_shows_the_french_option_and_the_default_file(capsys):
    with pytest.raises(SystemExit):
        call_command("load_concertation", "--help")
    help_text = capsys.readouterr().out
    assert "--fichier FICHIER, --file FICHIER" in help_text and THEMES_FILE.name in help_text


def test_a_malformed_file_is_refused_with_the_line_and_the_field_and_writes_nothing(tmp_path):
    path = tmp_path / "themes.yaml"
    path.write_text(ONE_THEME.replace("kind: theme", "kind: atelier"), encoding="utf-8")
    with pytest.raises(CommandError, match=r"ligne 4, champ « themes\[0\]\.kind » : valeur inconnue"):
        call_command("load_concertation", "--fichier", str(path))
    assert not ConcertationTheme.objects.exists()
