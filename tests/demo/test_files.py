"""The demo's data files (pacte/demo/data/*.yaml): each parses, says what it holds and that it is fictitious,
and a malformed one is refused with a French message naming the file, the line and the field."""

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from pacte.accounts.models import Organisation
from pacte.demo import files
from pacte.demo.accounts import AccountsFile, load_accounts_demo
from pacte.demo.contracts import ContractsFile, load_contracts_demo
from pacte.demo.files import DATA_DIR, DemoFileError
from pacte.demo.governance import GovernanceFile, load_governance_demo
from pacte.demo.grants import GrantsFile
from pacte.demo.observation import ObservationFile
from pacte.demo.roadmap import RoadmapFile
from pacte.demo.sponsorship import SponsorshipFile
from pacte.demo.tznr import TznrFile
from pacte.governance.models import Committee
from tests.demo.factories import TODAY

SCHEMAS = {
    "accounts.yaml": AccountsFile,
    "contracts.yaml": ContractsFile,
    "governance.yaml": GovernanceFile,
    "grants.yaml": GrantsFile,
    "observation.yaml": ObservationFile,
    "roadmap.yaml": RoadmapFile,
    "sponsorship.yaml": SponsorshipFile,
    "tznr.yaml": TznrFile,
}


def test_every_data_file_has_a_schema():
    assert sorted(path.name for path in DATA_DIR.glob("*.yaml")) == sorted(SCHEMAS)


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_data_file_parses_and_says_what_it_holds_and_that_it_is_fictitious(name):
    document, file = files.read(name, SCHEMAS[name])
    assert document is not None and file.path == DATA_DIR / name
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    header = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header.append(line)
    assert header, "the file starts with a comment"
    assert "donnée fictive" in " ".join(header).replace("#", "")


def test_the_contracts_file_expands_into_the_eight_conventions():
    from pacte.demo.contracts import _read

    document, conventions = _read("contracts.yaml")
    # Seven in Pays de la Loire, then the overseas convention of La Réunion.
    assert [len(convention.actions) for convention in conventions] == [5, 2, 4, 4, 5, 4, 5, 4]
    assert [convention.spec.kind for convention in conventions] == [
        "departement",
        "france_travail",
        "departement",
        "departement",
        "globale",
        "departement",
        "metropole",
        "departement",
    ]
    assert conventions[-1].spec.party.territory.departement == "974"
    loire_atlantique = conventions[0].actions
    # A type scaled to the département: costs and targets multiplied, rounded half up; "fixed" left alone.
    assert loire_atlantique[0].yearly_cost == [484, 572, 616, 616]
    assert loire_atlantique[0].indicators[1].baseline == 2
    assert loire_atlantique[1].cofunders[0].name == "CAF de Loire-Atlantique"
    assert loire_atlantique[1].indicators[0].targets == [1, 2, 3, 3]
    # The France Travail convention: its actions carry their volet.
    assert [action.volet for action in conventions[1].actions] == ["accompagnement_rsa", "solutions_locales"]
    assert document.story.last_event.isoformat() == "2026-07-03"


def _broken(tmp_path: Path, name: str, old: str, new: str) -> Path:
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _line_of(path: Path, fragment: str) -> int:
    return next(number for number, line in enumerate(path.read_text().splitlines(), 1) if fragment in line)


def test_a_wrong_value_is_named_with_its_file_line_and_field(tmp_path):
    path = _broken(tmp_path, "accounts.yaml", "role: social_worker", "role: travailleur")
    with pytest.raises(DemoFileError) as error:
        files.read(path, AccountsFile)
    message = str(error.value)
    assert message.startswith(
        f"Fichier {path}, ligne {_line_of(path, 'role: travailleur')}, champ « users[15].role »"
    )
    assert "valeur inconnue" in message and "social_worker" in message


def test_a_yaml_syntax_error_names_its_line(tmp_path):
    path = _broken(tmp_path, "grants.yaml", "  max_years: 3\n", "  max_years: [3\n")
    with pytest.raises(DemoFileError, match=rf"Fichier {path}, ligne \d+ : syntaxe YAML invalide"):
        files.read(path, GrantsFile)


