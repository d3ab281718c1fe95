"""The territories selected by the arrêté du 4 août 2023 (JORF n° 0188 du 15 août 2023), loaded into the register
from data/territoires.yaml.

The file is written by hand from the sources (its header says how; each entry carries its source, address,
quoted sentence and reliability A/B/C). An entry that no public copy names keeps `nom: null` and
`statut: non identifié` with the searches made: it is loaded as a row « non identifié » so that the register's
count is the arrêté's, and replaced by its name when a source is found.

`load_register` is repeatable (`pacte setup` runs it): an entry is matched by its rank (`numero`); what comes
from the text (name, article, chef de file, territories, source) follows the file; what the porteurs and the
State keep on the platform (description, status, porteur, contacts, budget, periods) is never touched, and the
partners, operational porteur and start date of the file are written only where the platform has none.
"""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from django.db import transaction
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pacte import formatting
from pacte.core.datafiles import YamlFile, YamlFileError
from pacte.territories.enums import Level
from pacte.territories.models import Territory
from pacte.tznr.enums import LeadKind
from pacte.tznr.models import Experiment
from pacte.tznr.services import place

DATA_FILE = Path(__file__).resolve().parent / "data" / "territoires.yaml"
LEVELS = {
    "commune": Level.COMMUNE,
    "epci": Level.EPCI,
    "departement": Level.DEPARTEMENT,
    "region": Level.REGION,
}
LEAD_KINDS = {
    Level.COMMUNE: LeadKind.COMMUNE,
    Level.EPCI: LeadKind.EPCI,
    Level.DEPARTEMENT: LeadKind.DEPARTEMENT,
}


class RegisterFileError(YamlFileError):
    pass


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CogRef(Strict):
    niveau: Literal["commune", "epci", "departement", "region"]
    code: str = Field(min_length=2, max_length=9)


class PublishedFunding(Strict):
    montant: int = Field(ge=0)
    financeur: str | None = None
    periode: str
    citation: str


class Entry(Strict):
    numero: int = Field(ge=1, le=39)
    nom: str | None = None
    article: Literal[1, 2]
    article_deduit: bool = False
    chef_de_file: str | None = None
    porteur_operationnel: str | None = None
    territoires: list[CogRef] = []
    debut: date | None = None
    partenaires: list[str] = []
    financement_publie: PublishedFunding | None = None
    source: str | None = None
    adresse: str | None = None
    citation: str | None = None
    fiabilite: Literal["A", "B", "C"] | None = None
    statut: Literal["identifié", "non identifié"]
    recherche: str | None = None


class Decree(Strict):
    titre: str
    objet: str
    jorf: str
    adresse: str
    adresse_legifrance: str | None = None
    visas: str
    article_2_citation: str
    article_2_source: str
    article_2_adresse: str
    nombre_territoires: int = Field(ge=1)
    nombre_identifies: int = Field(ge=0)


class RegisterDocument(Strict):
    arrete: Decree
    territoires: list[Entry]


@dataclass
class RegisterReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    unidentified: int = 0
    numbers: set[int] = field(default_factory=set)

    def summary(self) -> str:
        return (
            f"Territoires zéro non-recours de l'arrêté du 4 août 2023 (dont non identifiés : {self.unidentified}) : "
            f"{formatting.plural(self.created, 'créé')}, "
            f"{formatting.plural(self.updated, 'mis à jour', 'mis à jour')}, "
            f"{formatting.plural(self.unchanged, 'inchangé')}."
        )


def read_document(path: Path = DATA_FILE) -> tuple[YamlFile, RegisterDocument]:
    """The file checked against its schema (no database); RegisterFileError otherwise."""
    data_file = YamlFile(path, error_class=RegisterFileError)
    try:
        return data_file, RegisterDocument.model_validate(data_file.data)
    except ValidationError as exc:
        raise RegisterFileError(path, [data_file.translate(error) for error in exc.errors()]) from None


