"""French messages for API input errors, each naming the field."""

from ninja import Field, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

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
    "string_too_long": "ne doit pas dépasser {max_length} caractères",
    "string_too_short": "doit compter au moins {min_length} caractère(s)",
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
    context = error.get("ctx") or {}
    if template is None:
        message = "valeur invalide"
    else:
        try:
            message = template.format(**context)
        except (KeyError, IndexError):
            message = template
    field = _field_name(error.get("loc", ()))
    return {"champ": field, "message": f"{field} : {message}"}


def install(api) -> None:
    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        return api.create_response(
            request,
            {"detail": "Requête invalide.", "erreurs": [french_error(error) for error in exc.errors]},
            status=422,
        )

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
