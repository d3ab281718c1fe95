"""The consolidation's tables as files: one CSV / XLSX table per part of the consolidation page (envelopes, budget
by axis and by measure, contracts, régions, execution, reports, national targets, measures without action), with
French headers. The figures are those of `pacte.contracts.consolidation`."""

from datetime import date

from django.utils import timezone

from pacte import formatting
from pacte.contracts.budgets import Amounts
from pacte.contracts.consolidation import (
    budget_by_axis,
    budget_by_envelope,
    budget_by_measure,
    contract_rows,
    execution_by_year,
    measures_without_action,
    region_rows,
    reports_by_year,
    target_cascade,
)
from pacte.contracts.enums import PERIOD_END, PERIOD_START, YEARS
from pacte.contracts.models import Contract
from pacte.territories.models import Territory

AMOUNT_COLUMNS = [
    "État (€)",
    "Collectivité (€)",
    "Autres cofinanceurs (€)",
    "Total (€)",
    "Part de l'État (%)",
]


def _amount_cells(amounts: Amounts) -> list:
    return [amounts.state, amounts.local, amounts.other, amounts.total, amounts.state_share]


def _territory_cells(contract: Contract) -> list:
    territory = contract.territory
    return [
        territory.region.name if territory.region else "",
        contract.signatory_name,
        territory.code,
        contract.collectivite.get_kind_display() if contract.collectivite_id else territory.level_label,
        contract.get_kind_display(),
    ]


def _names(contracts: list[Contract]) -> str:
    return ", ".join(f"{contract.signatory_name} ({contract.kind_name})" for contract in contracts)


def _envelopes_table(scope, today) -> tuple[list[str], list[list]]:
    header = ["Enveloppe", "Année", "État (€)", "Collectivité (€)", "Autres partenaires (€)", "Total (€)"]
    header += ["Plafonds notifiés (€)", "Montant national (€)", "État / montant national (%)", "Source"]
    rows = []
    for table in budget_by_envelope(scope):
        for row in table.years:
            rows.append(
                [
                    table.label,
                    row.year,
                    row.budget.state,
                    row.budget.local,
                    row.budget.other,
                    row.budget.total,
                    "non notifié" if row.notified is None else row.notified,
                    "non publié" if row.national.amount is None else row.national.amount,
                    row.state_share_of_national,
                    row.national.source,
                ]
            )
    return header, rows


def _axes_table(scope, today) -> tuple[list[str], list[list]]:
    table = budget_by_axis(scope)
    rows = []
    for row in table.rows:
        label = f"Axe {row.axis.number} – {row.axis.title}"
        rows.extend([label, year, *_amount_cells(row.years[year])] for year in YEARS)
        rows.append([label, f"{PERIOD_START}-{PERIOD_END}", *_amount_cells(row.total)])
    rows.extend(["Tous les axes", year, *_amount_cells(amounts)] for year, amounts in table.years.items())
    rows.append(["Tous les axes", f"{PERIOD_START}-{PERIOD_END}", *_amount_cells(table.total)])
    return ["Axe", "Année", *AMOUNT_COLUMNS], rows


def _measures_table(scope, today) -> tuple[list[str], list[list]]:
    header = ["Axe", "Code de la mesure", "Mesure", "Fiches-actions", "Contrats"]
    header += [f"Budget {year} (€)" for year in YEARS] + ["Budget 2024-2027 (€)", "dont État (€)"]
    rows = []
    for row in budget_by_measure(scope):
        measure = row.measure
        rows.append(
            [
                measure.axis.number if measure else "",
                measure.code if measure else "",
                measure.title if measure else "Fiches-actions sans mesure rattachée",
                row.actions,
                row.contracts,
                *(row.years[year].total for year in YEARS),
                row.total.total,
                row.total.state,
            ]
        )
    return header, rows


def _contracts_table(scope, today) -> tuple[list[str], list[list]]:
    header = ["Région", "Collectivité", "Code", "Type de collectivité", "Sorte de convention", "Version"]
    header += ["Fiches-actions", *AMOUNT_COLUMNS]
    header += [
        "Crédits notifiés (€)",
        "Crédits engagés (€)",
        "Crédits versés (€)",
        "Taux de versement (%)",
        "Dépenses déclarées (€)",
        "Rapports déposés",
        "Donnée fictive",
    ]
    table = contract_rows(scope)
    rows = [
        [
            *_territory_cells(row.contract),
            row.contract.amendment_number,
            row.actions,
            *_amount_cells(row.budget),
            row.notified,
            row.committed,
            row.paid,
            row.paid_rate,
            row.spent,
            row.reports_filed,
            row.contract.is_demo,
        ]
        for row in table.rows
    ]
    rows.append(
        [
            "Total",
            formatting.counts(
                [(table.departements, "département", None), (table.metropoles, "métropole", None)]
            ),
            "",
            "",
            "",
            "",
            table.actions,
            *_amount_cells(table.budget),
            table.notified,
            table.committed,
            table.paid,
            table.paid_rate,
            table.spent,
            sum(row.reports_filed for row in table.rows),
            table.has_demo,
        ]
    )
    return header, rows


