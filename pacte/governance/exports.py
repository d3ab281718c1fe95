"""The CSV files of the governance: a relevé de décisions (an instance's, or a person's) and the contributions
read by a synthesis. French column names; `pacte.core.exports` writes the cells."""

from django.utils import timezone

DECISIONS_HEADER = [
    "Instance",
    "Réunion",
    "Date de la réunion",
    "N°",
    "Décision",
    "Porteur",
    "Échéance",
    "Statut",
    "En retard",
    "Suivi",
    "Close le",
    "Réservée aux membres",
    "Donnée fictive",
]


def decision_rows(decisions, today):
    for decision in decisions:
        meeting = decision.meeting
        yield [
            meeting.committee.name,
            meeting.title,
            timezone.localtime(meeting.starts_at).date(),
            decision.number,
            decision.text,
            decision.owner_label,
            decision.due_date,
            decision.get_status_display(),
            decision.is_late_on(today),
            decision.follow_up,
            decision.closed_on,
            decision.is_confidential,
            decision.is_demo,
        ]


CONTRIBUTIONS_HEADER = [
    "Thème",
    "Titre",
    "Partie prenante",
    "Famille d'acteurs",
    "Statut",
    "Déposée le",
    "Publiée le",
    "Contribution",
    "Document PDF",
    "Donnée fictive",
]


def contribution_rows(theme, contributions):
    for contribution in contributions:
        yield [
            str(theme),
            contribution.title,
            contribution.stakeholder.name,
            contribution.stakeholder.get_category_display(),
            contribution.get_status_display(),
            contribution.filed_at,
            contribution.published_at,
            contribution.text,
            "oui" if contribution.file_id else "non",
            contribution.is_demo,
        ]
