"""Batch detection of potential non-take-up (non-recours): reads a household file (format v2) as a stream,
computes the catalogue's benefits by chunks of households (in this process, in worker processes or on a Dask
cluster), and writes one row per household and benefit due or declared received, the rejected rows, and a
summary per commune and per département.

Memory stays bounded whatever the file size: only a few chunks are in flight at once. The people's data never
go to a log. No OpenFisca import here at module level: the engine is loaded in the processes that compute.
"""

import csv
import ctypes
import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from multiprocessing import get_context
from pathlib import Path
from typing import TextIO

import numpy as np

from pacte.rights.catalogue import BENEFITS, CATALOGUE, CORE_CODES, Confidence, Period
from pacte.rights.confidence import REASONS
from pacte.rights.fastread import ChunkContext, parse_chunk
from pacte.rights.households import RawChunk, ReadReport, RejectedLine, raw_chunks

CODES = tuple(benefit.code for benefit in CATALOGUE)
LIKELY, TO_CHECK = Confidence.LIKELY.value, Confidence.TO_CHECK.value
# In the summary's amounts: monthly benefits in the monthly columns, yearly ones in the yearly columns, each at
# its own period (a pass colo of 300 € a year is 300 € a year, not 25 € a month); the CSS participation is what
# the household pays, not an amount it would receive: counted in households only.
MONTHLY = np.array([benefit.period == Period.MONTH and benefit.code != "css" for benefit in CATALOGUE])
YEARLY = np.array([benefit.period == Period.YEAR for benefit in CATALOGUE])
CORE = np.array([benefit.code in CORE_CODES for benefit in CATALOGUE])
# Columns of the results: those of format v1, then the new ones.
OUTPUT_HEADER = (
    "foyer_id",
    "prestation",
    "periode",
    "montant",
    "percue",
    "non_recours",
    "confiance",
    "montant_si_droits_ouverts",
    "motif",
)
REJECTS_HEADER = ("ligne", "foyer_id", "motif")
SUMMARY_HEADER = (
    "niveau",
    "code",
    "prestation",
    "foyers_examines",
    "foyers_non_recours",
    "montant_mensuel_non_recours",
    "foyers_non_recours_probable",
    "montant_mensuel_probable",
    "montant_mensuel_si_droits_ouverts",
    "montant_annuel_non_recours",
    "montant_annuel_probable",
)
DEFAULT_CHUNK_SIZE = 15000
COMMUNES_FILE = Path(__file__).resolve().parent.parent / "territories" / "data" / "cog2026" / "communes.csv"
UNKNOWN_COMMUNE = "inconnue"  # summary code of the households whose file gives no commune


def csv_writer(file: TextIO):
    """The platform's CSV dialect for people: semicolon, decimal comma (see `_amount`)."""
    return csv.writer(file, delimiter=";", lineterminator="\n")


