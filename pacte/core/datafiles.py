"""Data files edited by hand (YAML: the national référentiel, the demo's data): read, checked against a pydantic
schema, and every problem reported in French with the file, the line and the field, so that a file is either
loaded whole or refused with a message its author can act on:

    Fichier referentiel.yaml, ligne 25, champ « targets[0].target_value » : nombre attendu (…).

A loader reads its file with `YamlFile(path, error_class=ItsError, messages=…)`, validates it
(`file.validate(Schema)`), then reports the problems the schema cannot see (unknown references, duplicates) with
`file.problem(yaml_path, message)` or `file.error(yaml_path, message)`. Places are written as the services name
fields: `targets[0].code`.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from pacte import formatting

MAX_REPORTED_ERRORS = 10

# A place in the YAML document: ("targets", 12, "target_value").
YamlPath = tuple[str | int, ...]
# A problem of a file: (line, dotted place, French message without a final stop).
Problem = tuple[int | None, str, str]

Document = TypeVar("Document", bound=BaseModel)

# The French message of each pydantic error type; a loader adds or replaces its own (`extra_forbidden` names the
# document that lists its keys). `{…}` are the error's context; `{min_length_items}`, `{max_length_items}` the
# counted limits (« 2 éléments »).
SCHEMA_MESSAGES = {
    "missing": "champ obligatoire manquant",
    "extra_forbidden": "clé inconnue",
    "string_type": "texte attendu",
    "string_too_short": "ce texte ne peut pas être vide",
    "string_too_long": "texte trop long ({max_length} caractères au plus)",
    "string_pattern_mismatch": "format invalide (attendu : {pattern})",
    "int_type": "nombre entier attendu",
    "int_parsing": "nombre entier attendu",
    "int_from_float": "nombre entier attendu",
    "bool_type": "true ou false attendu",
    "bool_parsing": "true ou false attendu",
    "decimal_type": "nombre attendu (chiffres, avec un point décimal : 27.7)",
    "decimal_parsing": "nombre attendu (chiffres, avec un point décimal : 27.7)",
    "decimal_max_digits": "nombre trop long ({max_digits} chiffres au plus)",
    "decimal_max_places": "trop de décimales ({decimal_places} au plus)",
    "decimal_whole_digits": "nombre trop grand ({whole_digits} chiffres avant la virgule au plus)",
    "greater_than_equal": "valeur trop petite (minimum {ge})",
    "less_than_equal": "valeur trop grande (maximum {le})",
    "date_type": "date attendue au format AAAA-MM-JJ",
    "date_parsing": "date attendue au format AAAA-MM-JJ",
    "date_from_datetime_parsing": "date attendue au format AAAA-MM-JJ",
    "date_from_datetime_inexact": "date attendue au format AAAA-MM-JJ, sans heure",
    "enum": "valeur inconnue ; valeurs permises : {expected}",
    "literal_error": "valeur inconnue ; valeurs permises : {expected}",
    "model_type": "bloc de clés attendu (clé: valeur)",
    "model_attributes_type": "bloc de clés attendu (clé: valeur)",
    "dict_type": "bloc de clés attendu (clé: valeur)",
    "list_type": "liste attendue (éléments précédés de « - »)",
    "tuple_type": "liste attendue (éléments précédés de « - »)",
    "too_short": "la liste doit compter au moins {min_length_items}",
    "too_long": "la liste doit compter au plus {max_length_items}",
    "value_error": "{error}",
}
# What pydantic puts in a location besides the keys: the branch of a union or of a validator ("int",
# "function-after[…]"). Left out of the place shown.
_BRANCHES = {"date", "int", "str", "bool", "decimal", "list", "dict", "none"}


class YamlFileError(ValueError):
    """A data file cannot be loaded. The message is French and names the file, the line and the field of each
    problem (the first ten, then how many others); `line`, `field` and `problem` are those of the first."""

    def __init__(self, path: Path, problems: list[Problem]):
        self.path = path
        self.problems = sorted(problems, key=lambda problem: problem[0] or 0)
        self.line, self.field, self.problem = self.problems[0]
        lines = [_format(path, *problem) for problem in self.problems[:MAX_REPORTED_ERRORS]]
        if len(self.problems) > MAX_REPORTED_ERRORS:
            others = formatting.plural(
                len(self.problems) - MAX_REPORTED_ERRORS, "autre erreur", "autres erreurs"
            )
            lines.append(f"… et {others}.")
        super().__init__("\n".join(lines))


def _format(path: Path, line: int | None, field: str, message: str) -> str:
    where = f"Fichier {path}"
    if line is not None:
        where += f", ligne {line}"
    if field:
        where += f", champ « {field} »"
    return f"{where} : {message}."


def dotted(yaml_path: YamlPath) -> str:
    """("targets", 0, "code") → "targets[0].code"."""
    text = ""
    for part in yaml_path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


class YamlFile:
    """A parsed data file: its path, its raw data (`data`) and the start line of every place in it. Reading
    refuses, with `error_class` (a YamlFileError), a file missing, not in UTF-8, empty, not YAML, or with a key
    given twice in a block."""

    def __init__(
        self,
        path: Path,
        *,
        error_class: type[YamlFileError] = YamlFileError,
        messages: dict[str, str] | None = None,
    ):
        self.path = path
        self.error_class = error_class
        self.messages = SCHEMA_MESSAGES if messages is None else messages
        text = self._read_text()
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
            self.data = yaml.safe_load(text)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else None
            raise error_class(path, [(line, "", f"syntaxe YAML invalide ({exc.problem})")]) from exc
        except yaml.YAMLError as exc:
            raise error_class(path, [(None, "", f"syntaxe YAML invalide ({exc})")]) from exc
        if root is None:
            raise error_class(path, [(None, "", "le fichier est vide")])
        self.lines: dict[YamlPath, int] = {}
        duplicates = list(self._collect(root, ()))
        if duplicates:
            raise error_class(path, duplicates)

    def _read_text(self) -> str:
        try:
            return self.path.read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            raise self.error_class(self.path, [(None, "", "fichier introuvable")]) from exc
        except UnicodeDecodeError as exc:
            raise self.error_class(self.path, [(None, "", "le fichier doit être encodé en UTF-8")]) from exc
        except OSError as exc:
            raise self.error_class(self.path, [(None, "", f"lecture impossible ({exc.strerror})")]) from exc

    def _collect(self, node: yaml.Node, yaml_path: YamlPath) -> Iterator[Problem]:
        """Record the start line of every place of the node tree; yield the keys given twice."""
        self.lines.setdefault(yaml_path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, value_node in node.value:
                key = str(key_node.value)
                key_path = (*yaml_path, key)
                if key in seen:
                    yield key_node.start_mark.line + 1, dotted(key_path), "clé présente deux fois"
                seen.add(key)
                self.lines[key_path] = key_node.start_mark.line + 1
                yield from self._collect(value_node, key_path)
        elif isinstance(node, yaml.SequenceNode):
            for index, item_node in enumerate(node.value):
                yield from self._collect(item_node, (*yaml_path, index))

    def line_of(self, yaml_path: YamlPath) -> int | None:
        """The line of this place, or of its nearest enclosing item when the key is absent."""
        for end in range(len(yaml_path), -1, -1):
            if yaml_path[:end] in self.lines:
                return self.lines[yaml_path[:end]]
        return None

    def problem(self, yaml_path: YamlPath, message: str) -> Problem:
        """A problem at this place of the file (for the checks the schema cannot make)."""
        return self.line_of(yaml_path), dotted(yaml_path), message

    def error(self, yaml_path: YamlPath, message: str) -> YamlFileError:
        """The error of one problem at this place of the file."""
        return self.error_class(self.path, [self.problem(yaml_path, message)])

    def validate(self, schema: type[Document]) -> Document:
        """The document of the file, validated by `schema`; every problem at once otherwise."""
        try:
            return schema.model_validate(self.data)
        except ValidationError as exc:
            raise self.error_class(self.path, [self.translate(error) for error in exc.errors()]) from exc

    def translate(self, error: dict[str, Any], prefix: YamlPath = ()) -> Problem:
        """A pydantic error as a problem of this file; `prefix`: where the validated part sits in the file."""
        yaml_path = (*prefix, *(part for part in error["loc"] if isinstance(part, int | str)))
        yaml_path = tuple(part for part in yaml_path if not _is_branch(part))
        context = {key: str(value).replace(" or ", " ou ") for key, value in error.get("ctx", {}).items()}
        for limit in ("min_length", "max_length"):
            if isinstance(error.get("ctx", {}).get(limit), int):
                context[f"{limit}_items"] = formatting.plural(error["ctx"][limit], "élément")
        template = self.messages.get(error["type"])
        try:
            message = template.format(**context) if template else f"valeur invalide ({error['msg']})"
        except KeyError:
            message = f"valeur invalide ({error['msg']})"
        return self.problem(yaml_path, message)


def _is_branch(part: str | int) -> bool:
    return isinstance(part, str) and (part in _BRANCHES or "[" in part)
