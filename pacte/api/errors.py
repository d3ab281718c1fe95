"""French messages for API errors, each naming the field.

- `422`: the input does not fit the schema (pydantic), or a service refused it (`django.core.exceptions.
  ValidationError`, keyed by the field paths the service names: `siren`, `budget[0].amount`); the body lists
  `erreurs: [{champ, message}]`.
- `409`: someone saved the row since the client read it (`pacte.core.locking.StaleEditError`): the client sent a
  stale `lock_version`.

An endpoint that changes something calls a service (one transaction) and lets these refusals through; the
handlers below answer them.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as ServiceError
from ninja import Field, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from pacte import formatting
from pacte.core.locking import StaleEditError

_MESSAGES = {
    "missing": "ce champ est obligatoire",
    "int_parsing": "doit être un nombre entier",
    "int_type": "doit être un nombre entier",
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
        return api.create_response(
            request, {"detail": "Authentification requise : jeton absent, invalide ou expiré."}, status=401
        )

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


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
WRITE_ERRORS = {**READ_ERRORS, 409: DetailOut, 422: ErrorsOut}
