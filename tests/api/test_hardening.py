"""Issue 15, the API under bad input: every paginated list bounds `page` and `page_size` (a page past the last is
a French 404, no offset overflow: `?page=922337203685477581` used to end in a 500); a body that is not JSON gets
a French 400; a token that is sent and is not usable (unknown, expired, revoked, of a deactivated account, or an
`Authorization` header that is not a bearer token) gets 401 on EVERY operation, public reads included; the
single-line text fields of the bodies refuse control characters.

The operations are read from the OpenAPI document, so that a new list or a new read cannot escape these tests."""

import datetime
import re
import typing

import pytest
from django.utils import timezone
from pydantic import BaseModel

from pacte.accounts.models import ApiToken
from pacte.api.auth import TOKEN_REFUSED
from pacte.api.urls import api
from tests.accounts.factories import UserFactory
from tests.contracts.factories import make_world
from tests.helpers import bearer
from tests.observation.factories import IndicatorFactory

OVERFLOW = "922337203685477581"


@pytest.fixture
def world():
    world = make_world()
    world.indicator = IndicatorFactory()
    return world


def required(operation: dict, world) -> dict:
    """The required query parameters of a read (a list of observations names its indicator)."""
    values = {"indicator": world.indicator.code}
    names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query" and p.get("required")}
    assert names <= set(values), f"give a value to {names - set(values)}"
    return {name: values[name] for name in names}


def operations(method: str) -> list[tuple[str, dict]]:
    """(path, operation) of every `method` operation of the API, from its OpenAPI document."""
    document = api.get_openapi_schema()
    return [
        (path, operation)
        for path, methods in document["paths"].items()
        for name, operation in methods.items()
        if name == method
    ]


def parameters(operation: dict, where: str) -> set[str]:
    return {parameter["name"] for parameter in operation.get("parameters", []) if parameter["in"] == where}


def filled(path: str, contract_id: int | str = 1) -> str:
    """The path with its parameters filled: `contract_id` (a contract the test chose), 1 for the other ids."""
    path = path.replace("{contract_id}", str(contract_id)).replace("{level}", "departement")
    return re.sub(r"\{[a-z_]+\}", "1", path)


def paginated() -> list[str]:
    return [path for path, operation in operations("get") if "page" in parameters(operation, "query")]


def paginated_operations() -> list[tuple[str, dict]]:
    return [
        (path, operation) for path, operation in operations("get") if "page" in parameters(operation, "query")
    ]


def test_the_tests_find_the_paginated_lists_and_the_reads():
    lists = paginated()
    assert len(lists) >= 20 and "/api/v1/territories/" in lists and "/api/v1/contracts/" in lists
    assert len(operations("get")) >= 50


# --- Pages --------------------------------------------------------------------------------------------


def test_a_page_past_the_last_is_a_french_404_on_every_paginated_list(client, world):
    headers = bearer(world.national)
    wrong = {}
    for path, operation in paginated_operations():
        url = filled(path, world.signed.pk)
        query = required(operation, world)
        response = client.get(url, {"page": OVERFLOW, **query}, **headers)
        expected = f"page : la page {OVERFLOW} n'existe pas ; cette liste en compte 1 (avec page_size = 50)."
        if response.status_code != 404 or response.json()["detail"] != expected:
            wrong[url] = (response.status_code, response.content[:300])
        # The first page is still there, empty or not.
        if client.get(url, {"page": 1, **query}, **headers).status_code != 200:
            wrong[url + "?page=1"] = "not 200"
    assert wrong == {}


