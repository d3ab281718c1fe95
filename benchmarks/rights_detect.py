"""Benchmark of `pacte rights detecter`: households per second and peak memory of the batch, where the time goes,
and OpenFisca's own way (one simulation per household) measured in the same run.

    .venv/bin/python benchmarks/rights_detect.py [--foyers 1000000] [--processus 2] [--passes 3]
        [--taille-lot 15000] [--reference 12] [--mois 2026-10] [--dask]

The options are named as those of `pacte rights detecter`; the English spellings (`--workers`, `--rounds`,
`--chunk-size`, `--baseline`, `--month`) are kept as aliases.

1. Writes a file of fictitious households (pacte.rights.synthetic, fixed seed, format v2) in a temporary
   directory.
2. The batch: `detect` on the whole file with `--processus` processes (or, with `--dask`, a Dask LocalCluster of
   as many one-thread workers), `--passes` times, before this process loads OpenFisca (as the command, it only
   splits the file). A sampler reads the resident memory of this process and of its descendants from /proc every
   0.2 s; the peak is the largest sum seen. Each pass prints the split between reading (this process splits the
   file), computing (the workers: parsing, engine, formatting; processor time summed over them) and writing
   (this process).
3. Profile of one chunk, in this process: the first chunk's cost against the same chunk once warm, the processor
   time of each step (parsing, the engine's passes, formatting the rows) and the 15 functions that cost most
   (cProfile).
4. Baseline, in this process: OpenFisca run one household at a time (`SimulationBuilder.build_from_entities` on
   the Web API situation the engine builds, then the catalogue's benefits), for `--reference` households of the
   same file; and OpenFisca's plain web-simulator way (the same household with only the month's inputs, no
   declared past) for a third of them. Medians per household.
5. The closing lines: the median of the passes (households/s, seconds for a million, the ratio to the baseline),
   the peak memory against the target, and an estimate that other programs on the machine barely change: the
   processor time of all the processes for a million households, per core, plus the workers' start-up (loading
   OpenFisca and the dearer first chunk of each process, measured in step 3).
Target (issue 14): 1,000,000 households in under 60 s on 2 cores, peak memory under 1.5 GiB. Quote the median of
the passes, measured on a quiet machine (the estimate is not the measure). No database is used.
"""

import argparse
import cProfile
import io
import os
import pstats
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
from pacte.rights.fastread import ChunkContext  # noqa: E402
from pacte.rights.households import ReadReport, raw_chunks, read_households  # noqa: E402

TARGET_SECONDS_PER_MILLION = 60
TARGET_PEAK_BYTES = 1.5 * 1024**3
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


def seconds_text(seconds: float, decimals: int = 1) -> str:
    """« 12,3 s »."""
    return with_unit(seconds, "s", decimals)


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
    wanted = engine.wanted_variables(month)
    declared, plain = [], []
    with path.open(encoding="utf-8") as lines:
        households = read_households(lines, today=date.today(), month=month)
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


def profile_chunk(path: Path, month: str, chunk_size: int) -> float:
    """Times and profiles the second chunk of the file in this process (the first one warms the engine up).
    Returns the processor seconds the first chunk of a process costs more than the next ones (OpenFisca loads
    its parameters and formulas lazily)."""
    report = ReadReport()
    with path.open(encoding="utf-8") as lines:
        chunks = raw_chunks(lines, size=chunk_size, report=report)
        first, second = next(chunks), next(chunks, None)
    chunk = second or first
    context = ChunkContext(
        header=report.header,
        names=tuple(report.names),
        delimiter=report.delimiter,
        today=date.today(),
        month=month,
    )
    start = time.process_time()
    detect.process_chunk(first.text, first.first_line, context)
    cold = time.process_time() - start
    start = time.process_time()
    detect.process_chunk(first.text, first.first_line, context)
    warm = time.process_time() - start
    print(
        f"Premier lot d'un processus : {seconds_text(cold, 2)}, le même lot ensuite : {seconds_text(warm, 2)} "
        "(OpenFisca charge ses paramètres et formules au premier calcul)"
    )
    timings = detect.Timings()
    profiler = cProfile.Profile()
    start = time.process_time()
    profiler.enable()
    detect.process_chunk(chunk.text, chunk.first_line, context, timings)
    profiler.disable()
    seconds = time.process_time() - start
    print(
        f"Un lot de {plural(chunk.households, 'foyer')} dans ce processus (sous cProfile, temps processeur) : {seconds_text(seconds, 2)}"
    )
    print(f"  lecture des valeurs : {seconds_text(timings.parse, 3)}")
    for step, value in timings.steps.items():
        print(f"  moteur, {step} : {seconds_text(value, 3)}")
    print(f"  écriture des lignes et synthèse : {seconds_text(timings.write, 3)}")
    buffer = io.StringIO()
    pstats.Stats(profiler, stream=buffer).sort_stats("tottime").print_stats(15)
    print("  Les 15 fonctions les plus coûteuses (temps propre) :")
    for line in buffer.getvalue().splitlines():
        if line.strip() and not line.startswith(("   Ordered", "   List")):
            print(f"    {line.strip()}")
    return max(cold - warm, 0.0)


