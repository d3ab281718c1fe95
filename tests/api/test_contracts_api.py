import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from pacte.accounts.models import ApiToken
from pacte.contracts import perms, services
from pacte.contracts.enums import ContractStatus, Funder
from pacte.contracts.models import Action, Contract, Credit, ExecutionReport
from pacte.contracts.perms import visible_contracts_q
from pacte.contracts.services.actions import copy_action
from pacte.core.enums import ReportStatus
from tests.accounts.factories import UserFactory
from tests.contracts.factories import action_data, build_contract, france_travail_action_data
from tests.programme.factories import AxisFactory, MeasureFactory, TargetFactory
from tests.territories.factories import DepartementFactory, EpciFactory, RegionFactory

YEARS = range(2024, 2028)
API = "/api/v1/contracts/"
ALLOCATIONS = "/api/v1/allocations/"


# --- Fixtures and helpers -----------------------------------------------------------------------------


@pytest.fixture
def places():
    pdl = RegionFactory(code="52", name="Pays de la Loire")
    bretagne = RegionFactory(code="53", name="Bretagne")
    return {
        "pdl": pdl,
        "bretagne": bretagne,
        "44": DepartementFactory(code="44", name="Loire-Atlantique", parent=pdl),
        "85": DepartementFactory(code="85", name="Vendée", parent=pdl),
        "49": DepartementFactory(code="49", name="Maine-et-Loire", parent=pdl),
        "29": DepartementFactory(code="29", name="Finistère", parent=bretagne),
    }


@pytest.fixture
def axis():
    axis = AxisFactory(number=1)
    MeasureFactory(axis=axis, code="a1-n1")
    TargetFactory(code="cible-emploi", unit="personnes")
    return axis


@pytest.fixture
def signed(places, axis):
    """The signed contract of Loire-Atlantique: one fiche-action, 50 000 € State + 50 000 € each year."""
    return build_contract(places["44"], actions=[action_data(axis)])


@pytest.fixture
def draft(places, axis):
    """The draft contract of Vendée, with one fiche-action."""
    return build_contract(places["85"], actions=[action_data(axis)], signed=False)


@pytest.fixture
def users(places):
    return {
        "local44": UserFactory(departement_council=True, territory=places["44"]),
        "local85": UserFactory(departement_council=True, territory=places["85"]),
        "ddets44": UserFactory(ddets=True, territory=places["44"]),
        "ddets85": UserFactory(ddets=True, territory=places["85"]),
        "commissioner52": UserFactory(commissioner=True, territory=places["pdl"]),
        "commissioner53": UserFactory(commissioner=True, territory=places["bretagne"]),
        "national": UserFactory(national=True),
        "association85": UserFactory(association=True, territory=places["85"]),
    }


def _bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user, 'test')[1]}"} if user else {}


def get(client, url, user=None, **params):
    return client.get(url, params, **_bearer(user))


def send(client, method, url, user=None, payload=None):
    return getattr(client, method)(url, data=payload or {}, content_type="application/json", **_bearer(user))


def _fields(response) -> dict[str, str]:
    """The error messages of a 422 by field path (several messages of a field joined)."""
    fields: dict[str, str] = {}
    for error in response.json()["erreurs"]:
        fields[error["champ"]] = " | ".join(filter(None, [fields.get(error["champ"]), error["message"]]))
    return fields


def action_json(title="Accompagnement vers l'emploi", state=50000, local=50000, **changes) -> dict:
    payload = {
        "title": title,
        "axis": 1,
        "measures": ["a1-n1"],
        "nature": "nouvelle",
        "target_publics": "Allocataires du RSA",
        "pilot": "Direction de l'insertion",
        "partners": "France Travail",
        "description": "Un accompagnement renforcé vers l'emploi.",
        "indicators": [
            {
                "label": "Personnes accompagnées",
                "unit": "personnes",
                "baseline_value": 40,
                "baseline_year": 2023,
                "national_target": "cible-emploi",
                "year_targets": {str(year): 100 + year - 2024 for year in YEARS},
            }
        ],
        "budget": [
            {"year": year, "funder": funder, "amount": amount}
            for year in YEARS
            for funder, amount in (("etat", state), ("collectivite", local))
        ],
    }
    payload.update(changes)
    return payload


def _open_report(contract, year=2024, **values):
    """A draft report of `year` with the realised value of every indicator."""
    report = services.open_report(contract, year)
    indicators = {indicator.pk: Decimal(values.get("value", "90")) for indicator in _indicators(contract)}
    return services.save_report(report, qualitative_assessment="", values=indicators, spendings=[])


def _indicators(contract):
    from pacte.contracts.models import ActionIndicator

    return ActionIndicator.objects.filter(action__contract=contract).order_by("pk")


# --- Visibility of contracts --------------------------------------------------------------------------


def test_anonymous_visitors_list_signed_contracts_only(client, signed, draft):
    body = get(client, API).json()
    assert body["count"] == 1
    assert body["items"][0]["id"] == signed.pk
    assert body["items"][0]["territory"]["code"] == "44"
    assert body["items"][0]["region"]["code"] == "52"


def test_anonymous_visitors_read_a_signed_contract_with_its_totals(client, signed):
    response = get(client, f"{API}{signed.pk}")
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "signe"
    assert body["state_signatory"] == "La préfète"
    assert body["parties"]["local"]["code"] == "44"
    assert body["parties"]["state"]["code"] == "44"
    assert body["actions_count"] == 1
    assert (body["kind"], body["envelopes"]) == ("departement", ["solidarites"])
    assert (
        body["collectivite"]["code"] == "departement-44" and body["collectivite"]["family"] == "departement"
    )
    # Money is a decimal written as a JSON string, never a float; the ceiling is notified, no longer typed.
    assert body["annual_state_ceiling"] is None
    assert body["ceilings"][0] == {
        "envelope": "solidarites",
        "year": 2024,
        "state": "50000.00",
        "ceiling": "1000000.00",
        "exceeds": False,
    }
    assert body["totals"]["total"] == "400000.00"
    assert body["totals"]["state"] == "200000.00"
    assert body["totals"]["state_share"] == "50.0"
    assert body["totals"]["years"][0] == {
        "year": 2024,
        "state": "50000.00",
        "local": "50000.00",
        "other": "0.00",
        "total": "100000.00",
        "state_share": "50.0",
    }
    assert body["versions"] == [
        {"id": signed.pk, "amendment_number": 0, "status": "signe", "signed_on": "2024-01-15"}
    ]


def test_a_draft_is_a_404_for_anonymous_visitors(client, draft):
    response = get(client, f"{API}{draft.pk}")
    assert response.status_code == 404
    assert "Contrat introuvable" in response.json()["detail"]