def test_out_of_bounds_page_and_page_size_are_a_french_422_naming_the_parameter(client, world):
    headers = bearer(world.national)
    cases = [
        ({"page": 0}, "page", "page : doit être supérieur ou égal à 1"),
        ({"page": -3}, "page", "page : doit être supérieur ou égal à 1"),
        ({"page": "deux"}, "page", "page : doit être un nombre entier"),
        ({"page": "9" * 5000}, "page", "page : nombre trop grand"),
        ({"page_size": 0}, "page_size", "page_size : doit être supérieur ou égal à 1"),
        ({"page_size": OVERFLOW}, "page_size", "page_size : doit être inférieur ou égal à 500"),
    ]
    wrong = {}
    for path, operation in paginated_operations():
        url = filled(path, world.signed.pk)
        for params, field, message in cases:
            response = client.get(url, {**params, **required(operation, world)}, **headers)
            body = response.json()
            if response.status_code != 422 or body["erreurs"] != [{"champ": field, "message": message}]:
                wrong[f"{url} {params}"[:120]] = (response.status_code, body)
    assert wrong == {}


def test_a_page_past_the_last_of_a_real_list(client, world):
    """Three territories of the world in two pages of two: page 2 is the last, page 3 is a 404."""
    url = "/api/v1/territories/"
    body = client.get(url, {"level": "departement", "page_size": 2, "page": 2}).json()
    assert (body["count"], body["pages"], len(body["items"])) == (3, 2, 1)
    response = client.get(url, {"level": "departement", "page_size": 2, "page": 3})
    assert response.status_code == 404
    assert response.json() == {
        "detail": "page : la page 3 n'existe pas ; cette liste en compte 2 (avec page_size = 2)."
    }


def test_the_three_callers_of_a_paginated_list_of_a_contract(client, world):
    """The fiches-actions of the draft of Loire-Atlantique: its département council reads the pages (and gets
    the 404 past the last), the council of another département does not see the contract, nor does an
    anonymous visitor; a reserved list (the reports) asks an anonymous visitor for a token."""
    url = f"/api/v1/contracts/{world.draft.pk}/actions/"
    allowed = client.get(url, {"page": OVERFLOW}, **bearer(world.local_a))
    assert allowed.status_code == 404 and allowed.json()["detail"].startswith(f"page : la page {OVERFLOW}")
    assert client.get(url, **bearer(world.local_a)).json()["count"] == 1
    for headers in (bearer(world.local_c), {}):
        response = client.get(url, {"page": OVERFLOW}, **headers)
        assert response.status_code == 404
        assert response.json()["detail"] == f"Contrat introuvable : {world.draft.pk}."
    reports = f"/api/v1/contracts/{world.signed.pk}/reports/"
    assert client.get(reports, {"page": OVERFLOW}).status_code == 401
    assert client.get(reports, {"page": OVERFLOW}, **bearer(world.local_c)).status_code == 403
    assert client.get(reports, {"page": OVERFLOW}, **bearer(world.local_b)).status_code == 404


# --- Tokens -------------------------------------------------------------------------------------------


def unusable_tokens() -> dict[str, str]:
    """Authorization headers that carry no usable token."""
    user = UserFactory(national=True)
    _, expired = ApiToken.issue(user, "expiré", expires_at=timezone.now() - datetime.timedelta(days=1))
    revoked_token, revoked = ApiToken.issue(user, "révoqué")
    revoked_token.revoke()
    gone = UserFactory(national=True)
    _, of_a_deactivated_account = ApiToken.issue(gone, "compte désactivé")
    gone.is_active = False
    gone.save()
    return {
        "unknown": "Bearer pacte_inconnu",
        "expired": f"Bearer {expired}",
        "revoked": f"Bearer {revoked}",
        "deactivated account": f"Bearer {of_a_deactivated_account}",
        "empty bearer": "Bearer ",
        "empty header": "",
        "not a bearer": "Basic dXNlcjptb3RkZXBhc3Nl",
    }


def test_an_unusable_token_is_a_401_on_every_read_public_or_not(client, world):
    tokens = unusable_tokens()
    wrong = {}
    for path, _operation in operations("get"):
        url = filled(path, world.signed.pk)
        for kind, header in tokens.items():
            response = client.get(url, HTTP_AUTHORIZATION=header)
            if (
                response.status_code != 401
                or response.json() != {"detail": TOKEN_REFUSED}
                or response["WWW-Authenticate"] != 'Bearer realm="pacte", error="invalid_token"'
            ):
                wrong[f"{url} {kind}"] = (response.status_code, response.content[:200])
    assert wrong == {}


