"""Data and builders of the access-to-rights tests: batch jobs (with their private files) and aggregates, the
example household file and `submit`, a job queued as the upload page queues it."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from pacte.screening import files, jobs
from pacte.screening.enums import AggregateLevel, JobStatus
from pacte.screening.models import ScreeningAggregate, ScreeningJob
from tests.rights.factories import EXAMPLE
from tests.territories.factories import DepartementFactory

__all__ = ["EXAMPLE", "REJECTS", "RESULTS", "ScreeningAggregateFactory", "ScreeningJobFactory", "submit"]

# What the engine writes (pacte.rights.detect): semicolons, decimal commas, oui/non.
RESULTS = (
    "foyer_id;prestation;periode;montant;percue;non_recours;confiance\n"
    "F001;rsa;2026-05;635,71;non;oui;a_verifier\n"
)
REJECTS = (
    "ligne;foyer_id;motif\n"
    '4;F009;"colonne « role » : « parent » inconnu ; valeurs possibles : demandeur, conjoint, enfant."\n'
)


class ScreeningJobFactory(factory.django.DjangoModelFactory):
    """A queued job; traits `done` (with its results and rejects files, unless `write_files=False`),
    `running`, `failed`, `expired` (done, past its retention)."""

    class Meta:
        model = ScreeningJob
        skip_postgeneration_save = True

    uploader = None
    territory = factory.SubFactory(DepartementFactory)
    month = "2026-05"
    file_name = "menages.csv"
    file_size = 1000

    class Params:
        running = factory.Trait(status=JobStatus.RUNNING, started_at=factory.LazyFunction(timezone.now))
        done = factory.Trait(
            status=JobStatus.DONE,
            started_at=factory.LazyFunction(timezone.now),
            finished_at=factory.LazyFunction(timezone.now),
            results_expire_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=30)),
            total_rows=9,
            rows=9,
            households=5,
            rejected=1,
            result_rows=1,
        )
        failed = factory.Trait(
            status=JobStatus.FAILED,
            finished_at=factory.LazyFunction(timezone.now),
            error="En-tête : colonne obligatoire absente : role.",
        )
        expired = factory.Trait(
            done=True, results_expire_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
        )

    @factory.post_generation
    def write_files(job, create, extracted, **kwargs):
        if job.status != JobStatus.DONE or extracted is False:  # write_files=False: a done job without files
            return
        job.results_name = files.new_name(files.RESULTS, job.pk, "resultats")
        files.path_of(job.results_name).write_text(RESULTS, encoding="utf-8")
        job.rejects_name = files.new_name(files.RESULTS, job.pk, "rejets")
        files.path_of(job.rejects_name).write_text(REJECTS, encoding="utf-8")
        job.save(update_fields=["results_name", "rejects_name"])


class ScreeningAggregateFactory(factory.django.DjangoModelFactory):
    """The all-benefits line of a commune; pass `benefit="rsa"` for one benefit. The probable count follows the
    potential one unless given; the counts of households adding to each amount are left unknown (None) unless
    given, as on the lines of older jobs (the secrecy then takes a lower bound); trait `older` (a job before the
    household file v2)."""

    class Meta:
        model = ScreeningAggregate

    job = factory.SubFactory(ScreeningJobFactory, done=True)
    level = AggregateLevel.COMMUNE
    territory = None
    code = factory.LazyAttribute(lambda o: o.territory.code if o.territory else "44109")
    benefit = ""
    households = 10
    non_take_up_households = 4
    non_take_up_amount = Decimal(0)
    probable_households = factory.SelfAttribute("non_take_up_households")
    probable_amount = factory.SelfAttribute("non_take_up_amount")
    opened_amount = factory.SelfAttribute("probable_amount")
    non_take_up_yearly_amount = Decimal(0)
    probable_yearly_amount = Decimal(0)

    class Params:
        older = factory.Trait(
            probable_households=None,
            probable_amount=None,
            opened_amount=None,
            non_take_up_yearly_amount=None,
            probable_yearly_amount=None,
        )


def submit(user, territory, content: bytes | None = None, month: str = "2026-05") -> ScreeningJob:
    """A job queued through `jobs.submit` for an upload of `content` (by default the example file)."""
    content = EXAMPLE.read_bytes() if content is None else content
    return jobs.submit(
        user=user, territory=territory, month=month, upload=SimpleUploadedFile("menages.csv", content)
    )
