"""Creating an account from a script (`pacte compte creer`): the first national steering account of a fresh
install, or any other, with its role, its territory and its organisation (found by name, or created).

The checks are the admin's: the username is free whatever its case (Django's user creation form), the user's
`full_clean` (`User.clean`: the territory level each role takes and the organisation kinds it belongs to), a new
organisation's through `services.create_organisation` (`Organisation.clean`: the territory each kind takes; one name
per kind), and Django's password validators (`AUTH_PASSWORD_VALIDATORS`). Every French message is keyed by the
field it is about (`username`, `email`, `first_name`, `last_name`, `role`, `territory`, `organisation`,
`organisation_kind`, `password`), for the caller to name its own option. Nothing is written unless everything
passes: one transaction.
"""

from dataclasses import dataclass

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction

from pacte.accounts import services
from pacte.accounts.enums import OrganisationKind, Role
from pacte.accounts.models import Organisation, User
from pacte.core.errors import Errors
from pacte.core.validators import control_characters
from pacte.territories.enums import Level
from pacte.territories.models import Territory

TEXT_FIELDS = ("username", "email", "first_name", "last_name", "territory", "organisation")
SCOPE_FIELDS = {"role", "territory", "organisation"}


@dataclass(frozen=True)
class NewAccount:
    """What the caller asks for; `territory` is written « niveau:code » (`region:52`, `departement:44`)."""

    username: str
    email: str
    role: str
    first_name: str = ""
    last_name: str = ""
    territory: str = ""
    organisation: str = ""
    organisation_kind: str = ""
    administrator: bool = False


@dataclass(frozen=True)
class CreatedAccount:
    user: User
    organisation_created: bool


def find_territory(text: str) -> Territory:
    """The territory in force written « niveau:code »; ValidationError keyed `territory` otherwise."""
    level, separator, code = (part.strip() for part in text.partition(":"))
    if not separator or not level or not code:
        raise _error(
            "territory",
            f"« {text} » : écrivez le niveau et le code séparés par deux-points, par exemple region:52, "
            "departement:44 ou epci:244400404.",
        )
    if level not in Level.values:
        raise _error(
            "territory", f"niveau « {level} » inconnu ; niveaux possibles : {', '.join(Level.values)}."
        )
    territory = Territory.objects.filter(level=level, code=code).first()
    if territory is None:
        raise _error(
            "territory",
            f"aucun territoire {level}:{code} dans le Code officiel géographique chargé (« pacte setup » le charge).",
        )
    if not territory.is_active:
        raise _error("territory", f"{territory.name} ({level}:{code}) n'est plus en vigueur dans le COG.")
    return territory


def check_account(account: NewAccount) -> User:
    """Every check but the password's, writing nothing: the user as it would be created (unsaved), so that the
    password can then be checked against its name and address."""
    with transaction.atomic():
        user, _created = _build(account, password=None)
        transaction.set_rollback(True)
    return user


@transaction.atomic
def create_account(account: NewAccount, password: str) -> CreatedAccount:
    """The account, and its organisation when it does not exist yet; ValidationError (keyed by field) and nothing
    written when a check refuses."""
    user, organisation_created = _build(account, password=password)
    user.set_password(password)
    user.save()
    return CreatedAccount(user, organisation_created)


def _build(account: NewAccount, *, password: str | None) -> tuple[User, bool]:
    """The unsaved user (its new organisation saved, inside the caller's transaction); every problem at once."""
    errors = Errors()
    _check_texts(account, errors)
    role = account.role
    if role and role not in Role.values:
        errors.add("role", f"rôle « {role} » inconnu ; rôles possibles : {', '.join(Role.values)}.")
        role = ""
    if account.organisation_kind and account.organisation_kind not in OrganisationKind.values:
        errors.add(
            "organisation_kind",
            f"type « {account.organisation_kind} » inconnu ; types possibles : {', '.join(OrganisationKind.values)}.",
        )
    if account.organisation_kind and not account.organisation:
        errors.add("organisation_kind", "ne sert qu'avec le nom de l'organisation (--organisation).")
    if account.username and User.objects.filter(username__iexact=account.username).exists():
        errors.add("username", f"un compte « {account.username} » existe déjà ; rien n'a été modifié.")
    territory = None
    if account.territory and "territory" not in errors.messages:
        try:
            territory = find_territory(account.territory)
        except ValidationError as error:
            _merge(errors, error)
    refused = set(errors.messages)
    user = User(
        username=account.username,
        email=account.email,
        first_name=account.first_name,
        last_name=account.last_name,
        role=role,
        territory=territory,
        is_staff=account.administrator,
        is_superuser=account.administrator,
    )
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        # A field already refused is not judged again, nor the role's rules (User.clean) of a refused role.
        _merge(errors, error, skip=refused | (SCOPE_FIELDS if "role" in refused else set()))
    organisation_created = False
    if account.organisation and not errors.messages:
        # The organisation comes once the account's own role and territory pass: it may be created with them.
        try:
            user.organisation, organisation_created = _organisation(account, territory)
            user.clean()
        except ValidationError as error:
            _merge(errors, error)
    if password is not None:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            for message in error.messages:
                errors.add("password", message)
    errors.raise_if_any()
    return user, organisation_created


def _check_texts(account: NewAccount, errors: Errors) -> None:
    for name in ("username", "email", "role"):
        if not getattr(account, name).strip():
            errors.add(name, "obligatoire.")
    for name in TEXT_FIELDS:
        found = control_characters(getattr(account, name))
        if found:
            errors.add(name, f"tient sur une seule ligne : retirez {' et '.join(found)}.")


def _organisation(account: NewAccount, territory: Territory | None) -> tuple[Organisation | None, bool]:
    """The organisation named by the caller (of the given kind, when given), or the one created for it."""
    if not account.organisation:
        return None, False
    namesakes = Organisation.objects.filter(name=account.organisation)
    if account.organisation_kind:
        namesakes = namesakes.filter(kind=account.organisation_kind)
    found = list(namesakes[:2])
    if len(found) == 1:
        return found[0], False
    if len(found) > 1:
        raise _error(
            "organisation",
            f"plusieurs organisations s'appellent « {account.organisation} » : précisez leur type "
            "(--type-organisation).",
        )
    if not account.organisation_kind:
        raise _error(
            "organisation",
            f"aucune organisation « {account.organisation} » ; pour la créer, donnez aussi son type "
            "(--type-organisation).",
        )
    try:
        organisation = services.create_organisation(
            name=account.organisation, kind=account.organisation_kind, territory=territory
        )
    except ValidationError as error:
        errors = Errors()
        for field, messages in error.message_dict.items():
            key = {"kind": "organisation_kind", "territory": "territory"}.get(field, "organisation")
            for message in messages:
                errors.add(key, f"organisation « {account.organisation} » à créer : {message}")
        errors.raise_if_any()
    return organisation, True


def _merge(errors: Errors, error: ValidationError, *, skip: set[str] = frozenset()) -> None:
    for field, messages in error.message_dict.items():
        if field in skip:
            continue
        for message in messages:
            errors.add(field, message)


def _error(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})