def test_an_unusable_token_beside_a_session_is_a_401_too(client, world):
    """A signed-in browser that sends a bad token is not read as the session's user."""
    client.force_login(world.national)
    wrong = {}
    for path, _operation in operations("get"):
        url = filled(path, world.signed.pk)
        response = client.get(url, HTTP_AUTHORIZATION="Bearer pacte_inconnu")
        if response.status_code != 401:
            wrong[url] = response.status_code
    assert wrong == {}


def test_the_openapi_document_and_the_docs_refuse_an_unusable_token(client):
    for url in ("/api/v1/openapi.json", "/api/v1/docs"):
        assert client.get(url).status_code == 200
        assert client.get(url, HTTP_AUTHORIZATION="Bearer pacte_inconnu").status_code == 401


def test_public_reads_still_answer_a_usable_token_a_session_and_an_anonymous_visitor(client, world):
    """The lists that named no `auth` (territories, référentiel) now take the API's default: the same answer
    to the three callers; a draft contract shows to its party's token, not to an anonymous visitor."""
    for url in (
        "/api/v1/territories/",
        "/api/v1/axes/",
        "/api/v1/programme",
        "/api/v1/territories/departement/85",
    ):
        anonymous = client.get(url)
        assert anonymous.status_code in (200, 404)
        assert client.get(url, **bearer(world.local_c)).content == anonymous.content
    assert client.get("/api/v1/territories/", **bearer(world.local_c)).json()["count"] == 6
    contracts = "/api/v1/contracts/"
    assert [item["id"] for item in client.get(contracts).json()["items"]] == [world.signed.pk]
    assert world.draft.pk in [
        item["id"] for item in client.get(contracts, **bearer(world.local_a)).json()["items"]
    ]
    assert world.draft.pk not in [
        item["id"] for item in client.get(contracts, **bearer(world.local_c)).json()["items"]
    ]
    client.force_login(world.local_a)
    assert world.draft.pk in [item["id"] for item in client.get(contracts).json()["items"]]


def test_a_write_without_a_token_still_asks_for_one(client, world):
    response = client.post("/api/v1/contracts/", {}, content_type="application/json")
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentification requise : jeton absent, invalide ou expiré."}
    assert response["WWW-Authenticate"] == 'Bearer realm="pacte"'


# --- Bodies -------------------------------------------------------------------------------------------


MALFORMED = [
    (
        b'{"title": "Contrat"',
        "Corps de la requête invalide : ce n'est pas un JSON valide (ligne 1, colonne 20).",
    ),
    (
        b"{\n  'title': 1\n}",
        "Corps de la requête invalide : ce n'est pas un JSON valide (ligne 2, colonne 3).",
    ),
    (b'{"title": "\xff"}', "Corps de la requête invalide : il n'est pas encodé en UTF-8 (octet 12)."),
    (
        b'{"amount": NaN}',
        "Corps de la requête invalide : « NaN » n'est pas une valeur JSON ; écrivez un nombre ou null.",
    ),
    (
        b'{"amount": -Infinity}',
        "Corps de la requête invalide : « -Infinity » n'est pas une valeur JSON ; écrivez un nombre ou null.",
    ),
    (
        b"[" * 100_000 + b"]" * 100_000,
        "Corps de la requête invalide : le JSON est imbriqué trop profondément.",
    ),
]


def test_a_malformed_body_is_a_french_400_on_every_write(client, world):
    headers = bearer(world.national)
    writes = [
        (method, path)
        for method in ("post", "put", "patch")
        for path, operation in operations(method)
        if "requestBody" in operation
    ]
    assert len(writes) >= 12
    wrong = {}
    for method, path in writes:
        url = filled(path, world.signed.pk)
        for body, message in MALFORMED:
            response = getattr(client, method)(url, body, content_type="application/json", **headers)
            if response.status_code != 400 or response.json() != {"detail": message}:
                wrong[f"{method} {url} {body[:20]!r}"] = (response.status_code, response.content[:200])
    assert wrong == {}


