"""Demo data of the appels à projets in Pays de la Loire (demo mode only, after `pacte.demo.accounts`).

- the figures the seed declares for 2019-2023 (7,6 M€ for 390 projects, of which 1,3 M€ for 92 projects in
  2023), kept as declared figures with their source, never spread into fake grants;
- the 2024 call, closed and decided: two projects selected (a two-year convention pluriannuelle d'objectifs with
  its 2024 payment, its validated 2024 report and its 2025 payment; a one-year convention paid once), one
  rejected;
- the 2025 call, closed and under instruction: two candidatures, one already scored;
- an open call whose deadline is six weeks after the day the demo is loaded.

Every row goes through the services, dated as the story goes (`now=`), so every rule applies. Associations,
people, projects, amounts and SIRET numbers are fictitious (`is_demo`, shown "donnée fictive"). Repeatable: a
call whose reference already exists is left as it is, with what demo users did since.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from pacte.accounts.enums import OrganisationKind, Role
from pacte.accounts.models import Organisation, User
from pacte.demo.accounts import DEMO_PASSWORD
from pacte.grants import services
from pacte.grants.enums import FundingStatus
from pacte.grants.models import Application, CallForProjects, DeclaredFigure, GrantAgreement
from pacte.programme.models import Axis
from pacte.territories.enums import Level
from pacte.territories.models import Territory

PARIS = ZoneInfo("Europe/Paris")
SEED = "003_15a36d82a2e300cb.txt"
SEED_EXCERPT = (
    "Soutien aux associations : 7,6 millions de crédits Etat depuis 2019 pour soutenir 390 projets, dont "
    "1,3 millions d'euros en 2023 pour 92 projets (AAP)."
)
DECLARED = [
    (2019, 2023, Decimal("7600000"), 390, "Crédits de l'État aux associations, 2019-2023 (AAP)"),
    (2023, 2023, Decimal("1300000"), 92, "Crédits de l'État aux associations, 2023 (AAP)"),
]
# Fictitious identifiers with a valid key (13 digits + Luhn key), never those of real bodies.
FUNDER_SIRET_PREFIX = "1300000000001"
CRITERIA = [
    services.CriterionRow("Pertinence au regard des besoins du territoire", 3, 5),
    services.CriterionRow("Public touché et démarche d'aller vers", 2, 5),
    services.CriterionRow("Partenariats et cofinancements", 1, 5),
    services.CriterionRow("Capacité de l'association à conduire le projet", 2, 5),
]


def at(year: int, month: int, day: int, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=PARIS)


def fictitious_siret(prefix: str) -> str:
    for last in "0123456789":
        if services.siret_problem(prefix + last) is None:
            return prefix + last
    raise AssertionError("unreachable")


@dataclass
class GrantsDemoReport:
    calls: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    applications: int = 0
    agreements: int = 0
    declared: int = 0

    def summary(self) -> str:
        created = ", ".join(self.calls) or "aucun"
        kept = f" ; déjà présents, laissés tels quels : {', '.join(self.skipped)}" if self.skipped else ""
        return (
            f"Appels à projets créés : {created}{kept}. Candidatures : {self.applications}, conventions : "
            f"{self.agreements} (données fictives). Chiffres déclarés 2019-2023 : {self.declared}."
        )


def _user(username: str) -> User:
    user = User.objects.filter(username=username).select_related("organisation", "territory").first()
    if user is None:
        raise ImproperlyConfigured(
            f"Le compte de démonstration « {username} » est absent : chargez d'abord load_demo."
        )
    return user


def _second_association(departement: Territory) -> User:
    organisation, _ = Organisation.objects.update_or_create(
        name="Solidarités sarthoises (association fictive)",
        kind=OrganisationKind.ASSOCIATION,
        defaults={"territory": departement, "siren": "800000001", "is_demo": True},
    )
    user, _ = User.objects.update_or_create(
        username="association-sarthe",
        defaults={
            "first_name": "Yanis",
            "last_name": "Moreau",
            "email": "association-sarthe@demo.pacte.invalid",
            "role": Role.ASSOCIATION,
            "organisation": organisation,
            "territory": departement,
            "is_demo": True,
        },
    )
    user.full_clean(exclude=["password"])
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    return user


def _axis(number: int) -> int:
    return Axis.objects.get(number=number).pk


def _call(commissioner, year: int, opens_at, deadline, title: str, *, max_years: int, budget: str):
    data = services.CallData(
        title=title,
        description=(
            "Soutenir les projets associatifs qui préviennent la pauvreté et accompagnent les personnes vers "
            "leurs droits, l'emploi et un logement, en lien avec les pactes locaux des solidarités."
        ),
        eligibility="Associations loi 1901 déclarées, intervenant en Pays de la Loire, disposant d'un SIRET.",
        total_budget=Decimal(budget),
        max_amount_per_year=Decimal("40000"),
        first_year=year,
        max_years=max_years,
        opens_at=opens_at,
        deadline=deadline,
        funder_siret=fictitious_siret(FUNDER_SIRET_PREFIX),
        axis_ids=list(Axis.objects.values_list("pk", flat=True)),
        criteria=CRITERIA,
    )
    call = services.create_call(commissioner, data, is_demo=True)
    return services.publish_call(call, commissioner, now=opens_at - datetime.timedelta(days=5))


def _apply(call, user, territory, title, summary, axis, amounts, *, siret_prefix, now, cofunding):
    data = services.ApplicationData(
        project_title=title,
        summary=summary,
        axis_id=_axis(axis),
        territory_id=territory.pk,
        total_cost=sum(amounts.values(), Decimal("0")) * 2,
        contact_name=user.get_full_name(),
        contact_email=user.email,
        siret=fictitious_siret(siret_prefix),
        amounts=amounts,
        cofundings=[
            services.CoFundingRow(cofunding, sum(amounts.values(), Decimal("0")) // 2, FundingStatus.ACQUIRED)
        ],
        indicators=[services.IndicatorRow("Personnes accompagnées", "personnes", Decimal("150"))],
    )
    application = services.save_application(call, user, data, now=now, is_demo=True)
    return services.submit_application(application, user, now=now)


def _score(application, reviewer, marks, now):
    criteria = list(application.call.criteria.all())
    services.save_review(
        Application.objects.get(pk=application.pk),
        reviewer,
        scores={c.pk: services.ScoreRow(mark, "") for c, mark in zip(criteria, marks, strict=True)},
        comment="Avis de démonstration (donnée fictive).",
        no_conflict_declared=True,
        submit=True,
        now=now,
    )


@transaction.atomic
def load_grants_demo(today: datetime.date | None = None) -> GrantsDemoReport:
    if not settings.DEMO_MODE:
        raise ImproperlyConfigured(
            "Les données de démonstration ne se chargent qu'en mode démonstration (PACTE_DEMO=1)."
        )
    today = today or timezone.localdate()
    report = GrantsDemoReport()
    region = Territory.objects.get(level=Level.REGION, code="52")
    loire_atlantique = Territory.objects.get(level=Level.DEPARTEMENT, code="44")
    sarthe = Territory.objects.get(level=Level.DEPARTEMENT, code="72")
    for start, end, amount, count, label in DECLARED:
        DeclaredFigure.objects.update_or_create(
            region=region,
            period_start=start,
            period_end=end,
            defaults={
                "amount": amount,
                "project_count": count,
                "label": label,
                "source_file": SEED,
                "source_excerpt": SEED_EXCERPT,
            },
        )
        report.declared += 1
    commissioner = _user("commissaire-pdl")
    ddets44, ddets72 = _user("ddets44"), _user("ddets72")
    entraide = _user("association")
    sarthoise = _second_association(sarthe)

    if CallForProjects.objects.filter(reference="AAP-52-2024").exists():
        report.skipped.append("AAP-52-2024")
    else:
        call = _call(
            commissioner,
            2024,
            at(2024, 1, 15),
            at(2024, 3, 15),
            "Appel à projets 2024 – Pacte des solidarités",
            max_years=2,
            budget="300000",
        )
        submitted = at(2024, 3, 1)
        first = _apply(
            call,
            entraide,
            loire_atlantique,
            "Épicerie solidaire itinérante",
            "Une épicerie solidaire en camion qui dessert les communes rurales du nord de la Loire-Atlantique.",
            4,
            {2024: Decimal("30000"), 2025: Decimal("30000")},
            siret_prefix="3000000000001",
            now=submitted,
            cofunding="Conseil départemental de Loire-Atlantique",
        )
        second = _apply(
            call,
            sarthoise,
            sarthe,
            "Ateliers d'accès aux droits en milieu rural",
            "Des permanences itinérantes pour accompagner les démarches en ligne (CAF, France Travail, impôts).",
            3,
            {2024: Decimal("18000")},
            siret_prefix="8000000010001",
            now=submitted,
            cofunding="CAF de la Sarthe",
        )
        third = _apply(
            call,
            sarthoise,
            sarthe,
            "Jardins partagés solidaires",
            "Des jardins partagés ouverts aux familles accompagnées par l'association.",
            4,
            {2024: Decimal("25000"), 2025: Decimal("25000")},
            siret_prefix="8000000010001",
            now=submitted,
            cofunding="Ville du Mans",
        )
        services.close_call(call, commissioner, now=at(2024, 3, 15))
        for reviewer in (ddets44, ddets72):
            services.assign_reviewer(call, reviewer, by=commissioner)
        for application, marks in ((first, (5, 4, 4, 4)), (second, (4, 5, 3, 4)), (third, (2, 2, 3, 3))):
            _score(application, ddets44, marks, at(2024, 4, 2))
            _score(application, ddets72, [max(0, m - 1) for m in marks], at(2024, 4, 3))
        decided = at(2024, 4, 25)
        services.decide_application(
            Application.objects.get(pk=first.pk),
            commissioner,
            selected=True,
            motivation="Projet retenu : il répond à l'isolement alimentaire des communes rurales.",
            granted={2024: Decimal("28000"), 2025: Decimal("28000")},
            signed_on=datetime.date(2024, 5, 6),
            decision_reference="ARR-52-2024-017",
            now=decided,
            is_demo=True,
        )
        services.decide_application(
            Application.objects.get(pk=second.pk),
            commissioner,
            selected=True,
            motivation="Projet retenu : il lutte contre le non-recours en milieu rural.",
            granted={2024: Decimal("18000")},
            signed_on=datetime.date(2024, 5, 6),
            decision_reference="ARR-52-2024-018",
            now=decided,
            is_demo=True,
        )
        services.decide_application(
            Application.objects.get(pk=third.pk),
            commissioner,
            selected=False,
            motivation="Projet non retenu : il relève d'un autre dispositif (alimentation durable).",
            now=decided,
        )
        cpo = GrantAgreement.objects.get(application=first)
        services.record_payment(
            cpo, ddets44, year=2024, amount=Decimal("28000"), paid_on=datetime.date(2024, 6, 10)
        )
        annual = GrantAgreement.objects.get(application=second)
        services.record_payment(
            annual, ddets72, year=2024, amount=Decimal("18000"), paid_on=datetime.date(2024, 6, 12)
        )
        grant_report = services.open_report(cpo, 2024, is_demo=True)
        indicator = cpo.application.indicators.get()
        services.save_report(
            grant_report,
            narrative="L'épicerie a tourné dans 14 communes ; 162 personnes servies (donnée fictive).",
            amount_spent=Decimal("55000"),
            values={indicator.pk: Decimal("162")},
        )
        services.submit_report(grant_report, entraide, now=at(2025, 2, 20))
        services.review_report(grant_report, ddets44, validate=True, now=at(2025, 3, 5))
        services.record_payment(
            cpo, ddets44, year=2025, amount=Decimal("28000"), paid_on=datetime.date(2025, 4, 14)
        )
        report.calls.append(call.reference)
        report.applications += 3
        report.agreements += 2

    if CallForProjects.objects.filter(reference="AAP-52-2025").exists():
        report.skipped.append("AAP-52-2025")
    else:
        call = _call(
            commissioner,
            2025,
            at(2025, 1, 13),
            at(2025, 3, 31),
            "Appel à projets 2025 – Pacte des solidarités",
            max_years=3,
            budget="350000",
        )
        submitted = at(2025, 3, 20)
        first = _apply(
            call,
            entraide,
            loire_atlantique,
            "Maraudes d'aller vers à Saint-Nazaire",
            "Des maraudes sociales pour rencontrer les personnes sans domicile et les orienter vers leurs droits.",
            3,
            {2025: Decimal("25000"), 2026: Decimal("25000"), 2027: Decimal("25000")},
            siret_prefix="3000000000001",
            now=submitted,
            cofunding="Ville de Saint-Nazaire",
        )
        _apply(
            call,
            sarthoise,
            sarthe,
            "Mobilité solidaire vers l'emploi",
            "Des prêts de véhicules et un garage solidaire pour les personnes en insertion.",
            2,
            {2025: Decimal("20000"), 2026: Decimal("20000")},
            siret_prefix="8000000010001",
            now=submitted,
            cofunding="Région Pays de la Loire",
        )
        services.close_call(call, commissioner, now=at(2025, 3, 31))
        for reviewer in (ddets44, ddets72):
            services.assign_reviewer(call, reviewer, by=commissioner)
        _score(first, ddets72, (4, 4, 3, 4), at(2025, 4, 10))
        report.calls.append(call.reference)
        report.applications += 2

    year = max(2026, today.year)
    if CallForProjects.objects.filter(reference=f"AAP-52-{year}").exists():
        report.skipped.append(f"AAP-52-{year}")
    else:
        opens = timezone.make_aware(
            datetime.datetime.combine(today - datetime.timedelta(days=10), datetime.time(9)), PARIS
        )
        deadline = timezone.make_aware(
            datetime.datetime.combine(today + datetime.timedelta(days=45), datetime.time(12)), PARIS
        )
        call = _call(
            commissioner,
            year,
            opens,
            deadline,
            f"Appel à projets {year} – Pacte des solidarités",
            max_years=3,
            budget="400000",
        )
        services.assign_reviewer(call, ddets44, by=commissioner)
        report.calls.append(call.reference)
    return report
