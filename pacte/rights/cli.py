"""`pacte rights detecter|situation|generer`: the rights engine on the command line (docs/droits-cli.md).

These three actions need neither a database nor Django settings: `pacte rights …` runs them directly. The
web platform's actions (`pacte rights traiter`, `pacte rights purger`) go through Django's command.
Actions and options are named in French; the English spellings they had (`detect`, `--month`, `--output`…)
stay as aliases so that scripts keep working. Messages are in French, written by `pacte.formatting`; the
people's data never go to a log or to the terminal, except the one household that `situation` is asked to
print.
"""

import argparse
import json
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

from pacte.formatting import euros, plural, with_unit
from pacte.rights.catalogue import BENEFITS, Period
from pacte.rights.households import FileFormatError, ReadReport, read_households

ALIASES = {"detecter": ("detect",), "situation": (), "generer": ()}  # French name: its English spellings
ACTIONS = tuple(name for french, english in ALIASES.items() for name in (french, *english))
FIRST_MONTH = "2022-01"  # the engine's conventions need two years of OpenFisca parameters before the month


class UsageError(Exception):
    """A French message for the user; the command exits with status 2."""


def month_argument(value: str) -> str:
    """`YYYY-MM`, from 2022-01 to the month after the current one."""
    try:
        parsed = date.fromisoformat(f"{value}-01")
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"mois « {value} » invalide : attendu AAAA-MM, par exemple 2026-10."
        ) from None
    today = date.today()
    last = date(today.year + (today.month == 12), today.month % 12 + 1, 1)
    if not f"{parsed:%Y-%m}" >= FIRST_MONTH or parsed > last:
        raise argparse.ArgumentTypeError(
            f"mois « {value} » hors de la période calculable : de {FIRST_MONTH} à {last:%Y-%m}."
        )
    return f"{parsed:%Y-%m}"


def positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"« {value} » n'est pas un nombre entier.") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"« {value} » : un nombre au moins égal à 1 est attendu.")
    return number


def add_action(actions, name: str, *, aliases=(), **kwargs) -> argparse.ArgumentParser:
    """A sub-command named in French on an argparse sub-parsers object, its English spellings kept as aliases;
    whichever spelling is typed, the parsed `action` is the French name."""
    parser = actions.add_parser(name, aliases=list(aliases), **kwargs)
    parser.set_defaults(action=name)
    return parser


def _month_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--mois",
        "--month",
        dest="month",
        type=month_argument,
        required=True,
        metavar="AAAA-MM",
        help="mois calculé (de 2022-01 au mois prochain)",
    )


