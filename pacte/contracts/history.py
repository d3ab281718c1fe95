"""The audit history of a contract version and of everything in it (fiches-actions, their measures, indicators,
yearly targets and budget lines), deleted rows included, described for `pacte.core.history`."""

from collections import defaultdict

from pacte.contracts.enums import Funder
from pacte.contracts.models import Action, ActionIndicator, BudgetLine, Contract, IndicatorYearTarget
from pacte.core.history import Source

# Links to the parent row (the entry's label names it).
HIDDEN = {"contract", "action", "indicator", "root", "territory"}
INTRO = (
    "Toutes les modifications de cette version, de ses fiches-actions, de leurs indicateurs et de leur budget, "
    "les plus récentes d’abord."
)


def contract_sources(contract: Contract) -> list[Source]:
    """The history of `contract` (one version): the fiches-actions and indicators that ever belonged to it name the
    rows that hang from them (two queries)."""
    actions: dict[int, tuple[int, str]] = {}  # id → (number, title), last known
    for action_id, number, title in (
        Action.history.filter(contract_id=contract.pk)
        .order_by("history_date", "history_id")
        .values_list("id", "number", "title")
    ):
        actions[action_id] = (number, title)
    indicators: dict[int, tuple[str, int]] = {}  # id → (label, action id), last known
    for indicator_id, label, action_id in (
        ActionIndicator.history.filter(action_id__in=list(actions))
        .order_by("history_date", "history_id")
        .values_list("id", "label", "action_id")
    ):
        indicators[indicator_id] = (label, action_id)

    def action_name(action_id: int) -> str:
        number, _title = actions.get(action_id, (None, ""))
        return f"fiche-action n°{number}" if number else "fiche-action supprimée"

    def target_label(record) -> str:
        label, action_id = indicators.get(record.indicator_id, ("?", None))
        return f"Cible {record.year} de l'indicateur « {label} » ({action_name(action_id)})"

    def budget_label(record) -> str:
        funder = (
            record.funder_name
            if record.funder == Funder.OTHER and record.funder_name
            else Funder(record.funder).label
        )
        return f"Budget {record.year} – {funder} ({action_name(record.action_id)})"

    return [
        Source(
            Contract.history.filter(id=contract.pk),
            lambda record: (
                "Contrat" if not record.amendment_number else f"Avenant n°{record.amendment_number}"
            ),
            hidden=HIDDEN,
        ),
        Source(
            Action.history.filter(contract_id=contract.pk),
            lambda record: f"Fiche-action n°{record.number} – {record.title}",
            hidden=HIDDEN,
            extra_changes=_measure_changes,
        ),
        Source(
            ActionIndicator.history.filter(action_id__in=list(actions)),
            lambda record: f"Indicateur « {record.label} » ({action_name(record.action_id)})",
            hidden=HIDDEN,
        ),
        Source(
            IndicatorYearTarget.history.filter(indicator_id__in=list(indicators)), target_label, hidden=HIDDEN
        ),
        Source(BudgetLine.history.filter(action_id__in=list(actions)), budget_label, hidden=HIDDEN),
    ]


def _measure_changes(records: list, previous: dict) -> dict[int, list[tuple[str, str, str]]]:
    """The measures of the Pacte a fiche-action record added or removed (a many-to-many set, kept by simple-history
    in its own table): one query."""
    wanted = [record.history_id for record in records]
    wanted += [record.history_id for record in previous.values() if record is not None]
    through = Action.history.model.measures.model
    titles: dict[int, set[str]] = defaultdict(set)
    for history_id, title in through.objects.filter(history_id__in=wanted).values_list(
        "history_id", "measure__title"
    ):
        titles[history_id].add(title)
    changes = {}
    for record in records:
        if record.history_type == "-":
            continue
        before = previous.get(record.history_id)
        new = titles.get(record.history_id, set())
        old = titles.get(before.history_id, set()) if before is not None else set()
        if new != old:
            changes[record.history_id] = [
                ("mesures du Pacte", ", ".join(sorted(old)) or "–", ", ".join(sorted(new)) or "–")
            ]
    return changes