def _regions_table(scope, today) -> tuple[list[str], list[list]]:
    header = ["Région", "Code", "Départements", "Métropoles", "Fiches-actions", *AMOUNT_COLUMNS]
    header += ["Crédits notifiés (€)", "Crédits versés (€)", "Taux de versement (%)"]
    rows = []
    for group in region_rows(contract_rows(scope)):
        table = group.table
        rows.append(
            [
                group.region.name,
                group.region.code,
                table.departements,
                table.metropoles,
                table.actions,
                *_amount_cells(table.budget),
                table.notified,
                table.paid,
                table.paid_rate,
            ]
        )
    return header, rows


def _execution_table(scope, today) -> tuple[list[str], list[list]]:
    header = [
        "Année",
        "Budget total (€)",
        "dont État (€)",
        "Crédits notifiés (€)",
        "Crédits engagés (€)",
        "Crédits versés (€)",
        "Taux de versement (%)",
        "Dépenses déclarées (€)",
        "dont État (€)",
        "Taux d'exécution (%)",
    ]
    rows = [
        [
            row.year,
            row.budget.total,
            row.budget.state,
            row.notified,
            row.committed,
            row.paid,
            row.paid_rate,
            row.spent.total,
            row.spent.state,
            row.spending_rate,
        ]
        for row in execution_by_year(scope)
    ]
    return header, rows


def _reports_table(scope, today) -> tuple[list[str], list[list]]:
    header = ["Année", "À déposer avant le", "Attendus", "À l'heure", "En retard", "Manquants", "À venir"]
    header += ["Territoires en retard", "Territoires sans rapport"]
    rows = [
        [
            row.year,
            row.due_on,
            row.expected,
            len(row.on_time),
            len(row.late),
            len(row.missing),
            len(row.pending),
            _names(row.late),
            _names(row.missing),
        ]
        for row in reports_by_year(scope, today=today)
    ]
    return header, rows


def _targets_table(scope, today) -> tuple[list[str], list[list]]:
    header = [
        "Code",
        "Axe",
        "Mesure",
        "Cible nationale",
        "Unité",
        "Valeur cible",
        "Année cible",
        "Par département",
        "Valeur attendue sur le périmètre",
        "Année des engagements",
        "Engagements territoriaux",
        "Part de la cible (%)",
        "Réalisé (rapports validés de la dernière année)",
        "Part réalisée (%)",
        "Contrats contributeurs",
        "Cumulable",
        "Année des rapports",
        "Contrats ayant rendu un rapport validé cette année-là",
    ]
    rows = [
        [
            row.target.code,
            row.target.measure.axis.number if row.target.measure else "",
            row.target.measure.code if row.target.measure else "",
            row.target.label,
            row.target.unit,
            row.target.target_value,
            row.target.target_year,
            row.is_per_departement,
            row.reference_value,
            row.year,
            row.committed,
            row.committed_rate,
            row.realised,
            row.realised_rate,
            row.contracts,
            row.is_additive,
            row.realised_year,
            row.realising_contracts,
        ]
        for row in target_cascade(scope)
    ]
    return header, rows


def _gaps_table(scope, today) -> tuple[list[str], list[list]]:
    header = ["Axe", "Code de la mesure", "Mesure", "Nature", "Contrats qui la servent", "Sans action"]
    header += ["Conventions sans action"]
    rows = [
        [
            gap.measure.axis.number,
            gap.measure.code,
            gap.measure.title,
            gap.measure.get_kind_display(),
            gap.served,
            len(gap.missing),
            _names(gap.missing),
        ]
        for gap in measures_without_action(scope)
    ]
    return header, rows


EXPORT_TABLES = {
    "enveloppes": ("enveloppes", _envelopes_table),
    "axes": ("budget-par-axe", _axes_table),
    "mesures": ("budget-par-mesure", _measures_table),
    "contrats": ("contrats", _contracts_table),
    "regions": ("regions", _regions_table),
    "execution": ("execution", _execution_table),
    "rapports": ("rapports", _reports_table),
    "cibles": ("cibles-nationales", _targets_table),
    "sans-action": ("mesures-sans-action", _gaps_table),
}


def export_table(name: str, scope: Territory | None = None, *, today: date | None = None):
    """(file stem, French header, rows) of one consolidation table; KeyError for an unknown name."""
    stem, build = EXPORT_TABLES[name]
    header, rows = build(scope, today or timezone.localdate())
    return stem, header, rows
