"""`pacte compte creer` (alias `create`): an account with its role, territory and organisation, checked as the admin
checks it; each refusal names its option in French and writes nothing; the password is never printed."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from pacte.accounts.enums import OrganisationKind, Role
from pacte.accounts.models import Organisation, User
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.territories.factories import DepartementFactory

PASSWORD = "Un-mot-de-passe-solide-2026"
DIPLP = "Délégation interministérielle à la prévention et à la lutte contre la pauvreté"
NATIONAL = [
    "--identifiant",
    "c.martin",
    "--courriel",
    "c.martin@example.gouv.fr",
    "--prenom",
    "Claire",
    "--nom",
    "Martin",
    "--role",
    "national_steering",
    "--organisation",
    DIPLP,
    "--type-organisation",
    "diplp",
    "--mot-de-passe-stdin",
]


def create(*args, action: str = "creer", stdin: str = PASSWORD + "\n") -> str:
    out = io.StringIO()
    call_command("compte", action, *args, stdin=io.StringIO(stdin), stdout=out)
    return out.getvalue()


def refusal(*args, stdin: str = PASSWORD + "\n") -> str:
    """The message of a refused creation, after checking that nothing was written."""
    before = (User.objects.count(), Organisation.objects.count())
    with pytest.raises(CommandError) as raised:
        create(*args, stdin=stdin)
    assert (User.objects.count(), Organisation.objects.count()) == before
    return str(raised.value)


def ddets(username: str = "d.roux", *extra: str) -> list[str]:
    return ["--identifiant", username, "--courriel", f"{username}@example.gouv.fr", "--role", "ddets", *extra]


@pytest.mark.parametrize("action", ["creer", "create"])
def test_it_creates_the_first_national_steering_account_which_can_sign_in(client, action):
    output = create(*NATIONAL, "--administrateur", action=action)
    user = User.objects.get(username="c.martin")
    assert (user.role, user.territory, user.get_full_name()) == (
        Role.NATIONAL_STEERING,
        None,
        "Claire Martin",
    )
    assert (user.organisation.name, user.organisation.kind) == (DIPLP, OrganisationKind.DIPLP)
    assert user.organisation.territory is None
    assert user.is_staff and user.is_superuser and not user.is_demo
    assert output.startswith(
        "Compte « c.martin » créé pour Claire Martin.\n  rôle : Pilotage national (DIPLP)\n"
    )
    assert f"  organisation : {DIPLP} (type diplp, créée)\n" in output
    assert "  administration (/admin/) : oui" in output
    assert PASSWORD not in output
    response = client.post(reverse("accounts:login"), {"username": "c.martin", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("workspace:home")


def test_an_existing_organisation_is_used_and_a_departement_role_gets_its_territory(loire_atlantique):
    agency = OrganisationFactory(name="DDETS de Loire-Atlantique", kind="ddets", territory=loire_atlantique)
    output = create(
        *ddets(
            "d.roux", "--territoire", "departement:44", "--organisation", agency.name, "--mot-de-passe-stdin"
        )
    )
    user = User.objects.get(username="d.roux")
    assert (user.role, user.territory, user.organisation) == (Role.DDETS, loire_atlantique, agency)
    assert not user.is_staff
    assert Organisation.objects.count() == 1
    assert f"  organisation : {agency.name} (type ddets, existante)\n" in output
    assert "  territoire : Loire-Atlantique (departement:44)" in output


def test_a_departement_role_without_territory_is_refused():
    message = refusal(*ddets())
    assert message.startswith("Compte non créé, rien n'a été enregistré :")
    assert "  --territoire : Ce rôle doit être rattaché(e) à un territoire." in message


def test_national_steering_with_a_territory_is_refused(region):
    message = refusal(*NATIONAL, "--territoire", "region:52")
    assert "  --territoire : Ce rôle a une compétence nationale : ne renseignez pas de territoire." in message


def test_an_unknown_role_is_refused_with_the_roles_it_takes(loire_atlantique):
    message = refusal(*ddets("d.roux", "--territoire", "departement:44")[:-2], "--role", "prefet")
    assert "  --role : rôle « prefet » inconnu ; rôles possibles : national_steering, " in message


@pytest.mark.parametrize(
    ("territory", "expected"),
    [
        (
            "departement:99",
            "--territoire : aucun territoire departement:99 dans le Code officiel géographique",
        ),
        ("canton:44", "--territoire : niveau « canton » inconnu ; niveaux possibles : region, com, "),
        ("44", "--territoire : « 44 » : écrivez le niveau et le code séparés par deux-points"),
    ],
)
def test_an_unknown_territory_is_refused(loire_atlantique, territory, expected):
    assert expected in refusal(*ddets("d.roux", "--territoire", territory))


def test_a_territory_that_left_the_cog_is_refused():
    DepartementFactory(code="44", name="Loire-Atlantique", is_active=False)
    message = refusal(*ddets("d.roux", "--territoire", "departement:44"))
    assert "--territoire : Loire-Atlantique (departement:44) n'est plus en vigueur dans le COG." in message


def test_a_username_already_taken_whatever_its_case_is_refused_and_left_unchanged(loire_atlantique):
    existing = UserFactory(username="c.martin", ddets=True, territory=loire_atlantique)
    message = refusal(*["C.Martin" if value == "c.martin" else value for value in NATIONAL])
    assert "  --identifiant : un compte « C.Martin » existe déjà ; rien n'a été modifié." in message
    existing.refresh_from_db()
    assert existing.role == Role.DDETS


def test_a_weak_password_is_refused_with_djangos_validators():
    message = refusal(*NATIONAL, stdin="court\n")
    assert "  mot de passe : Ce mot de passe est trop court." in message


def test_an_organisation_of_the_wrong_kind_is_not_created_when_the_account_is_refused(loire_atlantique):
    message = refusal(
        *ddets("d.roux", "--territoire", "departement:44"),
        "--organisation",
        "Entraide Ligérienne",
        "--type-organisation",
        "association",
    )
    assert "  --organisation : Une organisation de ce type ne convient pas au rôle " in message


def test_an_unknown_organisation_needs_its_kind(loire_atlantique):
    message = refusal(*ddets("d.roux", "--territoire", "departement:44", "--organisation", "DDETS 44"))
    assert (
        "  --organisation : aucune organisation « DDETS 44 » ; pour la créer, donnez aussi son type"
        in message
    )
    message = refusal(*NATIONAL[:-3], "--type-organisation", "delegation", "--mot-de-passe-stdin")
    assert "  --type-organisation : type « delegation » inconnu ; types possibles : diplp, " in message


def test_the_required_options_and_an_invalid_address_are_named_all_at_once():
    message = refusal("--courriel", "pas-une-adresse", "--mot-de-passe-stdin")
    assert "  --identifiant : obligatoire." in message
    assert "  --role : obligatoire." in message
    assert "  --courriel : Saisissez une adresse de courriel valide." in message


def test_the_password_is_not_read_when_another_option_is_refused():
    stdin = io.StringIO(PASSWORD + "\n")
    with pytest.raises(CommandError, match="--role"):
        call_command("compte", "creer", *ddets()[:-1], "chef", "--mot-de-passe-stdin", stdin=stdin)
    assert stdin.tell() == 0


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_without_a_terminal_nor_stdin_option_the_password_is_refused():
    message = refusal(*NATIONAL[:-1])
    assert "Mot de passe : pas de terminal pour le saisir ; passez-le sur l'entrée standard avec" in message
    assert "--mot-de-passe-stdin" in message


def test_at_a_terminal_the_password_is_typed_twice(monkeypatch):
    typed = iter(["Un-autre-mot-de-passe-2026", "Un-autre-mot-de-pase-2026"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(typed))
    with pytest.raises(CommandError, match="Mot de passe : les deux saisies diffèrent ; compte non créé."):
        call_command("compte", "creer", *NATIONAL[:-1], stdin=Terminal(), stdout=io.StringIO())
    assert not User.objects.exists()

    typed = iter([PASSWORD, PASSWORD])
    call_command("compte", "creer", *NATIONAL[:-1], stdin=Terminal(), stdout=io.StringIO())
    assert User.objects.get(username="c.martin").check_password(PASSWORD)
