"""The « Pilotage des contrats » menu of the site navigation (each steering page for who may open it) and the links of
the consolidation page to the evaluations' conclusions and the compliance page (the `world` of conftest.py)."""

import pytest
from django.urls import reverse

from tests.helpers import page

ALLOCATIONS = reverse("contracts:allocations")
CAMPAIGNS = reverse("contracts:report_campaigns")
COMPLIANCE = reverse("contracts:compliance")
EVALUATIONS = reverse("contracts:evaluations")
ENVELOPES = reverse("contracts:pact_envelopes")
REGION_EVALUATIONS = reverse("contracts:evaluations_region", args=["52"])  # Pays de la Loire
MENU = [ALLOCATIONS, CAMPAIGNS, COMPLIANCE, EVALUATIONS, REGION_EVALUATIONS, ENVELOPES]


def menu_links(content: str) -> set[str]:
    if 'id="menu-pilotage-contrats"' not in content:
        return set()
    menu = content.split('id="menu-pilotage-contrats"', 1)[1].split("</ul>", 1)[0]
    return {url for url in MENU if f'href="{url}"' in menu}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("national", {ALLOCATIONS, CAMPAIGNS, COMPLIANCE, EVALUATIONS, ENVELOPES}),
        ("commissioner", {ALLOCATIONS, COMPLIANCE, REGION_EVALUATIONS, ENVELOPES}),
        ("ddets_a", {COMPLIANCE, ENVELOPES}),
        ("local_a", set()),
        ("association", set()),
    ],
)
def test_the_steering_menu_lists_the_pages_each_role_may_open(client, world, who, expected):
    user = getattr(world, who)
    links = menu_links(page(client, reverse("home"), user))
    assert links == expected
    for url in links:
        page(client, url, user)  # every link of the menu opens


def test_an_anonymous_visitor_has_no_steering_menu(client, world):
    assert menu_links(page(client, reverse("home"))) == set()


def test_the_consolidation_links_to_the_evaluations_of_its_scope_and_to_the_compliance_page(client, world):
    national = page(client, reverse("contracts:consolidation"), world.national)
    assert f'href="{EVALUATIONS}"' in national and f'href="{COMPLIANCE}"' in national
    regional = page(client, reverse("contracts:consolidation_region", args=["52"]), world.commissioner)
    assert f'href="{REGION_EVALUATIONS}"' in regional
    ddets = page(client, reverse("contracts:consolidation_region", args=["52"]), world.ddets_a)
    assert EVALUATIONS not in ddets and f'href="{COMPLIANCE}"' in ddets
