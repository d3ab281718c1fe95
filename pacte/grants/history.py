"""The audit history of a candidature and of what hangs from it (amounts asked, co-financing, indicators,
evaluations' status, the convention, its yearly amounts, payments and reports), described for `pacte.core.history`.
Scores themselves stay on the evaluation page: an evaluation shows only its status and filing date."""

from pacte.core.history import Source, person_name
from pacte.grants.models import (
    Application,
    CoFunding,
    GrantAgreement,
    GrantReport,
    GrantYear,
    Payment,
    ProjectIndicator,
    RequestedAmount,
    Review,
)

# Links to the parent (the entry's label names it) and fields shown elsewhere.
HIDDEN = {"application", "agreement", "call", "organisation", "reviewer", "number"}
REVIEW_FIELDS = {"status", "submitted_at"}
INTRO = (
    "Toutes les modifications de la candidature, de ses montants, cofinancements et indicateurs, l’état des "
    "évaluations, la décision, la convention, ses versements et ses comptes rendus, les plus récentes d’abord."
)


def application_sources(application: Application) -> list[Source]:
    agreement_ids = list(
        GrantAgreement.history.filter(application_id=application.pk).values_list("id", flat=True).distinct()
    )

    def reviewer(record) -> str:
        return person_name(record.reviewer) if record.reviewer_id else "un évaluateur"

    return [
        Source(Application.history.filter(id=application.pk), lambda record: "Candidature", hidden=HIDDEN),
        Source(
            RequestedAmount.history.filter(application_id=application.pk),
            lambda record: f"Montant demandé {record.year}",
            hidden=HIDDEN,
        ),
        Source(
            CoFunding.history.filter(application_id=application.pk),
            lambda record: f"Cofinancement « {record.funder} »",
            hidden=HIDDEN,
        ),
        Source(
            ProjectIndicator.history.filter(application_id=application.pk),
            lambda record: f"Indicateur « {record.label} »",
            hidden=HIDDEN,
        ),
        Source(
            Review.history.filter(application_id=application.pk).select_related("reviewer"),
            lambda record: f"Évaluation de {reviewer(record)}",
            shown=REVIEW_FIELDS,
        ),
        Source(
            GrantAgreement.history.filter(id__in=agreement_ids),
            lambda record: f"Subvention {record.number}",
            hidden=HIDDEN,
        ),
        Source(
            GrantYear.history.filter(agreement_id__in=agreement_ids),
            lambda record: f"Montant attribué {record.year}",
            hidden=HIDDEN,
        ),
        Source(
            Payment.history.filter(agreement_id__in=agreement_ids),
            lambda record: f"Versement {record.year}",
            hidden=HIDDEN,
        ),
        Source(
            GrantReport.history.filter(agreement_id__in=agreement_ids),
            lambda record: f"Compte rendu {record.year}",
            hidden=HIDDEN,
        ),
    ]
