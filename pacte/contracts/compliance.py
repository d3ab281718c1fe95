"""« À mettre en conformité »: the existing rows of the conventions that break a rule added since they were
saved. They are never deleted nor changed by the platform: a new save is refused until they are corrected (in a
draft, by the collectivité; in a signed version, by an avenant), and meanwhile this list shows them to the DDETS,
the regional commissioners and national steering, each within its scope (`perms.compliance_scope_q`).

Each rule is a `Rule`: a code, its French title, its source (cited in full where the rule lives, summed up here)
and a check. A check takes a `Scope` and returns `Finding`s in a fixed number of queries, whatever the number of
conventions. Another part of the contracts adds its rule by writing its check (in its own module) and appending
a `Rule` to `RULES`.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet, Sum

from pacte.contracts import budgets, kinds
from pacte.contracts.enums import ActionNature, ContractStatus, Funder
from pacte.contracts.evaluation_queries import check_filed_evaluations
from pacte.contracts.models import Action, ActionIndicator, BudgetLine, Contract
from pacte.contracts.services.actions import (
    REINFORCEMENT_NEEDED,
    reinforcement_problems,
    unit_problem,
)

# --- What a check gets and returns ------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What to look at: the rows whose `territory` matches `territories` (a Q on a model's `territory`) and,
    for the page of one fiche-action, only the versions `contract_ids`."""

    territories: Q = field(default_factory=Q)
    contract_ids: tuple[int, ...] | None = None

    def versions(self) -> QuerySet:
        """The contract versions that may still be corrected or are in force: every one but those replaced
        by an avenant."""
        versions = Contract.objects.filter(self.territories).exclude(status=ContractStatus.SUPERSEDED)
        if self.contract_ids is not None:
            versions = versions.filter(pk__in=self.contract_ids)
        return versions


@dataclass
class Finding:
    """A row that breaks a rule: where (the convention's version, the fiche-action), which field (its path as
    a refused save names it, and in French), what is wrong. `rule` is set by `findings`."""

    contract: Contract
    message: str
    field: str = ""
    field_label: str = ""
    action: Action | None = None
    year: int | None = None
    fix: str = ""  # where the correction is made, when not in the version itself (an evaluation…)
    link: str = ""  # the page of the correction, when not the fiche-action's or the version's
    rule: "Rule | None" = None

    @property
    def url(self) -> str:
        return self.link or (self.action or self.contract).get_absolute_url()

    @property
    def subject(self) -> str:
        return f"Fiche-action n°{self.action.number} – {self.action.title}" if self.action else "Convention"

    @property
    def how_to_fix(self) -> str:
        """Where the correction is made, said in French."""
        if self.fix:
            return self.fix
        if self.contract.is_editable:
            return "À corriger dans la version en cours de rédaction (collectivité)."
        if self.contract.status == ContractStatus.VALIDATED:
            return "Rouvrir la négociation pour corriger (les deux validations seront à refaire)."
        return "Version signée : à corriger par un avenant."


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    source: str
    check: Callable[[Scope], Iterable[Finding]]


# --- The checks -----------------------------------------------------------------------------------------


def _actions(scope: Scope) -> QuerySet:
    return Action.objects.filter(contract__in=scope.versions()).select_related(
        "axis", "contract__territory", "contract__collectivite"
    )


def check_parity(scope: Scope) -> Iterable[Finding]:
    """Each year, the State's amount of an action under parity is not above the collectivité's (two queries)."""
    actions = {action.pk: action for action in _actions(scope)}
    sums = (
        BudgetLine.objects.filter(action__in=list(actions))
        .values("action", "year", "funder")
        .annotate(amount=Sum("amount"))
        .order_by("action", "year")
    )
    splits: dict[tuple[int, int], budgets.Amounts] = defaultdict(budgets.Amounts)
    for row in sums:
        splits[row["action"], row["year"]].add(row["funder"], row["amount"])
    for (action_id, year), amounts in sorted(splits.items()):
        action = actions[action_id]
        if amounts.breaks_parity and kinds.parity_applies(action.contract.kind, action.axis.number):
            yield Finding(
                action.contract,
                budgets.parity_message(amounts, year),
                field=f"budget.{year}.{Funder.STATE}",
                field_label=f"Budget {year} – État",
                action=action,
                year=year,
            )


def check_axis_and_volet(scope: Scope) -> Iterable[Finding]:
    """The action's axis is one its convention's kind allows, and a France Travail action has its volet (one
    query)."""
    for action in _actions(scope):
        kind, number = action.contract.kind, action.axis.number
        problem = kinds.axis_problem(kind, number)
        if problem:
            yield Finding(action.contract, problem, "axis", "Axe du Pacte", action)
            continue
        problem = kinds.volet_problem(kind, number, action.volet)
        if problem:
            yield Finding(action.contract, problem, "volet", "Volet de la convention France Travail", action)


def check_measures(scope: Scope) -> Iterable[Finding]:
    """Each measure of an action is contractable for its convention's kind (one query); an action on an axis its
    kind does not allow is listed by `check_axis_and_volet` alone."""
    links = Action.measures.through.objects.filter(action__in=_actions(scope)).select_related(
        "measure", "action__axis", "action__contract__territory", "action__contract__collectivite"
    )
    for link in links.order_by("action", "measure__order", "measure__code"):
        action, kind = link.action, link.action.contract.kind
        if not kinds.axis_allowed(kind, action.axis.number):
            continue
        problem = kinds.measure_problem(kind, link.measure, action.axis.number)
        if problem:
            yield Finding(action.contract, problem, "measures", "Mesures du Pacte", action)