def test_a_body_too_big_is_a_french_413(client, world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post(
        "/api/v1/contracts/",
        {"territory": "85", "title": "x" * 2000},
        content_type="application/json",
        **bearer(world.national),
    )
    assert response.status_code == 413
    assert response.json() == {"detail": "Corps de la requête trop volumineux."}


# --- Single-line fields -------------------------------------------------------------------------------

# The texts of the bodies that may span several lines; every other text field holds on one line.
MULTI_LINE = {
    "ActionIn": {"target_publics", "partners", "description"},
    "ActionPut": {"target_publics", "partners", "description"},
    "AmendmentIn": {"reason"},
    "ReportPut": {"qualitative_assessment"},
    "ReviewIn": {"comment"},
    "CampaignPut": {"note"},
    "TargetPatch": {
        "baseline_source",
        "horizon_source",
        "in_force_source",
        "contracts_reason",
        "notes",
        # Read-only (ignored): TargetOut's values sent back.
        "code",
        "horizon",
        "kind",
        "scope",
        "measure_code",
        "source_file",
        "source_title",
        "source_excerpt",
    },
    "OrganisationPatch": {"kind"},  # read-only (ignored)
    "TerritoryRef": {
        "level",
        "code",
        "name",
    },  # read-only (ignored): the territory of a target, an organisation
}


def body_schemas() -> dict[str, type]:
    """Every schema a write reads from its body, nested ones included, by name."""
    found = {}

    def walk(annotation):
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation.__name__ in found:
                return
            found[annotation.__name__] = annotation
            for field in annotation.model_fields.values():
                walk(field.annotation)
        for argument in typing.get_args(annotation):
            walk(argument)

    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:
                    if model.__ninja_param_source__ == "body":
                        for field in model.model_fields.values():
                            walk(field.annotation)
    return found


def text_fields(schema) -> list[str]:
    return [
        name
        for name, field in schema.model_fields.items()
        if re.search(r"\bstr\b", repr(field.annotation)) and "dict" not in repr(field.annotation)
    ]


def test_every_single_line_text_of_a_body_refuses_a_control_character():
    schemas = body_schemas()
    assert {"ContractIn", "ActionIn", "IndicatorIn", "SignIn", "OrganisationPatch", "TargetPatch"} <= set(
        schemas
    )
    wrong = []
    for name, schema in schemas.items():
        for field in text_fields(schema):
            if field in MULTI_LINE.get(name, set()):
                continue
            value = ["a\x00b"] if "list" in repr(schema.model_fields[field].annotation) else "a\nb\x00"
            try:
                schema.model_validate({field: value})
            except Exception as error:  # pydantic.ValidationError
                if any(problem["loc"][0] == field for problem in error.errors()):
                    continue
            wrong.append(f"{name}.{field}")
    assert wrong == []


def test_a_line_break_in_a_title_is_a_french_422_naming_the_field(client, world):
    response = client.patch(
        f"/api/v1/contracts/{world.draft.pk}",
        {"lock_version": world.draft.lock_version, "title": "Contrat\r\nBcc: x@example.org"},
        content_type="application/json",
        **bearer(world.local_a),
    )
    assert response.status_code == 422
    assert response.json()["erreurs"] == [
        {
            "champ": "title",
            "message": "title : Ce champ tient sur une seule ligne : retirez un retour chariot et un retour à la ligne.",
        }
    ]
    # The same title on one line is saved; another département's council is not told about the contract.
    ok = {"lock_version": world.draft.lock_version, "title": "Contrat – Loire-Atlantique"}
    outsider = client.patch(
        f"/api/v1/contracts/{world.draft.pk}", ok, content_type="application/json", **bearer(world.local_c)
    )
    assert outsider.status_code == 404
    anonymous = client.patch(f"/api/v1/contracts/{world.draft.pk}", ok, content_type="application/json")
    assert anonymous.status_code == 401
    saved = client.patch(
        f"/api/v1/contracts/{world.draft.pk}", ok, content_type="application/json", **bearer(world.local_a)
    )
    assert saved.status_code == 200, saved.content