def add_arguments(actions) -> None:
    """Adds the three actions to an argparse sub-parsers object (also used by Django's `rights` command)."""
    from pacte.rights.detect import DEFAULT_CHUNK_SIZE, default_workers

    command = add_action(
        actions,
        "detecter",
        aliases=ALIASES["detecter"],
        help="détecte le non-recours potentiel dans un fichier de ménages (format v2)",
        description=(
            "Calcule, pour chaque foyer du fichier, les prestations du catalogue avec OpenFisca-France et écrit une "
            "ligne par foyer et par prestation à laquelle il aurait droit ou qu'il déclare percevoir, en indiquant "
            "si elle est perçue. Les lignes en erreur vont dans le fichier des rejets ; les autres foyers sont calculés. "
            "Voir docs/droits-cli.md."
        ),
    )
    command.add_argument("file", type=Path, metavar="FICHIER", help="fichier CSV des ménages (format v2)")
    _month_option(command)
    command.add_argument(
        "--sortie",
        "--output",
        dest="output",
        type=Path,
        required=True,
        metavar="RESULTATS.csv",
        help="fichier des résultats, une ligne par foyer et par prestation",
    )
    command.add_argument(
        "--synthese",
        "--summary",
        dest="summary",
        type=Path,
        metavar="SYNTHESE.csv",
        help="synthèse par commune et par département",
    )
    command.add_argument(
        "--rejets",
        "--rejects",
        dest="rejects",
        type=Path,
        metavar="REJETS.csv",
        help="lignes rejetées (par défaut : RESULTATS.rejets.csv à côté des résultats)",
    )
    command.add_argument(
        "--processus",
        "--workers",
        dest="workers",
        type=positive_int,
        default=default_workers(),
        metavar="N",
        help="processus de calcul en parallèle (par défaut : un par cœur)",
    )
    command.add_argument(
        "--dask",
        dest="dask",
        metavar="ORDONNANCEUR",
        help="calcule les lots sur une grappe Dask distributed (adresse de l'ordonnanceur, tcp://hôte:8786)",
    )
    command.add_argument(
        "--taille-lot",
        "--chunk-size",
        dest="chunk_size",
        type=positive_int,
        default=DEFAULT_CHUNK_SIZE,
        metavar="N",
        help=f"foyers par lot de calcul (par défaut {DEFAULT_CHUNK_SIZE})",
    )
    command.add_argument(
        "--sans-controle-communes",
        "--no-check-communes",
        dest="check_communes",
        action="store_false",
        help="n'écarte pas les codes communes inconnus du COG 2026",
    )
    command.add_argument(
        "--silencieux", "--quiet", dest="quiet", action="store_true", help="ni barre de progression ni bilan"
    )

    command = add_action(
        actions,
        "situation",
        help="affiche la situation OpenFisca (JSON de l'API Web) d'un foyer",
        description=(
            "Affiche la situation que le moteur construit pour un foyer du fichier : toutes les entrées déclarées "
            "et les prestations à calculer. On peut la soumettre telle quelle à l'API Web d'OpenFisca (POST "
            "/calculate) pour refaire le calcul."
        ),
    )
    command.add_argument("file", type=Path, metavar="FICHIER", help="fichier CSV des ménages (format v2)")
    command.add_argument("--foyer", required=True, metavar="ID", help="valeur de foyer_id")
    _month_option(command)

    command = add_action(
        actions,
        "generer",
        help="génère un fichier de ménages fictifs (essais, mesures de performance)",
        description="Écrit un fichier de ménages fictifs au format v2, tirés au hasard avec une graine fixe.",
    )
    command.add_argument("--foyers", type=positive_int, required=True, metavar="N", help="nombre de foyers")
    command.add_argument(
        "--sortie", "--output", dest="output", type=Path, required=True, metavar="FICHIER.csv"
    )
    command.add_argument(
        "--graine", "--seed", dest="seed", type=int, default=2026, metavar="N", help="graine du tirage (2026)"
    )
    command.add_argument(
        "--departement",
        dest="departements",
        action="append",
        default=[],
        metavar="CODE",
        help="ne tire que des communes de ce département (répétable)",
    )


def _open_text(path: Path):
    try:
        return path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise UsageError(f"Impossible de lire {path} : {error.strerror}.") from None


def _rejects_path(output: Path) -> Path:
    return output.with_name(f"{output.stem}.rejets.csv")


def run_detect(options: dict, out) -> None:
    from pacte.rights import detect

    source: Path = options["file"]
    output: Path = options["output"]
    rejects_path: Path = options.get("rejects") or _rejects_path(output)
    quiet = options.get("quiet", False)
    bar = None
    if not quiet and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=detect.count_rows(source), unit=" lignes", desc="Foyers examinés", file=sys.stderr)

    def progress(state: detect.Progress) -> None:
        if bar is not None:
            bar.update(state.rows - bar.n)
            bar.set_postfix(foyers=state.households, rejets=state.rejected, refresh=False)

    started = time.perf_counter()
    with (
        _open_text(source) as lines,
        output.open("w", encoding="utf-8-sig", newline="") as results,
        rejects_path.open("w", encoding="utf-8-sig", newline="") as rejects,
    ):
        try:
            report = detect.detect(
                lines,
                month=options["month"],
                output=results,
                rejects=rejects,
                communes=detect.load_communes() if options.get("check_communes", True) else None,
                workers=options.get("workers", 1),
                dask_scheduler=options.get("dask"),
                chunk_size=options.get("chunk_size", detect.DEFAULT_CHUNK_SIZE),
                progress=progress,
            )
        except FileFormatError as error:
            raise UsageError(f"{source} : {error}") from None
        finally:
            if bar is not None:
                bar.close()
    if options.get("summary"):
        with options["summary"].open("w", encoding="utf-8-sig", newline="") as file:
            detect.write_summary(report.summary, file)
    if quiet:
        return
    out.write(
        closing_report(
            report,
            seconds=time.perf_counter() - started,
            rejects_path=rejects_path,
            output=output,
            summary=options.get("summary"),
        )
    )


