"""`pacte compte creer` (English alias `create`): create an account with its role, territory and organisation,
with the admin's checks (pacte/accounts/creation.py), e.g. the first national steering account of a fresh install:

    DIPLP="Délégation interministérielle à la prévention et à la lutte contre la pauvreté"
    pacte compte creer --identifiant c.martin --courriel c.martin@example.gouv.fr --prenom Claire --nom Martin \\
        --role national_steering --organisation "$DIPLP" --type-organisation diplp --administrateur

The password is read from the standard input with `--mot-de-passe-stdin` (first line), else typed twice at the
terminal; without either the command refuses. It is never printed. Nothing is written unless every check passes.
"""

import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from pacte.accounts.creation import NewAccount, check_account, create_account
from pacte.accounts.enums import OrganisationKind, Role

CREATE = "creer"
ALIASES = {CREATE: ["create"]}

# The option that sets each field of pacte/accounts/creation.py, to name it in a message.
OPTIONS = {
    "username": "--identifiant",
    "email": "--courriel",
    "first_name": "--prenom",
    "last_name": "--nom",
    "role": "--role",
    "territory": "--territoire",
    "organisation": "--organisation",
    "organisation_kind": "--type-organisation",
    "password": "mot de passe",
    "__all__": "compte",
}


def _choices(enum) -> str:
    return " ; ".join(f"{value} ({label})" for value, label in enum.choices)


class Command(BaseCommand):
    help = (
        "Comptes : « creer » crée un compte avec son rôle, son territoire et son organisation (trouvée par son nom, "
        "ou créée avec --type-organisation), avec les mêmes vérifications que l'administration."
    )
    # Tests hand the standard input over (call_command(..., stdin=io.StringIO("…"))).
    stealth_options = ("stdin",)

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION", title="actions")
        create = actions.add_parser(
            CREATE,
            aliases=ALIASES[CREATE],
            help="Crée un compte (rien n'est écrit si une vérification échoue ; un identifiant pris est refusé).",
            description="Crée un compte. Le mot de passe n'est jamais affiché ni passé en argument.",
        )
        create.add_argument(
            "--identifiant",
            dest="username",
            default="",
            metavar="IDENTIFIANT",
            help="identifiant de connexion (obligatoire)",
        )
        create.add_argument(
            "--courriel",
            dest="email",
            default="",
            metavar="ADRESSE",
            help="adresse électronique (obligatoire)",
        )
        create.add_argument("--prenom", dest="first_name", default="", metavar="PRÉNOM")
        create.add_argument("--nom", dest="last_name", default="", metavar="NOM")
        create.add_argument(
            "--role",
            dest="role",
            default="",
            metavar="RÔLE",
            help=f"rôle sur la plateforme (obligatoire) : {_choices(Role)}",
        )
        create.add_argument(
            "--territoire",
            dest="territory",
            default="",
            metavar="NIVEAU:CODE",
            help="territoire de compétence, par exemple region:52, departement:44, epci:244400404, commune:44109 "
            "(obligatoire pour chaque rôle sauf le pilotage national, qui n'en a pas)",
        )
        create.add_argument(
            "--organisation",
            dest="organisation",
            default="",
            metavar="NOM",
            help="nom exact de l'organisation du compte ; créée si elle n'existe pas et que --type-organisation "
            "est donné (rattachée au même territoire que le compte)",
        )
        create.add_argument(
            "--type-organisation",
            dest="organisation_kind",
            default="",
            metavar="TYPE",
            help=f"type de l'organisation, pour la créer ou la distinguer d'une homonyme : {_choices(OrganisationKind)}",
        )
        create.add_argument(
            "--administrateur",
            dest="administrator",
            action="store_true",
            help="donne aussi l'accès à l'administration (/admin/) avec tous les droits",
        )
        create.add_argument(
            "--mot-de-passe-stdin",
            dest="password_stdin",
            action="store_true",
            help="lit le mot de passe sur la première ligne de l'entrée standard (sinon il est demandé deux fois "
            "au terminal)",
        )

    def handle(self, *args, **options) -> None:
        account = NewAccount(
            **{
                name: options[name].strip()
                for name in ("username", "email", "first_name", "last_name", "role")
            },
            territory=options["territory"].strip(),
            organisation=options["organisation"].strip(),
            organisation_kind=options["organisation_kind"].strip(),
            administrator=options["administrator"],
        )
        try:
            check_account(account)  # every other check before the password is asked for
            password = self._password(options)
            created = create_account(account, password)
        except ValidationError as error:
            raise CommandError(_refusal(error)) from None
        if options["verbosity"]:
            self.stdout.write(_summary(created.user, created.organisation_created))

    def _password(self, options) -> str:
        stdin = options.get("stdin") or sys.stdin
        if options["password_stdin"]:
            password = stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError(
                    "--mot-de-passe-stdin : aucun mot de passe sur l'entrée standard ; compte non créé."
                )
            return password
        if not (hasattr(stdin, "isatty") and stdin.isatty()):
            raise CommandError(
                "Mot de passe : pas de terminal pour le saisir ; passez-le sur l'entrée standard avec "
                "--mot-de-passe-stdin (par exemple depuis un fichier lisible du seul administrateur). "
                "Compte non créé."
            )
        password = getpass.getpass("Mot de passe : ")
        if password != getpass.getpass("Mot de passe (confirmation) : "):
            raise CommandError("Mot de passe : les deux saisies diffèrent ; compte non créé.")
        if not password:
            raise CommandError("Mot de passe : vide ; compte non créé.")
        return password


def _refusal(error: ValidationError) -> str:
    lines = ["Compte non créé, rien n'a été enregistré :"]
    for field, messages in error.message_dict.items():
        option = OPTIONS.get(field, field)
        lines += [f"  {option} : {message}" for message in messages]
    return "\n".join(lines)


def _summary(user, organisation_created: bool) -> str:
    name = user.get_full_name()
    lines = [f"Compte « {user.username} » créé" + (f" pour {name}." if name else ".")]
    lines.append(f"  rôle : {user.get_role_display()}")
    if user.organisation:
        state = "créée" if organisation_created else "existante"
        lines.append(f"  organisation : {user.organisation.name} (type {user.organisation.kind}, {state})")
    else:
        lines.append("  organisation : aucune")
    if user.territory:
        lines.append(f"  territoire : {user.territory.name} ({user.territory.level}:{user.territory.code})")
    else:
        lines.append("  territoire : aucun (compétence nationale)")
    lines.append(f"  administration (/admin/) : {'oui' if user.is_staff else 'non'}")
    lines.append("Le mot de passe choisi permet de se connecter dès maintenant.")
    return "\n".join(lines)
