"""French messages for API errors, each naming the field.

- `422`: the input does not fit the schema (pydantic), or a service refused it (`django.core.exceptions.
  ValidationError`, keyed by the field paths the service names: `siren`, `budget[0].amount`); the body lists
  `erreurs: [{champ, message}]`.
- `409`: someone saved the row since the client read it (`pacte.core.locking.StaleEditError`): the client sent a
  stale `lock_version`.
- `400`: the body is not JSON (`BodyParser` below says where it breaks: line and column), not UTF-8, holds `NaN`
  or `Infinity`, or nests too deep.
- `401`: no token where one is needed, or a token sent that is not usable (unknown, expired, revoked: every
  operation refuses it, see `pacte.api.auth`), with `WWW-Authenticate: Bearer`.
- `404`: the object does not exist or the caller may not see it; a page past the last of a list
  (`pacte.api.pagination`).
- `413`: a body over `DATA_UPLOAD_MAX_MEMORY_SIZE` (Django's setting).

An endpoint that changes something calls a service (one transaction) and lets these refusals through; the
handlers below answer them.
"""

import json

from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig
from django.core.exceptions import ValidationError as ServiceError
from ninja import Field, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from pacte import formatting
from pacte.api.auth import unauthorized_body, www_authenticate
from pacte.core.locking import StaleEditError

_MESSAGES = {
    "missing": "ce champ est obligatoire",
    "int_parsing": "doit être un nombre entier",
    "int_type": "doit être un nombre entier",
    "int_parsing_size": "nombre trop grand",
    "float_parsing": "doit être un nombre",
    "decimal_parsing": "doit être un nombre",
    "bool_parsing": "doit être vrai ou faux",
    "string_type": "doit être une chaîne de caractères",
    "greater_than_equal": "doit être supérieur ou égal à {ge}",
    "less_than_equal": "doit être inférieur ou égal à {le}",
    "greater_than": "doit être supérieur à {gt}",
    "less_than": "doit être inférieur à {lt}",
    "string_too_long": "ne doit pas dépasser {max_length_characters}",
    "string_too_short": "doit compter au moins {min_length_characters}",
    "literal_error": "valeur non reconnue ; valeurs possibles : {expected}",
    "enum": "valeur non reconnue ; valeurs possibles : {expected}",
    "extra_forbidden": "champ inconnu",
    "json_invalid": "le corps de la requête n'est pas un JSON valide",
    "value_error": "{error}",
    "string_pattern_mismatch": "format invalide",
    "date_from_datetime_parsing": "doit être une date (AAAA-MM-JJ)",
    "date_parsing": "doit être une date (AAAA-MM-JJ)",
    "datetime_parsing": "doit être une date et heure ISO 8601",
    "model_attributes_type": "le corps de la requête doit être un objet JSON",
}

_LOCATIONS = {"query", "path", "body", "header", "cookie", "form", "payload"}


def _field_name(loc) -> str:
    """("body", "payload", "budget", 1, "amount") → "budget[1].amount", as the services name fields."""
    name = ""
    for part in loc:
        if str(part) in _LOCATIONS:
            continue
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            name += f".{part}" if name else str(part)
    return name or "requête"


def french_error(error: dict) -> dict:
    template = _MESSAGES.get(error.get("type", ""))
    context = dict(error.get("ctx") or {})
    for limit in ("min_length", "max_length"):
        if isinstance(context.get(limit), int):
            context[f"{limit}_characters"] = formatting.plural(context[limit], "caractère")
    if template is None:
        message = "valeur invalide"
    else:
        try:
            message = template.format(**context)
        except (KeyError, IndexError):
            message = template
    field = _field_name(error.get("loc", ()))
    return {"champ": field, "message": f"{field} : {message}"}


def service_errors(error: ServiceError) -> list[dict]:
    """The messages of a service's refusal as `erreurs`, each under the path the service named (« requête »
    for a message about no field in particular)."""
    messages = error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
    return [
        {"champ": field, "message": f"{field} : {message}"}
        for path, texts in messages.items()
        for field in ["requête" if path == NON_FIELD_ERRORS else path]
        for message in texts
    ]


class MalformedBody(ValueError):
    """A request body that is not the JSON the API reads; the message is French and says where."""


def _no_constant(name: str):
    raise MalformedBody(
        f"Corps de la requête invalide : « {name} » n'est pas une valeur JSON ; écrivez un nombre ou null."
    )


class BodyParser(Parser):
    """The JSON parser of the API, with French refusals: ninja turns any exception of `parse_body` into a
    `HttpError(400)` whose cause is that exception, and `http_error` below answers the cause's message."""

    def parse_body(self, request):
        try:
            text = request.body.decode("utf-8")
        except UnicodeDecodeError as error:
            raise MalformedBody(
                f"Corps de la requête invalide : il n'est pas encodé en UTF-8 (octet {error.start + 1})."
            ) from error
        try:
            return json.loads(text, parse_constant=_no_constant)
        except json.JSONDecodeError as error:
            raise MalformedBody(
                "Corps de la requête invalide : ce n'est pas un JSON valide "
                f"(ligne {error.lineno}, colonne {error.colno})."
            ) from error
        except RecursionError as error:
            raise MalformedBody(
                "Corps de la requête invalide : le JSON est imbriqué trop profondément."
            ) from error


def install(api) -> None:
    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        return api.create_response(
            request,
            {"detail": "Requête invalide.", "erreurs": [french_error(error) for error in exc.errors]},
            status=422,
        )

    @api.exception_handler(ServiceError)
    def refused_by_a_service(request, exc: ServiceError):
        return api.create_response(
            request, {"detail": "Requête invalide.", "erreurs": service_errors(exc)}, status=422
        )

    @api.exception_handler(StaleEditError)
    def stale_edit(request, exc: StaleEditError):
        return api.create_response(request, {"detail": f"lock_version : {exc}"}, status=409)

    @api.exception_handler(AuthenticationError)
    def authentication_error(request, exc):
        response = api.create_response(request, unauthorized_body(request), status=401)
        response["WWW-Authenticate"] = www_authenticate(request)
        return response

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        cause = exc.__cause__
        detail = str(cause) if isinstance(cause, MalformedBody) else str(exc)
        return api.create_response(request, {"detail": detail}, status=exc.status_code)

    @api.exception_handler(RequestDataTooBig)
    def body_too_big(request, exc):
        return api.create_response(request, {"detail": "Corps de la requête trop volumineux."}, status=413)


# Error bodies of the routers (OpenAPI schemas).


class DetailOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    champ: str = Field(description="Chemin du champ, par exemple « budget.2024 » ou « budget[0].amount »")
    message: str


class ErrorsOut(Schema):
    detail: str
    erreurs: list[FieldErrorOut]


READ_ERRORS = {401: DetailOut, 403: DetailOut, 404: DetailOut}
WRITE_ERRORS = {**READ_ERRORS, 400: DetailOut, 409: DetailOut, 422: ErrorsOut}