def batch(path: Path, month: str, workers: int, chunk_size: int, directory: Path, dask: bool):
    cluster = client = None
    if dask:
        import dask as dask_library
        from distributed import Client, LocalCluster

        # Dask's nannies start workers with MALLOC_TRIM_THRESHOLD_=65536: glibc then gives memory back to the
        # system after each large free, and OpenFisca's many large arrays cost about twice the processor time
        # (2.0 s against 0.98 s for a warm chunk of 15,000). The engine's memory is bounded by the chunk size.
        with dask_library.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}):
            cluster = LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
            )
        client = Client(cluster)
    sampler = MemorySampler()
    sampler.start()
    start = time.perf_counter()
    try:
        with (
            path.open(encoding="utf-8") as lines,
            (directory / "resultats.csv").open("w", encoding="utf-8") as output,
            (directory / "rejets.csv").open("w", encoding="utf-8") as rejects,
        ):
            report = detect.detect(
                lines,
                month=month,
                output=output,
                rejects=rejects,
                workers=workers,
                chunk_size=chunk_size,
                dask_scheduler=client,
            )
        seconds = time.perf_counter() - start
    finally:
        if client is not None:
            client.close()
            cluster.close()
    return seconds, sampler.stop(), report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--foyers", type=int, default=1_000_000, metavar="N", help="foyers fictifs du fichier (1 000 000)"
    )
    parser.add_argument(
        "--processus", "--workers", dest="workers", type=int, default=2, metavar="N", help="processus (2)"
    )
    parser.add_argument(
        "--passes", "--rounds", dest="rounds", type=int, default=3, metavar="N", help="passes du lot (3)"
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
    parser.add_argument(
        "--dask", action="store_true", help="calcule sur une grappe Dask locale (LocalCluster)"
    )
    arguments = parser.parse_args()

    where = "une grappe Dask locale de" if arguments.dask else ""
    print(
        f"Machine : {os.cpu_count()} cœurs ; OpenFisca-France, {where} {plural(arguments.workers, 'processus')} de "
        "calcul".replace("  ", " ")
    )
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

        durations, peaks, processor = [], [], []
        for round_number in range(1, arguments.rounds + 1):
            seconds, peak, report = batch(
                path, arguments.month, arguments.workers, arguments.chunk_size, directory, arguments.dask
            )
            durations.append(seconds)
            peaks.append(peak)
            timings = report.timings
            # The main process runs on the same cores: its processor time counts too.
            processor.append(
                timings.parse + timings.compute + timings.write + report.read_seconds + report.write_seconds
            )
            print(
                f"Lot, passe {round_number} : {plural(report.households, 'foyer')} en {seconds_text(seconds)} "
                f"({with_unit(report.households / seconds, 'foyers/s', 0)}), pic mémoire "
                f"{with_unit(peak / 1024**3, 'Gio', 2)}, "
                f"{plural(report.result_rows, 'ligne de résultat', 'lignes de résultat')}, "
                f"{plural(report.rejected, 'rejet')}"
            )
            print(
                f"  processus principal (temps processeur) : découpage du fichier {seconds_text(report.read_seconds)}, écriture "
                f"{seconds_text(report.write_seconds)} ; processus de calcul (temps processeur cumulé) : lecture des valeurs "
                f"{seconds_text(timings.parse)}, moteur {seconds_text(timings.compute)}, lignes et synthèse "
                f"{seconds_text(timings.write)}"
            )
            steps = " ; ".join(f"{step} {seconds_text(value)}" for step, value in timings.steps.items())
            print(f"  moteur, par étape (temps processeur cumulé) : {steps}")
        start = time.perf_counter()
        engine.warm_up()
        loading = time.perf_counter() - start
        print(f"Chargement d'OpenFisca-France et de l'extension Pacte : {seconds_text(loading)}")
        first_chunk = profile_chunk(path, arguments.month, arguments.chunk_size)
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

        seconds = statistics.median(durations)
        rate = arguments.foyers / seconds
        per_million = seconds * 1_000_000 / arguments.foyers
        peak = max(peaks)
        print()
        print(
            f"Médiane de {plural(len(durations), 'passe')} : {with_unit(rate, 'foyers/s', 0)} ; "
            f"{with_unit(per_million, 's', 0)} pour un million de foyers"
        )
        # Processor time grows little when other programs share the machine (elapsed time does): what all the
        # processes need for a million households, shared between the cores, plus the workers' start (loading
        # OpenFisca and the dearer first chunk, paid once per process whatever the file's size).
        start_up = loading + first_chunk
        warm_cpu = max(statistics.median(processor) - arguments.workers * first_chunk, 0.0)
        per_process = warm_cpu * 1_000_000 / arguments.foyers / arguments.workers
        print(
            f"Temps processeur de tous les processus (médiane, hors premier lot) : "
            f"{with_unit(per_process, 's', 0)} par cœur pour un million de foyers ; avec le démarrage "
            f"({seconds_text(start_up)}), environ {with_unit(per_process + start_up, 's', 0)} sur une machine sans "
            "autre charge (estimation : la cible se mesure)"
        )
        print(f"Rapport au calcul un par un (situation du moteur) : × {number(rate * one, 0)}")
        print(f"Rapport au simulateur web sans passé déclaré : × {number(rate * one_plain, 0)}")
        print(
            f"Cible : un million en moins de {with_unit(TARGET_SECONDS_PER_MILLION, 's')} → "
            f"{'atteinte' if per_million < TARGET_SECONDS_PER_MILLION else 'NON atteinte'} ; "
            f"pic mémoire {with_unit(peak / 1024**3, 'Gio', 2)} < 1,5 Gio → "
            f"{'atteinte' if peak < TARGET_PEAK_BYTES else 'NON atteinte'}"
        )


if __name__ == "__main__":
    main()