def _indicators() -> Prefetch:
    return Prefetch(
        "indicators",
        queryset=ActionIndicator.objects.select_related("national_target")
        .prefetch_related("year_targets")
        .order_by("pk"),
    )


def check_reinforcement(scope: Scope) -> Iterable[Finding]:
    """A reinforced action has a reinforcement indicator with its baseline and targets above it; a new one has
    none (three queries)."""
    actions = (
        _actions(scope)
        .filter(Q(nature=ActionNature.REINFORCED) | Q(indicators__is_reinforcement=True))
        .distinct()
    )
    for action in actions.prefetch_related(_indicators()):
        indicators = list(action.indicators.all())
        marked = [
            (index, indicator) for index, indicator in enumerate(indicators) if indicator.is_reinforcement
        ]
        if action.nature != ActionNature.REINFORCED:
            for index, indicator in marked:
                yield Finding(
                    action.contract,
                    "Seule une action renforcée a un indicateur du renforcement.",
                    f"indicators[{index}].is_reinforcement",
                    f"Indicateur « {indicator.label} »",
                    action,
                )
            continue
        if not marked:
            yield Finding(action.contract, REINFORCEMENT_NEEDED, "indicators", "Indicateurs", action)
        for index, indicator in marked:
            targets = {target.year: target.value for target in indicator.year_targets.all()}
            for name, message in reinforcement_problems(
                indicator.baseline_value, indicator.baseline_year, targets
            ):
                yield Finding(
                    action.contract,
                    message,
                    f"indicators[{index}].{name}",
                    f"Indicateur du renforcement « {indicator.label} »",
                    action,
                )


def check_units(scope: Scope) -> Iterable[Finding]:
    """An indicator linked to a national target counts in the same unit (two queries)."""
    actions = _actions(scope).filter(indicators__national_target__isnull=False).distinct()
    for action in actions.prefetch_related(_indicators()):
        for index, indicator in enumerate(action.indicators.all()):
            if indicator.national_target is None:
                continue
            problem = unit_problem(indicator.unit, indicator.national_target)
            if problem:
                yield Finding(
                    action.contract,
                    problem,
                    f"indicators[{index}].national_target",
                    f"Indicateur « {indicator.label} » – cible nationale",
                    action,
                )


RULES: tuple[Rule, ...] = (
    Rule(
        "parite",
        "Parité entre l'État et la collectivité",
        "« Le co-financement de chaque action à 50% par l'État est maintenu » (instruction du 23 novembre 2023, "
        "citée par Localtis) ; « un engagement financier égal de la part de l'État et du département » "
        "(préfecture de région Normandie). Les autres cofinanceurs viennent en plus.",
        check_parity,
    ),
    Rule(
        "axe",
        "Axe ou volet hors de la sorte de convention",
        "Départements : trois axes, l'insertion dans une convention France Travail ou une convention globale "
        "unique (instruction du 23 novembre 2023) ; France Travail : trois volets non fongibles (instruction du "
        "27 décembre 2023).",
        check_axis_and_volet,
    ),
    Rule(
        "mesure",
        "Mesure non contractualisable",
        "Les mesures que le référentiel marque contractualisables pour cette sorte de convention "
        "(docs/referentiel.md).",
        check_measures,
    ),
    Rule(
        "renforcement",
        "Action renforcée sans situation de départ dépassée",
        "« Le renforcement d'une action signifie l'augmentation de la file active, ou la couverture de nouveaux "
        "publics ou de nouvelles zones géographiques. » (FAQ du ministère des Solidarités)",
        check_reinforcement,
    ),
    Rule(
        "unite",
        "Indicateur dans une autre unité que sa cible nationale",
        "La consolidation additionne les cibles des indicateurs à la cible nationale du référentiel : les deux "
        "se comptent dans la même unité.",
        check_units,
    ),
    Rule(
        "evaluation",
        "Évaluation à mi-parcours déposée sans l'évaluation conjointe",
        "« Un guide méthodologique » de la DIPLP « pour accompagner les collectivités territoriales et les "
        "services de l'État, chargés de cette évaluation « à mi-parcours » » (Le Media social, 2025) : chaque "
        "fiche-action a la part de la collectivité, celle des services de l'État et une conclusion.",
        check_filed_evaluations,
    ),
)
RULES_BY_CODE = {rule.code: rule for rule in RULES}


# --- Running them ---------------------------------------------------------------------------------------


def findings(scope: Scope, rule: str | None = None) -> list[Finding]:
    """Every finding of `scope` (of one rule when `rule` is a code of RULES), by territory, version and
    fiche-action, in the order of the rules."""
    rules = [RULES_BY_CODE[rule]] if rule else list(RULES)
    found = []
    for rank, current in enumerate(rules):
        for finding in current.check(scope):
            finding.rule = current
            found.append((rank, finding))
    found.sort(
        key=lambda item: (
            item[1].contract.territory.name,
            item[1].contract.kind,
            item[1].contract.amendment_number,
            item[1].action.number if item[1].action else 0,
            item[0],
            item[1].year or 0,
        )
    )
    return [finding for _rank, finding in found]


def action_findings(action: Action) -> list[Finding]:
    """The findings of one fiche-action (its page)."""
    scope = Scope(contract_ids=(action.contract_id,))
    return [finding for finding in findings(scope) if finding.action and finding.action.pk == action.pk]


def counts_by_rule(found: list[Finding]) -> list[tuple[Rule, int]]:
    """How many findings each rule has, in the order of the rules (rules without any left out)."""
    counts: dict[str, int] = defaultdict(int)
    for finding in found:
        counts[finding.rule.code] += 1
    return [(rule, counts[rule.code]) for rule in RULES if counts[rule.code]]
