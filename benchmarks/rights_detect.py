"""Benchmark of `pacte rights detecter`: households per second and peak memory of the batch, against OpenFisca's
own way (one simulation per household) measured in the same run.

    .venv/bin/python benchmarks/rights_detect.py [--foyers 1000000] [--processus 2] [--passes 1]
        [--taille-lot 5000] [--reference 12] [--mois 2026-10]

The options are named as those of `pacte rights detecter`; the English spellings (`--workers`, `--rounds`,
`--chunk-size`, `--baseline`, `--month`) are kept as aliases.

1. Writes a file of fictitious households (pacte.rights.synthetic, fixed seed) in a temporary directory.
2. Baseline, in this process: OpenFisca run one household at a time (`SimulationBuilder.build_from_entities`
   on the Web API situation the engine builds, then the 11 benefits), for `--reference` households of the same
   file; and OpenFisca's plain web-simulator way (the same household with only the month's inputs, no declared
   past) for a third of them. Medians per household.
3. The batch: `detect` on the whole file with `--processus` processes, `--passes` times. A sampler reads the
   resident memory of this process and of its worker processes from /proc every 0.2 s; the peak is the
   largest sum seen.
Target (issue 5): 1,000,000 households in under 4 minutes on 2 cores, peak memory under 3 GB.
No database is used.
"""

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pacte.formatting import number, plural, with_unit  # noqa: E402
from pacte.rights import detect, engine, synthetic  # noqa: E402
from pacte.rights.households import read_households  # noqa: E402

