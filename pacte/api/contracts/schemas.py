"""The JSON of the contracts endpoints (OpenAPI schemas). Amounts of money are decimals written as JSON
strings with two decimals (« 49000.00 »), the State's share a decimal string with one (« 12.3 »): never a
float, so that a budget reads to the cent what the pages and the convention show."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from ninja import Field, Schema

from pacte.api.errors import FieldErrorOut, service_errors
from pacte.api.fields import SingleLineStr
from pacte.api.money import Amount, Money, Share, money
from pacte.api.territories import TerritoryRef
from pacte.contracts import kinds, services
from pacte.contracts.enums import ContractKind, ContractStatus, Funder, Reinforcement
from pacte.contracts.models import Action, ActionIndicator, BudgetLine, Contract, Credit, ExecutionReport
from pacte.contracts.services import execution as execution_services
from pacte.core.collation import french

# --- Contracts ----------------------------------------------------------------------------------------


class CollectiviteOut(Schema):
    code: str = Field(description="Identifiant de la collectivité sur la plateforme (« departement-44 »…)")
    name: str
    kind: str = Field(description="departement, metropole, metropole_lyon, ville_paris, corse, ctu ou alsace")
    kind_label: str
    family: str = Field(
        description="departement (compétences sociales d'un département : instruction du 23 novembre 2023) ou "
        "metropole (instruction du 27 octobre 2023)"
    )
    territories: list[str] = Field(
        description="Codes des territoires du COG couverts (2A et 2B pour la Corse)"
    )

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_territories(obj) -> list[str]:
        return sorted(territory.code for territory in obj.territories.all())


class ContractOut(Schema):
    id: int
    title: str
    kind: str = Field(description="departement, france_travail, globale ou metropole (sorte de convention)")
    kind_label: str
    envelopes: list[str] = Field(
        description="Enveloppes de crédits de l'État : solidarites, france_travail, metropoles"
    )
    collectivite: CollectiviteOut | None = Field(description="La collectivité signataire")
    territory: TerritoryRef = Field(description="Le territoire principal de la collectivité signataire")
    region: TerritoryRef | None
    status: str = Field(description="brouillon, negociation, valide, signe ou remplace")
    status_label: str
    amendment_number: int = Field(description="0 pour le contrat initial, n pour l'avenant n°n")
    root_id: int | None = Field(description="Le contrat initial, pour un avenant")
    amends_id: int | None = Field(description="La version signée que l'avenant modifie")
    period_start: int
    period_end: int
    annual_state_ceiling: Money | None = money(
        "Obsolète : ancien plafond annuel saisi avant la notification des plafonds par le pilotage national "
        "(null pour une convention créée depuis) ; les plafonds sont dans « ceilings »"
    )
    signed_on: date | None
    is_demo: bool = Field(description="Donnée fictive (démonstration)")
    lock_version: int = Field(description="À renvoyer pour modifier le contrat")
    updated_at: datetime

    @staticmethod
    def resolve_region(obj: Contract):
        return obj.territory.region

    @staticmethod
    def resolve_kind_label(obj: Contract) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_envelopes(obj: Contract) -> list[str]:
        return [str(envelope) for envelope in kinds.envelopes_of(obj.kind)]

    @staticmethod
    def resolve_status_label(obj: Contract) -> str:
        return obj.get_status_display()


class PartiesOut(Schema):
    local: TerritoryRef = Field(description="La collectivité signataire")
    state: TerritoryRef | None = Field(description="Le département dont la DDETS signe pour l'État")


class VersionRef(Schema):
    id: int
    amendment_number: int
    status: str
    signed_on: date | None


STATE_SHARE = (
    "Part de l'État en % du budget, arrondie au dixième le plus proche (12,25 → 12,3) : nombre décimal "
    "écrit en chaîne JSON (« 12.3 ») ; null sans budget"
)


class YearTotalOut(Schema):
    year: int
    state: Money = money("Financement de l'État")
    local: Money = money("Financement de la collectivité")
    other: Money = money("Financement des autres cofinanceurs")
    total: Money = money("Budget de l'année")
    state_share: Share | None = Field(description=STATE_SHARE)


class TotalsOut(Schema):
    state: Money = money("Financement de l'État sur la période")
    local: Money = money("Financement de la collectivité sur la période")
    other: Money = money("Financement des autres cofinanceurs sur la période")
    total: Money = money("Budget de la période")
    state_share: Share | None = Field(description=STATE_SHARE)
    years: list[YearTotalOut]


class CeilingOut(Schema):
    envelope: str
    year: int
    state: Money = money("Crédits de l'État demandés par les fiches-actions de l'enveloppe")
    ceiling: Money | None = money("Plafond notifié à la collectivité ; null : non notifié")
    exceeds: bool = Field(description="Les crédits demandés dépassent le plafond (ou rien n'est notifié)")


class ContractDetailOut(ContractOut):
    amendment_reason: str
    ceilings: list[CeilingOut] = Field(
        description="Par enveloppe et par année : crédits demandés et plafond notifié"
    )
    parties: PartiesOut
    submitted_at: datetime | None
    state_validated_at: datetime | None
    local_validated_at: datetime | None
    state_signatory: str
    local_signatory: str
    versions: list[VersionRef] = Field(
        description="Les versions de la convention (contrat initial et avenants)"
    )
    actions_count: int
    totals: TotalsOut = Field(description="Budget des fiches-actions par financeur et par année (€)")

    @staticmethod
    def resolve_versions(obj: Contract) -> list:
        return obj.version_list


class ContractFilters(Schema):
    region: str | None = Field(None, description="Code INSEE de la région", max_length=3)
    territory: str | None = Field(
        None, description="Code du département ou SIREN de la métropole", max_length=9
    )
    level: Literal["departement", "metropole"] | None = Field(
        None,
        description="departement : collectivités à compétences départementales (Métropole de Lyon comprise) ; "
        "metropole : métropoles",
    )
    kind: Literal[tuple(ContractKind.values)] | None = None  # type: ignore[valid-type]
    status: Literal[tuple(ContractStatus.values)] | None = None  # type: ignore[valid-type]
    year: int | None = Field(None, description="Année couverte par la période du contrat")


AMOUNT_IN = "nombre ou chaîne décimale, deux décimales au plus"


class ContractIn(Schema):
    territory: SingleLineStr = Field(
        description="Code du département (« 44 », « 2A », « 974 ») ou SIREN de la métropole",
        min_length=2,
        max_length=9,
    )
    kind: Literal[tuple(ContractKind.values)] | None = Field(  # type: ignore[valid-type]
        None,
        description="Sorte de convention : departement (par défaut pour un département), france_travail, globale ; "
        "metropole (la seule pour une métropole)",
    )
    annual_state_ceiling: Amount | None = Field(
        None, description="Refusé (422) : le plafond est notifié par le pilotage national (/allocations/)"
    )
    title: SingleLineStr = Field(
        "", max_length=250, description="Par défaut « Contrat local des solidarités … »"
    )


class ContractPatch(Schema):
    lock_version: int = Field(description="La valeur « lock_version » lue avant la modification")
    title: SingleLineStr | None = Field(
        None, max_length=250, description="La collectivité, avant la signature"
    )
    annual_state_ceiling: Amount | None = Field(
        None, description="Refusé (422) : le plafond est notifié par le pilotage national (/allocations/)"
    )


class SignIn(Schema):
    signed_on: date
    state_signatory: SingleLineStr = Field(
        max_length=200, description="Nom et qualité du signataire pour l'État"
    )
    local_signatory: SingleLineStr = Field(
        max_length=200, description="Nom et qualité du signataire pour la collectivité"
    )


class AmendmentIn(Schema):
    reason: str = Field(description="Objet de l'avenant")


class ChangeOut(Schema):
    where: str
    what: str
    before: str
    after: str


class DiffOut(Schema):
    from_version: int = Field(description="La version signée modifiée")
    to_version: int = Field(description="L'avenant")
    changes: list[ChangeOut]


# --- Fiches-actions -----------------------------------------------------------------------------------


class IndicatorOut(Schema):
    id: int
    label: str
    unit: str
    baseline_value: float | None
    baseline_year: int | None
    national_target: str | None = Field(description="Code de la cible nationale à laquelle il contribue")
    is_reinforcement: bool = Field(description="Mesure le renforcement d'une action renforcée")
    year_targets: dict[int, float] = Field(description="Valeur cible par année")

    @staticmethod
    def resolve_national_target(obj: ActionIndicator) -> str | None:
        return obj.national_target.code if obj.national_target_id else None

    @staticmethod
    def resolve_year_targets(obj: ActionIndicator) -> dict[int, float]:
        return {target.year: float(target.value) for target in obj.year_targets.all()}


class BudgetLineOut(Schema):
    year: int
    funder: str = Field(description="etat, collectivite ou autre")
    funder_name: str = Field(description="Nom de l'autre cofinanceur")
    amount: Money = money()


class ActionOut(Schema):
    id: int
    number: int
    title: str
    axis: int = Field(description="Numéro d'axe")
    envelope: str = Field(
        description="Enveloppe de crédits de l'État : solidarites, france_travail ou metropoles"
    )
    volet: str = Field(
        description="Volet de la convention France Travail : gouvernance, solutions_locales, accompagnement_rsa ; "
        "vide ailleurs"
    )
    under_parity: bool = Field(
        description="La part de l'État ne dépasse pas celle de la collectivité chaque année"
    )
    measures: list[str] = Field(description="Codes des mesures du Pacte")
    nature: str = Field(description="nouvelle ou renforcee")
    reinforcement: str = Field(description="file_active, nouveaux_publics, nouvelles_zones ou vide")
    target_publics: str
    pilot: str
    partners: str
    description: str
    indicators: list[IndicatorOut]
    budget: list[BudgetLineOut]
    lock_version: int = Field(description="À renvoyer pour modifier la fiche-action")
    updated_at: datetime

    @staticmethod
    def resolve_axis(obj: Action) -> int:
        return obj.axis.number

    @staticmethod
    def resolve_envelope(obj: Action) -> str:
        return str(kinds.envelope_of(obj.contract.kind, obj.axis.number))

    @staticmethod
    def resolve_under_parity(obj: Action) -> bool:
        return kinds.parity_applies(obj.contract.kind, obj.axis.number)

    @staticmethod
    def resolve_measures(obj: Action) -> list[str]:
        return [measure.code for measure in obj.measures.all()]

    @staticmethod
    def resolve_budget(obj: Action) -> list:
        return obj.budget_lines.all()


class IndicatorIn(Schema):
    label: SingleLineStr = Field(max_length=250)
    unit: SingleLineStr = Field(
        description="personnes, menages, enfants, jeunes, structures, places, repas, …"
    )
    baseline_value: Amount | None = None
    baseline_year: int | None = Field(None, ge=1990, le=2100)
    national_target: SingleLineStr | None = Field(
        None, description="Code d'une cible du référentiel, exprimée dans la même unité que l'indicateur"
    )
    is_reinforcement: bool = Field(
        False,
        description="Mesure le renforcement (file active, publics, zones) : cibles au-dessus de la valeur de départ",
    )
    year_targets: dict[int, Amount] = Field(default_factory=dict, description="{année: valeur cible}")


class BudgetLineIn(Schema):
    year: int
    funder: SingleLineStr = Field(description="etat, collectivite ou autre")
    funder_name: SingleLineStr = Field(
        "", max_length=200, description="Obligatoire pour un autre cofinanceur"
    )
    amount: Amount = Field(description=f"Montant (€, {AMOUNT_IN})")


class ActionIn(Schema):
    title: SingleLineStr = Field(max_length=250)
    axis: int = Field(
        description="Numéro d'axe (1 à 4) ; un contrat des solidarités de département : 1, 3 ou 4"
    )
    volet: SingleLineStr = Field(
        "",
        description="Volet de la convention France Travail (axe 2 d'une convention France Travail ou globale) : "
        "gouvernance, solutions_locales ou accompagnement_rsa",
    )
    measures: list[SingleLineStr] = Field(
        default_factory=list,
        description="Codes des mesures du Pacte, sur cet axe, contractualisables pour la convention",
    )
    nature: SingleLineStr = Field(description="nouvelle ou renforcee")
    reinforcement: Literal[("", *Reinforcement.values)] = ""  # type: ignore[valid-type]
    target_publics: str
    pilot: SingleLineStr = Field(max_length=200)
    partners: str = ""
    description: str
    indicators: list[IndicatorIn] = Field(default_factory=list)
    budget: list[BudgetLineIn] = Field(
        default_factory=list,
        description="Lignes de cofinancement ; chaque année, l'État n'apporte pas plus que la collectivité (parité), "
        "sauf dans la partie France Travail",
    )


class ActionPut(ActionIn):
    lock_version: int = Field(description="La valeur « lock_version » lue avant la modification")


# --- Budget lines and indicators of a contract ----------------------------------------------------------


class BudgetLineFlatOut(Schema):
    action_number: int
    action_title: str
    axis: int
    year: int
    funder: str
    funder_label: str = Field(description="État, Collectivité ou le nom de l'autre cofinanceur")
    funder_name: str
    amount: Money = money()

    @staticmethod
    def resolve_action_number(obj: BudgetLine) -> int:
        return obj.action.number

    @staticmethod
    def resolve_action_title(obj: BudgetLine) -> str:
        return obj.action.title

    @staticmethod
    def resolve_axis(obj: BudgetLine) -> int:
        return obj.action.axis.number


class BudgetFilters(Schema):
    year: int | None = None
    funder: Literal[tuple(Funder.values)] | None = None  # type: ignore[valid-type]


class ContractIndicatorOut(IndicatorOut):
    action_number: int
    action_title: str
    realised: dict[int, float] = Field(
        description="Valeur réalisée par année, d'après les rapports d'exécution validés"
    )

    @staticmethod
    def resolve_action_number(obj: ActionIndicator) -> int:
        return obj.action.number

    @staticmethod
    def resolve_action_title(obj: ActionIndicator) -> str:
        return obj.action.title


# --- Execution reports --------------------------------------------------------------------------------


class ReportSummaryOut(Schema):
    year: int
    status: str = Field(description="brouillon, depose, renvoye ou valide")
    status_label: str
    due_on: date | None = Field(
        description="Date limite fixée par le pilotage national pour la campagne ; null : pas encore fixée"
    )
    is_late: bool
    submitted_at: datetime | None
    reviewed_at: datetime | None
    lock_version: int

    @staticmethod
    def resolve_status_label(obj: ExecutionReport) -> str:
        return obj.get_status_display()


class SpendingOut(Schema):
    action_number: int
    funder: str
    funder_name: str
    amount: Money = money("Montant dépensé")

    @staticmethod
    def resolve_action_number(obj) -> int:
        return obj.action.number


class CreditWaitOut(Schema):
    notified: Money = money("Crédits de l'État notifiés pour l'année")
    state_budget: Money = money("Budget de l'État prévu pour l'année")
    state_spent: Money = money("Dépenses déclarées sur crédits de l'État")
    message: str


class ReportOut(ReportSummaryOut):
    version_id: int = Field(description="La version du contrat dont les fiches-actions sont rapportées")
    qualitative_assessment: str
    review_comment: str
    values: dict[int, float] = Field(description="{identifiant d'indicateur: valeur réalisée}")
    spendings: list[SpendingOut]
    missing: list[FieldErrorOut] = Field(description="Ce qui manque pour déposer le rapport")
    credit_wait: CreditWaitOut | None = Field(
        description="Le rapport attend des crédits de l'État notifiés (null : il n'attend rien)"
    )

    @staticmethod
    def resolve_credit_wait(obj: ExecutionReport):
        return execution_services.credit_wait(obj) if obj.is_editable else None

    @staticmethod
    def resolve_values(obj: ExecutionReport) -> dict[int, float]:
        return {row.indicator_id: float(row.value) for row in obj.indicator_values.all()}

    @staticmethod
    def resolve_spendings(obj: ExecutionReport) -> list:
        return obj.spendings.select_related("action").order_by(
            "action__number", "funder", french("funder_name")
        )

    @staticmethod
    def resolve_missing(obj: ExecutionReport) -> list[dict]:
        return service_errors(ValidationError(services.report_problems(obj))) if obj.is_editable else []


class SpendingIn(Schema):
    action_number: int
    funder: SingleLineStr = Field(description="etat, collectivite ou autre")
    funder_name: SingleLineStr = Field("", max_length=200)
    amount: Amount = Field(description=f"Montant dépensé (€, {AMOUNT_IN})")


class ReportPut(Schema):
    values: dict[int, Amount | None] = Field(
        default_factory=dict, description="{identifiant d'indicateur: valeur réalisée} ; null l'efface"
    )
    spendings: list[SpendingIn] = Field(default_factory=list, description="Montants dépensés par financeur")
    qualitative_assessment: str | None = Field(None, description="Bilan qualitatif ; inchangé s'il est omis")
    lock_version: int | None = Field(
        None,
        description="Obligatoire pour modifier un rapport existant : la valeur lue avant la modification",
    )


class ReviewIn(Schema):
    accept: bool = Field(alias="validate", description="true pour valider, false pour renvoyer le rapport")
    comment: str = Field("", description="Observations de l'État ; obligatoires pour un renvoi")


# --- State credits ------------------------------------------------------------------------------------


class CreditOut(Schema):
    year: int
    ceiling: Money = money("Plafond de l'année, réallocations comprises")
    notified: Money = money("Crédits notifiés")
    notified_on: date | None
    committed: Money = money("Crédits engagés")
    committed_on: date | None
    paid: Money = money("Crédits versés")
    paid_on: date | None
    lock_version: int

    @staticmethod
    def resolve_ceiling(obj: Credit):
        return services.effective_ceiling(obj.contract, obj.year)


class CreditPut(Schema):
    notified: Amount = Field(description=f"Crédits notifiés (€, {AMOUNT_IN})")
    notified_on: date | None = None
    committed: Amount = Field(Decimal("0"), description=f"Crédits engagés (€, {AMOUNT_IN})")
    committed_on: date | None = None
    paid: Amount = Field(Decimal("0"), description=f"Crédits versés (€, {AMOUNT_IN})")
    paid_on: date | None = None
    lock_version: int | None = Field(
        None,
        description="Obligatoire pour modifier une année déjà saisie : la valeur lue avant la modification",
    )
