"""The overseas convention of the demo (data/contracts.yaml, La Réunion) on the overseas page
(`/observation/outre-mer/`, pacte.observation.overseas): once `pacte load_demo` has run, the page has a contract of
La Réunion to show, with its budget and its contribution to the barometer's national targets.

A signed convention is public (pacte.contracts.perms: « Everyone for a signed version »): every visitor of the page
sees it, national steering, the DEETS of La Réunion, a DDETS or a commissioner of the Pays de la Loire and an
anonymous visitor alike. What is scoped is its follow-up (execution reports, credits): the parties of the convention
and national steering only. Loading the contracts demo runs every service many times: one load per test.
"""

import pytest
from django.urls import reverse

from pacte.accounts.models import User
from pacte.contracts import perms
from pacte.contracts.enums import ContractKind
from pacte.contracts.models import Contract, ExecutionReport
from pacte.core.enums import ReportStatus
from pacte.demo.contracts import load_contracts_demo
from pacte.observation.overseas import build_overseas
from tests.demo.factories import TODAY
from tests.helpers import assert_access, page

URL = "/observation/outre-mer/"
REUNION = "974"


@pytest.fixture
def loaded(prerequisites):
    load_contracts_demo(today=TODAY)
    return Contract.objects.get(territory__code=REUNION)


def _users(*usernames: str) -> list[User]:
    found = {user.username: user for user in User.objects.filter(username__in=usernames)}
    return [found[username] for username in usernames]


def _table(html: str, table_id: str) -> str:
    return html.split(f'id="{table_id}"')[1].split("</table>")[0]


def test_the_overseas_view_lists_the_reunion_convention_and_its_contribution(loaded):
    pilotage, commissioner = _users("pilotage", "commissaire-pdl")
    contract = loaded
    assert contract.kind == ContractKind.DEPARTEMENT and contract.is_demo and contract.is_signed
    assert contract.territory.region.code == "04"
    # Its parties are the DEETS and the Département of La Réunion, not those of the Pays de la Loire.
    assert contract.local_validated_by.username == "cd974"
    assert contract.state_validated_by.username == "deets974"

    national = build_overseas(pilotage)
    assert [row.territory.code for row in national.contracts] == [REUNION]
    [listed] = national.contracts
    assert listed.budget.state > 0 and listed.budget.state <= listed.budget.local  # parity
    assert national.has_demo and national.contracts_in_force == 1
    # Its indicators linked to national targets feed the barometer's overseas section, with the 2024 report.
    contributions = {row.target.code: row for row in national.contribution_rows}
    assert set(contributions) == {"a1-n2-maisons-des-parents", "a3-n1-territoires-zero-non-recours"}
    for row in contributions.values():
        assert row.territories == ["La Réunion"]
        assert row.figures.realised is not None and row.figures.report_year == 2024
    # The seven conventions of the Pays de la Loire are loaded too, and none of them is listed.
    assert Contract.objects.filter(amendment_number=0).exclude(territory__code=REUNION).count() == 7

    # A commissioner of the Pays de la Loire sees the signed version, which is public, but La Réunion is outside
    # their scope: they do not follow the convention (no reports, credits, history), national steering does.
    regional = build_overseas(commissioner)
    assert [row.pk for row in regional.contracts] == [contract.pk]
    assert perms.can_follow_contract(pilotage, contract)
    assert perms.can_view_contract(commissioner, contract)
    assert not perms.can_follow_contract(commissioner, contract)


def test_the_page_shows_the_convention_and_only_its_parties_follow_it(client, loaded):
    deets, cd974, ddets44, commissioner = _users("deets974", "cd974", "ddets44", "commissaire-pdl")
    contract = loaded
    for user in (deets, ddets44, None):
        html = page(client, URL, user)
        table = _table(html, "contrats-outre-mer")
        assert contract.signatory_name in table and contract.get_absolute_url() in table
        assert "Aucune convention d’un territoire d’outre-mer" not in table
        assert "La Réunion" in _table(html, "barometre-outre-mer")
        assert "donnée fictive" in html
        client.logout()

    # The follow-up is scoped: the 2024 report of La Réunion, validated by the DEETS.
    report = ExecutionReport.objects.get(contract=contract, year=2024)
    assert report.status == ReportStatus.VALIDATED and report.reviewed_by == deets
    url = reverse("contracts:report", kwargs={"pk": contract.pk, "year": 2024})
    assert_access(client, url, outsider=ddets44, allowed=deets, refused=403)  # seen (public), not followed
    client.force_login(commissioner)
    assert client.get(url).status_code == 403
    client.force_login(cd974)
    assert client.get(url).status_code == 200