def read_file(path: Path = DATA_FILE) -> tuple[RegisterDocument, dict[int, list[Territory]]]:
    """The document, checked, and the COG territories of each entry; RegisterFileError otherwise."""
    data_file, document = read_document(path)
    wanted = {(LEVELS[ref.niveau], ref.code) for entry in document.territoires for ref in entry.territoires}
    found = {
        (t.level, t.code): t
        for t in Territory.objects.filter(
            code__in={code for _, code in wanted}, is_active=True
        ).select_related("region", "departement")
    }
    problems = []
    if len(document.territoires) != document.arrete.nombre_territoires:
        problems.append(
            data_file.problem(
                ("territoires",),
                f"{len(document.territoires)} entrées pour les {document.arrete.nombre_territoires} territoires de "
                "l'arrêté",
            )
        )
    named = sum(entry.statut == "identifié" for entry in document.territoires)
    if named != document.arrete.nombre_identifies:
        problems.append(
            data_file.problem(("arrete", "nombre_identifies"), f"{named} entrées identifiées dans la liste")
        )
    territories: dict[int, list[Territory]] = {}
    seen: dict[int, int] = {}
    for index, entry in enumerate(document.territoires):
        where = ("territoires", index)
        if entry.numero in seen:
            problems.append(
                data_file.problem((*where, "numero"), f"rang déjà pris par l'entrée {seen[entry.numero]}")
            )
        seen.setdefault(entry.numero, index)
        identified = entry.statut == "identifié"
        if identified and not (entry.nom and entry.territoires and entry.source and entry.citation):
            problems.append(
                data_file.problem(
                    where, "un territoire identifié a un nom, des territoires, une source et une citation"
                )
            )
        if not identified and not entry.recherche:
            problems.append(
                data_file.problem((*where, "recherche"), "dites quelles recherches ont été faites")
            )
        refs = []
        for position, ref in enumerate(entry.territoires):
            territory = found.get((LEVELS[ref.niveau], ref.code))
            if territory is None:
                problems.append(
                    data_file.problem(
                        (*where, "territoires", position, "code"),
                        f"aucun territoire « {ref.niveau} » de code {ref.code} dans le COG",
                    )
                )
            else:
                refs.append(territory)
        placing = place(refs)[2] if refs else None
        if placing:
            problems.append(data_file.problem((*where, "territoires"), placing.rstrip(".")))
        territories[entry.numero] = refs
    if problems:
        raise RegisterFileError(path, problems)
    return document, territories


def _lead_kind(entry: Entry, territories: list[Territory]) -> str:
    operational = (entry.porteur_operationnel or "").upper()
    if operational.startswith(("CCAS", "CIAS")):
        return LeadKind.CCAS
    if len(territories) == 1:
        return LEAD_KINDS.get(territories[0].level, LeadKind.OTHER)
    return LeadKind.OTHER


def _capitalised(name: str) -> str:
    """« ville de Grigny » as the arrêté writes it becomes « Ville de Grigny » in a list."""
    return name[:1].upper() + name[1:]


def _funding_text(funding: PublishedFunding | None) -> str:
    if funding is None:
        return ""
    funder = funding.financeur or "financeur non nommé par la source"
    return f"{formatting.euros(funding.montant)} {funding.periode} ({funder}) : {' '.join(funding.citation.split())}"


@transaction.atomic
def load_register(path: Path | None = None) -> RegisterReport:
    document, territories = read_file(path or DATA_FILE)
    existing = {e.decree_number: e for e in Experiment.objects.filter(decree_number__isnull=False)}
    report = RegisterReport()
    for entry in document.territoires:
        refs = territories[entry.numero]
        identified = entry.statut == "identifié"
        region, departement, _ = place(refs) if refs else (None, None, None)
        values = {
            "name": _capitalised(entry.nom)
            if identified
            else f"Territoire n° {entry.numero} de l'arrêté (non identifié)",
            "article": entry.article,
            "lead_name": entry.chef_de_file or (_capitalised(entry.nom) if identified else "non publié"),
            "lead_kind": _lead_kind(entry, refs),
            "region": region,
            "departement": departement,
            "identified": identified,
            "research": (entry.recherche or "").strip(),
            "source": (entry.source or "").strip(),
            "source_url": entry.adresse or "",
            "source_quote": (entry.citation or "").strip(),
            "reliability": entry.fiabilite or "",
            "published_funding": _funding_text(entry.financement_publie),
        }
        if_blank = {
            "partners": "\n".join(entry.partenaires),
            "operational_lead": entry.porteur_operationnel or "",
            "start_date": entry.debut,
        }
        experiment = existing.get(entry.numero)
        if experiment is None:
            experiment = Experiment.objects.create(decree_number=entry.numero, **values, **if_blank)
            report.created += 1
        else:
            changed = False
            for name, value in values.items():
                if getattr(experiment, name) != value:
                    setattr(experiment, name, value)
                    changed = True
            for name, value in if_blank.items():
                if value and not getattr(experiment, name):
                    setattr(experiment, name, value)
                    changed = True
            if changed:
                experiment.save()
                report.updated += 1
            else:
                report.unchanged += 1
        if set(experiment.territories.values_list("pk", flat=True)) != {t.pk for t in refs}:
            experiment.territories.set(refs)
        report.numbers.add(entry.numero)
        report.unidentified += not identified
    return report