def test_an_invalid_token_is_refused_even_on_public_reads(client, signed):
    response = client.get(API, HTTP_AUTHORIZATION="Bearer pacte_nimporte")
    assert response.status_code == 401


@pytest.mark.parametrize(
    "who, sees_draft",
    [
        ("local85", True),
        ("local44", False),
        ("ddets85", True),
        ("ddets44", False),
        ("commissioner52", True),
        ("commissioner53", False),
        ("national", True),
        ("association85", False),
    ],
)
def test_a_draft_is_seen_by_its_parties_the_commissioner_and_national_steering(
    client, users, signed, draft, who, sees_draft
):
    user = users[who]
    ids = {item["id"] for item in get(client, API, user).json()["items"]}
    assert ids == ({signed.pk, draft.pk} if sees_draft else {signed.pk})
    assert get(client, f"{API}{draft.pk}", user).status_code == (200 if sees_draft else 404)


def test_the_browser_session_shows_the_drafts_of_the_user(client, users, draft):
    client.force_login(users["local85"])
    assert client.get(f"{API}{draft.pk}").json()["status"] == "brouillon"


def test_the_ddets_of_the_departement_sees_the_draft_of_its_metropole(client, places, users, axis):
    metropole = EpciFactory(code="244400404", parent=places["44"], metropole=True)
    contract = build_contract(metropole, actions=[], signed=False)
    assert get(client, f"{API}{contract.pk}", users["ddets44"]).json()["parties"]["state"]["code"] == "44"
    assert get(client, f"{API}{contract.pk}", users["ddets85"]).status_code == 404
    assert get(client, API, users["ddets44"], level="metropole").json()["count"] == 1


def test_the_sql_visibility_agrees_with_the_permission(places, users, axis):
    metropole = EpciFactory(code="244400404", parent=places["44"], metropole=True)
    contracts = [
        build_contract(places["44"], actions=[action_data(axis)]),
        build_contract(places["85"], actions=[], signed=False),
        build_contract(places["29"], actions=[], signed=False),
        build_contract(metropole, actions=[], signed=False),
    ]
    from django.contrib.auth.models import AnonymousUser

    for user in [AnonymousUser(), *users.values(), UserFactory(metropole=True, territory=metropole)]:
        visible = set(Contract.objects.filter(visible_contracts_q(user)).values_list("pk", flat=True))
        expected = {contract.pk for contract in contracts if perms.can_view_contract(user, contract)}
        assert visible == expected, user


def test_contracts_are_filtered_by_region_territory_status_and_year(client, users, signed, draft, places):
    build_contract(places["29"])
    national = users["national"]
    assert {
        item["territory"]["code"] for item in get(client, API, national, region="52").json()["items"]
    } == {
        "44",
        "85",
    }
    assert get(client, API, national, territory="85").json()["items"][0]["id"] == draft.pk
    assert get(client, API, national, status="signe").json()["count"] == 2
    assert get(client, API, national, year=2025).json()["count"] == 3
    assert get(client, API, national, year=2030).json()["count"] == 0


def test_a_bad_status_filter_is_refused_naming_the_field(client, signed):
    response = get(client, API, status="termine")
    assert response.status_code == 422
    assert response.json()["erreurs"][0]["champ"] == "status"


def test_the_contract_list_does_not_grow_in_queries(client, places, axis, django_assert_max_num_queries):
    for code in ("44", "85", "49", "29"):
        build_contract(places[code], actions=[action_data(axis)])
    with django_assert_max_num_queries(3):
        body = get(client, API, page_size=2).json()
    assert body["count"] == 4 and body["pages"] == 2


# --- Creating and editing a contract ------------------------------------------------------------------


def test_the_ddets_creates_the_contract_of_its_departement(client, users, places):
    user = UserFactory(ddets=True, territory=places["49"])
    response = send(client, "post", API, user, {"territory": "49"})
    body = response.json()
    assert response.status_code == 201
    assert (body["status"], body["kind"]) == ("brouillon", "departement")
    assert body["title"] == "Contrat local des solidarités 2024-2027 – Maine-et-Loire"
    response = send(client, "post", API, user, {"territory": "49", "kind": "france_travail"})
    assert response.status_code == 201
    assert (response.json()["period_start"], response.json()["period_end"]) == (2024, 2025)
    assert response.json()["ceilings"][0]["ceiling"] is None  # nothing notified yet


def test_a_ddets_of_another_departement_cannot_create_the_contract(client, users, places):
    response = send(client, "post", API, users["ddets85"], {"territory": "49"})
    assert response.status_code == 403
    assert not Contract.objects.exists()


def test_anonymous_and_session_writes_are_refused(client, users, places):
    payload = {"territory": "49"}
    assert send(client, "post", API, None, payload).status_code == 401
    client.force_login(users["national"])
    assert send(client, "post", API, None, payload).status_code == 401
    assert not Contract.objects.exists()


def test_a_second_contract_a_typed_ceiling_or_a_wrong_kind_is_refused_naming_the_field(client, users, signed):
    response = send(client, "post", API, users["ddets44"], {"territory": "44"})
    assert response.status_code == 422
    assert "a déjà une convention" in _fields(response)["kind"]
    response = send(
        client,
        "post",
        API,
        users["ddets44"],
        {"territory": "44", "kind": "france_travail", "annual_state_ceiling": "1"},
    )
    assert response.status_code == 422
    assert "notifié par le pilotage national" in _fields(response)["annual_state_ceiling"]
    response = send(client, "post", API, users["ddets44"], {"territory": "44", "kind": "metropole"})
    assert "compétences départementales" in _fields(response)["kind"]
    assert Contract.objects.count() == 1


def test_an_unknown_territory_is_refused_naming_the_field(client, users):
    response = send(client, "post", API, users["national"], {"territory": "99"})
    assert response.status_code == 422
    assert "« 99 »" in _fields(response)["territory"]


def test_the_collectivite_renames_its_draft(client, users, draft):
    url = f"{API}{draft.pk}"
    response = send(client, "patch", url, users["local85"], {"lock_version": 0, "title": "Contrat vendéen"})
    assert response.status_code == 200
    assert response.json()["lock_version"] == 1
    draft.refresh_from_db()
    assert draft.title == "Contrat vendéen"


def test_no_one_types_the_ceiling_of_a_contract(client, users, draft):
    for user in (users["local85"], users["ddets85"]):
        response = send(
            client, "patch", f"{API}{draft.pk}", user, {"lock_version": 0, "annual_state_ceiling": "1"}
        )
        assert response.status_code == 422
        assert "notifié par le pilotage national" in _fields(response)["annual_state_ceiling"]
    draft.refresh_from_db()
    assert draft.annual_state_ceiling is None


