"""Territoires zéro non-recours (read only): the register of the experiments, their follow-up and the cost of a
right opened.

The rules are those of pacte.tznr.perms, the reads those of pacte.tznr.queries (the pages use the same):
- the register (`/zero-non-recours/`, `/zero-non-recours/{id}`) is public: territories, chef de file, partners,
  « aller-vers » actions and the source that names the experiment;
- the follow-up of an experiment (budget by funder and year, periods with their rights opened, cost figures) is
  given in `follow_up` only to whom `perms.can_follow` allows (national steering, the commissioner of the région,
  the DDETS of the département, the porteur's members); `null` for anyone else;
- the costs (`/zero-non-recours/couts`): the experiments the caller follows, and the pooled figures of their
  régions and of France (nothing of a single experiment the caller does not follow), for whom
  `perms.can_view_costs` allows; 403 for anyone else, 401 without a usable token or session.
"""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from pacte.api.auth import public_auth, read_auth
from pacte.api.errors import READ_ERRORS
from pacte.api.money import Money, money
from pacte.api.pagination import PageNumberPagination
from pacte.api.territories import TerritoryRef
from pacte.tznr import cost, perms, queries
from pacte.tznr.enums import ExperimentStatus, FunderKind, OpenedBenefit, PeriodStatus, RightSource
from pacte.tznr.models import Experiment

router = Router(tags=["Territoires zéro non-recours"])

METHOD = (
    "Calculé à partir des seules périodes validées par l'État : dépenses de la période déclarées par le porteur, "
    "tous financeurs confondus ; droits ouverts par prestation (le chiffre retourné par l'organisme payeur "
    "remplace celui du porteur pour la même prestation et la même période). Euros dépensés par droit ouvert = "
    "dépenses ÷ droits ouverts, toutes prestations ensemble ; euros de prestations annuelles ouvertes par euro "
    "dépensé = (somme des montants mensuels connus × 12) ÷ dépenses. Comparaisons régionale et nationale : "
    "dépenses additionnées ÷ droits additionnés des expérimentations calculables, avec la médiane de leurs "
    "propres chiffres. Aucun coût d'un droit ouvert n'est publié par un organisme public : référence « non "
    "publié ». Méthode détaillée : docs/zero-non-recours.md."
)


def _label(choices, value: str) -> str:
    return dict(choices.choices).get(value, value)


# --- The register --------------------------------------------------------------------------------------------


class OutreachActionOut(Schema):
    kind: str = Field(
        description="rendez_vous_droits, permanence, fichier, porte_a_porte, evenement, formation, autre"
    )
    kind_label: str = Field(alias="get_kind_display")
    title: str
    description: str
    place: str
    start_date: date | None


class ExperimentOut(Schema):
    id: int
    name: str
    article: int | None = Field(
        description="Article de l'arrêté du 4 août 2023 qui retient le territoire (1 ou 2) ; vide : hors arrêté"
    )
    decree_number: int | None = Field(description="Rang dans l'arrêté")
    identified: bool = Field(
        description="Faux : territoire de l'arrêté dont aucune copie publique ne donne le nom"
    )
    territories: list[TerritoryRef] = Field(description="Territoires couverts (communes, EPCI, départements)")
    region: TerritoryRef | None
    departement: TerritoryRef | None = Field(
        description="Vide quand les territoires couvrent plusieurs départements"
    )
    lead_name: str = Field(description="Chef de file (collectivité ou EPCI)")
    lead_kind: str = Field(description="commune, epci, departement, ccas, caf, association, autre")
    lead_kind_label: str = Field(alias="get_lead_kind_display")
    operational_lead: str
    porteur: str | None = Field(description="Organisation qui tient la fiche sur la plateforme")
    partners: list[str]
    status: str = Field(description="prevue, en_cours, terminee, abandonnee")
    status_label: str = Field(alias="get_status_display")
    start_date: date | None
    end_date: date | None
    source: str
    source_url: str
    source_quote: str = Field(description="Phrase citée de la source")
    is_demo: bool = Field(description="Donnée fictive (démonstration)")
    updated_at: datetime
    url: str

    @staticmethod
    def resolve_territories(obj: Experiment):
        return list(obj.territories.all())

    @staticmethod
    def resolve_porteur(obj: Experiment) -> str | None:
        return obj.porteur.name if obj.porteur_id else None

    @staticmethod
    def resolve_partners(obj: Experiment) -> list[str]:
        return obj.partner_list

    @staticmethod
    def resolve_url(obj: Experiment) -> str:
        return obj.get_absolute_url()


