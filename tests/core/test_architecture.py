"""The layers of docs/dev/architecture.md, held against the code: every import of every module of `pacte/` (at
the top of a file or inside a function, absolute or relative) must be allowed by the table of that document."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "pacte"
DOC = ROOT / "docs" / "dev" / "architecture.md"
# What an app never imports from another: its pages and wiring. Core's forms and admin are building blocks
# meant for the other apps; its views, urls, template tags and commands are not.
PRIVATE_PARTS = {"views", "forms", "urls", "admin", "templatetags", "management"}
CORE_PRIVATE_PARTS = {"views", "urls", "templatetags", "management"}
# Each name is a module of pacte/ that is not a Django app (formatting, cli) or an app.
ROW = re.compile(r"^\| (\w+) \|([^|]*)\|$")


def allowed_table(text: str) -> dict[str, set[str]]:
    """The "Allowed dependencies" table of the architecture document: app → the apps it may import."""
    section = text.split("## Allowed dependencies", 1)[1]
    table = {}
    for line in section.splitlines():
        match = ROW.match(line.strip())
        if match and match.group(1) != "app":
            table[match.group(1)] = {name.strip() for name in match.group(2).split(",") if name.strip()}
    return table


def unit_of(module: str) -> str:
    """The app (or top-level module) of a dotted module name inside `pacte`: pacte.contracts.views → contracts."""
    return module.split(".")[1]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(source: str, module: str, is_package: bool = False) -> list[tuple[int, str]]:
    """(line, imported module) for each import of `pacte.…` in `source`, relative imports resolved."""
    found = []
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            # `from pacte.contracts import views` imports the views module: count the names too.
            found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
    return [(line, name) for line, name in found if name.startswith("pacte.")]


def problems_of(module: str, source: str, table: dict[str, set[str]], is_package: bool = False) -> list[str]:
    unit = unit_of(module) if module.count(".") else module.split(".")[-1]
    allowed = table.get(unit)
    if allowed is None:
        return [f"{module}: « {unit} » n'est pas dans la table de docs/dev/architecture.md"]
    problems = []
    for line, imported in imports_of(source, module, is_package):
        target = unit_of(imported)
        if target == unit:
            continue
        if "*" not in allowed and target not in allowed:
            problems.append(f"{module}:{line} importe {imported} ({unit} → {target} n'est pas permis)")
        elif (CORE_PRIVATE_PARTS if target == "core" else PRIVATE_PARTS) & set(imported.split(".")[2:]):
            problems.append(f"{module}:{line} importe {imported} (les pages et le câblage d'une autre app)")
        elif target == "demo":
            problems.append(f"{module}:{line} importe {imported} (rien n'importe la démo)")
    return problems


def project_modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts or path == PACKAGE / "__init__.py":
            continue
        yield path


@pytest.fixture(scope="module")
def table():
    return allowed_table(DOC.read_text(encoding="utf-8"))


def test_every_import_follows_the_layers(table):
    problems = []
    for path in project_modules():
        module = module_name(path)
        problems += problems_of(module, path.read_text(encoding="utf-8"), table, path.name == "__init__.py")
    assert problems == []


def test_every_app_is_in_the_table(table):
    units = {path.name for path in PACKAGE.iterdir() if path.is_dir() and (path / "__init__.py").exists()}
    units |= {path.stem for path in PACKAGE.glob("*.py") if path.stem != "__init__"}
    assert units <= set(table), sorted(units - set(table))


def test_it_refuses_an_import_up_the_layers(table):
    source = "from pacte.contracts.models import Contract\n"
    assert problems_of("pacte.core.history", source, table) == [
        "pacte.core.history:1 importe pacte.contracts.models.Contract (core → contracts n'est pas permis)"
    ]


def test_it_refuses_an_import_inside_a_function_and_a_relative_one(table):
    source = "def f():\n    from pacte.governance import services\n"
    assert problems_of("pacte.grants.services", source, table)
    assert problems_of("pacte.territories.views", "from ..accounts import perms\n", table)
    assert problems_of("pacte.territories.views", "from .models import Territory\n", table) == []


def test_it_refuses_another_apps_views_and_the_demo(table):
    assert problems_of(
        "pacte.governance.extracts", "from pacte.observation.views.indicators import x\n", table
    )
    assert problems_of("pacte.governance.extracts", "from pacte.observation import views\n", table)
    assert problems_of("pacte.governance.extracts", "from pacte.core.templatetags.pacte import f\n", table)
    assert problems_of("pacte.api.contracts", "from pacte.demo import loaders\n", table)
    assert problems_of("pacte.demo.loaders", "from pacte.contracts.models import Contract\n", table) == []


def test_the_rights_engine_imports_no_app(table):
    assert problems_of("pacte.rights.cli", "from pacte.core.errors import Errors\n", table)
    assert problems_of("pacte.rights.cli", "from pacte import formatting\n", table) == []


# --- Size and names ---------------------------------------------------------------------------------------

LONGEST_MODULE = 800  # lines, migrations aside (DESIGN.md: split by purpose before that)
# Names Django asks every app to use.
CONVENTIONAL_CLASSES = {"Command", "Meta", "Migration", "Config"}
TEMPLATES = PACKAGE / "templates"
TEMPLATE_NAME = re.compile(r"""["']([\w/.-]+\.(?:html|txt|ics))["']""")


def test_no_module_is_longer_than_800_lines():
    lengths = {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for path in project_modules()
    }
    assert {name: length for name, length in lengths.items() if length > LONGEST_MODULE} == {}


def test_no_two_apps_define_a_class_of_the_same_name():
    homes: dict[str, set[str]] = {}
    for path in project_modules():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef) and node.name not in CONVENTIONAL_CLASSES:
                homes.setdefault(node.name, set()).add(unit_of(module_name(path)))
    assert {name: sorted(units) for name, units in homes.items() if len(units) > 1} == {}


def included_templates() -> set[str]:
    """The templates named by `{% include %}` in the project's templates."""
    names = set()
    for path in TEMPLATES.rglob("*.html"):
        for match in re.finditer(r"{%\s*include\s+[\"']([^\"']+)[\"']", path.read_text(encoding="utf-8")):
            names.add(match.group(1))
    return names


def rendered_templates() -> set[str]:
    """The templates the Python code names (render, render_to_string, inclusion tags, template_name)."""
    names = set()
    for path in project_modules():
        names |= {name for name in TEMPLATE_NAME.findall(path.read_text(encoding="utf-8")) if "/" in name}
    return names


def test_partial_templates_start_with_an_underscore():
    assert sorted(name for name in included_templates() if not Path(name).name.startswith("_")) == []


def test_every_template_the_code_names_exists():
    assert (
        sorted(
            name for name in rendered_templates() | included_templates() if not (TEMPLATES / name).exists()
        )
        == []
    )


# --- Tests ------------------------------------------------------------------------------------------------

TESTS = ROOT / "tests"


def test_no_test_module_imports_another_test_module():
    """Tests share through tests/helpers.py, tests/browser.py, the factories modules and conftest fixtures; never by
    importing a test module (nor a name from a conftest)."""
    problems = []
    for path in sorted(TESTS.rglob("*.py")):
        module = module_name(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("tests."):
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names if alias.name.startswith("tests.")]
            else:
                continue
            for name in names:
                last = name.split(".")
                if any(part.startswith("test_") or part == "conftest" for part in last[1:]):
                    problems.append(f"{module}:{node.lineno} importe {name}")
    assert problems == []