def test_a_collectivite_out_of_scope_cannot_patch_a_draft_nor_a_signed_contract(client, users, draft, signed):
    payload = {"lock_version": 0, "title": "Autre"}
    assert send(client, "patch", f"{API}{draft.pk}", users["local44"], payload).status_code == 404
    assert send(client, "patch", f"{API}{signed.pk}", users["local85"], payload).status_code == 403
    assert send(client, "patch", f"{API}{draft.pk}", None, payload).status_code == 401


def test_a_stale_lock_version_is_a_conflict_and_keeps_the_first_change(client, users, draft):
    url = f"{API}{draft.pk}"
    assert (
        send(client, "patch", url, users["local85"], {"lock_version": 0, "title": "Premier"}).status_code
        == 200
    )
    response = send(client, "patch", url, users["local85"], {"lock_version": 0, "title": "Second"})
    assert response.status_code == 409
    assert "lock_version" in response.json()["detail"]
    draft.refresh_from_db()
    assert draft.title == "Premier"


def test_a_signed_contract_cannot_be_patched(client, users, signed):
    response = send(client, "patch", f"{API}{signed.pk}", users["local44"], {"lock_version": 0, "title": "X"})
    assert response.status_code == 409
    assert "signé" in response.json()["detail"] and "avenant" in response.json()["detail"]


def test_a_null_title_is_refused_naming_the_field(client, users, draft):
    response = send(client, "patch", f"{API}{draft.pk}", users["local85"], {"lock_version": 0, "title": None})
    assert response.status_code == 422
    assert "title" in _fields(response)


# --- The whole negotiation, signature and execution by API -------------------------------------------


