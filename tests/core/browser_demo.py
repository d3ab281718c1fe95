"""The demo's world for the browser tests of the layout and of accessibility: the Pays de la Loire of the demo
tests (tests/demo/factories.py), the référentiel, the indicators, and the demo loaders of `pacte load_demo`
(accounts, contracts, fictitious statistical values, governance), so that the pages carry what a user of the demo
sees: full tables, a map, a barometer, tasks in « Mon espace »."""

from pacte.accounts.models import User
from pacte.demo.accounts import load_accounts_demo
from pacte.demo.contracts import load_contracts_demo
from pacte.demo.governance import load_governance_demo
from pacte.demo.observation import load_observation_demo
from pacte.observation.reference import load_reference
from pacte.programme.services import load_referentiel
from tests.demo.factories import build_pays_de_la_loire

PASSWORD = "demo-pacte-2026"  # the demo accounts' (docs/demo.md)


def load_demo_world(settings) -> None:
    settings.DEMO_MODE = True
    build_pays_de_la_loire()
    load_referentiel()
    load_reference()
    load_accounts_demo()
    load_contracts_demo()
    load_observation_demo()
    load_governance_demo()


def full_name(username: str) -> str:
    """The name the header shows once `username` is signed in."""
    user = User.objects.get(username=username)
    return user.get_full_name() or user.username
