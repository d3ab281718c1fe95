"""The audit history of the mécénat de proximité (`pacte.core.history`): a company (its registration, its
validation or refusal, and its pledges), a published project (its publication, withdrawal, and its pledges with
their answers and delivery). Who reads it: whoever may read the page it belongs to with its pledges — the
commissioner of the région and national steering for a company (`perms.can_view_company`); the association, the
commissioner of the région and national steering for a project (`perms.follows_project`)."""

from pacte.core.history import Source
from pacte.sponsorship.models import Company, Pledge, PublishedProject

COMPANY_INTRO = (
    "Toutes les modifications de l’entreprise (inscription, validation ou refus) et de ses promesses de mécénat, "
    "les plus récentes d’abord."
)
PROJECT_INTRO = (
    "Toutes les modifications du projet ouvert au mécénat (publication, besoins, retrait) et de ses promesses "
    "(enregistrement, réponse de l’association, réalisation), les plus récentes d’abord."
)


def _pledge_label(record) -> str:
    return f"Promesse n°{record.id} ({record.get_kind_display().lower()})"


def company_sources(company: Company) -> list[Source]:
    return [
        Source(Company.history.filter(id=company.pk), lambda record: f"Entreprise « {record.name} »"),
        Source(Pledge.history.filter(company_id=company.pk), _pledge_label, hidden={"company"}),
    ]


def project_sources(project: PublishedProject) -> list[Source]:
    return [
        Source(
            PublishedProject.history.filter(id=project.pk),
            lambda record: "Projet ouvert au mécénat",
            hidden={"application"},
        ),
        Source(Pledge.history.filter(project_id=project.pk), _pledge_label, hidden={"project"}),
    ]
