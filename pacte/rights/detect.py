"""Batch detection of potential non-take-up (non-recours): reads a household file (format v1) as a stream,
computes the catalogue's benefits by chunks of households (in this process, in worker processes or on a Dask
cluster), and writes one row per household and benefit with a non-zero amount, the rejected rows, and a
summary per commune and per département.

Memory stays bounded whatever the file size: only a few chunks are in flight at once. The people's data never
go to a log. No OpenFisca import here at module level: the engine is loaded in the processes that compute.
"""

import csv
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import islice
from multiprocessing import get_context
from pathlib import Path
from typing import TextIO

import numpy as np

from pacte.rights.catalogue import CATALOGUE, Period
from pacte.rights.households import Household, ReadReport, read_households

CODES = tuple(benefit.code for benefit in CATALOGUE)
CONFIDENCES = tuple(benefit.confidence.value for benefit in CATALOGUE)
# In the summary's monthly amounts: yearly benefits count for a twelfth; the CSS participation is what the
# household pays, not an amount it would receive.
MONTHLY_FACTORS = np.array(
    [
        0.0 if benefit.code == "css" else (1 / 12 if benefit.period == Period.YEAR else 1.0)
        for benefit in CATALOGUE
    ]
)
OUTPUT_HEADER = ("foyer_id", "prestation", "periode", "montant", "percue", "non_recours", "confiance")
REJECTS_HEADER = ("ligne", "foyer_id", "motif")
SUMMARY_HEADER = (
    "niveau",
    "code",
    "prestation",
    "foyers_examines",
    "foyers_non_recours",
    "montant_mensuel_non_recours",
)
DEFAULT_CHUNK_SIZE = 5000
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


def departement_of(depcom: str) -> str:
    if not depcom:
        return UNKNOWN_COMMUNE
    return depcom[:3] if depcom.startswith("97") else depcom[:2]


# --- Summary -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryRow:
    level: str  # "commune" or "departement"
    code: str
    households: int
    benefit: str  # "" for the territory's row: non_take_up_households then counts households with any
    non_take_up_households: int
    non_take_up_amount: Decimal  # monthly euros


@dataclass
class _Counts:
    households: int = 0
    any_non_take_up: int = 0
    non_take_up: np.ndarray = field(default_factory=lambda: np.zeros(len(CODES), dtype=np.int64))
    amount: np.ndarray = field(default_factory=lambda: np.zeros(len(CODES)))


class Summary:
    """Households screened and potential non-take-up per commune and per département."""

    def __init__(self) -> None:
        self.communes: dict[str, _Counts] = {}

    def add(self, depcom: np.ndarray, non_take_up: np.ndarray, amounts: np.ndarray) -> None:
        codes, inverse = np.unique(depcom, return_inverse=True)
        size = len(codes)
        households = np.bincount(inverse, minlength=size)
        any_non_take_up = np.bincount(inverse, weights=non_take_up.any(axis=1), minlength=size)
        counts_by_benefit = np.zeros((size, len(CODES)), dtype=np.int64)
        np.add.at(counts_by_benefit, inverse, non_take_up.astype(np.int64))
        amount_by_benefit = np.zeros((size, len(CODES)))
        np.add.at(amount_by_benefit, inverse, np.where(non_take_up, amounts * MONTHLY_FACTORS, 0.0))
        for index, code in enumerate(codes.tolist()):
            counts = self.communes.setdefault(code or UNKNOWN_COMMUNE, _Counts())
            counts.households += int(households[index])
            counts.any_non_take_up += int(any_non_take_up[index])
            counts.non_take_up += counts_by_benefit[index]
            counts.amount += amount_by_benefit[index]

    def merge(self, other: "Summary") -> None:
        for code, theirs in other.communes.items():
            mine = self.communes.setdefault(code, _Counts())
            mine.households += theirs.households
            mine.any_non_take_up += theirs.any_non_take_up
            mine.non_take_up += theirs.non_take_up
            mine.amount += theirs.amount

    def departements(self) -> dict[str, _Counts]:
        out: dict[str, _Counts] = {}
        for code, counts in self.communes.items():
            merged = out.setdefault(
                UNKNOWN_COMMUNE if code == UNKNOWN_COMMUNE else departement_of(code), _Counts()
            )
            merged.households += counts.households
            merged.any_non_take_up += counts.any_non_take_up
            merged.non_take_up += counts.non_take_up
            merged.amount += counts.amount
        return out

    def rows(self) -> Iterator[SummaryRow]:
        for level, territories in (("commune", self.communes), ("departement", self.departements())):
            for code in sorted(territories):
                counts = territories[code]
                total = Decimal(f"{counts.amount.sum():.2f}")
                yield SummaryRow(level, code, counts.households, "", counts.any_non_take_up, total)
                for column, benefit in enumerate(CODES):
                    yield SummaryRow(
                        level,
                        code,
                        counts.households,
                        benefit,
                        int(counts.non_take_up[column]),
                        Decimal(f"{counts.amount[column]:.2f}"),
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
            )
        )


# --- Computing chunks ----------------------------------------------------------------------------------