def test_a_contract_goes_from_creation_to_a_validated_report_by_api(client, users, places, axis):
    local, ddets = users["local85"], users["ddets85"]
    response = send(client, "post", API, local, {"territory": "85"})
    assert response.status_code == 201
    contract_id = response.json()["id"]
    for year in YEARS:
        payload = {
            "territory": "85",
            "envelope": "solidarites",
            "year": year,
            "amount": "100000",
            "notified_on": "2024-01-10",
        }
        assert send(client, "put", ALLOCATIONS, users["national"], payload).status_code == 200
    url = f"{API}{contract_id}"

    response = send(client, "post", f"{url}/actions/", local, action_json())
    assert response.status_code == 201, response.json()
    action = response.json()
    assert action["number"] == 1
    assert action["measures"] == ["a1-n1"]
    assert action["indicators"][0]["national_target"] == "cible-emploi"
    assert action["indicators"][0]["year_targets"] == {"2024": 100, "2025": 101, "2026": 102, "2027": 103}

    assert send(client, "post", f"{url}/submit", local).json()["status"] == "negociation"
    assert send(client, "post", f"{url}/validate", ddets).json()["state_validated_at"]
    assert send(client, "post", f"{url}/validate", local).json()["status"] == "valide"
    response = send(
        client,
        "post",
        f"{url}/sign",
        ddets,
        {"signed_on": "2024-02-01", "state_signatory": "Le préfet", "local_signatory": "Le président"},
    )
    assert response.status_code == 200
    assert response.json()["status"] == "signe"
    assert get(client, url).json()["signed_on"] == "2024-02-01"  # now public

    response = send(
        client, "put", f"{url}/credits/2024", ddets, {"notified": "50000", "notified_on": "2024-03-01"}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["ceiling"] == "100000.00"

    indicator_id = get(client, f"{url}/indicators/").json()["items"][0]["id"]
    report = {
        "values": {str(indicator_id): 95},
        "spendings": [
            {"action_number": 1, "funder": "etat", "amount": "45000"},
            {"action_number": 1, "funder": "collectivite", "amount": "50000"},
        ],
        "qualitative_assessment": "Une année de montée en charge.",
    }
    response = send(client, "put", f"{url}/reports/2024", local, report)
    assert response.status_code == 200, response.json()
    assert response.json()["missing"] == []
    assert send(client, "post", f"{url}/reports/2024/submit", local).json()["status"] == "depose"
    response = send(client, "post", f"{url}/reports/2024/review", ddets, {"validate": True})
    assert response.json()["status"] == "valide"
    assert get(client, f"{url}/indicators/").json()["items"][0]["realised"] == {"2024": 95}


def test_only_the_collectivite_submits_its_draft(client, users, draft):
    url = f"{API}{draft.pk}/submit"
    assert send(client, "post", url, users["ddets85"]).status_code == 403
    assert send(client, "post", url, users["local44"]).status_code == 404
    assert send(client, "post", url, None).status_code == 401
    draft.refresh_from_db()
    assert draft.status == ContractStatus.DRAFT


def test_a_contract_already_in_negotiation_cannot_be_submitted_again(client, users, draft):
    services.submit_contract(draft, None)
    response = send(client, "post", f"{API}{draft.pk}/submit", users["local85"])
    assert response.status_code == 422
    assert "brouillon" in _fields(response)["status"]


def test_validation_lists_what_is_missing(client, users, places):
    contract = build_contract(places["85"], actions=[], signed=False)
    contract.status = ContractStatus.NEGOTIATION
    contract.save()
    response = send(client, "post", f"{API}{contract.pk}/validate", users["ddets85"])
    assert response.status_code == 422
    assert "aucune fiche-action" in _fields(response)["actions"]


def test_validation_is_for_the_two_parties_only(client, users, draft):
    services.submit_contract(draft, None)
    assert send(client, "post", f"{API}{draft.pk}/validate", users["national"]).status_code == 403
    assert send(client, "post", f"{API}{draft.pk}/validate", users["ddets44"]).status_code == 404
    assert send(client, "post", f"{API}{draft.pk}/validate", None).status_code == 401


def test_a_signature_in_the_future_is_refused_naming_the_field(client, users, draft):
    services.submit_contract(draft, None)
    services.validate_contract(draft, None, side="state")
    services.validate_contract(draft, None, side="local")
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    payload = {"signed_on": tomorrow, "state_signatory": "Le préfet", "local_signatory": ""}
    response = send(client, "post", f"{API}{draft.pk}/sign", users["ddets85"], payload)
    assert response.status_code == 422
    assert set(_fields(response)) == {"signed_on", "local_signatory"}
    assert send(client, "post", f"{API}{draft.pk}/sign", users["local85"], payload).status_code == 403
    assert send(client, "post", f"{API}{draft.pk}/sign", users["ddets44"], payload).status_code == 404
    assert send(client, "post", f"{API}{draft.pk}/sign", None, payload).status_code == 401
    draft.refresh_from_db()
    assert draft.status == ContractStatus.VALIDATED


def test_an_avenant_is_opened_on_the_signed_version_and_its_diff_is_readable(client, users, signed):
    response = send(
        client, "post", f"{API}{signed.pk}/amendments", users["local44"], {"reason": "Plus d'ambition"}
    )
    assert response.status_code == 201
    avenant = response.json()
    assert (avenant["amendment_number"], avenant["root_id"], avenant["amends_id"]) == (
        1,
        signed.pk,
        signed.pk,
    )
    url = f"{API}{avenant['id']}"
    action = get(client, f"{url}/actions/1", users["local44"]).json()
    payload = action_json(local=60000) | {"lock_version": action["lock_version"]}
    assert send(client, "put", f"{url}/actions/1", users["local44"], payload).status_code == 200
    changes = get(client, f"{url}/diff", users["ddets44"]).json()["changes"]
    assert {
        "where": "Fiche-action « Accompagnement vers l'emploi »",
        "what": "budget 2024 – Collectivité",
        "before": "50\u202f000\u202f€",
        "after": "60\u202f000\u202f€",
    } in changes
    assert get(client, f"{url}/diff").status_code == 404  # the avenant is a draft
    assert get(client, f"{url}/diff", users["ddets85"]).status_code == 404
    assert [
        version["id"] for version in get(client, f"{API}{signed.pk}", users["local44"]).json()["versions"]
    ] == [
        signed.pk,
        avenant["id"],
    ]
    assert [version["id"] for version in get(client, f"{API}{signed.pk}").json()["versions"]] == [signed.pk]


def test_an_avenant_is_opened_by_a_party_only(client, users, signed):
    payload = {"reason": "Plus d'ambition"}
    assert send(client, "post", f"{API}{signed.pk}/amendments", users["local85"], payload).status_code == 403
    assert send(client, "post", f"{API}{signed.pk}/amendments", None, payload).status_code == 401
    response = send(client, "post", f"{API}{signed.pk}/amendments", users["local44"], {"reason": " "})
    assert response.status_code == 422
    assert "reason" in _fields(response)
    assert Contract.objects.count() == 1


def test_the_diff_of_an_initial_contract_is_a_404(client, signed):
    response = get(client, f"{API}{signed.pk}/diff")
    assert response.status_code == 404
    assert "n'est pas un avenant" in response.json()["detail"]


# --- Fiches-actions -----------------------------------------------------------------------------------


def test_the_fiches_actions_of_a_signed_contract_are_public(client, signed):
    body = get(client, f"{API}{signed.pk}/actions/").json()
    assert body["count"] == 1
    action = body["items"][0]
    assert action["axis"] == 1
    assert len(action["budget"]) == 8
    assert action["indicators"][0]["year_targets"]["2027"] == 100
    assert get(client, f"{API}{signed.pk}/actions/1").json()["title"] == "Accompagnement vers l'emploi"
    assert get(client, f"{API}{signed.pk}/actions/2").status_code == 404


@pytest.mark.parametrize("who, status", [("local85", 200), ("local44", 404), (None, 404)])
def test_the_fiches_actions_of_a_draft_are_for_its_parties(client, users, draft, who, status):
    user = users[who] if who else None
    assert get(client, f"{API}{draft.pk}/actions/", user).status_code == status
    assert get(client, f"{API}{draft.pk}/actions/1", user).status_code == status


def test_the_fiches_actions_list_does_not_grow_in_queries(
    client, places, axis, django_assert_max_num_queries
):
    contract = build_contract(
        places["44"], actions=[action_data(axis, title=f"Action {n}") for n in range(5)], ceiling="1000000"
    )
    with django_assert_max_num_queries(9):
        body = get(client, f"{API}{contract.pk}/actions/").json()
    assert body["count"] == 5


def test_the_collectivite_adds_a_fiche_action_to_its_draft(client, users, draft):
    response = send(
        client, "post", f"{API}{draft.pk}/actions/", users["local85"], action_json("Petits-déjeuners")
    )
    assert response.status_code == 201
    assert response.json()["number"] == 2
    action = Action.objects.get(contract=draft, number=2)
    assert action.budget_lines.count() == 8
    assert action.indicators.get().year_targets.get(year=2025).value == Decimal("101")


@pytest.mark.parametrize("who, status", [("ddets85", 403), ("local44", 404), (None, 401)])
def test_others_cannot_add_a_fiche_action(client, users, draft, who, status):
    user = users[who] if who else None
    assert send(client, "post", f"{API}{draft.pk}/actions/", user, action_json()).status_code == status
    assert draft.actions.count() == 1


def test_a_state_amount_above_the_collectivite_s_is_refused_on_its_cell(client, users, draft):
    response = send(
        client, "post", f"{API}{draft.pk}/actions/", users["local85"], action_json(state=60000, local=40000)
    )
    assert response.status_code == 422
    message = _fields(response)["budget[0].amount"]
    assert "En 2024, l'État apporterait 60\u202f000\u202f€ et la collectivité 40\u202f000\u202f€" in message
    assert "parité" in message
    assert draft.actions.count() == 1


def test_an_insertion_action_in_a_departement_solidarites_contract_is_refused_naming_the_axis(
    client, users, draft
):
    AxisFactory(number=2)
    response = send(
        client, "post", f"{API}{draft.pk}/actions/", users["local85"], action_json(axis=2, measures=[])
    )
    assert response.status_code == 422
    assert "convention France Travail" in _fields(response)["axis"]


def test_a_reinforced_action_goes_above_its_baseline_or_is_refused_naming_the_cell(client, users, draft):
    url = f"{API}{draft.pk}/actions/"
    payload = action_json(nature="renforcee", reinforcement="file_active")
    payload["indicators"][0]["is_reinforcement"] = True
    payload["indicators"][0]["year_targets"]["2025"] = 40  # the baseline is 40
    response = send(client, "post", url, users["local85"], payload)
    assert response.status_code == 422
    assert "doit dépasser la valeur de départ (40)" in _fields(response)["indicators[0].year_targets.2025"]
    payload["indicators"][0]["baseline_value"] = None
    assert (
        "valeur de départ"
        in _fields(send(client, "post", url, users["local85"], payload))["indicators[0].baseline_value"]
    )
    payload["indicators"][0]["baseline_value"] = 30
    response = send(client, "post", url, users["local85"], payload)
    assert response.status_code == 201
    assert response.json()["indicators"][0]["is_reinforcement"] is True


def test_a_national_measure_and_a_target_of_another_unit_are_refused_naming_the_fields(client, users, draft):
    MeasureFactory(axis=draft.actions.get().axis, code="pass-colo", national=True)
    TargetFactory(code="cible-places", unit="places")
    payload = action_json(measures=["pass-colo"])
    payload["indicators"][0]["national_target"] = "cible-places"
    response = send(client, "post", f"{API}{draft.pk}/actions/", users["local85"], payload)
    assert response.status_code == 422
    fields = _fields(response)
    assert "n'est pas contractualisable" in fields["measures"]
    assert "l'indicateur doit être en « places »" in fields["indicators[0].national_target"]
    assert draft.actions.count() == 1


def test_a_negative_amount_is_refused_naming_the_line(client, users, draft):
    payload = action_json()
    payload["budget"][1]["amount"] = "-5"
    response = send(client, "post", f"{API}{draft.pk}/actions/", users["local85"], payload)
    assert response.status_code == 422
    assert "négatif" in _fields(response)["budget[1].amount"]
    assert draft.actions.count() == 1


def test_unknown_codes_and_years_out_of_the_period_are_refused_naming_the_fields(client, users, draft):
    url = f"{API}{draft.pk}/actions/"
    payload = action_json(measures=["inconnue"], axis=9)
    payload["indicators"][0]["national_target"] = "pas-de-cible"
    response = send(client, "post", url, users["local85"], payload)
    assert response.status_code == 422
    assert set(_fields(response)) == {"axis", "measures", "indicators[0].national_target"}
    payload = action_json()
    payload["indicators"][0]["year_targets"]["2030"] = 5
    response = send(client, "post", url, users["local85"], payload)
    assert response.status_code == 422
    assert "hors des années de cette fiche-action" in _fields(response)["indicators[0].year_targets.2030"]
    assert draft.actions.count() == 1


def test_a_missing_field_is_refused_in_french(client, users, draft):
    payload = action_json()
    del payload["title"]
    response = send(client, "post", f"{API}{draft.pk}/actions/", users["local85"], payload)
    assert response.status_code == 422
    assert response.json()["erreurs"][0] == {"champ": "title", "message": "title : ce champ est obligatoire"}


def test_concurrent_edits_of_a_fiche_action_keep_the_first_one(client, users, draft):
    url = f"{API}{draft.pk}/actions/1"
    first = send(client, "put", url, users["local85"], action_json("Premier intitulé", lock_version=0))
    assert first.status_code == 200
    assert first.json()["lock_version"] == 1
    second = send(client, "put", url, users["local85"], action_json("Second intitulé", lock_version=0))
    assert second.status_code == 409
    assert "modifiées par quelqu’un d’autre" in second.json()["detail"]
    assert Action.objects.get(contract=draft, number=1).title == "Premier intitulé"


def test_a_put_without_lock_version_is_refused(client, users, draft):
    response = send(client, "put", f"{API}{draft.pk}/actions/1", users["local85"], action_json())
    assert response.status_code == 422
    assert response.json()["erreurs"][0]["champ"] == "lock_version"


def test_the_fiches_actions_of_a_signed_version_cannot_change(client, users, signed):
    url = f"{API}{signed.pk}/actions/"
    for response in (
        send(client, "put", f"{url}1", users["local44"], action_json("Changée", lock_version=0)),
        send(client, "post", url, users["local44"], action_json("Nouvelle")),
        client.delete(f"{url}1?lock_version=0", **_bearer(users["local44"])),
    ):
        assert response.status_code == 409
        assert "signé" in response.json()["detail"] and "Rédigez un avenant" in response.json()["detail"]
    assert [action.title for action in signed.actions.all()] == ["Accompagnement vers l'emploi"]


@pytest.mark.parametrize("who, status", [("ddets85", 403), ("local44", 404), (None, 401)])
def test_others_cannot_replace_or_delete_a_fiche_action(client, users, draft, who, status):
    user = users[who] if who else None
    url = f"{API}{draft.pk}/actions/1"
    assert send(client, "put", url, user, action_json("Autre", lock_version=0)).status_code == status
    assert client.delete(f"{url}?lock_version=0", **_bearer(user)).status_code == status
    assert draft.actions.get().title == "Accompagnement vers l'emploi"


def test_deleting_a_fiche_action_renumbers_the_next_ones(client, users, draft, axis):
    services.save_action(draft, action_data(axis, title="Deuxième"))
    url = f"{API}{draft.pk}/actions/1"
    assert client.delete(f"{url}?lock_version=5", **_bearer(users["local85"])).status_code == 409
    assert client.delete(f"{url}?lock_version=0", **_bearer(users["local85"])).status_code == 204
    assert list(draft.actions.values_list("number", "title")) == [(1, "Deuxième")]


# --- Budget lines and indicators ----------------------------------------------------------------------


def test_the_budget_lines_of_a_signed_contract_are_open_data(client, signed):
    body = get(client, f"{API}{signed.pk}/budget-lines/").json()
    assert body["count"] == 8
    assert body["items"][0] == {
        "action_number": 1,
        "action_title": "Accompagnement vers l'emploi",
        "axis": 1,
        "year": 2024,
        "funder": "collectivite",
        "funder_label": "Collectivité",
        "funder_name": "",
        "amount": "50000.00",
    }
    assert get(client, f"{API}{signed.pk}/budget-lines/", year=2025, funder="etat").json()["count"] == 1


@pytest.mark.parametrize("who, status", [("ddets85", 200), ("ddets44", 404), (None, 404)])
def test_the_budget_lines_and_indicators_of_a_draft_are_for_its_parties(client, users, draft, who, status):
    user = users[who] if who else None
    assert get(client, f"{API}{draft.pk}/budget-lines/", user).status_code == status
    assert get(client, f"{API}{draft.pk}/indicators/", user).status_code == status


def test_indicators_show_targets_and_the_values_of_validated_reports_only(client, users, signed):
    report = _open_report(signed, value="80")
    body = get(client, f"{API}{signed.pk}/indicators/").json()
    indicator = body["items"][0]
    assert indicator["action_number"] == 1
    assert indicator["year_targets"] == {"2024": 100, "2025": 100, "2026": 100, "2027": 100}
    assert indicator["realised"] == {}
    ExecutionReport.objects.filter(pk=report.pk).update(status=ReportStatus.VALIDATED)
    assert get(client, f"{API}{signed.pk}/indicators/").json()["items"][0]["realised"] == {"2024": 80}


def test_realised_values_follow_the_indicator_into_an_avenant(client, users, signed):
    report = _open_report(signed, value="70")
    ExecutionReport.objects.filter(pk=report.pk).update(status=ReportStatus.VALIDATED)
    avenant = services.create_amendment(signed, None, reason="Ajustement")
    body = get(client, f"{API}{avenant.pk}/indicators/", users["local44"]).json()
    assert body["items"][0]["realised"] == {"2024": 70}


# --- Execution reports --------------------------------------------------------------------------------


@pytest.mark.parametrize("who, status", [("local44", 200), ("ddets44", 200), ("local85", 403), (None, 401)])
def test_reports_are_read_by_those_who_follow_the_contract(client, users, signed, who, status):
    _open_report(signed)
    user = users[who] if who else None
    assert get(client, f"{API}{signed.pk}/reports/", user).status_code == status
    assert get(client, f"{API}{signed.pk}/reports/2024", user).status_code == status


def test_a_report_is_read_with_what_is_missing(client, users, signed):
    _open_report(signed)
    body = get(client, f"{API}{signed.pk}/reports/2024", users["commissioner52"]).json()
    assert body["status"] == "brouillon"
    assert body["due_on"] is None  # no campaign set yet
    assert (
        body["credit_wait"]["notified"] == "0.00" and "pas encore notifiés" in body["credit_wait"]["message"]
    )
    missing = {error["champ"] for error in body["missing"]}
    assert "qualitative_assessment" in missing
    assert any(path.startswith("spendings.") for path in missing)
    assert get(client, f"{API}{signed.pk}/reports/", users["local44"]).json()["items"][0]["year"] == 2024
    assert get(client, f"{API}{signed.pk}/reports/2025", users["local44"]).status_code == 404


def test_the_reports_of_a_draft_are_a_404_outside_its_parties(client, users, draft):
    assert get(client, f"{API}{draft.pk}/reports/", users["local44"]).status_code == 404


def test_a_report_of_2030_is_refused_naming_the_year(client, users, signed):
    response = send(client, "put", f"{API}{signed.pk}/reports/2030", users["local44"], {"values": {}})
    assert response.status_code == 422
    assert "hors de la période" in _fields(response)["year"]
    assert not ExecutionReport.objects.exists()


def test_a_report_opens_after_its_year_and_from_the_year_of_the_signature(client, users, places, axis):
    late = build_contract(places["49"], actions=[action_data(axis)], signed_on=datetime.date(2025, 5, 20))
    local49 = UserFactory(departement_council=True, territory=places["49"])
    response = send(client, "put", f"{API}{late.pk}/reports/2027", local49, {"values": {}})
    assert response.status_code == 422
    assert (
        "Le rapport 2027 s'ouvre le 1er janvier 2028, une fois l'année terminée." in _fields(response)["year"]
    )
    response = send(client, "put", f"{API}{late.pk}/reports/2024", local49, {"values": {}})
    assert "elle rend compte à partir de 2025, pas de 2024" in _fields(response)["year"]
    assert send(client, "put", f"{API}{late.pk}/reports/2025", local49, {"values": {}}).status_code == 200
    assert [report.year for report in ExecutionReport.objects.all()] == [2025]


@pytest.mark.parametrize("who, status", [("ddets44", 403), ("local85", 403), (None, 401)])
def test_only_the_collectivite_writes_its_report(client, users, signed, who, status):
    user = users[who] if who else None
    payload = {"qualitative_assessment": "Bilan"}
    assert send(client, "put", f"{API}{signed.pk}/reports/2024", user, payload).status_code == status
    assert not ExecutionReport.objects.exists()


def test_a_report_needs_its_lock_version_once_opened_and_refuses_a_stale_one(client, users, signed):
    url = f"{API}{signed.pk}/reports/2024"
    local = users["local44"]
    version = send(client, "put", url, local, {"qualitative_assessment": "Premier"}).json()["lock_version"]
    assert send(client, "put", url, local, {"qualitative_assessment": "Sans version"}).status_code == 422
    payload = {"qualitative_assessment": "Deuxième", "lock_version": version}
    assert send(client, "put", url, local, payload).status_code == 200
    response = send(
        client, "put", url, local, {"qualitative_assessment": "Troisième", "lock_version": version}
    )
    assert response.status_code == 409
    assert ExecutionReport.objects.get().qualitative_assessment == "Deuxième"


def test_a_negative_spending_or_an_unknown_action_is_refused_naming_the_field(client, users, signed):
    url = f"{API}{signed.pk}/reports/2024"
    response = send(
        client,
        "put",
        url,
        users["local44"],
        {"spendings": [{"action_number": 1, "funder": "etat", "amount": "-1"}]},
    )
    assert response.status_code == 422
    assert "négatif" in _fields(response)["spendings[0].amount"]
    assert not ExecutionReport.objects.exists()  # the report opened for the save was rolled back
    response = send(
        client,
        "put",
        url,
        users["local44"],
        {"spendings": [{"action_number": 7, "funder": "etat", "amount": "1"}]},
    )
    assert "n°7" in _fields(response)["spendings[0].action_number"]


def test_filing_an_incomplete_report_lists_what_is_missing(client, users, signed):
    _open_report(signed)
    response = send(client, "post", f"{API}{signed.pk}/reports/2024/submit", users["local44"])
    assert response.status_code == 422
    fields = _fields(response)
    assert "qualitative_assessment" in fields
    assert any(path.startswith("spendings.") for path in fields)
    assert ExecutionReport.objects.get().status == ReportStatus.DRAFT


@pytest.mark.parametrize("who, status", [("ddets44", 403), ("local85", 403), (None, 401)])
def test_only_the_collectivite_files_its_report(client, users, signed, who, status):
    _open_report(signed)
    user = users[who] if who else None
    assert send(client, "post", f"{API}{signed.pk}/reports/2024/submit", user).status_code == status


def _filed_report(contract):
    Credit.objects.create(
        contract=contract, year=2024, notified=Decimal("50000"), notified_on=datetime.date(2024, 3, 1)
    )
    report = _open_report(contract)
    action = contract.actions.get()
    spendings = [
        services.SpendingRow(action_id=action.pk, funder=Funder.STATE, amount=Decimal("40000")),
        services.SpendingRow(action_id=action.pk, funder=Funder.LOCAL, amount=Decimal("40000")),
    ]
    report = services.save_report(report, qualitative_assessment="Bilan", values={}, spendings=spendings)
    return services.submit_report(report, None)


def test_the_ddets_sends_a_report_back_with_its_observations(client, users, signed):
    _filed_report(signed)
    url = f"{API}{signed.pk}/reports/2024/review"
    response = send(client, "post", url, users["ddets44"], {"validate": False})
    assert response.status_code == 422
    assert "review_comment" in _fields(response)
    response = send(
        client, "post", url, users["ddets44"], {"validate": False, "comment": "Détaillez la CAF."}
    )
    assert response.json()["status"] == "renvoye"
    assert response.json()["review_comment"] == "Détaillez la CAF."


@pytest.mark.parametrize("who, status", [("local44", 403), ("ddets85", 403), (None, 401)])
def test_only_the_state_side_reviews_a_report(client, users, signed, who, status):
    _filed_report(signed)
    user = users[who] if who else None
    assert (
        send(client, "post", f"{API}{signed.pk}/reports/2024/review", user, {"validate": True}).status_code
        == status
    )
    assert ExecutionReport.objects.get().status == ReportStatus.SUBMITTED


# --- State credits ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, status", [("ddets44", 200), ("commissioner52", 200), ("ddets85", 403), (None, 401)]
)
def test_credits_are_read_by_those_who_follow_the_contract(client, users, signed, who, status):
    services.record_credit(
        signed,
        2024,
        notified=Decimal("40000"),
        committed=Decimal("0"),
        paid=Decimal("0"),
        notified_on=datetime.date(2024, 3, 1),
    )
    user = users[who] if who else None
    response = get(client, f"{API}{signed.pk}/credits/", user)
    assert response.status_code == status
    if status == 200:
        assert response.json()["items"][0]["notified"] == "40000.00"


