"""The `worker` and `purge` actions of `pacte rights`, wired by the command (pacte/*/management/commands/
rights.py): `add_subcommands(actions)` declares them on its subparsers, `handle(action, options, stdout)` runs
them and returns False for an action that is not one of these."""

from pacte.screening import jobs


def add_subcommands(actions) -> None:
    worker = actions.add_parser(
        "worker",
        help="traite les dépôts de fichiers ménages en attente (accès aux droits, traitements par lot)",
        description=(
            "Traite les fichiers ménages déposés sur /droits/ : les prend un à un dans la base, calcule les "
            "droits, enregistre la synthèse par commune et supprime le fichier déposé. Plusieurs workers "
            "peuvent tourner ensemble. Supprime aussi, périodiquement, les résultats arrivés à expiration."
        ),
    )
    worker.add_argument("--once", action="store_true", help="traite les dépôts en attente puis s'arrête")
    worker.add_argument(
        "--poll", type=float, default=2.0, metavar="SECONDES", help="attente entre deux recherches (2 s)"
    )
    worker.add_argument(
        "--workers", type=int, default=1, metavar="N", help="processus de calcul par traitement (1)"
    )
    worker.add_argument(
        "--dask", dest="dask_scheduler", metavar="ADRESSE", help="ordonnanceur Dask à utiliser"
    )
    purge = actions.add_parser(
        "purge",
        help="supprime les résultats par foyer dont la durée de conservation est passée",
        description=(
            "Supprime les fichiers de résultats par foyer et de lignes refusées des traitements dont la date "
            "d'expiration est passée (PACTE_RIGHTS_RETENTION_DAYS jours après la fin, 30 par défaut), et "
            "tout fichier déposé resté après la fin d'un traitement. Les synthèses par commune sont gardées."
        ),
    )
    purge.add_argument("--dry-run", action="store_true", help="compte sans rien supprimer")


def handle(action: str, options: dict, stdout) -> bool:
    if action == "worker":
        done = jobs.work(
            once=options.get("once", False),
            poll=options.get("poll", 2.0),
            workers=options.get("workers", 1),
            dask_scheduler=options.get("dask_scheduler"),
        )
        stdout.write(f"{done} traitement{'s' if done > 1 else ''} effectué{'s' if done > 1 else ''}.\n")
        return True
    if action == "purge":
        dry_run = options.get("dry_run", False)
        stale = 0 if dry_run else jobs.fail_stale()
        report = jobs.purge(dry_run=dry_run)
        verb = "à supprimer" if dry_run else "supprimé(s)"
        stdout.write(
            f"{report.files} fichier(s) {verb} ; résultats expirés de {report.jobs} traitement(s) ; "
            f"{stale} traitement(s) interrompu(s) marqué(s) en échec.\n"
        )
        return True
    return False
