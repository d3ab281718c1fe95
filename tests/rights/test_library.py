import re
import subprocess
import sys
from pathlib import Path

RIGHTS = Path(__file__).resolve().parents[2] / "pacte" / "rights"


def test_the_rights_engine_imports_no_django():
    code = (
        "import sys, pacte.rights.catalogue, pacte.rights.households, pacte.rights.detect, pacte.rights.cli, "
        "pacte.rights.synthetic, pacte.rights.results, pacte.rights.convention, pacte.rights.confidence, "
        "pacte.rights.fastread, pacte.rights.engine; "
        "print(sorted(name for name in sys.modules if name == 'django' or name.startswith('django.')))"
    )
    output = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert output.strip() == "[]"


def test_only_the_engine_module_imports_openfisca():
    importing = {
        path.name
        for path in RIGHTS.glob("*.py")
        if re.search(r"^\s*(from|import) openfisca", path.read_text(encoding="utf-8"), re.MULTILINE)
    }
    assert importing == {"engine.py"}