class ExperimentFilters(Schema):
    region: str | None = Field(None, max_length=12, description="Code INSEE de la région")
    article: int | None = Field(
        None, ge=0, le=2, description="1 ou 2 : article de l'arrêté du 4 août 2023 ; 0 : hors arrêté"
    )
    status: ExperimentStatus | None = None


@router.get(
    "/zero-non-recours/",
    response=list[ExperimentOut],
    auth=public_auth,
    summary="Registre des territoires zéro non-recours (public)",
)
@paginate(PageNumberPagination)
def list_experiments(request, filters: Query[ExperimentFilters]):
    experiments = queries.register()
    if filters.region:
        experiments = experiments.filter(region__code=filters.region)
    if filters.article == 0:
        experiments = experiments.filter(article__isnull=True)
    elif filters.article is not None:
        experiments = experiments.filter(article=filters.article)
    if filters.status:
        experiments = experiments.filter(status=filters.status)
    return experiments


# --- Costs ---------------------------------------------------------------------------------------------------


class BenefitCostOut(Schema):
    benefit: str
    benefit_label: str
    rights_opened: int
    rights_with_amount: int = Field(description="Droits ouverts dont le montant est connu")
    yearly_amount: Money = money("Montant annuel des droits ouverts (montants mensuels connus × 12)")
    yearly_per_euro: Decimal | None = Field(
        description="Euros de prestations annuelles ouvertes par euro dépensé (toutes dépenses) ; vide : non calculable"
    )

    @staticmethod
    def resolve_benefit_label(obj: cost.BenefitFigures) -> str:
        return _label(OpenedBenefit, obj.benefit)


class CostOut(Schema):
    periods: int = Field(description="Périodes validées comptées")
    first_day: date | None
    last_day: date | None
    spent: Money = money("Dépenses des périodes validées, tous financeurs")
    rights_opened: int
    rights_with_amount: int
    yearly_amount: Money = money("Montant annuel des droits ouverts dont le montant est connu")
    per_right: Money | None = money("Euros dépensés par droit ouvert ; vide : non calculable")
    yearly_per_euro: Decimal | None = Field(
        description="Euros de prestations annuelles ouvertes par euro dépensé ; vide : non calculable"
    )
    amount_coverage: Decimal | None = Field(
        description="Part (en %) des droits ouverts dont le montant est connu ; vide sans droit ouvert"
    )
    by_benefit: list[BenefitCostOut]

    @staticmethod
    def resolve_amount_coverage(obj: cost.Cost) -> Decimal | None:
        coverage = obj.amount_coverage
        return None if coverage is None else (coverage * 100).quantize(Decimal("0.1"))


class ComparisonOut(Schema):
    experiments: int = Field(description="Expérimentations calculables mises en commun")
    spent: Money = money("Dépenses additionnées")
    rights_opened: int
    per_right: Money | None = money("Euros dépensés par droit ouvert, chiffre mis en commun")
    yearly_per_euro: Decimal | None
    median_per_right: Money | None = money("Médiane des coûts par droit ouvert des expérimentations")
    median_yearly_per_euro: Decimal | None

    @staticmethod
    def resolve_spent(obj: cost.Comparison) -> Decimal:
        return obj.pooled.spent

    @staticmethod
    def resolve_rights_opened(obj: cost.Comparison) -> int:
        return obj.pooled.rights_opened

    @staticmethod
    def resolve_per_right(obj: cost.Comparison) -> Decimal | None:
        return obj.pooled.per_right

    @staticmethod
    def resolve_yearly_per_euro(obj: cost.Comparison) -> Decimal | None:
        return obj.pooled.yearly_per_euro


class RegionComparisonOut(Schema):
    region: TerritoryRef
    comparison: ComparisonOut


class ExperimentCostOut(Schema):
    id: int
    name: str
    region: TerritoryRef | None
    is_demo: bool
    cost: CostOut
    gap_to_region: Decimal | None = Field(
        description="Écart du coût par droit ouvert à celui de la région, en % (+ au-dessus, − au-dessous)"
    )
    gap_to_france: Decimal | None = Field(
        description="Écart du coût par droit ouvert à celui de la France, en %"
    )
    url: str


class CostsOut(Schema):
    method: str = Field(description="Ce que comptent les chiffres (dépenses, périodes, droits)")
    published_reference: str = Field(description="Coût d'un droit ouvert publié par un organisme public")
    experiments: list[ExperimentCostOut] = Field(description="Les expérimentations que je suis")
    regions: list[RegionComparisonOut] = Field(
        description="Les régions de ces expérimentations, chiffres mis en commun"
    )
    france: ComparisonOut


