"""The joint mid-term evaluation of a signed convention, due by 30 June 2026 (sources and fields:
`pacte.contracts.models.evaluation`).

- Each side writes its own part on each fiche-action of the evaluated version (`save_evaluation_part`): the
  collectivité's, the State services' (DDETS or regional commissioner); a part names at least one method and is
  kept with its author and date. Nobody writes the other side's part.
- Either side records the common conclusion of an action (`save_conclusion`): poursuivre, ajuster or arrêter (the
  platform's words for the guide's « devenir des actions »); ajuster and arrêter say what changes, or why.
- The evaluation is filed (`file_evaluation`) once every action has both parts and a conclusion; the indicators
  reached are then recorded as they stand. Until it is closed, either side may reopen it (`reopen_evaluation`);
  the State closes it (`close_evaluation`), after which nothing changes.

Who may call each function is `pacte.contracts.perms` (`evaluation_side`, `can_write_evaluation`,
`can_close_evaluation`); the side is given by the caller, as for `validate_contract`.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pacte.contracts.evaluation_queries import evaluated_version, live_indicators
from pacte.contracts.models import Action, Contract
from pacte.contracts.models.evaluation import (
    ActionEvaluation,
    EvaluatedIndicator,
    EvaluationConclusion,
    EvaluationMethod,
    EvaluationPart,
    EvaluationSide,
    MidTermEvaluation,
    MidTermStatus,
)
from pacte.core.errors import Errors
from pacte.core.locking import claim_version

NOT_EDITABLE = {
    MidTermStatus.FILED: "L'évaluation à mi-parcours est déposée : rouvrez-la pour la modifier.",
    MidTermStatus.CLOSED: "L'évaluation à mi-parcours est clôturée : elle ne peut plus être modifiée.",
}
SIDE_PARTS = {
    EvaluationSide.LOCAL: "la part de la collectivité",
    EvaluationSide.STATE: "la part des services de l'État",
}


def _evaluation_for_update(contract: Contract) -> MidTermEvaluation:
    """The evaluation of the convention of `contract`, started if need be on the signed version in force, locked
    for the transaction (every write goes through this lock, so two writers never create the same row)."""
    root = contract.root_contract
    evaluation = MidTermEvaluation.objects.select_for_update().filter(contract=root).first()
    if evaluation is None:
        version = evaluated_version(root, None)
        if version is None:
            raise ValidationError(
                {
                    "contract": "L'évaluation à mi-parcours porte sur un contrat signé : ce contrat ne l'est pas."
                }
            )
        MidTermEvaluation.objects.create(contract=root, version=version)
        evaluation = MidTermEvaluation.objects.select_for_update().get(contract=root)
    return evaluation


def _editable(contract: Contract) -> MidTermEvaluation:
    evaluation = _evaluation_for_update(contract)
    if not evaluation.is_editable:
        raise ValidationError({"status": NOT_EDITABLE[evaluation.status]})
    return evaluation


def _filed_for_update(contract: Contract, not_filed: str) -> MidTermEvaluation:
    """The evaluation, locked, once filed: a closed one, or one not filed (`not_filed` says why), is refused."""
    evaluation = _evaluation_for_update(contract)
    if evaluation.status == MidTermStatus.CLOSED:
        raise ValidationError({"status": NOT_EDITABLE[MidTermStatus.CLOSED]})
    if evaluation.status != MidTermStatus.FILED:
        raise ValidationError({"status": not_filed})
    return evaluation


def _action(evaluation: MidTermEvaluation, number: int) -> Action:
    action = Action.objects.filter(contract=evaluation.version_id, number=number).first()
    if action is None:
        raise ValidationError(
            {"action": f"La fiche-action n°{number} n'appartient pas à la version évaluée du contrat."}
        )
    return action


def _action_evaluation(evaluation: MidTermEvaluation, action: Action) -> ActionEvaluation:
    row, _ = ActionEvaluation.objects.get_or_create(evaluation=evaluation, action=action)
    return row


@transaction.atomic
def save_evaluation_part(
    contract: Contract,
    user,
    *,
    side: str,
    number: int,
    assessment: str,
    methods: list[str],
    method_detail: str = "",
    expected_version: int | None = None,
    now=None,
) -> EvaluationPart:
    """Write `side`'s part on fiche-action n°`number`: its assessment and methods, signed by `user`."""
    errors = Errors()
    if side not in EvaluationSide.values:
        errors.add("side", f"Partie inconnue : « {side} » (collectivité ou services de l'État).")
    if user is None:
        errors.add("author", "Une part de l'évaluation est signée : indiquez qui la rédige.")
    errors.raise_if_any()
    evaluation = _editable(contract)
    action = _action(evaluation, number)
    assessment, method_detail = assessment.strip(), method_detail.strip()
    methods = list(dict.fromkeys(methods))
    if not assessment:
        errors.add(
            "assessment",
            f"Fiche-action n°{number} : rédigez l'appréciation ({SIDE_PARTS[EvaluationSide(side)]}).",
        )
    unknown = [method for method in methods if method not in EvaluationMethod.values]
    if unknown:
        errors.add("methods", f"Méthode d'évaluation inconnue : « {unknown[0]} ».")
    elif not methods:
        errors.add("methods", "Choisissez au moins une méthode d'évaluation.")
    if EvaluationMethod.OTHER in methods and not method_detail:
        errors.add("method_detail", "Décrivez l'autre méthode d'évaluation employée.")
    if EvaluationMethod.OTHER not in methods and method_detail:
        errors.add("method_detail", "Cochez « Autre méthode » pour décrire une autre méthode.")
    errors.raise_if_any()
    row = _action_evaluation(evaluation, action)
    part = EvaluationPart.objects.filter(action_evaluation=row, side=side).first()
    created = part is None
    if created:
        part = EvaluationPart(action_evaluation=row, side=side)
    part.assessment, part.methods, part.method_detail = assessment, methods, method_detail
    part.author, part.written_at = user, now or timezone.now()
    if not created:
        claim_version(part, expected_version)
    part.save()
    if created:
        claim_version(part, None)  # a form opened before this part existed is now out of date
    return part