def closing_report(report, *, seconds: float, rejects_path: Path, output: Path, summary: Path | None) -> str:
    """What `detecter` prints at the end (`report`: a `detect.DetectReport`): the counts, then, per benefit, the
    households with a potential non-take-up (the probable ones among them) and the amount at stake, per month
    or per year as the benefit is paid, then the totals, each benefit alone and once every probable right is
    open."""
    rate = report.households / seconds if seconds else 0
    lines = [
        f"{plural(report.households, 'foyer examiné', 'foyers examinés')} ({plural(report.rows, 'ligne')}) "
        f"en {with_unit(seconds, 's', 1)}, {with_unit(rate, 'foyers/s', 0)} ; "
        f"{plural(report.rejected, 'foyer ou ligne rejeté', 'foyers ou lignes rejetés')} → {rejects_path}",
        f"{plural(report.non_take_up_households, 'foyer')} en non-recours potentiel sur au moins une "
        f"prestation ; {plural(report.result_rows, 'ligne de résultat', 'lignes de résultat')} → {output}",
    ]
    totals: dict[str, list] = {}
    territory = [0, Decimal(0), Decimal(0), Decimal(0), Decimal(0)]
    for row in report.summary.rows():
        if row.level != "departement":
            continue
        if not row.benefit:
            for index, value in enumerate(
                (
                    row.probable_households,
                    row.non_take_up_amount,
                    row.probable_amount,
                    row.opened_amount,
                    row.non_take_up_yearly_amount,
                )
            ):
                territory[index] += value
            continue
        line = totals.setdefault(row.benefit, [0, 0, Decimal(0)])
        line[0] += row.non_take_up_households
        line[1] += row.probable_households
        line[2] += row.non_take_up_amount + row.non_take_up_yearly_amount
    if report.non_take_up_households:
        lines.append(
            f"  dont {plural(territory[0], 'foyer')} avec un non-recours probable d'un droit du socle "
            "(indicateur de non-recours)"
        )
    for code, (count, probable, amount) in totals.items():
        if count:
            benefit = BENEFITS[code]
            # The CSS amount is a participation the household would pay: count households only.
            per = "an" if benefit.period == Period.YEAR else "mois"
            money = "" if code == "css" else f", {euros(amount, cents=True)} par {per}"
            lines.append(
                f"  {benefit.label} : {plural(count, 'foyer')} (dont {plural(probable, 'probable')}){money}"
            )
    if report.non_take_up_households:
        lines.append(
            f"Montants mensuels en jeu : {euros(territory[1], cents=True)}, chaque prestation calculée seule, dont "
            f"{euros(territory[2], cents=True)} probables ; {euros(territory[3], cents=True)} si tous les droits "
            f"probables sont ouverts (montants qui s'additionnent) ; aides annuelles : "
            f"{euros(territory[4], cents=True)} par an"
        )
    if summary:
        lines.append(f"Synthèse par commune et par département → {summary}")
    return "".join(f"{line}\n" for line in lines)


def run_situation(options: dict, out) -> None:
    from pacte.rights import engine

    wanted = options["foyer"].strip()
    report = ReadReport()
    with _open_text(options["file"]) as lines:
        try:
            for household in read_households(
                lines, today=date.today(), month=options["month"], report=report
            ):
                if household.id == wanted:
                    situation = engine.situation(household, options["month"])
                    out.write(json.dumps(situation, ensure_ascii=False, indent=2) + "\n")
                    return
        except FileFormatError as error:
            raise UsageError(f"{options['file']} : {error}") from None
    for reject in report.rejects:
        if reject.household_id == wanted:
            raise UsageError(f"Le foyer « {wanted} » est rejeté : {reject}")
    raise UsageError(f"Aucun foyer « {wanted} » dans {options['file']} (colonne foyer_id).")


def run_generate(options: dict, out) -> None:
    from pacte.rights import synthetic

    departements = set(options.get("departements") or [])
    with options["output"].open("w", encoding="utf-8", newline="") as file:
        rows = synthetic.write(
            file,
            options["foyers"],
            seed=options.get("seed", 2026),
            today=date.today(),
            departements=departements,
        )
    out.write(
        f"{plural(options['foyers'], 'foyer fictif', 'foyers fictifs')} ({plural(rows, 'ligne')}) → "
        f"{options['output']}\n"
    )


RUNNERS = {"detecter": run_detect, "situation": run_situation, "generer": run_generate}


def main(argv: list[str]) -> int:
    """`pacte rights ACTION …` without Django (argv: what follows `rights`)."""
    parser = argparse.ArgumentParser(prog="pacte rights", description="Accès aux droits : moteur de calcul.")
    add_arguments(parser.add_subparsers(dest="action", required=True, metavar="ACTION", title="actions"))
    options = vars(parser.parse_args(argv))
    try:
        RUNNERS[options["action"]](options, sys.stdout)
    except UsageError as error:
        sys.stderr.write(f"Erreur : {error}\n")
        return 2
    return 0