def test_the_ddets_records_the_credits_of_a_year(client, users, signed):
    payload = {
        "notified": "50000",
        "notified_on": "2024-03-01",
        "committed": "50000",
        "committed_on": "2024-04-01",
        "paid": "25000",
        "paid_on": "2024-05-01",
    }
    response = send(client, "put", f"{API}{signed.pk}/credits/2024", users["ddets44"], payload)
    assert response.status_code == 200
    assert response.json()["lock_version"] == 0
    assert Credit.objects.get(contract=signed, year=2024).paid == Decimal("25000")
    response = send(
        client, "put", f"{API}{signed.pk}/credits/2024", users["ddets44"], payload | {"paid": "1"}
    )
    assert response.status_code == 422
    assert response.json()["erreurs"][0]["champ"] == "lock_version"


@pytest.mark.parametrize("who, status", [("local44", 403), ("ddets85", 403), (None, 401)])
def test_only_the_state_side_records_credits(client, users, signed, who, status):
    user = users[who] if who else None
    payload = {"notified": "1", "notified_on": "2024-03-01"}
    assert send(client, "put", f"{API}{signed.pk}/credits/2024", user, payload).status_code == status
    assert not Credit.objects.exists()


def test_credits_are_checked_by_the_service(client, users, signed):
    url = f"{API}{signed.pk}/credits/2025"
    response = send(client, "put", url, users["ddets44"], {"notified": "-1"})
    assert response.status_code == 422
    assert "négatif" in _fields(response)["notified"]
    payload = {
        "notified": "10",
        "notified_on": "2025-03-01",
        "committed": "10",
        "committed_on": "2025-03-01",
        "paid": "10",
        "paid_on": "2025-04-01",
    }
    response = send(client, "put", url, users["ddets44"], payload)
    assert "rapport d'exécution 2024 validé" in _fields(response)["paid"]
    assert not Credit.objects.exists()