def test_an_unknown_key_a_missing_field_and_a_key_given_twice_are_refused(tmp_path):
    path = _broken(tmp_path, "observation.yaml", "other_rates:", "autres_taux:")
    with pytest.raises(DemoFileError) as error:
        files.read(path, ObservationFile)
    assert "champ « autres_taux » : clé inconnue" in str(error.value)
    assert "champ « other_rates » : champ obligatoire manquant" in str(error.value)
    path = _broken(tmp_path, "observation.yaml", '  "93": 27.0\n', '  "93": 27.0\n  "93": 26.0\n')
    with pytest.raises(DemoFileError, match=r"ligne \d+, champ « rates\.93 » : clé présente deux fois"):
        files.read(path, ObservationFile)


def test_a_code_written_as_a_number_is_refused_with_a_hint(tmp_path):
    path = _broken(
        tmp_path, "accounts.yaml", 'territory: {departement: "44"}', "territory: {departement: 44}"
    )
    with pytest.raises(
        DemoFileError, match=r"champ « organisations\[3\]\.territory\.departement » : texte attendu"
    ):
        files.read(path, AccountsFile)


def test_a_meeting_time_is_written_in_french(tmp_path):
    path = _broken(tmp_path, "governance.yaml", "start: 10 h\n", "start: 10:00\n")
    with pytest.raises(
        DemoFileError, match=r"champ « regional_copil\.meetings\[0\]\.start » : heure attendue"
    ):
        files.read(path, GovernanceFile)


def test_a_fiche_action_of_an_unknown_type_names_its_line(prerequisites, tmp_path):
    path = _broken(tmp_path, "contracts.yaml", "{type: cantines, scale: 1.8}", "{type: cantine, scale: 1.8}")
    with pytest.raises(DemoFileError) as error:
        load_contracts_demo(today=TODAY, path=path)
    assert f"ligne {_line_of(path, 'type: cantine,')}" in str(error.value)
    assert "type de fiche-action « cantine » inconnu" in str(error.value)


def test_a_decision_owned_by_an_unknown_member_names_its_line_and_writes_nothing(prerequisites, tmp_path):
    path = _broken(tmp_path, "governance.yaml", "owner: ddets49", "owner: ddets50")
    with pytest.raises(DemoFileError) as error:
        load_governance_demo(today=TODAY, path=path)
    assert f"ligne {_line_of(path, 'owner: ddets50')}" in str(error.value)
    assert "aucun membre de l'instance ne porte la clé « ddets50 »" in str(error.value)
    assert not Committee.objects.exists()


def test_a_text_of_the_axis_committees_with_an_unknown_placeholder_is_refused(prerequisites, tmp_path):
    path = _broken(
        tmp_path, "governance.yaml", "secretariat: DDETS {departement}", "secretariat: DDETS {dept}"
    )
    with pytest.raises(DemoFileError, match=r"axis_committees\.committee.*texte à trous invalide"):
        load_governance_demo(today=TODAY, path=path)


def test_the_command_reports_a_malformed_file_in_french_and_writes_nothing(
    settings, pays_de_la_loire, tmp_path, monkeypatch
):
    settings.DEMO_MODE = True
    for path in DATA_DIR.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    broken = tmp_path / "accounts.yaml"
    broken.write_text(
        broken.read_text(encoding="utf-8").replace("kind: ccas", "kind: mairie"), encoding="utf-8"
    )
    monkeypatch.setattr(files, "DATA_DIR", tmp_path)
    line = _line_of(broken, "kind: mairie")
    with pytest.raises(
        CommandError, match=rf"Fichier {broken}, ligne {line}, champ « organisations\[15\]\.kind »"
    ):
        call_command("load_demo")
    assert not Organisation.objects.exists()
    monkeypatch.setattr(files, "DATA_DIR", DATA_DIR)
    assert (
        load_accounts_demo().organisations["created"] == 19
    )  # with the DEETS and the Département of La Réunion
