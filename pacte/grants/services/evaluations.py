"""Evaluations: the reviewers a commissioner assigns to a call, the scores each of them gives (draft, then handed
in with the declaration of no conflict of interest), and the summary of the scores of a candidature."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pacte.core.errors import Errors
from pacte.core.locking import claim_version
from pacte.formatting import round_half_up
from pacte.grants.enums import PENDING_STATUSES, ApplicationStatus, CallStatus, ReviewStatus
from pacte.grants.models import (
    Application,
    CallForProjects,
    Criterion,
    Review,
    ReviewerAssignment,
    ReviewScore,
    weighted_score,
)
from pacte.grants.services.common import ZERO


@transaction.atomic
def assign_reviewer(call: CallForProjects, reviewer, *, by=None) -> ReviewerAssignment:
    if call.status == CallStatus.DECIDED:
        raise ValidationError({"reviewer": "Cet appel à projets est décidé : il n'y a plus rien à évaluer."})
    if not (reviewer.is_active and reviewer.role):
        raise ValidationError(
            {"reviewer": "Cette personne n'a pas de compte actif avec un rôle sur la plateforme."}
        )
    assignment, created = ReviewerAssignment.objects.get_or_create(
        call=call, reviewer=reviewer, defaults={"assigned_by": by}
    )
    if not created:
        raise ValidationError({"reviewer": f"{reviewer} évalue déjà cet appel à projets."})
    return assignment


@transaction.atomic
def remove_reviewer(assignment: ReviewerAssignment) -> None:
    submitted = Review.objects.filter(
        application__call=assignment.call, reviewer=assignment.reviewer, status=ReviewStatus.SUBMITTED
    )
    if submitted.exists():
        raise ValidationError(
            {
                "reviewer": "Cette personne a déjà soumis des évaluations : elle reste désignée pour les garder."
            }
        )
    Review.objects.filter(application__call=assignment.call, reviewer=assignment.reviewer).delete()
    assignment.delete()


@dataclass
class ScoreRow:
    score: int | None
    comment: str = ""


@transaction.atomic
def save_review(
    application: Application,
    reviewer,
    *,
    scores: dict[int, ScoreRow],
    comment: str = "",
    no_conflict_declared: bool = False,
    submit: bool = False,
    expected_version: int | None = None,
    now=None,
) -> Review:
    """Save (and with `submit`, hand in) the reviewer's scores. The reviewer must be assigned to the call,
    the call closed, the candidature under instruction and not of the reviewer's own organisation; handing
    in needs every criterion scored and the declaration of no conflict of interest."""
    now = now or timezone.now()
    application = Application.objects.select_for_update().select_related("call").get(pk=application.pk)
    call = application.call
    if not call.assignments.filter(reviewer=reviewer).exists():
        raise ValidationError({"reviewer": "Vous n'êtes pas désigné(e) pour évaluer cet appel à projets."})
    if reviewer.organisation_id and reviewer.organisation_id == application.organisation_id:
        raise ValidationError(
            {
                "reviewer": "Conflit d'intérêts : vous ne pouvez pas évaluer une candidature de votre propre "
                "organisation."
            }
        )
    if not call.is_closed:
        raise ValidationError(
            {
                "status": "L'évaluation commence à la clôture de l'appel à projets, une fois les candidatures déposées."
            }
        )
    if application.status not in PENDING_STATUSES:
        raise ValidationError(
            {"status": "Cette candidature n'est pas en instruction : elle ne s'évalue plus."}
        )
    review = Review.objects.filter(application=application, reviewer=reviewer).first()
    if review is not None and review.status == ReviewStatus.SUBMITTED:
        raise ValidationError({"status": "Votre évaluation est déjà soumise."})
    criteria = {criterion.pk: criterion for criterion in call.criteria.all()}
    errors = Errors()
    for criterion_id, row in scores.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            errors.add(f"scores.{criterion_id}", "Ce critère n'appartient pas à l'appel à projets.")
        elif row.score is not None and not 0 <= row.score <= criterion.max_score:
            errors.add(
                f"scores.{criterion_id}",
                f"« {criterion.label} » : la note va de 0 à {criterion.max_score}.",
            )
    if submit:
        for criterion in criteria.values():
            row = scores.get(criterion.pk)
            if row is None or row.score is None:
                errors.add(
                    f"scores.{criterion.pk}", f"« {criterion.label} » : notez ce critère avant de soumettre."
                )
        if not no_conflict_declared:
            errors.add(
                "no_conflict_declared",
                "Déclarez l'absence de conflit d'intérêts avec l'association avant de soumettre votre évaluation.",
            )
    errors.raise_if_any()
    if review is None:
        review = Review.objects.create(application=application, reviewer=reviewer)
    else:
        claim_version(review, expected_version)
    review.comment = comment.strip()
    review.no_conflict_declared = no_conflict_declared
    if submit:
        review.status = ReviewStatus.SUBMITTED
        review.submitted_at = now
    review.save()
    existing = {score.criterion_id: score for score in review.scores.all()}
    for criterion_id, row in scores.items():
        current = existing.get(criterion_id)
        if row.score is None:
            if current is not None:
                current.delete()
            continue
        if current is None:
            ReviewScore.objects.create(
                review=review, criterion_id=criterion_id, score=row.score, comment=row.comment
            )
        elif (current.score, current.comment) != (row.score, row.comment):
            current.score, current.comment = row.score, row.comment
            current.save()
    if application.status == ApplicationStatus.SUBMITTED:
        application.status = ApplicationStatus.UNDER_REVIEW
        application.save()
    return review


@dataclass
class CriterionAverage:
    criterion: Criterion
    average: Decimal | None


@dataclass
class ReviewSummary:
    count: int
    average: Decimal | None
    spread: Decimal | None  # highest minus lowest weighted score, from two evaluations on
    lowest: Decimal | None
    highest: Decimal | None
    by_criterion: list[CriterionAverage]
    scores: list[tuple[Review, Decimal | None]]


def review_summary(application: Application, criteria: list[Criterion] | None = None) -> ReviewSummary:
    """The weighted score of each submitted evaluation (out of 20), their average and spread, and the
    average of each criterion. Uses the prefetched `reviews__scores__criterion` when present."""
    reviews = [review for review in application.reviews.all() if review.status == ReviewStatus.SUBMITTED]
    weighted = [(review, weighted_score(review.scores.all())) for review in reviews]
    values = [value for _review, value in weighted if value is not None]
    average = round_half_up(sum(values, ZERO) / len(values), 2) if values else None
    spread = (max(values) - min(values)) if len(values) >= 2 else None
    criteria = criteria if criteria is not None else list(application.call.criteria.all())
    by_criterion = []
    for criterion in criteria:
        marks = [s.score for review in reviews for s in review.scores.all() if s.criterion_id == criterion.pk]
        mean = round_half_up(Decimal(sum(marks)) / len(marks), 2) if marks else None
        by_criterion.append(CriterionAverage(criterion, mean))
    return ReviewSummary(
        count=len(values),
        average=average,
        spread=spread,
        lowest=min(values) if values else None,
        highest=max(values) if values else None,
        by_criterion=by_criterion,
        scores=weighted,
    )