def test_a_stale_credit_edit_is_a_conflict(client, users, signed):
    url = f"{API}{signed.pk}/credits/2024"
    payload = {"notified": "10", "notified_on": "2024-03-01"}
    send(client, "put", url, users["ddets44"], payload)
    assert (
        send(
            client, "put", url, users["ddets44"], payload | {"notified": "20", "lock_version": 0}
        ).status_code
        == 200
    )
    assert (
        send(
            client, "put", url, users["ddets44"], payload | {"notified": "30", "lock_version": 0}
        ).status_code
        == 409
    )
    assert Credit.objects.get().notified == Decimal("20")


# --- OpenAPI --------------------------------------------------------------------------------------------


def test_the_openapi_document_lists_the_contract_paths(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/contracts/",
        "/api/v1/contracts/{contract_id}",
        "/api/v1/contracts/{contract_id}/submit",
        "/api/v1/contracts/{contract_id}/validate",
        "/api/v1/contracts/{contract_id}/sign",
        "/api/v1/contracts/{contract_id}/amendments",
        "/api/v1/contracts/{contract_id}/diff",
        "/api/v1/contracts/{contract_id}/actions/",
        "/api/v1/contracts/{contract_id}/actions/{number}",
        "/api/v1/contracts/{contract_id}/budget-lines/",
        "/api/v1/contracts/{contract_id}/indicators/",
        "/api/v1/contracts/{contract_id}/reports/",
        "/api/v1/contracts/{contract_id}/reports/{year}",
        "/api/v1/contracts/{contract_id}/reports/{year}/submit",
        "/api/v1/contracts/{contract_id}/reports/{year}/review",
        "/api/v1/contracts/{contract_id}/credits/",
        "/api/v1/contracts/{contract_id}/credits/{year}",
    ):
        assert path in paths, path
    assert set(paths["/api/v1/contracts/{contract_id}/actions/{number}"]) == {"get", "put", "delete"}
    review = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["ReviewIn"]
    assert "validate" in review["properties"]


