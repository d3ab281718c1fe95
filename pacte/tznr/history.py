"""The audit history of a territoire zéro non-recours (`pacte.core.history`): the sheet (its région and département), the
budget lines, actions and contacts, the periods and their rights opened, deleted rows included."""

from pacte.core.history import Source
from pacte.tznr.models import Contact, Experiment, FollowUpPeriod, Funding, OpenedRight, OutreachAction

HIDDEN = {"experiment", "period", "submitted_by", "validated_by", "decree_number"}
INTRO = (
    "Toutes les modifications de la fiche, de son budget, de ses actions, de ses contacts et de ses périodes de "
    "suivi (droits ouverts compris), les plus récentes d’abord."
)


def _period_label(periods: dict[int, str]):
    return lambda record: (
        f"Droits ouverts ({record.get_benefit_display()}) – période {periods.get(record.period_id, '?')}"
    )


def sources(experiment: Experiment) -> list[Source]:
    periods = {
        record.id: f"du {record.start:%d/%m/%Y} au {record.end:%d/%m/%Y}"
        for record in FollowUpPeriod.history.filter(experiment_id=experiment.pk).order_by("history_date")
    }
    return [
        Source(
            Experiment.history.filter(id=experiment.pk),
            lambda record: "Fiche du territoire",
            hidden=HIDDEN,
        ),
        Source(
            Funding.history.filter(experiment_id=experiment.pk),
            lambda record: f"Financement « {record.funder} » ({record.year})",
            hidden=HIDDEN,
        ),
        Source(
            OutreachAction.history.filter(experiment_id=experiment.pk),
            lambda record: f"Action « {record.title} »",
            hidden=HIDDEN,
        ),
        Source(
            Contact.history.filter(experiment_id=experiment.pk),
            lambda record: f"Contact « {record.name} »",
            hidden=HIDDEN,
        ),
        Source(
            FollowUpPeriod.history.filter(experiment_id=experiment.pk),
            lambda record: f"Période {periods.get(record.id, '?')}",
            hidden=HIDDEN,
        ),
        Source(
            OpenedRight.history.filter(period_id__in=list(periods)),
            _period_label(periods),
            hidden=HIDDEN,
        ),
    ]