def compute(households: list[Household], month: str) -> tuple[np.ndarray, np.ndarray]:
    """Amounts and eligibility of a chunk (households × catalogue benefits). Runs in the computing process,
    which loads the engine (and OpenFisca) once."""
    from pacte.rights import engine

    inputs = engine.chunk_inputs(households, month)
    result = engine.compute_chunk(inputs)
    return result.amounts, result.eligible


def _warm_up() -> None:
    from pacte.rights import engine

    engine.warm_up()


class _InProcess:
    def submit(self, households: list[Household], month: str):
        return compute(households, month)

    @staticmethod
    def result(handle):
        return handle

    def close(self) -> None:
        pass


class _Processes:
    """Worker processes (spawned: they share nothing with a web or database process), each loading the engine
    once."""

    def __init__(self, workers: int) -> None:
        self.pool = ProcessPoolExecutor(workers, mp_context=get_context("spawn"), initializer=_warm_up)

    def submit(self, households: list[Household], month: str) -> Future:
        return self.pool.submit(compute, households, month)

    @staticmethod
    def result(handle: Future):
        return handle.result()

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)


class _Dask:
    """The same chunks on a Dask distributed cluster (`--dask tcp://scheduler:8786`, or a Client)."""

    def __init__(self, scheduler) -> None:
        from distributed import Client

        self.own_client = not isinstance(scheduler, Client)
        self.client = Client(scheduler) if self.own_client else scheduler
        self.client.run(_warm_up)

    def submit(self, households: list[Household], month: str):
        return self.client.submit(compute, households, month, pure=False)

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


@dataclass
class _Pending:
    handle: object
    ids: list[str]
    depcom: np.ndarray
    received: np.ndarray
    rows: int  # rows read when the chunk was complete (for the progress)


def _chunks(households: Iterable[Household], size: int) -> Iterator[list[Household]]:
    iterator = iter(households)
    while chunk := list(islice(iterator, size)):
        yield chunk


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
    """Screens every household of `lines` (the text lines of a format v1 file) for `month` ("YYYY-MM").

    Writes to `output` one row per household and benefit with a non-zero amount (or CSS entitlement), to
    `rejects` the rejected rows with their line and reason; returns the counts and the summary. Raises
    households.FileFormatError when the file cannot be read at all (nothing is then written but headers).
    `communes`: valid commune codes (default: none checked); `commune_reason`: the reject message of a commune
    outside them, with `{depcom}` (default: unknown to the COG)."""
    report = DetectReport()
    writer = csv_writer(output)
    writer.writerow(OUTPUT_HEADER)
    reject_writer = csv_writer(rejects) if rejects is not None else None
    if reject_writer is not None:
        reject_writer.writerow(REJECTS_HEADER)
    households = read_households(
        lines,
        today=today or date.today(),
        communes=communes,
        commune_reason=commune_reason,
        report=report.read_report,
    )
    if dask_scheduler is not None:
        executor = _Dask(dask_scheduler)
    elif workers > 1:
        executor = _Processes(workers)
    else:
        executor = _InProcess()
    in_flight = max(2 * workers, 2) if dask_scheduler is None else 4
    pending: list[_Pending] = []
    written_rejects = 0
    periods = [month[:4] if benefit.period == Period.YEAR else month for benefit in CATALOGUE]

    def flush_rejects() -> None:
        nonlocal written_rejects
        new = report.read_report.rejects[written_rejects:]
        if reject_writer is not None:
            reject_writer.writerows((reject.line, reject.household_id, reject.reason) for reject in new)
        written_rejects += len(new)
        report.rejected = written_rejects

    def finish(item: _Pending) -> None:
        amounts, eligible = executor.result(item.handle)
        non_take_up = eligible & ~item.received
        rows, columns = np.nonzero(eligible)
        writer.writerows(
            (
                item.ids[row],
                CODES[column],
                periods[column],
                _amount(amounts[row, column]),
                _yes_no(item.received[row, column]),
                _yes_no(non_take_up[row, column]),
                CONFIDENCES[column],
            )
            for row, column in zip(rows.tolist(), columns.tolist(), strict=True)
        )
        report.result_rows += len(rows)
        report.households += len(item.ids)
        report.non_take_up_households += int(non_take_up.any(axis=1).sum())
        report.summary.add(item.depcom, non_take_up, amounts)
        flush_rejects()
        if progress is not None:
            progress(Progress(rows=item.rows, households=report.households, rejected=report.rejected))

    try:
        for chunk in _chunks(households, chunk_size):
            handle = executor.submit(chunk, month)
            pending.append(
                _Pending(
                    handle=handle,
                    ids=[household.id for household in chunk],
                    depcom=np.array([household.depcom for household in chunk], dtype="U5"),
                    received=np.array(
                        [[code in household.received for code in CODES] for household in chunk], dtype=bool
                    ),
                    rows=report.read_report.rows,
                )
            )
            del chunk
            while len(pending) >= in_flight:
                finish(pending.pop(0))
        while pending:
            finish(pending.pop(0))
    finally:
        executor.close()
    flush_rejects()
    report.rows = report.read_report.rows
    if progress is not None:
        progress(Progress(rows=report.rows, households=report.households, rejected=report.rejected))
    return report


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))
