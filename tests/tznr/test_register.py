"""The territories of the arrêté du 4 août 2023 loaded into the register: the committed file is whole and its
codes are in the committed COG; loading is repeatable and never touches what the platform keeps; a faulty file is
refused with the line and the field."""

import csv
from pathlib import Path

import pytest
from django.core.management import call_command

from pacte.tznr import register
from pacte.tznr.enums import ExperimentStatus, LeadKind
from pacte.tznr.models import Experiment

COG = Path(register.__file__).resolve().parents[1] / "territories" / "data" / "cog2026"


def cog_codes() -> set[tuple[str, str]]:
    codes = set()
    for name, level in (("communes", "commune"), ("departements", "departement"), ("epci", "epci")):
        with open(COG / f"{name}.csv", encoding="utf-8") as handle:
            codes |= {(level, row["code"]) for row in csv.DictReader(handle)}
    return codes


def test_the_committed_file_holds_the_39_territories_of_the_arrete_with_their_sources():
    _, document = register.read_document()
    entries = document.territoires
    assert len(entries) == 39
    assert sorted(e.numero for e in entries) == list(range(1, 40))
    assert sum(e.article == 1 for e in entries) == 11  # « onze » territories in article 1
    identified = [e for e in entries if e.statut == "identifié"]
    assert len(identified) == document.arrete.nombre_identifies
    assert all(e.source and e.adresse and e.citation and e.fiabilite for e in identified)
    assert all(e.recherche and e.nom is None for e in entries if e.statut == "non identifié")
    known = cog_codes()
    missing = [(e.numero, r.code) for e in entries for r in e.territoires if (r.niveau, r.code) not in known]
    assert missing == []


def write(tmp_path, entries: str, count: int = 1, named: int = 1) -> Path:
    path = tmp_path / "territoires.yaml"
    path.write_text(
        f"""arrete:
  titre: Arrêté du 4 août 2023
  objet: liste
  jorf: JORF n° 0188 du 15 août 2023
  adresse: https://example.org/arrete
  visas: « Vu… »
  article_2_citation: « à compter du 1er janvier 2024 »
  article_2_source: Banque des Territoires
  article_2_adresse: https://example.org/bdt
  nombre_territoires: {count}
  nombre_identifies: {named}
territoires:
{entries}""",
        encoding="utf-8",
    )
    return path


NANTES = """  - numero: 1
    nom: ville de Nantes
    article: 1
    chef_de_file: Ville de Nantes
    porteur_operationnel: CCAS de Nantes
    territoires:
      - niveau: commune
        code: "44109"
    partenaires: [CAF de Loire-Atlantique]
    source: Arrêté du 4 août 2023
    adresse: https://example.org/arrete
    citation: « ville de Nantes »
    fiabilite: A
    statut: identifié
"""
UNKNOWN = """  - numero: 2
    nom: null
    article: 2
    statut: non identifié
    recherche: article 2 non lu
"""


def test_loading_is_repeatable_and_keeps_what_the_platform_holds(tmp_path, nantes, region, loire_atlantique):
    path = write(tmp_path, NANTES + UNKNOWN, count=2)
    report = register.load_register(path)
    assert (report.created, report.unidentified) == (2, 1)
    experiment = Experiment.objects.get(decree_number=1)
    assert experiment.name == "Ville de Nantes"
    assert (experiment.region, experiment.departement, experiment.lead_kind) == (
        region,
        loire_atlantique,
        LeadKind.CCAS,
    )
    assert list(experiment.territories.all()) == [nantes]
    assert experiment.partners == "CAF de Loire-Atlantique"
    unknown = Experiment.objects.get(decree_number=2)
    assert (unknown.identified, unknown.region, unknown.research) == (False, None, "article 2 non lu")

    Experiment.objects.filter(pk=experiment.pk).update(
        status=ExperimentStatus.ENDED, partners="CAF\nFrance Travail", description="Notre action"
    )
    report = register.load_register(path)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    experiment.refresh_from_db()
    assert (experiment.status, experiment.partners, experiment.description) == (
        ExperimentStatus.ENDED,
        "CAF\nFrance Travail",
        "Notre action",
    )


def test_an_unknown_code_is_refused_with_its_line(tmp_path, nantes):
    path = write(tmp_path, NANTES.replace('"44109"', '"99999"'))
    with pytest.raises(register.RegisterFileError) as error:
        register.load_register(path)
    assert "ligne 20" in str(error.value)
    assert "aucun territoire « commune » de code 99999 dans le COG" in str(error.value)
    assert not Experiment.objects.filter(decree_number__isnull=False).exists()


def test_an_identified_entry_needs_its_source_and_the_counts_must_match(tmp_path, nantes):
    path = write(tmp_path, NANTES.replace("    citation: « ville de Nantes »\n", ""), count=2)
    with pytest.raises(register.RegisterFileError) as error:
        register.load_register(path)
    text = str(error.value)
    assert "une source et une citation" in text
    assert "1 entrées pour les 2 territoires de l'arrêté" in text


def test_the_command_loads_the_file(tmp_path, nantes, capsys):
    call_command("load_tznr", "--fichier", str(write(tmp_path, NANTES)))
    assert "1 créé, 0 mis à jour, 0 inchangé" in capsys.readouterr().out
    assert Experiment.objects.get(decree_number=1).name == "Ville de Nantes"