@router.get(
    "/zero-non-recours/couts",
    response={200: CostsOut, **READ_ERRORS},
    auth=read_auth,
    summary="Coût d'un droit ouvert : les expérimentations que je suis, comparaisons régionales et nationale",
)
def get_costs(request):
    user = request.auth
    if not perms.can_view_costs(user):
        raise HttpError(
            403,
            "Les coûts sont réservés aux services de l'État et aux porteurs (collectivités, CCAS, associations) "
            "d'une expérimentation.",
        )
    followed = list(queries.followed(user))
    every, by_pk = queries.all_costs()
    national, regional = queries.comparisons(every, by_pk)
    mine = queries.costs([e for e in followed if e.pk not in by_pk]) | by_pk
    rows = []
    for experiment in followed:
        figures = mine[experiment.pk]
        region = regional.get(experiment.region_id)
        rows.append(
            {
                "id": experiment.pk,
                "name": experiment.name,
                "region": experiment.region,
                "is_demo": experiment.is_demo,
                "cost": figures,
                "gap_to_region": cost.gap(figures.per_right, region.pooled.per_right if region else None),
                "gap_to_france": cost.gap(figures.per_right, national.pooled.per_right),
                "url": experiment.get_absolute_url(),
            }
        )
    regions = {e.region_id: e.region for e in followed if e.region_id in regional}
    return {
        "method": METHOD,
        "published_reference": "non publié",
        "experiments": rows,
        "regions": [
            {"region": region, "comparison": regional[pk]}
            for pk, region in sorted(regions.items(), key=lambda item: item[1].code)
        ],
        "france": national,
    }


# --- One experiment ------------------------------------------------------------------------------------------


class ExperimentFundingOut(Schema):
    funder: str
    funder_kind: str = Field(description="etat, collectivite, caf, autre")
    funder_kind_label: str
    year: int
    amount: Money = money("Montant")

    @staticmethod
    def resolve_funder_kind_label(obj) -> str:
        return _label(FunderKind, obj.funder_kind)


class OpenedRightOut(Schema):
    benefit: str
    benefit_label: str
    source: str = Field(description="porteur ou organisme_payeur")
    source_label: str
    count: int = Field(description="Droits ouverts")
    monthly_amount: Money | None = money("Somme des montants mensuels ; vide : non connue")

    @staticmethod
    def resolve_benefit_label(obj) -> str:
        return _label(OpenedBenefit, obj.benefit)

    @staticmethod
    def resolve_source_label(obj) -> str:
        return _label(RightSource, obj.source)


class ExperimentPeriodOut(Schema):
    id: int
    start: date
    end: date
    households_met: int
    rights_examined: int
    spent: Money = money("Dépenses de la période, tous financeurs")
    spending_note: str
    status: str = Field(description="brouillon, transmise, validee, a_corriger")
    status_label: str
    rights: list[OpenedRightOut]
    is_demo: bool
    url: str

    @staticmethod
    def resolve_status_label(obj) -> str:
        return _label(PeriodStatus, obj.status)

    @staticmethod
    def resolve_rights(obj) -> list:
        return list(obj.rights.all())

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class ExperimentFollowUpOut(Schema):
    fundings: list[ExperimentFundingOut] = Field(description="Budget par financeur et par année")
    periods: list[ExperimentPeriodOut]
    cost: CostOut = Field(description="Coût d'un droit ouvert, à partir des périodes validées")
    method: str


class ExperimentDetailOut(ExperimentOut):
    description: str
    published_funding: str = Field(description="Financement publié par une source, avec la phrase citée")
    actions: list[OutreachActionOut] = Field(description="Actions d'aller-vers")
    followed: bool = Field(description="Je peux suivre cette expérimentation (budget, périodes, coûts)")
    follow_up: ExperimentFollowUpOut | None = Field(
        description="Suivi : réservé à qui suit l'expérimentation"
    )

    @staticmethod
    def resolve_actions(obj: Experiment) -> list:
        return list(obj.actions.all())


@router.get(
    "/zero-non-recours/{experiment_id}",
    response={200: ExperimentDetailOut, **READ_ERRORS},
    auth=public_auth,
    summary="Un territoire zéro non-recours : fiche publique ; budget, périodes et coûts pour qui le suit",
)
def get_experiment(request, experiment_id: int):
    experiment = queries.register().filter(pk=experiment_id).first()
    if experiment is None:
        raise HttpError(404, f"Territoire zéro non-recours introuvable : {experiment_id}.")
    followed = perms.can_follow(request.auth, experiment)
    experiment.followed = followed
    experiment.follow_up = (
        {
            "fundings": list(experiment.fundings.all()),
            "periods": list(queries.periods_of(experiment)),
            "cost": queries.costs([experiment])[experiment.pk],
            "method": METHOD,
        }
        if followed
        else None
    )
    return experiment