@transaction.atomic
def save_conclusion(
    contract: Contract,
    user,
    *,
    number: int,
    conclusion: str,
    note: str = "",
    expected_version: int | None = None,
    now=None,
) -> ActionEvaluation:
    """Record the common conclusion on the future of fiche-action n°`number`."""
    evaluation = _editable(contract)
    action = _action(evaluation, number)
    note = note.strip()
    errors = Errors()
    if not conclusion:
        errors.add(
            "conclusion", f"Fiche-action n°{number} : choisissez poursuivre, ajuster ou arrêter l'action."
        )
    elif conclusion not in EvaluationConclusion.values:
        errors.add("conclusion", f"Conclusion inconnue : « {conclusion} ».")
    elif conclusion == EvaluationConclusion.ADJUST and not note:
        errors.add("conclusion_note", "Précisez les ajustements de l'action.")
    elif conclusion == EvaluationConclusion.STOP and not note:
        errors.add("conclusion_note", "Précisez pourquoi arrêter l'action.")
    errors.raise_if_any()
    row = _action_evaluation(evaluation, action)
    claim_version(row, expected_version)
    row.conclusion, row.conclusion_note = conclusion, note
    row.conclusion_by, row.conclusion_at = user, now or timezone.now()
    row.save()
    return row


def evaluation_problems(evaluation: MidTermEvaluation) -> dict[str, list[str]]:
    """What keeps an evaluation from being filed or closed: for each fiche-action of the evaluated version, a
    missing part (collectivité, services de l'État) or a missing conclusion."""
    errors = Errors()
    rows = {row.action_id: row for row in evaluation.action_evaluations.prefetch_related("parts")}
    for action in Action.objects.filter(contract=evaluation.version_id).order_by("number"):
        row = rows.get(action.pk)
        sides = {part.side for part in row.parts.all()} if row else set()
        for side in EvaluationSide:
            if side not in sides:
                errors.add(
                    f"actions.{action.number}.{side}",
                    f"Fiche-action n°{action.number} : {SIDE_PARTS[side]} manque.",
                )
        if row is None or not row.conclusion:
            errors.add(
                f"actions.{action.number}.conclusion",
                f"Fiche-action n°{action.number} : la conclusion (poursuivre, ajuster, arrêter) manque.",
            )
    return dict(errors.messages)


def _record_indicators(evaluation: MidTermEvaluation) -> None:
    """The indicators reached as they stand at filing, for every evaluated action."""
    rows = {row.action_id: row for row in evaluation.action_evaluations.all()}
    actions = list(
        Action.objects.filter(contract=evaluation.version_id)
        .select_related("contract")
        .prefetch_related("indicators__year_targets")
    )
    EvaluatedIndicator.objects.filter(action_evaluation__evaluation=evaluation).delete()
    recorded = []
    for action_id, lines in live_indicators(evaluation.contract, actions).items():
        for line in lines:
            recorded.extend(
                EvaluatedIndicator(
                    action_evaluation=rows[action_id],
                    indicator=line.indicator,
                    year=cell.year,
                    target=cell.target,
                    reached=cell.reached,
                )
                for cell in line.years
            )
    EvaluatedIndicator.objects.bulk_create(recorded)


@transaction.atomic
def file_evaluation(contract: Contract, user, *, now=None) -> MidTermEvaluation:
    """File the evaluation once every fiche-action has both parts and a conclusion."""
    evaluation = _editable(contract)
    problems = evaluation_problems(evaluation)
    if problems:
        raise ValidationError(problems)
    _record_indicators(evaluation)
    evaluation.status = MidTermStatus.FILED
    evaluation.submitted_at, evaluation.submitted_by = now or timezone.now(), user
    evaluation.save()
    return evaluation


@transaction.atomic
def reopen_evaluation(contract: Contract, user) -> MidTermEvaluation:
    """Back to a draft, until it is closed: the indicators will be recorded again at the next filing."""
    evaluation = _filed_for_update(contract, "Seule une évaluation déposée peut être rouverte.")
    EvaluatedIndicator.objects.filter(action_evaluation__evaluation=evaluation).delete()
    evaluation.status = MidTermStatus.DRAFT
    evaluation.submitted_at = evaluation.submitted_by = None
    evaluation.save()
    return evaluation


@transaction.atomic
def close_evaluation(contract: Contract, user, *, now=None) -> MidTermEvaluation:
    """The State closes a filed and complete evaluation: it no longer changes."""
    evaluation = _filed_for_update(contract, "Déposez l'évaluation avant de la clôturer.")
    problems = evaluation_problems(evaluation)
    if problems:
        raise ValidationError(problems)
    evaluation.status = MidTermStatus.CLOSED
    evaluation.closed_at, evaluation.closed_by = now or timezone.now(), user
    evaluation.save()
    return evaluation
