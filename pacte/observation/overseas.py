"""The overseas view of the Pacte (issue 18, point 3: « Un plan d'action en faveur de l'Outre-Mer », seed 000): the
measures of the référentiel tagged « Outre-mer », the contracts and local pacts of the overseas territories, the
poverty indicators the platform holds for the five DROM with their statistical scope, the contributions of the
overseas contracts to the barometer's national targets, and the overseas specifics of access to rights.

Everything is read as the user may: the contracts and pacts through pacte.contracts (`listed_contracts`,
`listed_pacts`: signed versions for everyone, drafts for their parties), the indicators through pacte.observation
(public ones, and the others for the Pacte's steering). `build_overseas` runs a fixed number of queries whatever the
number of contracts, pacts, indicators and values.

The statistical scope is not the platform's opinion: each sentence below quotes its source (research notes of
issue 18, section 1.4). The five DROM are the régions whose codes are in `enums.OVERSEAS_REGIONS`; the collectivités
d'outre-mer of the COG are outside INSEE's poverty statistics and show « non publié (hors champ INSEE) ». No value
of a DROM is set beside a metropolitan one: the national values of the ERFS cover metropolitan France only
(`enums.NationalScope`), and the sources below say the local thresholds of the DROM make their rates incomparable.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum

from pacte.contracts import consolidation, perms
from pacte.contracts import queries as contract_queries
from pacte.contracts.models import Contract, LocalPact, PactAction, PactSignatory
from pacte.core.collation import french
from pacte.observation import queries
from pacte.observation.barometer import reads
from pacte.observation.barometer.figures import ContractFigures
from pacte.observation.enums import OVERSEAS_REGIONS, ValueStatus, is_overseas
from pacte.observation.models import Indicator, Observation
from pacte.programme.models import Measure, Target
from pacte.territories.enums import Level
from pacte.territories.models import Territory

NOT_PUBLISHED = "non publié"
OUT_OF_INSEE_SCOPE = "non publié (hors champ INSEE)"


@dataclass(frozen=True)
class PublicSource:
    """A public text: who said it, when, where, and the sentence quoted."""

    title: str
    url: str
    quote: str
    reliability: str = "A"  # as in data/chiffres_nationaux.yaml: A official, B relayed, C secondary


@dataclass(frozen=True)
class PublishedRate:
    """A poverty rate at the national threshold published for one DROM (not a value of the platform's tables)."""

    value: Decimal
    year: int
    survey: str
    source: PublicSource


@dataclass(frozen=True)
class DromScope:
    """What the statistics say of one DROM: whether Filosofi covers it, its published rate, how it is measured."""

    region_code: str
    departement_code: str
    name: str
    filosofi: bool
    rate: PublishedRate
    note: str = ""


# The overseas envelope of the Pacte. Not a figure of the référentiel: the référentiel's figures quote the seeds
# word for word (tests/programme/test_referentiel_completeness.py), and no seed gives it; a1-n4's overseas note cites
# it too.
CIOM = PublicSource(
    "AEF info, « Le détail des propositions du Comité interministériel des Outre-mer sur l'école », dépêche 695865, "
    "juillet 2023 (volet « Bien grandir en Outre-mer » du CIOM du 18 juillet 2023)",
    "https://www.aefinfo.fr/depeche/695865-le-detail-des-propositions-du-comite-interministeriel-des-outre-mer-sur-l"
    "-ecole",
    "application du Pacte des solidarités pour les outre-mer, doté de 50 millions d'euros par an et destiné à financer "
    "des mesures sociales comme la gratuité des petits-déjeuners et des manuels scolaires dans les écoles primaires.",
    "B",
)
CIOM_ENVELOPE_EUR = Decimal(
    "50000000"
)  # a year, from CIOM; its split by measure, territory or year: non publié

FILOSOFI = PublicSource(
    "INSEE Résultats, « Principaux indicateurs sur les revenus et la pauvreté aux niveaux national et local en "
    "2021 », 29 janvier 2024, mis à jour le 19 juillet 2024",
    "https://insee.fr/fr/statistiques/7756729?sommaire=7756859",
    "Ces résultats portent sur la France métropolitaine, la Martinique et La Réunion. (Pour la Guadeloupe, la "
    "Guyane et Mayotte, voir pour en savoir plus).",
)
BDF_2017 = PublicSource(
    "Observatoire des inégalités, taux de pauvreté dans les DOM (reprise des données INSEE, enquête Budget de "
    "famille 2017)",
    "https://www.inegalites.fr/spip.php?page=tableau&num=1760",
    "Seuil de pauvreté de 60 % du niveau de vie médian. Lecture : 33 % des habitants de la Martinique vivent sous "
    "le seuil de pauvreté. Source : Insee – Données 2017",
    "B",
)
BDF_METHOD = PublicSource(
    "INSEE, « La consommation des ménages dans les DOM en 2017 », Chiffres détaillés, 30 janvier 2020",
    "https://recherche-naf.insee.fr/fr/statistiques/4257987",
    "Elle s'est déroulée sur le terrain d'octobre 2016 à octobre 2017 en métropole et dans les DOM hors Mayotte et "
    "d'octobre 2017 à octobre 2018 à Mayotte.",
)
MAYOTTE_2018 = PublicSource(
    "INSEE Analyses Mayotte n° 25, « Revenus et pauvreté à Mayotte en 2018 », 1er juillet 2020",
    "https://insee.fr/fr/statistiques/4622454",
    "77 % des habitants vivent sous le seuil de pauvreté national […] À Mayotte en 2018, la moitié de la "
    "population vit avec moins de 260 euros par mois",
)
LOCAL_THRESHOLDS = PublicSource(
    "Réponse du Gouvernement, Assemblée nationale, question orale, 2018",
    "https://2017-2022.nosdeputes.fr/15/intervention/269821",
    "Dans les départements et régions d'outre-mer – DROM – , à l'exception de la Réunion, les seuils de pauvreté "
    "sont établis en fonction des revenus calculés localement. […] ils ont pour défaut de minorer le niveau de "
    "pauvreté des DROM",
)
COM_SCOPE = PublicSource(
    "Christel Colin, directrice des statistiques démographiques et sociales de l'INSEE, commission d'enquête de "
    "l'Assemblée nationale sur le coût de la vie outre-mer, 30 mars 2023",
    "https://nosdeputes.fr/16/intervention/256262",
    "Sur les collectivités relevant de l'article 74 de la Constitution, ainsi que pour la Nouvelle-Calédonie, les "
    "obligations juridiques explicites de l'Insee en matière de statistiques concernent la réalisation du "
    "recensement de la population et le calcul des populations légales",
)

MAYOTTE_NOTE = (
    "Mesurée autrement : enquête Budget de famille de 2018 (et non 2017), sur le terrain d'octobre 2017 à octobre "
    "2018 ; hors Filosofi."
)
DROM_SCOPES = (
    DromScope(
        "01", "971", "Guadeloupe", False, PublishedRate(Decimal("34"), 2017, "Budget de famille", BDF_2017)
    ),
    DromScope(
        "02", "972", "Martinique", True, PublishedRate(Decimal("33"), 2017, "Budget de famille", BDF_2017)
    ),
    DromScope(
        "03", "973", "Guyane", False, PublishedRate(Decimal("53"), 2017, "Budget de famille", BDF_2017)
    ),
    DromScope(
        "04", "974", "La Réunion", True, PublishedRate(Decimal("42"), 2017, "Budget de famille", BDF_2017)
    ),
    DromScope(
        "06",
        "976",
        "Mayotte",
        False,
        PublishedRate(Decimal("77"), 2018, "Budget de famille", MAYOTTE_2018),
        MAYOTTE_NOTE,
    ),
)


@dataclass(frozen=True)
class RightsFact:
    """An overseas specific of access to rights, with its source."""

    territory: str
    text: str
    source: PublicSource


# The specifics of access to rights overseas. The last two restate, for the page, the confidence rules of the rights
# engine (pacte/rights/confidence.py, which the observation may not import) documented in docs/format-menages.md.
RIGHTS_FACTS = (
    RightsFact(
        "Mayotte",
        "La Caisse de sécurité sociale de Mayotte (CSSM) y est l'organisme unique de sécurité sociale : on s'y "
        "adresse à elle, et non à une CAF, une CPAM, une Urssaf ou une caisse de retraite.",
        PublicSource(
            "CLEISS, « Le régime mahorais de sécurité sociale », 2025",
            "https://www.cleiss.fr/docs/regimes/regime_mayotte.html",
            "Elle est l'organisme unique de sécurité sociale à Mayotte depuis 2015 et agit sous la tutelle de 4 "
            "caisses nationales",
        ),
    ),
    RightsFact(
        "Mayotte",
        "La complémentaire santé solidaire (C2S) n'y existe que depuis le 1er janvier 2024 ; elle remplace "
        "l'exonération du ticket modérateur propre à Mayotte.",
        PublicSource(
            "Ministère chargé de la santé, « La C2S déployée à Mayotte »",
            "http://complementaire-sante-solidaire.gouv.fr/node/185",
            "Depuis le 1er janvier 2024, les assurés mahorais disposant de faibles ressources peuvent bénéficier de "
            "la complémentaire santé solidaire (C2S). […] Introduite par l'article 92 de la loi du 23 décembre 2022 "
            "de financement de la sécurité sociale pour 2023, et mise en application par le décret n° 2023-1425 du "
            "29 décembre 2023, la mesure est entrée en vigueur au 1er janvier 2024.",
        ),
    ),
    RightsFact(
        "Mayotte",
        "Le montant forfaitaire du RSA y est de moitié : 317,86 € par mois pour une personne seule en 2024.",
        PublicSource(
            "MoneyVox, « CAF : pourquoi on ne touche pas les 600 euros du RSA à Mayotte »",
            "https://app.moneyvox.fr/votre-argent/actualites/99634/caf-pourquoi-on-ne-touche-pas-les-600-euros-du-"
            "rsa-a-mayotte",
            "à Mayotte, le montant forfaitaire du Revenu de solidarité active (RSA) 317,86 euros par mois pour une "
            "personne seule, soit la moitié de la somme prévue pour la France métropolitaine",
            "B",
        ),
    ),
    RightsFact(
        "Mayotte",
        "Le simulateur et la détection du non-recours calculent avec OpenFisca-France 176.1.8, qui n'a pas le "
        "barème local : à Mayotte, les montants du RSA, de la prime d'activité, des aides au logement, des AF, du "
        "CF, de l'ASF, de l'ARS, de l'AEEH, de l'AAH, de l'ASPA et de l'ASI sont « à vérifier ».",
        PublicSource(
            "Pacte, règles de confiance du moteur d'accès aux droits (docs/format-menages.md, « Confiance »)",
            "",
            "Mayotte : OpenFisca-France 176.1.8 n'a pas le barème local, montant calculé au barème national",
        ),
    ),
    RightsFact(
        "Saint-Pierre-et-Miquelon, Saint-Barthélemy, Saint-Martin",
        "Toutes les prestations calculées y sont « à vérifier » : les règles locales ne sont pas modélisées.",
        PublicSource(
            "Pacte, règles de confiance du moteur d'accès aux droits (docs/format-menages.md, « Confiance »)",
            "",
            "collectivité d'outre-mer (Saint-Pierre-et-Miquelon, Saint-Barthélemy, Saint-Martin) : règles locales "
            "non modélisées",
        ),
    ),
)

# Overseas pacts and contracts signed outside the platform, as published (issue 18 research, section 1.3).
PUBLISHED_SIGNATURES = (
    RightsFact(
        "Mayotte",
        "Pacte des solidarités 2024-2027 signé le 17 octobre 2024 par la préfecture et le conseil départemental ; "
        "la préfecture annonçait en 2023 une période 2024-2026.",
        PublicSource(
            "Département de Mayotte, « Une mobilisation collective pour lutter contre la pauvreté à Mayotte », 18 "
            "octobre 2024",
            "https://www.mayotte.fr/actualite/lire/835/une-mobilisation-collective-pour-lutter-contre-la-pauvrete-a-"
            "mayotte",
            "Ce jeudi 17 octobre 2024, une étape importante a été franchie dans la lutte contre la pauvreté à Mayotte "
            "avec la signature du « Pacte des Solidarités » 2024-2027.",
        ),
    ),
)


def overseas_territory_q(prefix: str = "") -> Q:
    """A filter on Territory (or, with `prefix` "territory__", on a model pointing to one) keeping the territories
    outside metropolitan France: the five DROM and everything inside them, the collectivités d'outre-mer and
    everything inside them (`enums.is_overseas` in SQL)."""
    return (
        Q(**{f"{prefix}level": Level.COM})
        | Q(**{f"{prefix}level": Level.REGION, f"{prefix}code__in": OVERSEAS_REGIONS})
        | Q(**{f"{prefix}region__code__in": OVERSEAS_REGIONS, f"{prefix}region__level": Level.REGION})
        | Q(**{f"{prefix}region__level": Level.COM})
    )


# --- What the page shows --------------------------------------------------------------------------------------


@dataclass
class DromIndicatorCell:
    text: str
    is_demo: bool = False
    available: bool = False


@dataclass
class DromIndicatorRow:
    indicator: Indicator
    cells: list[DromIndicatorCell]


@dataclass
class DromColumn:
    scope: DromScope
    territory: Territory | None  # the département of the COG, None when the COG is not loaded


@dataclass
class PactRow:
    pact: LocalPact
    co_funders: Decimal | None
    state: Decimal | None  # the State's part of the collected actions, for the pact's parties only
    state_visible: bool


@dataclass
class ContributionRow:
    target: Target
    figures: ContractFigures

    @property
    def territories(self) -> list[str]:
        return sorted({item.territory.name for item in self.figures.linked}, key=str.casefold)


@dataclass
class Overseas:
    measures: list[Measure]
    drom: list[DromColumn]
    coms: list[Territory]
    indicator_rows: list[DromIndicatorRow]
    contracts: list[Contract]
    pacts: list[PactRow]
    overseas_targets: list[Target]
    contribution_rows: list[ContributionRow] = field(default_factory=list)
    contracts_in_force: int = 0

    @property
    def has_demo(self) -> bool:
        return (
            any(contract.is_demo for contract in self.contracts)
            or any(row.pact.is_demo for row in self.pacts)
            or any(cell.is_demo for row in self.indicator_rows for cell in row.cells)
        )


def _drom_columns() -> list[DromColumn]:
    """The five DROM in their COG order, each with its département (one query)."""
    codes = [scope.departement_code for scope in DROM_SCOPES]
    found = {
        territory.code: territory
        for territory in Territory.objects.filter(level=Level.DEPARTEMENT, code__in=codes).select_related(
            "region"
        )
    }
    return [DromColumn(scope, found.get(scope.departement_code)) for scope in DROM_SCOPES]


def _indicator_rows(user, columns: list[DromColumn]) -> list[DromIndicatorRow]:
    """For each indicator `user` may see, the latest value of each DROM département (two queries)."""
    indicators = list(queries.visible_indicators(user))
    territory_ids = [column.territory.pk for column in columns if column.territory is not None]
    latest: dict[tuple[int, int], Observation] = {}
    values = (
        Observation.objects.filter(
            indicator__in=[indicator.pk for indicator in indicators],
            territory__in=territory_ids,
            status=ValueStatus.AVAILABLE,
        )
        .order_by("indicator", "territory", "period")
        .only("indicator_id", "territory_id", "period", "value", "status", "is_demo")
    )
    for value in values:  # ordered by period: the last one read is the latest
        latest[(value.indicator_id, value.territory_id)] = value
    rows = []
    for indicator in indicators:
        cells = []
        for column in columns:
            value = latest.get((indicator.pk, column.territory.pk)) if column.territory is not None else None
            if value is None:
                cells.append(DromIndicatorCell("pas de valeur"))
                continue
            point = queries.Point(value.period, value.value, value.status, value.is_demo)
            cells.append(
                DromIndicatorCell(queries.display(indicator, point, with_period=True), value.is_demo, True)
            )
        rows.append(DromIndicatorRow(indicator, cells))
    return rows


def _pacts(user) -> list[PactRow]:
    """The overseas local pacts `user` may see, with their co-funders' contributions (public with the pact) and,
    for the pact's parties and national steering, the State's part of the collected actions (three queries)."""
    pacts = list(contract_queries.listed_pacts(user).filter(overseas_territory_q("territory__")))
    ids = [pact.pk for pact in pacts]
    co_funders = dict(
        PactSignatory.objects.filter(pact__in=ids, amount__isnull=False)
        .values("pact")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("pact", "total")
    )
    followed = [pact.pk for pact in pacts if perms.can_follow_local_pact(user, pact)]
    state = dict(
        PactAction.objects.filter(pact__in=followed)
        .values("pact")
        .annotate(total=Sum("state_amount"))
        .order_by()
        .values_list("pact", "total")
    )
    return [PactRow(pact, co_funders.get(pact.pk), state.get(pact.pk), pact.pk in followed) for pact in pacts]


def _contributions(targets: list[Target]) -> tuple[list[ContributionRow], int]:
    """The contributions of the overseas contracts in force to the national targets they have indicators linked
    to, through the barometer's reads (the contracts in force are signed: public); and how many overseas contracts
    are in force."""
    contracts = consolidation.contracts_in_force()
    overseas = [contract for contract in contracts if is_overseas(contract.territory)]
    if not overseas or not targets:
        return [], len(overseas)
    by_target = reads.contributions(targets, contracts)
    rows = []
    for target in targets:
        items = [item for item in by_target.get(target.pk, []) if is_overseas(item.territory)]
        figures = ContractFigures(items, consolidation.commitment_year(target))
        if figures.linked:
            rows.append(ContributionRow(target, figures))
    return rows, len(overseas)


def build_overseas(user) -> Overseas:
    """Everything the overseas page shows, as `user` may see it, in a fixed number of queries."""
    measures = list(
        Measure.objects.filter(overseas=True).select_related("axis").prefetch_related("targets__territory")
    )
    columns = _drom_columns()
    coms = list(Territory.objects.active().filter(level=Level.COM).order_by(french("name"), "code"))
    contracts = contract_queries.with_budgets(
        contract_queries.listed_contracts(user, {}).filter(overseas_territory_q("territory__"))
    )
    national_targets = list(reads.national_targets())
    overseas_targets = [target for target in national_targets if target.measure and target.measure.overseas]
    contribution_rows, in_force = _contributions(national_targets)
    return Overseas(
        measures=measures,
        drom=columns,
        coms=coms,
        indicator_rows=_indicator_rows(user, columns),
        contracts=contracts,
        pacts=_pacts(user),
        overseas_targets=overseas_targets,
        contribution_rows=contribution_rows,
        contracts_in_force=in_force,
    )
