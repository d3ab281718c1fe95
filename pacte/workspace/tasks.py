"""What a task of « Mon espace » is, and how the tasks are grouped and ordered.

A task is one thing that waits on the user: a report to file, a contract to validate, a meeting to convene… It
carries the date the platform knows it is due by (a campaign's date, a legal deadline, a meeting's day), or none
when the platform knows none (never an invented one), and the link of the page where it is done.

Each kind of task is a group (`KINDS`, in a fixed order). In a group the overdue tasks come first, then by due date
(those without one last); groups holding an overdue task come first, then by their earliest due date.
"""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Kind:
    key: str
    title: str  # the heading of the group: « Rapports d'exécution à déposer »
    area: str  # the part of the platform: « Contrats », « Appels à projets »…


KINDS = (
    Kind("contract_reports_to_file", "Rapports d'exécution à déposer", "Contrats"),
    Kind("contract_reports_to_review", "Rapports d'exécution à examiner", "Contrats"),
    Kind("contracts_to_act", "Contrats et conventions à soumettre, valider ou signer", "Contrats"),
    Kind("credits_to_notify", "Crédits de l'État à notifier", "Contrats"),
    Kind("evaluations", "Évaluations à mi-parcours à déposer ou à clôturer", "Contrats"),
    Kind("report_campaigns", "Campagnes des rapports d'exécution à fixer", "Contrats"),
    Kind("applications_to_score", "Candidatures à évaluer", "Appels à projets"),
    Kind("applications_to_decide", "Candidatures à décider", "Appels à projets"),
    Kind("grant_payments", "Versements de subventions à effectuer", "Appels à projets"),
    Kind("grant_reports_to_review", "Comptes rendus financiers à examiner", "Appels à projets"),
    Kind("application_drafts", "Candidatures en brouillon à déposer", "Appels à projets"),
    Kind("grant_reports_to_file", "Comptes rendus financiers à déposer", "Appels à projets"),
    Kind("meetings_to_convene", "Réunions à convoquer", "Gouvernance"),
    Kind("committees_to_meet", "Instances à réunir (cadence en retard)", "Gouvernance"),
    Kind("minutes", "Comptes rendus de réunion à rédiger ou à valider", "Gouvernance"),
    Kind("decisions", "Décisions dont vous avez la charge", "Gouvernance"),
    Kind(
        "roadmap_actions",
        "Actions de la feuille de route régionale en retard ou à échéance dans les 30 jours",
        "Feuille de route régionale",
    ),
    Kind("sponsors_to_validate", "Entreprises mécènes à valider", "Mécénat de proximité"),
    Kind("pledges_to_answer", "Promesses de mécénat à accepter ou décliner", "Mécénat de proximité"),
    Kind("pledges_to_deliver", "Dons promis à enregistrer comme réalisés", "Mécénat de proximité"),
    Kind("screening_jobs", "Traitements par lot terminés", "Accès aux droits"),
    Kind("tznr_periods_to_review", "Périodes de suivi à examiner", "Territoires zéro non-recours"),
    Kind(
        "tznr_periods_to_file", "Périodes de suivi à compléter et transmettre", "Territoires zéro non-recours"
    ),
)
KIND_BY_KEY = {kind.key: kind for kind in KINDS}


@dataclass
class Task:
    kind: str  # a key of KINDS
    title: str  # what to do, on what: « Rapport 2025 – Loire-Atlantique »
    url: str
    due_on: date | None = None
    detail: str = ""  # a short complement: « déposé le 3 décembre 2026 »
    action: str = ""  # the verb of the link: « Examiner », « Déposer »…
    is_demo: bool = False
    today: date | None = field(default=None, repr=False)

    @property
    def is_overdue(self) -> bool:
        return self.due_on is not None and self.today is not None and self.due_on < self.today

    def sort_key(self) -> tuple:
        return (not self.is_overdue, self.due_on is None, self.due_on or date.max, self.title)


@dataclass
class Group:
    kind: Kind
    tasks: list[Task]

    @property
    def overdue_count(self) -> int:
        return sum(task.is_overdue for task in self.tasks)

    @property
    def first_due_on(self) -> date | None:
        dates = [task.due_on for task in self.tasks if task.due_on is not None]
        return min(dates) if dates else None

    def sort_key(self) -> tuple:
        first = self.first_due_on
        return (not self.overdue_count, first is None, first or date.max, KINDS.index(self.kind))


def group(tasks: list[Task], today: date) -> list[Group]:
    """The tasks by kind, each group ordered (overdue first, then by due date), the groups ordered likewise."""
    by_kind: dict[str, list[Task]] = {}
    for task in tasks:
        task.today = today
        by_kind.setdefault(task.kind, []).append(task)
    groups = [
        Group(KIND_BY_KEY[key], sorted(found, key=Task.sort_key)) for key, found in by_kind.items() if found
    ]
    return sorted(groups, key=Group.sort_key)
