"""Load the indicator definitions and the national reference figures from data/indicateurs.yaml.

The load is repeatable: an indicator is found by its code and updated only when a field changed; a national
value is found by (indicator, year). Values imported from files or typed elsewhere are never touched. The
whole load is one transaction; a bad file writes nothing and the message names the line and the field.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from pydantic import BaseModel, ConfigDict, Field

from pacte import formatting
from pacte.core.datafiles import YamlFile, YamlFileError
from pacte.observation.enums import NationalScope, ValueKind, ValueStatus
from pacte.observation.models import Indicator, Observation

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "indicateurs.yaml"


class NationalValueItem(BaseModel):
    model_config = ConfigDict(extra="forbid")
    period: int = Field(ge=1900, le=2100)
    value: Decimal
    source: str = Field(min_length=3)
    scope: NationalScope | None = None  # France entière or France métropolitaine (the ERFS); empty: not said


class IndicatorItem(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(pattern=r"^[A-Z][A-Z0-9_]{1,39}$")
    label: str = Field(min_length=3, max_length=300)
    short_label: str = Field(default="", max_length=80)
    kind: ValueKind
    unit: str = Field(min_length=1, max_length=40)
    decimals: int = Field(default=1, ge=0, le=4)
    higher_is_worse: bool = True
    source: str = Field(min_length=2, max_length=200)
    source_url: str = ""
    definition_url: str = ""
    vintage: str = ""
    territorial_scope: str = Field(default="", max_length=200)
    adds_to: str | None = None
    expected_lag_years: int = Field(default=2, ge=0, le=20)
    is_public: bool = True
    description: str = ""
    national_target: str | None = None
    national_values: list[NationalValueItem] = []


class IndicatorsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    indicators: list[IndicatorItem]


class ReferenceFormatError(YamlFileError):
    """The message is French and names the file, the line (when known) and the field."""


# The words of the report's counts (plural, as the keys of ReferenceReport) in the singular.
SINGULAR = {
    "créés": "créé",
    "mis à jour": "mis à jour",
    "inchangés": "inchangé",
    "créées": "créée",
    "mises à jour": "mise à jour",
    "inchangées": "inchangée",
}


@dataclass
class ReferenceReport:
    indicators: dict[str, int] = field(default_factory=lambda: {"créés": 0, "mis à jour": 0, "inchangés": 0})
    values: dict[str, int] = field(default_factory=lambda: {"créées": 0, "mises à jour": 0, "inchangées": 0})

    def summary(self) -> str:
        def part(counts: dict[str, int]) -> str:
            return ", ".join(formatting.plural(count, SINGULAR[word], word) for word, count in counts.items())

        return (
            f"Indicateurs : {part(self.indicators)}.\nValeurs nationales de référence : {part(self.values)}."
        )


def _read(path: Path) -> tuple[YamlFile, IndicatorsFile]:
    data_file = YamlFile(path, error_class=ReferenceFormatError)
    return data_file, data_file.validate(IndicatorsFile)


INDICATOR_FIELDS = (
    "label",
    "short_label",
    "kind",
    "unit",
    "decimals",
    "higher_is_worse",
    "source",
    "source_url",
    "definition_url",
    "vintage",
    "territorial_scope",
    "expected_lag_years",
    "is_public",
    "description",
)


@transaction.atomic
def load_reference(path: Path | None = None) -> ReferenceReport:
    from pacte.programme.models import Target

    path = path or DEFAULT_PATH
    data_file, document = _read(path)
    report = ReferenceReport()
    codes = [item.national_target for item in document.indicators if item.national_target]
    targets = {target.code: target for target in Target.objects.filter(code__in=codes)}
    for index, item in enumerate(document.indicators):
        if item.national_target and item.national_target not in targets:
            raise data_file.error(
                ("indicators", index, "national_target"),
                f"la cible « {item.national_target} » n'est pas dans le référentiel (chargez-le d'abord : "
                "pacte load_referentiel)",
            )
        wanted = {name: getattr(item, name) for name in INDICATOR_FIELDS}
        wanted["kind"] = item.kind.value
        if item.national_target:  # a link made in the admin stays unless the file sets one
            wanted["national_target"] = targets[item.national_target]
        wanted["order"] = (index + 1) * 10
        indicator = Indicator.objects.filter(code=item.code).first()
        if indicator is None:
            indicator = Indicator.objects.create(code=item.code, **wanted)
            report.indicators["créés"] += 1
        elif any(getattr(indicator, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(indicator, name, value)
            indicator.save()
            report.indicators["mis à jour"] += 1
        else:
            report.indicators["inchangés"] += 1
        _load_national_values(indicator, item.national_values, report)
    _link_added_sources(data_file, document)
    return report


def _link_added_sources(data_file: YamlFile, document: IndicatorsFile) -> None:
    """`adds_to`: the indicator counting the same thing by another source (the MSA's RSA households add to the
    CAF's); checked once every indicator of the file exists."""
    codes = {item.code for item in document.indicators}
    for index, item in enumerate(document.indicators):
        if item.adds_to and item.adds_to not in codes:
            raise data_file.error(
                ("indicators", index, "adds_to"), f"l'indicateur « {item.adds_to} » n'est pas dans le fichier"
            )
        if item.adds_to == item.code:
            raise data_file.error(
                ("indicators", index, "adds_to"), "un indicateur ne s'ajoute pas à lui-même"
            )
    ids = dict(Indicator.objects.filter(code__in=codes).values_list("code", "pk"))
    for item in document.indicators:
        Indicator.objects.filter(code=item.code).exclude(adds_to_id=ids.get(item.adds_to)).update(
            adds_to_id=ids.get(item.adds_to)
        )


def _load_national_values(
    indicator: Indicator, items: list[NationalValueItem], report: ReferenceReport
) -> None:
    existing = {row.period: row for row in Observation.objects.filter(indicator=indicator, territory=None)}
    for item in items:
        row = existing.get(item.period)
        scope = item.scope.value if item.scope else ""
        if row is None:
            Observation.objects.create(
                indicator=indicator,
                territory=None,
                period=item.period,
                value=item.value,
                source=item.source,
                scope=scope,
            )
            report.values["créées"] += 1
        elif (
            row.value != item.value
            or row.source != item.source
            or row.status != ValueStatus.AVAILABLE
            or row.scope != scope
        ):
            row.value, row.source, row.status, row.is_demo, row.scope = (
                item.value,
                item.source,
                ValueStatus.AVAILABLE,
                False,
                scope,
            )
            row.save()
            report.values["mises à jour"] += 1
        else:
            report.values["inchangées"] += 1
