"""The mid-term evaluation of a signed convention, due by 30 June 2026."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pacte.contracts.enums import EvaluationStatus
from pacte.contracts.models import Contract, MidTermEvaluation
from pacte.contracts.services.common import current_version
from pacte.core.errors import Errors


@transaction.atomic
def save_evaluation(
    contract: Contract, user, *, findings: str, recommendations: str, submit: bool = False, now=None
) -> MidTermEvaluation:
    root = contract.root_contract
    if current_version(root) is None:
        raise ValidationError({"contract": "L'évaluation à mi-parcours porte sur un contrat signé."})
    evaluation, _ = MidTermEvaluation.objects.get_or_create(contract=root)
    if evaluation.status == EvaluationStatus.SUBMITTED:
        raise ValidationError({"status": "L'évaluation à mi-parcours est déjà remise."})
    errors = Errors()
    if submit and not findings.strip():
        errors.add("findings", "Rédigez les principaux enseignements avant de remettre l'évaluation.")
    errors.raise_if_any()
    evaluation.findings, evaluation.recommendations = findings.strip(), recommendations.strip()
    if submit:
        evaluation.status = EvaluationStatus.SUBMITTED
        evaluation.submitted_at, evaluation.submitted_by = now or timezone.now(), user
    evaluation.save()
    return evaluation
