"""`pacte rights ACTION`: access to rights on the command line.

- `detecter`, `situation`, `generer`: the rights engine (pacte/rights/cli.py). `pacte rights …` runs them
  without Django (pacte/cli.py); through `manage.py` they land here and behave the same.
- `traiter`, `purger`: the web platform's batch jobs and their retention (pacte/screening/commands.py).

Actions and options are French; their former English spellings (`detect`, `worker`, `purge`, `--month`,
`--once`, `--dry-run`…) are kept as aliases.
"""

from django.core.management.base import BaseCommand, CommandError

from pacte.rights import cli
from pacte.screening import commands as screening


class Command(BaseCommand):
    help = (
        "Accès aux droits : détection du non-recours dans un fichier de ménages, situation OpenFisca d'un foyer, "
        "fichier fictif, traitements par lot déposés sur la plateforme et purge des résultats expirés."
    )

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION", title="actions")
        cli.add_arguments(actions)
        screening.add_subcommands(actions)

    def handle(self, *args, **options) -> None:
        action = options["action"]
        if action in cli.RUNNERS:
            try:
                cli.RUNNERS[action](options, self.stdout)
            except cli.UsageError as error:
                raise CommandError(str(error)) from None
            return
        if not screening.handle(action, options, self.stdout):
            raise CommandError(f"Action inconnue : {action}.")
