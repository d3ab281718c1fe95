"""The `traiter` and `purger` actions of `pacte rights` (English spellings `worker` and `purge` kept as
aliases), wired by the command (pacte/screening/management/commands/rights.py): `add_subcommands(actions)`
declares them on its subparsers, `handle(action, options, stdout)` runs them and returns False for an action
that is not one of these."""

from pacte.formatting import plural
from pacte.rights.cli import add_action
from pacte.screening import jobs

ALIASES = {"traiter": ("worker",), "purger": ("purge",)}  # French name: its English spellings


def add_subcommands(actions) -> None:
    worker = add_action(
        actions,
        "traiter",
        aliases=ALIASES["traiter"],
        help="traite les dépôts de fichiers ménages en attente (accès aux droits, traitements par lot)",
        description=(
            "Traite les fichiers ménages déposés sur /droits/ : les prend un à un dans la base, calcule les "
            "droits, enregistre la synthèse par commune et supprime le fichier déposé. Plusieurs processus "
            "`traiter` peuvent tourner ensemble. Supprime aussi, périodiquement, les résultats arrivés à "
            "expiration."
        ),
    )
    worker.add_argument(
        "--une-fois",
        "--once",
        dest="once",
        action="store_true",
        help="traite les dépôts en attente puis s'arrête",
    )
    worker.add_argument(
        "--intervalle",
        "--poll",
        dest="poll",
        type=float,
        default=2.0,
        metavar="SECONDES",
        help="attente entre deux recherches (2 s)",
    )
    worker.add_argument(
        "--processus",
        "--workers",
        dest="workers",
        type=int,
        default=1,
        metavar="N",
        help="processus de calcul par traitement (1)",
    )
    worker.add_argument(
        "--dask", dest="dask_scheduler", metavar="ADRESSE", help="ordonnanceur Dask à utiliser"
    )
    purge = add_action(
        actions,
        "purger",
        aliases=ALIASES["purger"],
        help="supprime les résultats par foyer dont la durée de conservation est passée",
        description=(
            "Supprime les fichiers de résultats par foyer et de lignes refusées des traitements dont la date "
            "d'expiration est passée (PACTE_RIGHTS_RETENTION_DAYS jours après la fin, 30 par défaut), et "
            "tout fichier déposé resté après la fin d'un traitement. Les synthèses par commune sont gardées."
        ),
    )
    purge.add_argument(
        "--essai", "--dry-run", dest="dry_run", action="store_true", help="compte sans rien supprimer"
    )


def handle(action: str, options: dict, stdout) -> bool:
    """Run `action` (its French name, as the parser gives it) with the parsed `options`."""
    if action == "traiter":
        done = jobs.work(
            once=options.get("once", False),
            poll=options.get("poll", 2.0),
            workers=options.get("workers", 1),
            dask_scheduler=options.get("dask_scheduler"),
        )
        stdout.write(f"{plural(done, 'traitement effectué', 'traitements effectués')}.\n")
        return True
    if action == "purger":
        dry_run = options.get("dry_run", False)
        stale = 0 if dry_run else jobs.fail_stale()
        report = jobs.purge(dry_run=dry_run)
        files = (
            plural(report.files, "fichier à supprimer", "fichiers à supprimer")
            if dry_run
            else plural(report.files, "fichier supprimé", "fichiers supprimés")
        )
        stdout.write(
            f"{files} ; résultats expirés de {plural(report.jobs, 'traitement')} ; "
            f"{plural(stale, 'traitement interrompu marqué', 'traitements interrompus marqués')} en échec.\n"
        )
        return True
    return False
