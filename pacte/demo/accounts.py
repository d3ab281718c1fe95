"""Demo accounts: the organisations and one account per role (data/accounts.yaml).

Organisations are real institutions; the people and the associations are fictitious (`is_demo`, shown as
"donnée fictive"). Loaded only in demo mode, repeatable (update_or_create on natural keys: name and kind of
an organisation, username of an account). Accounts has no service that creates an organisation or an
account: the rows are written here, each account checked with `full_clean`.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from pacte import formatting
from pacte.accounts.enums import OrganisationKind, Role
from pacte.accounts.models import Organisation, User
from pacte.demo import files
from pacte.demo.common import DEMO_PASSWORD, DemoTerritory, require_demo_mode, territory_of
from pacte.demo.files import Spec

DATA_FILE = "accounts.yaml"


class OrganisationSpec(Spec):
    name: str
    kind: OrganisationKind
    territory: DemoTerritory | None = None
    rna: str = ""
    siren: str = ""
    is_demo: bool = False


class UserSpec(Spec):
    username: str
    first_name: str
    last_name: str
    role: Role
    organisation: str
    territory: DemoTerritory | None = None
    is_staff: bool = False
    is_superuser: bool = False


class AccountsFile(Spec):
    organisations: list[OrganisationSpec]
    users: list[UserSpec]


@dataclass
class AccountsDemoReport:
    organisations: dict[str, int] = field(default_factory=lambda: {"created": 0, "updated": 0})
    users: dict[str, int] = field(default_factory=lambda: {"created": 0, "updated": 0})

    def summary(self) -> str:
        organisations, users = self.organisations, self.users
        return (
            f"Organisations : {formatting.plural(organisations['created'], 'créée')}, "
            f"{formatting.plural(organisations['updated'], 'mise à jour', 'mises à jour')}. "
            f"Comptes : {formatting.plural(users['created'], 'créé')}, "
            f"{formatting.plural(users['updated'], 'mis à jour', 'mis à jour')} "
            f"(mot de passe de démonstration : {DEMO_PASSWORD})."
        )


def _organisation(report: AccountsDemoReport, spec: OrganisationSpec) -> Organisation:
    extra = {key: value for key, value in (("rna", spec.rna), ("siren", spec.siren)) if value}
    if spec.is_demo:
        extra["is_demo"] = True
    organisation, created = Organisation.objects.update_or_create(
        name=spec.name, kind=spec.kind, defaults={"territory": territory_of(spec.territory), **extra}
    )
    report.organisations["created" if created else "updated"] += 1
    return organisation


def _user(report: AccountsDemoReport, spec: UserSpec, organisation: Organisation) -> User:
    extra = {key: True for key in ("is_staff", "is_superuser") if getattr(spec, key)}
    user, created = User.objects.update_or_create(
        username=spec.username,
        defaults={
            "first_name": spec.first_name,
            "last_name": spec.last_name,
            "email": f"{spec.username}@demo.pacte.invalid",
            "role": spec.role,
            "organisation": organisation,
            "territory": territory_of(spec.territory),
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
def load_accounts_demo(path: Path | str = DATA_FILE) -> AccountsDemoReport:
    require_demo_mode()
    document, file = files.read(path, AccountsFile)
    names = {spec.name for spec in document.organisations}
    for index, spec in enumerate(document.users):
        if spec.organisation not in names:
            raise file.error(
                ("users", index, "organisation"),
                f"organisation « {spec.organisation} » inconnue (absente de « organisations »)",
            )
    report = AccountsDemoReport()
    organisations = {spec.name: _organisation(report, spec) for spec in document.organisations}
    for spec in document.users:
        _user(report, spec, organisations[spec.organisation])
    return report
