"""The `pacte` command: Django's management commands, with production settings unless told otherwise.

Examples: `pacte migrate`, `pacte load_cog`, `pacte load_referentiel`, `pacte runserver`.
`pacte rights detecter|situation|generer` (English spelling `detect` kept as an alias) run the rights engine
without Django (pacte/rights/cli.py); `pacte rights traiter|purger` go through Django's `rights` command.
Set DJANGO_SETTINGS_MODULE=config.settings.demo for the local demo (what `make demo` does).
"""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = argv if argv is not None else sys.argv
    if len(argv) > 2 and argv[1] == "rights":
        from pacte.rights import cli

        if argv[2] in cli.ACTIONS:
            # The rights engine's own actions need no database and no settings.
            return cli.main(argv[2:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0
