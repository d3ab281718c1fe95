"""The concertation: its themes and transverse questions (data file), the stakeholder registry, written
contributions (draft → filed → published, or withdrawn) and the synthesis per theme."""

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from pydantic import BaseModel, ConfigDict, Field

from pacte import formatting
from pacte.core.datafiles import YamlFile, YamlFileError
from pacte.core.locking import claim_version
from pacte.governance.enums import ContributionStatus, ThemeKind
from pacte.governance.models import (
    ConcertationTheme,
    Contribution,
    Stakeholder,
    ThemeSynthesis,
)
from pacte.governance.services.common import claim_once_per_parent, full_clean, refuse
from pacte.governance.services.documents import store_upload

THEMES_FILE = Path(__file__).resolve().parent.parent / "data" / "concertation.yaml"

# The fields of a stakeholder national steering edits.
STAKEHOLDER_FIELDS = (
    "name",
    "category",
    "organisation",
    "description",
    "contact_name",
    "contact_email",
    "website",
)


# --- Themes ----------------------------------------------------------------------------------------------


class ThemesFileError(YamlFileError):
    """The themes file cannot be loaded: the French message names the file, the line and the field."""


class ThemeItem(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(pattern=r"^[a-z0-9-]{2,60}$")
    kind: ThemeKind
    number: int = Field(ge=1, le=99)
    title: str = Field(min_length=3, max_length=300)
    summary: str = ""


class ThemesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    source_file: str = Field(default="", max_length=100)
    themes: list[ThemeItem] = Field(min_length=1)


@dataclass
class ThemesLoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def summary(self) -> str:
        return (
            f"Thèmes de la concertation : {formatting.plural(self.created, 'créé')}, "
            f"{formatting.number(self.updated)} mis à jour, {formatting.plural(self.unchanged, 'inchangé')}."
        )


@transaction.atomic
def load_concertation_themes(path: Path | str | None = None) -> ThemesLoadReport:
    """Create or update the themes and transverse questions from the data file; repeatable: a theme that has not
    changed is not written again. A malformed file raises ThemesFileError and writes nothing."""
    document = YamlFile(Path(path or THEMES_FILE), error_class=ThemesFileError).validate(ThemesFile)
    report = ThemesLoadReport()
    existing = {theme.code: theme for theme in ConcertationTheme.objects.all()}
    for row in document.themes:
        values = {
            "kind": row.kind.value,
            "number": row.number,
            "title": row.title,
            "summary": row.summary,
            "source_file": document.source_file,
        }
        theme = existing.get(row.code)
        if theme is None:
            ConcertationTheme.objects.create(code=row.code, **values)
            report.created += 1
        elif any(getattr(theme, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(theme, name, value)
            theme.save()
            report.updated += 1
        else:
            report.unchanged += 1
    return report


# --- Stakeholders ----------------------------------------------------------------------------------------


@transaction.atomic
def save_stakeholder(
    *, stakeholder: Stakeholder | None = None, expected_version=None, **fields
) -> Stakeholder:
    creating = stakeholder is None
    stakeholder = stakeholder or Stakeholder()
    for name, value in fields.items():
        setattr(stakeholder, name, value)
    full_clean(stakeholder)
    if not creating:
        claim_version(stakeholder, expected_version)
    stakeholder.save()
    return stakeholder


# --- Contributions ---------------------------------------------------------------------------------------


@transaction.atomic
def save_contribution(
    stakeholder: Stakeholder,
    *,
    by,
    theme: ConcertationTheme,
    title: str,
    text: str,
    upload=None,
    remove_file: bool = False,
    contribution: Contribution | None = None,
    expected_version: int | None = None,
) -> Contribution:
    """Write (or rewrite) a draft contribution; an optional PDF replaces the previous one."""
    if contribution is not None and contribution.status != ContributionStatus.DRAFT:
        refuse("status", "Cette contribution est déposée : elle ne peut plus être modifiée.")
    creating = contribution is None
    contribution = contribution or Contribution(stakeholder=stakeholder, filed_by=by)
    contribution.theme = theme
    contribution.title = (title or "").strip()
    contribution.text = (text or "").strip()
    full_clean(contribution, exclude=["file", "filed_by", "published_by"])
    if not creating:
        claim_version(contribution, expected_version)
    old_file = contribution.file if (upload is not None or remove_file) else None
    if upload is not None:
        contribution.file = store_upload(upload, by=by, pdf_only=True)
    elif remove_file:
        contribution.file = None
    contribution.save()
    if old_file is not None:
        old_file.delete()
    return contribution


def _move(contribution: Contribution, *, allowed: tuple, to: str, refusal: str, **stamps) -> Contribution:
    """Move `contribution` from one of the `allowed` statuses to `to`, recording `stamps` (when, by whom)."""
    if contribution.status not in allowed:
        refuse("status", refusal)
    contribution.status = to
    for name, value in stamps.items():
        setattr(contribution, name, value)
    contribution.save()
    claim_version(contribution, None)
    return contribution


@transaction.atomic
def file_contribution(contribution: Contribution, *, by) -> Contribution:
    return _move(
        contribution,
        allowed=(ContributionStatus.DRAFT,),
        to=ContributionStatus.FILED,
        refusal="Seul un brouillon peut être déposé.",
        filed_at=timezone.now(),
        filed_by=by,
    )


@transaction.atomic
def publish_contribution(contribution: Contribution, *, by) -> Contribution:
    return _move(
        contribution,
        allowed=(ContributionStatus.FILED,),
        to=ContributionStatus.PUBLISHED,
        refusal="Seule une contribution déposée peut être publiée.",
        published_at=timezone.now(),
        published_by=by,
    )


@transaction.atomic
def withdraw_contribution(contribution: Contribution, *, by) -> Contribution:
    return _move(
        contribution,
        allowed=(ContributionStatus.FILED, ContributionStatus.PUBLISHED),
        to=ContributionStatus.WITHDRAWN,
        refusal="Seule une contribution déposée ou publiée peut être retirée.",
        withdrawn_at=timezone.now(),
    )


# --- Syntheses -------------------------------------------------------------------------------------------


@transaction.atomic
def save_synthesis(
    theme: ConcertationTheme, *, text: str, by, expected_version: int | None
) -> ThemeSynthesis:
    """Write the synthesis of a theme (the first version with `expected_version=NEW`)."""
    text = (text or "").strip()
    if not text:
        refuse("text", "La synthèse est vide.")
    synthesis = ThemeSynthesis.objects.filter(theme=theme).first()
    claim_once_per_parent(synthesis, expected_version)
    if synthesis is None:
        return ThemeSynthesis.objects.create(theme=theme, text=text, author=by)
    synthesis.text = text
    synthesis.author = by
    synthesis.save()
    return synthesis
