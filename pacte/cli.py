"""The `pacte` command: Django's management commands, with production settings unless told otherwise.

Examples: `pacte migrate`, `pacte load_cog`, `pacte load_referentiel`, `pacte runserver`.
Set DJANGO_SETTINGS_MODULE=config.settings.demo for the local demo (what `make demo` does).
"""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv if argv is not None else sys.argv)
    return 0
