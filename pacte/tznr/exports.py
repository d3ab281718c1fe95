"""CSV and XLSX exports of the territoires zéro non-recours (French column names, `pacte.core.exports`): the
public register, and the costs of the experiments a user follows beside the pooled regional and national
figures."""

from pacte.core.exports import export_response
from pacte.tznr import cost

REGISTER_HEADER = (
    "Rang dans l'arrêté",
    "Nom",
    "Article de l'arrêté",
    "Région",
    "Département",
    "Chef de file",
    "Type de porteur",
    "Porteur opérationnel",
    "Partenaires",
    "Territoires couverts (codes COG)",
    "Début",
    "Fin",
    "Statut",
    "Identifié",
    "Source",
    "Adresse de la source",
    "Phrase citée",
    "Fiabilité de la source",
    "Donnée fictive",
)

COSTS_HEADER = (
    "Ligne",
    "Région",
    "Expérimentations",
    "Périodes validées",
    "Du",
    "Au",
    "Dépenses (€)",
    "Droits ouverts",
    "Euros dépensés par droit ouvert",
    "Droits ouverts dont le montant est connu",
    "Montant annuel des droits ouverts (€)",
    "Euros de prestations annuelles par euro dépensé",
    "Médiane des euros par droit ouvert",
    "Médiane des euros annuels par euro dépensé",
)


def register_rows(experiments):
    for experiment in experiments:
        yield (
            experiment.decree_number,
            experiment.name,
            experiment.article,
            experiment.region.name if experiment.region else "",
            experiment.departement.name if experiment.departement else "",
            experiment.lead_name,
            experiment.get_lead_kind_display(),
            experiment.operational_lead,
            " ; ".join(experiment.partner_list),
            " ".join(territory.code for territory in experiment.territories.all()),
            experiment.start_date,
            experiment.end_date,
            experiment.get_status_display(),
            experiment.identified,
            experiment.source,
            experiment.source_url,
            experiment.source_quote,
            experiment.reliability,
            experiment.is_demo,
        )


def register_export(fmt: str, experiments):
    return export_response(fmt, "territoires-zero-non-recours", REGISTER_HEADER, register_rows(experiments))


def cost_row(label: str, region: str, figures: cost.Cost, comparison: cost.Comparison | None = None) -> tuple:
    return (
        label,
        region,
        figures.experiments,
        figures.periods,
        figures.first_day,
        figures.last_day,
        figures.spent,
        figures.rights_opened,
        figures.per_right,
        figures.rights_with_amount,
        figures.yearly_amount,
        figures.yearly_per_euro,
        comparison.median_per_right if comparison else None,
        comparison.median_yearly_per_euro if comparison else None,
    )


def costs_export(fmt: str, rows):
    """`rows`: the tuples of `cost_row`, in the order of the page."""
    return export_response(fmt, "zero-non-recours-couts", COSTS_HEADER, rows)
