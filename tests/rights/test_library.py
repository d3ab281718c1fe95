import subprocess
import sys


def test_the_rights_engine_imports_no_django():
    code = (
        "import sys, pacte.rights.catalogue, pacte.rights.households; "
        "print(sorted(name for name in sys.modules if name == 'django' or name.startswith('django.')))"
    )
    output = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert output.strip() == "[]"