TARGET_SECONDS_PER_MILLION = 240
TARGET_PEAK_BYTES = 3 * 1024**3
PAGE = os.sysconf("SC_PAGE_SIZE")


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as file:
            return int(file.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _children(pid: int) -> list[int]:
    found = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as file:
                found += [int(child) for child in file.read().split()]
        except OSError:
            continue
    return found


class MemorySampler(threading.Thread):
    """Largest resident memory of this process plus all its descendants, sampled every `interval` s."""

    def __init__(self, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.peak = 0
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            pids, total = [os.getpid()], 0
            while pids:
                pid = pids.pop()
                total += _rss(pid)
                pids += _children(pid)
            self.peak = max(self.peak, total)
            self.stopping.wait(self.interval)

    def stop(self) -> int:
        self.stopping.set()
        self.join()
        return self.peak


def seconds_text(seconds: float) -> str:
    """« 12,3 s »."""
    return with_unit(seconds, "s", 1)


def _plain_situation(situation: dict, month: str) -> dict:
    """The web simulators' way: only the month's values, nothing declared in the past (OpenFisca recomputes)."""
    plain: dict = {}
    for entities, members in situation.items():
        plain[entities] = {}
        for key, values in members.items():
            kept = {}
            for name, value in values.items():
                if isinstance(value, list):
                    kept[name] = value
                elif isinstance(value, dict):
                    periods = {
                        period: item
                        for period, item in value.items()
                        if period in (month, month[:4], "ETERNITY")
                    }
                    if name == "rfr":
                        continue
                    if periods:
                        kept[name] = periods
            plain[entities][key] = kept
    return plain


def baseline(path: Path, month: str, count: int) -> tuple[list[float], list[float]]:
    """Seconds per household: OpenFisca one household at a time on the engine's situations, and the plain
    web-simulator way."""
    wanted = {
        variable: engine.benefit_period(code, month) for code, (variable, _, _) in engine.VARIABLES.items()
    }
    declared, plain = [], []
    with path.open(encoding="utf-8") as lines:
        households = read_households(lines, today=date.today())
        for index, household in enumerate(households):
            if index >= count:
                break
            situation = engine.situation(household, month)
            start = time.perf_counter()
            engine.compute_situation(situation, wanted)
            declared.append(time.perf_counter() - start)
            if index % 3 == 0:
                start = time.perf_counter()
                engine.compute_situation(_plain_situation(situation, month), wanted)
                plain.append(time.perf_counter() - start)
    return declared, plain


def batch(
    path: Path, month: str, workers: int, chunk_size: int, directory: Path
) -> tuple[float, int, object]:
    sampler = MemorySampler()
    sampler.start()
    start = time.perf_counter()
    with (
        path.open(encoding="utf-8") as lines,
        (directory / "resultats.csv").open("w", encoding="utf-8") as output,
        (directory / "rejets.csv").open("w", encoding="utf-8") as rejects,
    ):
        report = detect.detect(
            lines, month=month, output=output, rejects=rejects, workers=workers, chunk_size=chunk_size
        )
    seconds = time.perf_counter() - start
    return seconds, sampler.stop(), report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--foyers", type=int, default=1_000_000, metavar="N", help="foyers fictifs du fichier (1 000 000)"
    )
    parser.add_argument(
        "--processus",
        "--workers",
        dest="workers",
        type=int,
        default=2,
        metavar="N",
        help="processus de calcul (2)",
    )
    parser.add_argument(
        "--passes", "--rounds", dest="rounds", type=int, default=1, metavar="N", help="passes du lot (1)"
    )
    parser.add_argument(
        "--taille-lot",
        "--chunk-size",
        dest="chunk_size",
        type=int,
        default=detect.DEFAULT_CHUNK_SIZE,
        metavar="N",
        help=f"foyers par lot de calcul ({detect.DEFAULT_CHUNK_SIZE})",
    )
    parser.add_argument(
        "--reference",
        "--baseline",
        dest="baseline",
        type=int,
        default=12,
        help="foyers calculés un par un (12)",
    )
    parser.add_argument(
        "--mois", "--month", dest="month", default="2026-10", metavar="AAAA-MM", help="mois calculé (2026-10)"
    )
    arguments = parser.parse_args()

    print(f"Machine : {os.cpu_count()} cœurs ; OpenFisca-France, {arguments.workers} processus de calcul")
    with tempfile.TemporaryDirectory(prefix="pacte-bench-rights-") as tmp:
        directory = Path(tmp)
        path = directory / "menages.csv"
        start = time.perf_counter()
        with path.open("w", encoding="utf-8") as file:
            rows = synthetic.write(file, arguments.foyers, seed=2026, today=date.today())
        print(
            f"Fichier : {plural(arguments.foyers, 'foyer fictif', 'foyers fictifs')}, {plural(rows, 'ligne')}, "
            f"{with_unit(path.stat().st_size / 1e6, 'Mo', 0)}, écrit en {seconds_text(time.perf_counter() - start)}"
        )

        start = time.perf_counter()
        engine.warm_up()
        print(
            f"Chargement d'OpenFisca-France et de l'extension Pacte : {seconds_text(time.perf_counter() - start)}"
        )
        declared, plain = baseline(path, arguments.month, arguments.baseline)
        one = statistics.median(declared)
        one_plain = statistics.median(plain)
        print(
            f"Référence, un foyer à la fois (situation du moteur) : médiane {with_unit(one, 's', 3)} par foyer "
            f"sur {number(len(declared))}, soit {with_unit(1 / one, 'foyers/s', 2)}"
        )
        print(
            f"Référence, un foyer à la fois sans passé déclaré (simulateur web) : médiane "
            f"{with_unit(one_plain, 's', 3)} sur {number(len(plain))}, soit {with_unit(1 / one_plain, 'foyers/s', 2)}"
        )

        durations, peaks = [], []
        for round_number in range(1, arguments.rounds + 1):
            seconds, peak, report = batch(
                path, arguments.month, arguments.workers, arguments.chunk_size, directory
            )
            durations.append(seconds)
            peaks.append(peak)
            print(
                f"Lot, passe {round_number} : {plural(report.households, 'foyer')} en {seconds_text(seconds)} "
                f"({with_unit(report.households / seconds, 'foyers/s', 0)}), pic mémoire "
                f"{with_unit(peak / 1024**3, 'Gio', 2)}, "
                f"{plural(report.result_rows, 'ligne de résultat', 'lignes de résultat')}, "
                f"{plural(report.rejected, 'rejet')}"
            )
        seconds = statistics.median(durations)
        rate = arguments.foyers / seconds
        per_million = seconds * 1_000_000 / arguments.foyers
        peak = max(peaks)
        print()
        print(
            f"Médiane : {with_unit(rate, 'foyers/s', 0)} ; {with_unit(per_million, 's', 0)} pour un million de "
            "foyers"
        )
        print(f"Rapport au calcul un par un (situation du moteur) : × {number(rate * one, 0)}")
        print(f"Rapport au simulateur web sans passé déclaré : × {number(rate * one_plain, 0)}")
        print(
            f"Cible : un million en moins de {with_unit(TARGET_SECONDS_PER_MILLION, 's')} → "
            f"{'atteinte' if per_million < TARGET_SECONDS_PER_MILLION else 'NON atteinte'} ; "
            f"pic mémoire {with_unit(peak / 1024**3, 'Gio', 2)} < 3 Gio → "
            f"{'atteinte' if peak < TARGET_PEAK_BYTES else 'NON atteinte'}"
        )


if __name__ == "__main__":
    main()