def _amount(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def _yes_no(value: bool) -> str:
    return "oui" if value else "non"


def load_communes() -> set[str]:
    """The valid INSEE commune codes of the committed Code officiel géographique."""
    with COMMUNES_FILE.open(encoding="utf-8", newline="") as file:
        return {row["code"] for row in csv.DictReader(file)}


def count_rows(path: str | Path) -> int:
    """Data rows of a file (lines after the header), for a progress bar's total."""
    count = 0
    last = b"\n"
    with open(path, "rb") as file:
        while block := file.read(1 << 20):
            count += block.count(b"\n")
            last = block[-1:]
    if last != b"\n":
        count += 1
    return max(count - 1, 0)


def benefit_period(code: str, month: str) -> str:
    """The `periode` of a result: the year for yearly benefits, the month otherwise."""
    return month[:4] if BENEFITS[code].period == Period.YEAR else month


def departement_of(depcom: str) -> str:
    if not depcom:
        return UNKNOWN_COMMUNE
    return depcom[:3] if depcom.startswith("97") else depcom[:2]


# --- Summary -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryRow:
    """One line of the summary. On a territory's line (`benefit` empty), `non_take_up_households` counts the
    households with a potential non-take-up of any benefit, `probable_households` those with a probable
    non-take-up of a core benefit (the NRPE's count, pacte.rights.results), and the amounts add up the
    benefits."""

    level: str  # "commune" or "departement"
    code: str
    households: int
    benefit: str  # "" for the territory's line
    non_take_up_households: int
    # Monthly euros of the monthly benefits, each computed as if the others stay unclaimed (CSS aside).
    non_take_up_amount: Decimal
    probable_households: int = 0
    probable_amount: Decimal = Decimal(0)  # monthly euros of the probable non-take-up, same computation
    opened_amount: Decimal = Decimal(0)  # monthly euros once every probable non-take-up is claimed (additive)
    non_take_up_yearly_amount: Decimal = Decimal(0)  # yearly euros, yearly benefits
    probable_yearly_amount: Decimal = Decimal(0)
    # The households that add to each amount (for statistical secrecy): with a potential (or probable)
    # non-take-up of a monthly benefit (CSS aside), of a yearly one.
    monthly_households: int = 0
    probable_monthly_households: int = 0
    yearly_households: int = 0
    probable_yearly_households: int = 0


# The per-benefit figures of a territory: counts of households, then sums of euros (SummaryRow's order).
_COUNTS = ("non_take_up", "probable")
_SUMS = ("amount", "probable_amount", "opened_amount", "yearly_amount", "probable_yearly_amount")


@dataclass
class ChunkSummary:
    """A chunk's figures per commune, as arrays (cheap to send from a computing process): `codes` (communes),
    `households` (communes × 7: households, with any non-take-up, counted in the NRPE, then those adding to the
    monthly, probable monthly, yearly and probable yearly amounts), `counts` (communes ×
    _COUNTS × CODES) and `sums` (communes × _SUMS × CODES)."""

    codes: np.ndarray
    households: np.ndarray
    counts: np.ndarray
    sums: np.ndarray


def summarize(
    depcom: np.ndarray,
    non_take_up: np.ndarray,
    amounts: np.ndarray,
    likely: np.ndarray | None = None,
    opened: np.ndarray | None = None,
) -> ChunkSummary:
    """A chunk's figures: per household (rows) and benefit (CODES), the potential non-take-up, the amounts, the
    probable confidence (default: none) and the amounts once the probable rights are open (default: same)."""
    likely = np.zeros_like(non_take_up) if likely is None else likely
    opened = amounts if opened is None else opened
    probable = non_take_up & likely
    codes, inverse = np.unique(depcom, return_inverse=True)
    order = np.argsort(inverse, kind="stable")
    starts = np.searchsorted(inverse[order], np.arange(len(codes)))

    def per_commune(values: np.ndarray) -> np.ndarray:
        return np.add.reduceat(values[order], starts, axis=0)

    households = per_commune(
        np.stack(
            [
                np.ones(len(depcom), dtype=bool),
                non_take_up.any(axis=1),
                (probable & CORE).any(axis=1),
                (non_take_up & MONTHLY).any(axis=1),
                (probable & MONTHLY).any(axis=1),
                (non_take_up & YEARLY).any(axis=1),
                (probable & YEARLY).any(axis=1),
            ],
            axis=1,
        ).astype(np.int64)
    )
    counts = per_commune(np.stack([non_take_up, probable], axis=1).astype(np.int64))
    values = [
        np.where(non_take_up & MONTHLY, amounts, 0.0),
        np.where(probable & MONTHLY, amounts, 0.0),
        np.where(probable & MONTHLY, opened, 0.0),
        np.where(non_take_up & YEARLY, amounts, 0.0),
        np.where(probable & YEARLY, amounts, 0.0),
    ]
    sums = per_commune(np.stack(values, axis=1))
    return ChunkSummary(codes, households, counts, sums)


@dataclass
class _Counts:
    households: np.ndarray = field(default_factory=lambda: np.zeros(7, dtype=np.int64))
    counts: np.ndarray = field(default_factory=lambda: np.zeros((len(_COUNTS), len(CODES)), dtype=np.int64))
    sums: np.ndarray = field(default_factory=lambda: np.zeros((len(_SUMS), len(CODES))))

    def add(self, households: np.ndarray, counts: np.ndarray, sums: np.ndarray) -> None:
        self.households += households
        self.counts += counts
        self.sums += sums


def _money(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


class Summary:
    """Households screened and potential non-take-up per commune and per département."""

    def __init__(self) -> None:
        self.communes: dict[str, _Counts] = {}

    def add_chunk(self, chunk: ChunkSummary) -> None:
        for index, code in enumerate(chunk.codes.tolist()):
            counts = self.communes.setdefault(code or UNKNOWN_COMMUNE, _Counts())
            counts.add(chunk.households[index], chunk.counts[index], chunk.sums[index])

    def add(self, depcom: np.ndarray, non_take_up: np.ndarray, amounts: np.ndarray, likely=None, opened=None):
        self.add_chunk(summarize(depcom, non_take_up, amounts, likely, opened))

    def merge(self, other: "Summary") -> None:
        for code, theirs in other.communes.items():
            self.communes.setdefault(code, _Counts()).add(theirs.households, theirs.counts, theirs.sums)

    def departements(self) -> dict[str, _Counts]:
        out: dict[str, _Counts] = {}
        for code, counts in self.communes.items():
            key = UNKNOWN_COMMUNE if code == UNKNOWN_COMMUNE else departement_of(code)
            out.setdefault(key, _Counts()).add(counts.households, counts.counts, counts.sums)
        return out

    def rows(self) -> Iterator[SummaryRow]:
        for level, territories in (("commune", self.communes), ("departement", self.departements())):
            for code in sorted(territories):
                counts = territories[code]
                households, any_non_take_up, nrpe, *contributors = (int(value) for value in counts.households)
                totals = counts.sums.sum(axis=1)
                yield SummaryRow(
                    level,
                    code,
                    households,
                    "",
                    any_non_take_up,
                    _money(totals[0]),
                    nrpe,
                    *(_money(value) for value in totals[1:]),
                    *contributors,
                )
                for column, benefit in enumerate(CODES):
                    flagged, probable = (int(value) for value in counts.counts[:, column])
                    monthly, yearly = bool(MONTHLY[column]), bool(YEARLY[column])
                    yield SummaryRow(
                        level,
                        code,
                        households,
                        benefit,
                        flagged,
                        _money(counts.sums[0, column]),
                        probable,
                        *(_money(value) for value in counts.sums[1:, column]),
                        flagged * monthly,
                        probable * monthly,
                        flagged * yearly,
                        probable * yearly,
                    )


def write_summary(summary: Summary, file: TextIO) -> None:
    writer = csv_writer(file)
    writer.writerow(SUMMARY_HEADER)
    for row in summary.rows():
        writer.writerow(
            (
                row.level,
                row.code,
                row.benefit,
                row.households,
                row.non_take_up_households,
                _amount(float(row.non_take_up_amount)),
                row.probable_households,
                _amount(float(row.probable_amount)),
                _amount(float(row.opened_amount)),
                _amount(float(row.non_take_up_yearly_amount)),
                _amount(float(row.probable_yearly_amount)),
            )
        )


# --- Computing chunks ----------------------------------------------------------------------------------


@dataclass
class ChunkOutput:
    """What a computing process sends back for a chunk: the result rows as CSV text, their count, the
    households computed and those with a potential non-take-up, the rejects, the summary."""

    results: str
    result_rows: int
    households: int
    non_take_up_households: int
    rejects: list[RejectedLine]
    summary: ChunkSummary | None


@dataclass
class Timings:
    """Processor seconds (of the thread that computes) a computing process spent on its chunks: parsing, computing, formatting the output
    (processor time rather than elapsed time, which other programs running on the machine would inflate)."""

    parse: float = 0.0
    compute: float = 0.0
    write: float = 0.0
    steps: dict[str, float] = field(default_factory=dict)  # the engine's steps (engine.compute_chunk)

    def add(self, other: "Timings") -> None:
        self.parse += other.parse
        self.compute += other.compute
        self.write += other.write
        for name, seconds in other.steps.items():
            self.steps[name] = self.steps.get(name, 0.0) + seconds


_CONTEXT: ChunkContext | None = None  # set once in each worker process (_init_worker)


# glibc's malloc parameters (mallopt): with MALLOC_TRIM_THRESHOLD_ in the environment, as Dask's nannies set it
# (65536), glibc stops raising its mmap threshold, and every large numpy array of OpenFisca is mapped and unmapped
# again: a chunk costs twice the processor time. These are the values glibc's own adjustment reaches.
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
MMAP_THRESHOLD = 32 * 1024 * 1024


def _tune_malloc() -> None:
    if "MALLOC_TRIM_THRESHOLD_" not in os.environ:
        return
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc: nothing to tune
        return
    libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)
    libc.mallopt(M_TRIM_THRESHOLD, 2 * MMAP_THRESHOLD)


def _init_worker(context: ChunkContext | None = None) -> None:
    global _CONTEXT
    from pacte.rights import engine

    _tune_malloc()
    engine.warm_up()
    if context is not None:
        _CONTEXT = context


def _csv_field(text: str) -> str:
    """A field as the platform's CSV writer (csv_writer) writes it: quoted when it holds the delimiter, a quote
    or a line break."""
    if any(character in text for character in ';"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


assert all(_csv_field(reason) == reason for reason in REASONS), "reasons are written without quotes"


def _amounts_text(values: np.ndarray) -> list[str]:
    """Euros with a decimal comma, as `_amount` writes them (the values are already rounded to the cent)."""
    cents = np.rint(np.asarray(values, dtype=np.float64) * 100).astype(np.int64)
    units = (np.abs(cents) // 100).astype(str)
    decimals = np.strings.zfill((np.abs(cents) % 100).astype(str), 2)
    sign = np.where(cents < 0, "-", "")
    return np.strings.add(np.strings.add(np.strings.add(sign, units), ","), decimals).tolist()


def results_text(inputs, result) -> tuple[str, int]:
    """The result rows of a computed chunk (format of OUTPUT_HEADER, without it) and their count: one row per
    household and benefit due or declared received. Built column by column: a chunk has tens of thousands."""
    rows, columns = np.nonzero(result.eligible | result.received)
    if not len(rows):
        return "", 0
    ids = np.array([_csv_field(value) for value in inputs.household_ids], dtype=object)[rows]
    periods = np.array([benefit_period(code, inputs.month) for code in CODES], dtype=object)[columns]
    received = result.received[rows, columns]
    non_take_up = result.eligible[rows, columns] & ~received
    lines = zip(
        ids.tolist(),
        np.array(CODES, dtype=object)[columns].tolist(),
        periods.tolist(),
        _amounts_text(result.amounts[rows, columns]),
        np.where(received, "oui", "non").tolist(),
        np.where(non_take_up, "oui", "non").tolist(),
        np.where(result.likely[rows, columns], LIKELY, TO_CHECK).tolist(),
        _amounts_text(result.opened[rows, columns]),
        np.array(REASONS, dtype=object)[result.reasons[rows, columns]].tolist(),
        strict=True,
    )
    return "\n".join(map(";".join, lines)) + "\n", len(rows)


def process_chunk(
    text: str, first_line: int, context: ChunkContext | None = None, timings: Timings | None = None
) -> ChunkOutput:
    """Parses, computes and formats one chunk (pacte.rights.households.RawChunk): what a computing process runs.
    `context`: the file's (default: the one this worker process was given)."""
    from pacte.rights import engine

    context = context or _CONTEXT
    timings = timings if timings is not None else Timings()
    started = time.thread_time()
    inputs, rejects = parse_chunk(text, first_line, context)
    parsed = time.thread_time()
    timings.parse += parsed - started
    if inputs is None:
        return ChunkOutput("", 0, 0, 0, rejects, None)
    result = engine.compute_chunk(inputs, timings.steps)
    computed = time.thread_time()
    timings.compute += computed - parsed
    results, count = results_text(inputs, result)
    non_take_up = result.eligible & ~result.received
    summary = summarize(inputs.depcom, non_take_up, result.amounts, result.likely, result.opened)
    timings.write += time.thread_time() - computed
    return ChunkOutput(results, count, inputs.size, int(non_take_up.any(axis=1).sum()), rejects, summary)


def _process_timed(text: str, first_line: int, context: ChunkContext | None = None):
    timings = Timings()
    output = process_chunk(text, first_line, context, timings)
    return output, timings


class _InProcess:
    def __init__(self, context: ChunkContext) -> None:
        self.context = context

    def submit(self, chunk: RawChunk):
        return _process_timed(chunk.text, chunk.first_line, self.context)

    @staticmethod
    def result(handle):
        return handle

    def close(self) -> None:
        pass


class _Processes:
    """Worker processes (spawned: they share nothing with a web or database process), each loading the engine
    and the file's context once."""

    def __init__(self, workers: int, context: ChunkContext) -> None:
        self.pool = ProcessPoolExecutor(
            workers, mp_context=get_context("spawn"), initializer=_init_worker, initargs=(context,)
        )

    def submit(self, chunk: RawChunk) -> Future:
        return self.pool.submit(_process_timed, chunk.text, chunk.first_line)

    @staticmethod
    def result(handle: Future):
        return handle.result()

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)


class _Dask:
    """The same chunks on a Dask distributed cluster (`--dask tcp://scheduler:8786`, or a Client)."""

    def __init__(self, scheduler, context: ChunkContext) -> None:
        from distributed import Client

        self.own_client = not isinstance(scheduler, Client)
        self.client = Client(scheduler) if self.own_client else scheduler
        self.client.run(_init_worker)
        [self.context] = self.client.scatter([context], broadcast=True)

    def submit(self, chunk: RawChunk):
        return self.client.submit(_process_timed, chunk.text, chunk.first_line, self.context, pure=False)

    @staticmethod
    def result(handle):
        return handle.result()

    def close(self) -> None:
        if self.own_client:
            self.client.close()


# --- The pipeline --------------------------------------------------------------------------------------


@dataclass
class Progress:
    rows: int
    households: int
    rejected: int


@dataclass
class DetectReport:
    rows: int = 0
    households: int = 0
    rejected: int = 0
    result_rows: int = 0
    non_take_up_households: int = 0
    summary: Summary = field(default_factory=Summary)
    read_report: ReadReport = field(default_factory=ReadReport)
    timings: Timings = field(default_factory=Timings)  # summed over the computing processes
    read_seconds: float = 0.0  # processor time splitting the file into chunks, in this process
    write_seconds: float = 0.0  # processor time writing the results and rejects, in this process


@dataclass
class _Pending:
    handle: object
    rows: int  # rows read when the chunk was complete (for the progress)
    rejects: list[RejectedLine]  # the splitter's


def detect(
    lines: Iterable[str],
    *,
    month: str,
    output: TextIO,
    rejects: TextIO | None = None,
    communes: set[str] | None = None,
    commune_reason: str | None = None,
    today: date | None = None,
    workers: int = 1,
    dask_scheduler=None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: Callable[[Progress], None] | None = None,
) -> DetectReport:
    """Screens every household of `lines` (the text lines of a format v2 file) for `month` ("YYYY-MM").

    Writes to `output` one row per household and benefit due or declared received, to `rejects` the rejected
    rows with their line and reason (households that cannot be computed for `month` included); returns the
    counts and the summary. This process only splits the file into chunks of whole households; the computing
    processes parse, check and compute them. Raises households.FileFormatError when the file cannot be read at
    all (nothing is then written but headers). `communes`: valid commune codes (default: none checked);
    `commune_reason`: the reject message of a commune outside them, with `{depcom}` (default: unknown to the
    COG)."""
    report = DetectReport()
    writer = csv_writer(output)
    writer.writerow(OUTPUT_HEADER)
    reject_writer = csv_writer(rejects) if rejects is not None else None
    if reject_writer is not None:
        reject_writer.writerow(REJECTS_HEADER)
    read_report = report.read_report
    chunks = raw_chunks(lines, size=chunk_size, report=read_report)
    started = time.thread_time()
    first = next(chunks, None)  # reads the header: a FileFormatError stops here
    report.read_seconds += time.thread_time() - started
    context = ChunkContext(
        header=read_report.header if read_report.header.endswith("\n") else read_report.header + "\n",
        names=tuple(read_report.names),
        delimiter=read_report.delimiter,
        today=today or date.today(),
        month=month,
        communes=frozenset(communes) if communes is not None else None,
        commune_reason=commune_reason,
    )
    if first is None:
        return report
    if dask_scheduler is not None:
        executor = _Dask(dask_scheduler, context)
    elif workers > 1:
        executor = _Processes(workers, context)
    else:
        executor = _InProcess(context)
    in_flight = max(2 * workers, 2) if dask_scheduler is None else 4
    pending: list[_Pending] = []

    def finish(item: _Pending) -> None:
        chunk, timings = executor.result(item.handle)
        started = time.thread_time()
        report.timings.add(timings)
        output.write(chunk.results)
        report.result_rows += chunk.result_rows
        report.households += chunk.households
        report.non_take_up_households += chunk.non_take_up_households
        if chunk.summary is not None:
            report.summary.add_chunk(chunk.summary)
        refused = sorted(item.rejects + chunk.rejects, key=lambda reject: reject.line)
        read_report.rejects.extend(refused)
        if reject_writer is not None:
            reject_writer.writerows((reject.line, reject.household_id, reject.reason) for reject in refused)
        report.rejected += len(refused)
        report.write_seconds += time.thread_time() - started
        if progress is not None:
            progress(Progress(rows=item.rows, households=report.households, rejected=report.rejected))

    try:
        chunk = first
        while chunk is not None:
            pending.append(_Pending(executor.submit(chunk), read_report.rows, chunk.rejects))
            while len(pending) >= in_flight:
                finish(pending.pop(0))
            started = time.thread_time()
            chunk = next(chunks, None)
            report.read_seconds += time.thread_time() - started
        while pending:
            finish(pending.pop(0))
    finally:
        executor.close()
    report.rows = read_report.rows
    read_report.households = report.households
    if progress is not None:
        progress(Progress(rows=report.rows, households=report.households, rejected=report.rejected))
    return report


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))