# --- Notified ceilings, national envelopes, report campaigns -----------------------------------------


def _allocation(territory="44", envelope="solidarites", year=2024, amount="500000", **changes) -> dict:
    return {
        "territory": territory,
        "envelope": envelope,
        "year": year,
        "amount": amount,
        "notified_on": "2024-01-10",
        **changes,
    }


def test_national_steering_notifies_a_ceiling_by_api_and_corrects_it_with_its_lock_version(
    client, users, places
):
    response = send(client, "put", ALLOCATIONS, users["national"], _allocation())
    assert response.status_code == 200
    body = response.json()
    assert (body["collectivite"], body["amount"], body["envelope"]) == (
        "departement-44",
        "500000.00",
        "solidarites",
    )
    response = send(client, "put", ALLOCATIONS, users["national"], _allocation(amount="600000"))
    assert response.status_code == 422 and "lock_version" in _fields(response)
    response = send(
        client,
        "put",
        ALLOCATIONS,
        users["national"],
        _allocation(amount="600000", lock_version=body["lock_version"]),
    )
    assert response.json()["amount"] == "600000.00"


def test_a_wrong_ceiling_is_refused_naming_the_field(client, users, places):
    response = send(client, "put", ALLOCATIONS, users["national"], _allocation(envelope="metropoles"))
    assert response.status_code == 422 and "reçoit ses crédits sur" in _fields(response)["envelope"]
    response = send(client, "put", ALLOCATIONS, users["national"], _allocation(territory="99"))
    assert "Aucune collectivité signataire" in _fields(response)["territory"]


