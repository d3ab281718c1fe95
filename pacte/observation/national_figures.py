"""The published national figures of the national targets (data/chiffres_nationaux.yaml): each the latest value
found in a public source, with its period, field, source, date of publication, address and the sentence quoted;
or, where nothing was found, « pas de donnée publiée » with what was searched. Nothing here is estimated.

The file is written by hand from the sources (its header gives the rules of provenance); `load_national_figures`
reads it through `core.datafiles.YamlFile` (French errors with line and field) and replaces the figures of the
database with it, in one transaction (`pacte load_observation` calls it after the indicators). The barometer
(`observation/barometer/reads.py`) reads them as the national statistic of their target.

One entry:

    - cible: a1-r4-eleves            # a code of the référentiel (programme/data/referentiel.yaml)
      nature: observation            # or « base »: the published level a relative target starts from;
                                     # or « part »: the published share of the objective reached (« la moitié
                                     # des 30 000 places […] a été créée »: valeur 50, unite « % de l'objectif »)
      valeur: 1410000
      unite: élèves
      periode: année scolaire 2023-2024   # as published; its last year (2024) is the year of the value
      champ: France entière
      source: Bulletin officiel de l'Éducation nationale n° 23 de 2024 (…)
      date_publication: 2024-05-21   # or 2024-05, or 2024
      adresse: https://education.gouv.fr/bo/2024/Hebdo23/MENE2413111C
      citation: « Plus de 1 410 000 élèves ont bénéficié d'une bourse (…) »
      fiabilite: A                   # A official source read first-hand, B official figure reported, C secondary

    - cible: a3-n1-domiciliations
      statut: pas de donnée publiée
      recherche: Requêtes (…) ; pages lues (…).

An entry of « nature: note » is a reviewer's note and is not loaded; an entry whose target is not in the référentiel
(a target removed or renamed) is not loaded and is named in the report.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Literal

from django.db import transaction
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pacte import formatting
from pacte.core.datafiles import YamlFile, YamlFileError
from pacte.observation.enums import SHARE_UNIT, FigureNature
from pacte.observation.models import NationalFigure, published_display

DATA_FILE = Path(__file__).resolve().parent / "data" / "chiffres_nationaux.yaml"
YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")
PUBLISHED = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


# --- The file ------------------------------------------------------------------------------------------------


class FigureItem(BaseModel):
    model_config = ConfigDict(extra="forbid")
    cible: str = Field(min_length=1, max_length=60)
    nature: Literal["observation", "base", "part", "note"] = "observation"
    statut: Literal["pas de donnée publiée"] | None = None
    valeur: Decimal | None = None
    unite: str = Field(default="", max_length=60)
    periode: str | int | date | None = None
    annee: int | None = Field(default=None, ge=1900, le=2100)
    champ: str = Field(default="", max_length=300)
    source: str = ""
    date_publication: str | int | date | None = None
    adresse: str = Field(default="", max_length=500)
    citation: str = ""
    fiabilite: Literal["A", "B", "C"] | None = None
    note: str = ""
    recherche: str = ""

    @model_validator(mode="after")
    def complete(self) -> "FigureItem":
        if self.nature == "note":
            return self
        if self.valeur is None:
            if self.statut is None:
                raise ValueError("une valeur (« valeur ») ou « statut: pas de donnée publiée » est attendu")
            if not self.recherche.strip():
                raise ValueError(
                    "« recherche » doit dire ce qui a été cherché quand aucune donnée n'est publiée"
                )
            return self
        if self.statut is not None:
            raise ValueError("une entrée avec une valeur n'a pas de « statut »")
        if self.nature == FigureNature.SHARE and (self.unite != SHARE_UNIT or not 0 <= self.valeur <= 1000):
            raise ValueError(
                f"une part de l'objectif (« nature: part ») a pour unité « {SHARE_UNIT} » et une valeur en % "
                "(50 pour la moitié)"
            )
        missing = [
            name
            for name in ("periode", "source", "adresse", "citation")
            if not str(getattr(self, name) or "").strip()
        ]
        if missing:
            raise ValueError(f"une valeur publiée doit avoir : {', '.join(missing)}")
        if not self.adresse.startswith(("http://", "https://")):
            raise ValueError("« adresse » doit être une adresse web (http:// ou https://)")
        if self.year is None:
            raise ValueError("« periode » doit contenir une année (ou donnez « annee »)")
        if self.published is None:
            raise ValueError("« date_publication » attendue au format AAAA, AAAA-MM ou AAAA-MM-JJ")
        return self

    @property
    def period_text(self) -> str:
        if isinstance(self.periode, date):
            return formatting.date(self.periode)
        return "" if self.periode is None else str(self.periode)

    @property
    def year(self) -> int | None:
        """`annee`, else the last year written in the period (« année scolaire 2023-2024 » → 2024)."""
        if self.annee is not None:
            return self.annee
        if isinstance(self.periode, date):
            return self.periode.year
        years = YEAR.findall(str(self.periode or ""))
        return int(years[-1]) if years else None

    @property
    def published(self) -> str | None:
        value = self.date_publication
        if value is None:
            return ""
        text = value.isoformat() if isinstance(value, date) else str(value).strip()
        return text if PUBLISHED.match(text) else None


class NationalFiguresFileError(YamlFileError):
    """The message is French and names the file, the line and the field."""


@dataclass
class NationalFiguresReport:
    published: int = 0
    bases: int = 0
    not_published: int = 0
    targets: set[str] = field(default_factory=set)
    unknown: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = (
            f"Chiffres nationaux publiés : {formatting.plural(self.published, 'valeur')}, "
            f"{formatting.plural(self.bases, 'niveau de départ', 'niveaux de départ')}, "
            f"{formatting.plural(self.not_published, 'cible')} sans donnée publiée "
            f"({formatting.plural(len(self.targets), 'cible')} en tout)."
        )
        if self.unknown:
            text += (
                f"\nEntrées ignorées, cible absente du référentiel : {', '.join(sorted(set(self.unknown)))}."
            )
        return text


def read_file(path: Path = DATA_FILE) -> list[FigureItem]:
    """The entries of the file, checked; NationalFiguresFileError otherwise."""
    data_file = YamlFile(path, error_class=NationalFiguresFileError)
    if not isinstance(data_file.data, list):
        raise data_file.error((), "liste d'entrées attendue (chacune commence par « - cible: »)")
    problems = []
    items = []
    for index, raw in enumerate(data_file.data):
        try:
            items.append(FigureItem.model_validate(raw))
        except ValidationError as exc:
            problems += [data_file.translate(error, (index,)) for error in exc.errors()]
    if problems:
        raise NationalFiguresFileError(path, problems)
    return items


@transaction.atomic
def load_national_figures(path: Path | None = None) -> NationalFiguresReport:
    """Replace the national figures with those of the file (repeatable: the file is the truth)."""
    from pacte.programme.models import Target

    items = read_file(path or DATA_FILE)
    targets = dict(Target.objects.filter(code__in={item.cible for item in items}).values_list("code", "pk"))
    report = NationalFiguresReport()
    rows = []
    for index, item in enumerate(items):
        if item.nature == "note":
            continue
        if item.cible not in targets:
            report.unknown.append(item.cible)
            continue
        report.targets.add(item.cible)
        if item.valeur is None:
            report.not_published += 1
        elif item.nature == FigureNature.BASE:
            report.bases += 1
        else:
            report.published += 1
        rows.append(
            NationalFigure(
                target_id=targets[item.cible],
                nature=item.nature,
                value=item.valeur,
                unit=item.unite,
                period=item.period_text,
                year=item.year if item.valeur is not None else None,
                scope=item.champ,
                source=item.source.strip(),
                published=item.published or "",
                url=item.adresse,
                quote=item.citation.strip(),
                reliability=item.fiabilite or "",
                note=item.note.strip(),
                searched=item.recherche.strip(),
                order=index + 1,
            )
        )
    NationalFigure.objects.all().delete()
    NationalFigure.objects.bulk_create(rows)
    return report


def sources_markdown(path: Path = DATA_FILE) -> str:
    """The list of sources of the file, as the table of docs/barometre.md (« Sources des chiffres nationaux »):
    regenerate it there when the file changes."""
    lines = [
        "| Cible | Valeur | Période | Source (date de publication) | Fiabilité |",
        "| --- | --- | --- | --- | --- |",
    ]
    searched = []
    for item in read_file(path):
        if item.nature == "note":
            continue
        if item.valeur is None:
            searched.append(f"`{item.cible}`")
            continue
        value = f"{formatting.number(item.valeur)} {item.unite}".strip()
        if item.nature == FigureNature.BASE:
            value += " (niveau de départ)"
        elif item.nature == FigureNature.SHARE:
            value += " (part publiée)"
        source = " ".join(item.source.split()).replace("|", "/")
        when = published_display(item.published or "")
        lines.append(
            f"| `{item.cible}` | {value} | {item.period_text} | [{source}]({item.adresse})"
            f"{f' ({when})' if when else ''} | {item.fiabilite or ''} |"
        )
    text = "\n".join(lines)
    if searched:
        text += (
            "\n\nPas de donnée publiée (ce qui a été cherché est dans le fichier, champ « recherche », et sur la page "
            f"de chaque cible) : {', '.join(dict.fromkeys(searched))}."
        )
    return text
