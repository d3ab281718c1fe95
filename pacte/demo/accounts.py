"""Demo data: the Pays de la Loire as in the seed of 20 October 2023, with one account per role.

Organisations are real institutions; the people and the association are fictitious (`is_demo`, shown as
"donnée fictive"). Loaded only in demo mode, repeatable (update_or_create on natural keys).
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from pacte.accounts.enums import OrganisationKind, Role
from pacte.accounts.models import Organisation, User
from pacte.territories.enums import Level
from pacte.territories.models import Territory

DEMO_PASSWORD = "demo-pacte-2026"
PDL_DEPARTEMENTS = {
    "44": "Loire-Atlantique",
    "49": "Maine-et-Loire",
    "53": "Mayenne",
    "72": "Sarthe",
    "85": "Vendée",
}
# Fictitious people: (DDETS agent, conseil départemental agent) for each département of the région.
DEPARTEMENT_PEOPLE = {
    "44": (("Sophie", "Moreau"), ("Julie", "Bernard")),
    "49": (("Antoine", "Lemaire"), ("Camille", "Roux")),
    "53": (("Hélène", "Guérin"), ("Thomas", "Huet")),
    "72": (("Mathieu", "Blanchard"), ("Inès", "Cordier")),
    "85": (("Luc", "Girard"), ("Paul", "Rousseau")),
}
NANTES_METROPOLE = "244400404"
NANTES = "44109"


@dataclass
class DemoReport:
    organisations: dict[str, int] = field(default_factory=lambda: {"created": 0, "updated": 0})
    users: dict[str, int] = field(default_factory=lambda: {"created": 0, "updated": 0})

    def summary(self) -> str:
        return (
            f"Organisations : {self.organisations['created']} créées, {self.organisations['updated']} mises à jour. "
            f"Comptes : {self.users['created']} créés, {self.users['updated']} mis à jour "
            f"(mot de passe de démonstration : {DEMO_PASSWORD})."
        )


def _territory(level: str, code: str) -> Territory:
    territory = Territory.objects.filter(level=level, code=code).first()
    if territory is None:
        raise ImproperlyConfigured(
            f"Le territoire {level} {code} est absent : chargez d'abord le COG (pacte load_cog)."
        )
    return territory


def _organisation(report: DemoReport, name: str, kind: str, territory, **extra) -> Organisation:
    organisation, created = Organisation.objects.update_or_create(
        name=name, kind=kind, defaults={"territory": territory, **extra}
    )
    report.organisations["created" if created else "updated"] += 1
    return organisation


def _user(
    report: DemoReport, username: str, first: str, last: str, role: str, organisation, territory, **extra
):
    user, created = User.objects.update_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@demo.pacte.invalid",
            "role": role,
            "organisation": organisation,
            "territory": territory,
            "is_demo": True,
            **extra,
        },
    )
    user.full_clean(exclude=["password"])
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    report.users["created" if created else "updated"] += 1
    return user


@transaction.atomic
def load_demo() -> DemoReport:
    if not settings.DEMO_MODE:
        raise ImproperlyConfigured(
            "Les données de démonstration ne se chargent qu'en mode démonstration (PACTE_DEMO=1)."
        )
    report = DemoReport()
    region = _territory(Level.REGION, "52")
    bretagne = _territory(Level.REGION, "53")
    departements = {code: _territory(Level.DEPARTEMENT, code) for code in PDL_DEPARTEMENTS}
    metropole = _territory(Level.EPCI, NANTES_METROPOLE)
    nantes = _territory(Level.COMMUNE, NANTES)

    diplp = _organisation(
        report,
        "Délégation interministérielle à la prévention et à la lutte contre la pauvreté",
        OrganisationKind.DIPLP,
        None,
    )
    prefecture = _organisation(
        report, "Préfecture de la région Pays de la Loire", OrganisationKind.REGIONAL_PREFECTURE, region
    )
    prefecture_bretagne = _organisation(
        report, "Préfecture de la région Bretagne", OrganisationKind.REGIONAL_PREFECTURE, bretagne
    )
    ddets, councils = {}, {}
    for code, name in PDL_DEPARTEMENTS.items():
        ddets[code] = _organisation(report, f"DDETS {name}", OrganisationKind.DDETS, departements[code])
        councils[code] = _organisation(
            report, f"Conseil départemental {name}", OrganisationKind.DEPARTEMENT_COUNCIL, departements[code]
        )
    nantes_metropole = _organisation(report, "Nantes Métropole", OrganisationKind.METROPOLE, metropole)
    association = _organisation(
        report,
        "Entraide Ligérienne (association fictive)",
        OrganisationKind.ASSOCIATION,
        departements["44"],
        rna="W442000001",
        is_demo=True,
    )
    ccas = _organisation(report, "CCAS de Nantes", OrganisationKind.CCAS, nantes)

    _user(
        report,
        "pilotage",
        "Claire",
        "Dumas",
        Role.NATIONAL_STEERING,
        diplp,
        None,
        is_staff=True,
        is_superuser=True,
    )
    _user(report, "commissaire-pdl", "Marc", "Lebreton", Role.REGIONAL_COMMISSIONER, prefecture, region)
    _user(
        report,
        "commissaire-bretagne",
        "Anne",
        "Kerjean",
        Role.REGIONAL_COMMISSIONER,
        prefecture_bretagne,
        bretagne,
    )
    for code, (state_person, council_person) in DEPARTEMENT_PEOPLE.items():
        _user(report, f"ddets{code}", *state_person, Role.DDETS, ddets[code], departements[code])
        _user(report, f"cd{code}", *council_person, Role.LOCAL_AUTHORITY, councils[code], departements[code])
    _user(report, "nantes-metropole", "Karim", "Benali", Role.LOCAL_AUTHORITY, nantes_metropole, metropole)
    _user(report, "association", "Léa", "Fontaine", Role.ASSOCIATION, association, departements["44"])
    _user(report, "travailleur-social", "Nora", "Petit", Role.SOCIAL_WORKER, ccas, nantes)
    return report
