import pytest

from pacte.demo.accounts import load_accounts_demo
from pacte.programme.services import load_referentiel
from tests.demo.factories import TODAY, build_pays_de_la_loire


@pytest.fixture
def pays_de_la_loire():
    """The territories of the demo (what `pacte load_cog` gives the real one)."""
    build_pays_de_la_loire()


@pytest.fixture
def prerequisites(settings, pays_de_la_loire):
    """What `pacte load_demo` loads before the contracts, governance and grants: demo mode, territories,
    référentiel, demo accounts."""
    settings.DEMO_MODE = True
    load_referentiel(today=TODAY)
    load_accounts_demo()