def test_only_national_steering_notifies_a_ceiling(client, users, places):
    assert send(client, "put", ALLOCATIONS, users["commissioner52"], _allocation()).status_code == 403
    assert send(client, "put", ALLOCATIONS, users["ddets44"], _allocation()).status_code == 403
    assert send(client, "put", ALLOCATIONS, None, _allocation()).status_code == 401


def test_the_ceilings_are_read_by_national_steering_and_the_commissioner_of_the_region(client, users, places):
    for territory in ("44", "29"):
        send(client, "put", ALLOCATIONS, users["national"], _allocation(territory=territory))
    assert len(get(client, ALLOCATIONS, users["national"]).json()) == 2
    mine = get(client, ALLOCATIONS, users["commissioner52"]).json()
    assert [row["territory"] for row in mine] == ["44"]
    assert get(client, ALLOCATIONS, users["commissioner52"], region="53").status_code == 403
    totals = get(client, f"{ALLOCATIONS}totals", users["commissioner52"]).json()
    assert totals[0] == {
        "envelope": "solidarites",
        "year": 2024,
        "notified": "500000.00",
        "national": "90000000.00",
    }
    assert get(client, ALLOCATIONS, users["ddets44"]).status_code == 403
    assert get(client, ALLOCATIONS).status_code == 401


def test_the_national_envelopes_are_public_with_their_source(client):
    rows = {(row["envelope"], row["year"]): row for row in get(client, "/api/v1/envelopes/").json()}
    assert rows[("solidarites", 2024)]["amount"] == "90000000.00"
    assert rows[("france_travail", 2024)]["amount"] == "170000000.00"
    assert rows[("solidarites", 2025)]["amount"] is None  # non publié
    assert "banquedesterritoires.fr" in rows[("france_travail", 2024)]["source"]


def test_a_france_travail_action_carries_its_volet_and_is_not_under_parity(client, users, places):
    AxisFactory(number=2)
    contract = services.create_contract(places["44"], kind="france_travail")
    payload = action_json(axis=2, measures=[], state=80000, local=0, volet="accompagnement_rsa")
    payload["budget"] = [row for row in payload["budget"] if row["year"] <= 2025]
    payload["indicators"][0].update(year_targets={"2024": 100, "2025": 120}, national_target=None)
    response = send(client, "post", f"{API}{contract.pk}/actions/", users["local44"], payload)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["volet"], body["envelope"], body["under_parity"]) == (
        "accompagnement_rsa",
        "france_travail",
        False,
    )


def test_national_steering_sets_the_report_campaign(client, users, places):
    url = "/api/v1/report-campaigns/2024"
    assert send(client, "put", url, users["ddets44"], {"due_on": "2025-04-30"}).status_code == 403
    response = send(client, "put", url, users["national"], {"due_on": "2025-04-30"})
    assert response.status_code == 200 and response.json()["due_on"] == "2025-04-30"
    response = send(
        client,
        "put",
        url,
        users["national"],
        {"due_on": "2024-06-30", "lock_version": response.json()["lock_version"]},
    )
    assert response.status_code == 422 and "due_on" in _fields(response)
    assert get(client, "/api/v1/report-campaigns/", users["local44"]).json()[0]["year"] == 2024


# --- À mettre en conformité -----------------------------------------------------------------------------------


COMPLIANCE = "/api/v1/compliance/"


@pytest.fixture
def breach(draft, axis):
    """A fiche-action of Vendée's draft saved before the parity rule: State 50 000 €, collectivité 1 € each year."""
    return copy_action(draft, action_data(axis, title="Ancien cofinancement", local="1", other="1"))


def test_the_rows_to_bring_into_compliance_are_read_within_the_scope(client, users, breach):
    response = get(client, COMPLIANCE, users["ddets85"], rule="parite")
    assert response.status_code == 200
    rows = response.json()
    assert [(row["action"], row["field"], row["year"]) for row in rows] == [
        (2, f"budget.{year}.etat", year) for year in YEARS
    ]
    assert rows[0]["field_label"] == "Budget 2024 – État" and rows[0]["rule"] == "parite"
    assert "collectivité" in rows[0]["message"] and rows[0]["territory"] == "85"
    assert get(client, COMPLIANCE, users["commissioner52"]).json() == rows
    assert get(client, COMPLIANCE, users["ddets44"]).json() == []
    assert get(client, COMPLIANCE, users["commissioner53"]).json() == []
    assert [rule["code"] for rule in get(client, f"{COMPLIANCE}rules", users["national"]).json()][
        0
    ] == "parite"


def test_the_compliance_rows_are_refused_to_the_collectivite_and_anonymous_visitors(client, users, breach):
    assert get(client, COMPLIANCE, users["local85"]).status_code == 403
    assert get(client, COMPLIANCE).status_code == 401
    response = get(client, COMPLIANCE, users["national"], rule="inconnue")
    assert response.status_code == 422 and "Règle inconnue" in _fields(response)["rule"]


# --- Consolidation by envelope ----------------------------------------------------------------------------------


def test_the_envelopes_are_consolidated_apart_with_their_ceilings_and_national_amounts(client, users, signed):
    insertion = france_travail_action_data(AxisFactory(number=2), state="80000")
    build_contract(signed.territory, kind="france_travail", actions=[insertion], ceiling="100000")
    url = "/api/v1/consolidation/envelopes"
    rows = {
        (row["envelope"], row["year"]): row for row in get(client, url, users["ddets44"], region="52").json()
    }
    assert rows[("solidarites", 2024)] == {
        "envelope": "solidarites",
        "envelope_label": "Solidarités (départements)",
        "year": 2024,
        "state": "50000.00",
        "local": "50000.00",
        "other": "0.00",
        "total": "100000.00",
        "notified": "1000000.00",
        "national": "90000000.00",
        "source": rows[("solidarites", 2024)]["source"],
    }
    insertion_2024 = rows[("france_travail", 2024)]
    assert (insertion_2024["state"], insertion_2024["local"], insertion_2024["notified"]) == (
        "80000.00",
        "0.00",
        "100000.00",
    )
    assert insertion_2024["national"] == "170000000.00"
    assert rows[("metropoles", 2024)]["total"] == "0.00"
    assert get(client, url, users["national"]).json() != []
    assert (
        get(client, url, users["ddets44"]).status_code == 403
    )  # France: national steering and commissioners
    assert get(client, url, users["commissioner53"], region="52").status_code == 403
    assert get(client, url, users["local44"], region="52").status_code == 403
    assert get(client, url, users["national"], region="99").status_code == 404
    assert get(client, url).status_code == 401
