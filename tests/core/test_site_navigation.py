"""The site's main navigation (pacte/templates/core/_header.html, issue 17): grouped DSFR menus so that the bar
holds on one line at 1 280 px (tests/core/test_browser_layout.py measures it), « Mon espace » first for a signed-in
user with the count of the tasks that wait on them, and aria-current on the group and on the page."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.helpers import page
from tests.territories.factories import DepartementFactory, RegionFactory

HOME = reverse("home")
WORKSPACE = reverse("workspace:home")
CONTRACTS = reverse("contracts:list")
CONSOLIDATION = reverse("contracts:consolidation")


def navigation(content: str) -> str:
    return content.split('aria-label="Menu principal"', 1)[1].split("</nav>", 1)[0]


def top_level(content: str) -> list[str]:
    """The label of each top-level item (a link or a group's button), in order."""
    items = re.split(r'<li class="fr-nav__item">', navigation(content))[1:]
    labels = []
    for item in items:
        first = re.search(r"<(a|button)\b[^>]*>(.*?)</\1>", item, re.S)
        labels.append(re.sub(r"<[^>]+>|\s+", " ", first.group(2)).split()[0:3])
    return [" ".join(words) for words in labels]


def group(content: str, menu_id: str) -> str:
    return navigation(content).split(f'id="{menu_id}"', 1)[1].split("</ul>", 1)[0]


@pytest.fixture
def ddets():
    region = RegionFactory(code="52", name="Pays de la Loire")
    return UserFactory(
        ddets=True, territory=DepartementFactory(code="44", name="Loire-Atlantique", parent=region)
    )


def test_an_anonymous_visitor_has_the_home_page_first_and_direct_links(client):
    content = page(client, HOME)
    assert top_level(content) == [
        "Accueil",
        "Référentiel national",
        "Territoires",
        "Observation",
        "Contrats locaux",
        "Gouvernance",
        "Appels à projets",
        "Accès aux droits",
        "API",
    ]
    assert WORKSPACE not in navigation(content)
    # The public part of access to rights: the register of the territoires zéro non-recours, not the simulator.
    rights = group(content, "menu-acces-droits")
    assert f'href="{reverse("tznr:register")}"' in rights
    assert reverse("screening:index") not in rights
    assert 'id="menu-pilotage-contrats"' not in content and 'id="menu-territoires"' not in content


def test_a_signed_in_user_starts_from_mon_espace_and_finds_the_pages_in_groups(client, ddets):
    content = page(client, HOME, ddets)
    assert top_level(content) == [
        "Mon espace",
        "Référentiel national",
        "Territoires",
        "Observation",
        "Contrats",
        "Gouvernance",
        "Appels à projets",
        "Accès aux droits",
        "API",
    ]
    assert f'href="{WORKSPACE}"' in navigation(content)
    territories = group(content, "menu-territoires")
    assert f'href="{reverse("territories:index")}"' in territories
    assert f'href="{reverse("accounts:organisations")}"' in territories
    contracts = group(content, "menu-pilotage-contrats")
    assert f'href="{CONTRACTS}"' in contracts
    regional = reverse("contracts:consolidation_region", args=["52"])
    assert f'href="{regional}"' in contracts and "Consolidation régionale" in contracts
    assert f'href="{reverse("contracts:compliance")}"' in contracts  # a steering page the DDETS may open
    observation = group(content, "menu-observation")
    assert f'href="{reverse("observation:barometer")}"' in observation
    assert f'href="{reverse("observation:overseas")}"' in observation
    rights = group(content, "menu-acces-droits")
    assert f'href="{reverse("screening:index")}"' in rights and f'href="{reverse("tznr:register")}"' in rights


def test_the_national_steering_finds_the_national_consolidation_in_the_contracts_group(client):
    content = page(client, HOME, UserFactory(national=True))
    contracts = group(content, "menu-pilotage-contrats")
    assert f'href="{CONSOLIDATION}"' in contracts
    assert f'href="{reverse("contracts:allocations")}"' in contracts


def test_the_group_of_the_page_and_the_page_itself_are_marked_current(client):
    content = navigation(page(client, CONSOLIDATION, UserFactory(national=True)))
    assert re.search(r'aria-controls="menu-pilotage-contrats"\s+aria-current="true"', content)
    assert re.search(rf'href="{CONSOLIDATION}"\s+aria-current="page"', content)
    assert not re.search(r'aria-controls="menu-observation"\s+aria-current', content)
    assert content.count('aria-current="page"') == 1


def test_mon_espace_is_marked_current_on_its_page(client, ddets):
    content = navigation(page(client, WORKSPACE, ddets))
    assert re.search(rf'href="{WORKSPACE}"\s+aria-current="page"', content)


def render_header(user, **context) -> str:
    request = RequestFactory().get(HOME)
    request.user = user
    return navigation(render_to_string("core/_header.html", context, request=request))


@pytest.mark.parametrize(
    ("count", "label", "badge"),
    [
        (3, "Mon espace, 3 tâches en attente", "3"),
        (1, "Mon espace, 1 tâche en attente", "1"),
        (1200, "Mon espace, 1\u202f200 tâches en attente", "1\u202f200"),
    ],
)
def test_mon_espace_shows_the_count_of_tasks_with_an_accessible_label(ddets, count, label, badge):
    content = render_header(ddets, workspace_task_count=count)
    assert f'aria-label="{label}"' in content
    assert re.search(
        rf'<span class="fr-badge[^"]*pacte-nav-count" aria-hidden="true">{badge}</span>', content
    )


@pytest.mark.parametrize("count", [0, None])
def test_mon_espace_has_no_count_when_nothing_waits(ddets, count):
    content = render_header(ddets, workspace_task_count=count)
    assert "pacte-nav-count" not in content and "en attente" not in content
    assert f'href="{WORKSPACE}"' in content
