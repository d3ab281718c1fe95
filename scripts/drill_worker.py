"""Fault drill of the rights worker (issue 15; docs/deploiement.md, « Pannes »): a real `pacte rights traiter`
process on a file of fictitious households (`pacte rights generer`), with the production settings on a
throw-away SQLite database (the claiming differs on PostgreSQL, not what a fault does to a job):

  A. the worker killed outright (SIGKILL) in the middle of a job: the job stays « en cours » with its upload;
     once its heartbeat is older than STALE_AFTER, `pacte rights purger` fails it with its message and deletes
     its upload and partial results (the drill ages the heartbeat instead of waiting 5 minutes);
  B. the worker stopped (SIGTERM, `systemctl stop`) in the middle of a job: the job is queued again with its
     upload, the next worker runs it from the start, the summary counts each household once, the result files
     are 0600;
  C. the results disk full (a 256 KB tmpfs mounted on the results directory; root only, skipped otherwise): the
     job fails with the French message, nothing is left in the directory.

Exits 1 at the first check that fails. Usage: .venv/bin/python scripts/drill_worker.py [--foyers N]
"""

import argparse
import csv
import os
import signal
import stat
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACTE = str(ROOT / ".venv" / "bin" / "pacte")
WORK = Path(tempfile.mkdtemp(prefix="pacte-drill-worker."))
os.environ.update(
    DJANGO_SETTINGS_MODULE="config.settings.base",
    DATABASE_URL=f"sqlite:///{WORK / 'pacte.sqlite3'}",
    PACTE_VAR_DIR=str(WORK / "var"),
    SECRET_KEY=os.environ.get("DRILL_SECRET_KEY", os.urandom(32).hex() * 2),
    ALLOWED_HOSTS="127.0.0.1",
    DJANGO_DEBUG="0",
    LOG_LEVEL="WARNING",
)
sys.path.insert(0, str(ROOT))


def check(condition: bool, text: str) -> None:
    print(("  ok     " if condition else "  ÉCHEC  ") + text, flush=True)
    if not condition:
        sys.exit(1)


def say(text: str) -> None:
    print(f"  …      {text}", flush=True)


def pacte(*args: str) -> str:
    result = subprocess.run([PACTE, *args], capture_output=True, text=True, check=False)
    if result.returncode:
        print(result.stdout, result.stderr, file=sys.stderr)
        sys.exit(1)
    return result.stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--foyers", type=int, default=60000, help="foyers fictifs du fichier (60 000)")
    options = parser.parse_args()

    started = time.monotonic()
    pacte("migrate", "--noinput")
    households_file = WORK / "menages.csv"
    print(
        pacte(
            "rights",
            "generer",
            "--foyers",
            str(options.foyers),
            "--sortie",
            str(households_file),
            "--departement",
            "44",
        )
    )
    print(f"Base SQLite jetable et migrations : {time.monotonic() - started:.0f} s ({WORK})")

    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from pacte.screening import files, jobs
    from pacte.screening.enums import JobStatus
    from pacte.screening.models import ScreeningJob
    from tests.accounts.factories import UserFactory
    from tests.territories.factories import CommuneFactory, DepartementFactory

    with households_file.open(encoding="utf-8", newline="") as source:
        header = source.readline()
        source.seek(0)
        delimiter = ";" if header.count(";") >= header.count(",") else ","
        communes = {row["depcom"] for row in csv.DictReader(source, delimiter=delimiter) if row.get("depcom")}
    check(bool(communes), f"{len(communes)} communes de Loire-Atlantique dans le fichier")
    departement = DepartementFactory(code="44", name="Loire-Atlantique")
    for code in sorted(communes):
        CommuneFactory(code=code, name=f"Commune {code}", parent=departement)
    user = UserFactory(username="exercice-worker", social_worker=True, territory=departement)
    content = households_file.read_bytes()

    def submit() -> ScreeningJob:
        return jobs.submit(
            user=user,
            territory=departement,
            month="2026-05",
            upload=SimpleUploadedFile("menages.csv", content),
        )

    def partial_files(job) -> list[Path]:
        return sorted((files.private_dir() / files.RESULTS).glob(f"{job.pk}-*.part"))

    def start_worker() -> subprocess.Popen:
        return subprocess.Popen(
            [PACTE, "rights", "traiter", "--intervalle", "0.5"], stdout=subprocess.PIPE, text=True
        )

    def wait_running(job, worker, timeout=300.0) -> ScreeningJob:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.status == JobStatus.RUNNING and job.rows > 0:
                return job
            if (
                job.status != JobStatus.QUEUED
                and job.status != JobStatus.RUNNING
                or worker.poll() is not None
            ):
                break
            time.sleep(0.05)
        worker.kill()
        check(False, f"le traitement n° {job.pk} n'a pas atteint le milieu du calcul ({job.status})")

    print("\nA. Worker tué net (SIGKILL) au milieu d'un traitement")
    job = submit()
    upload = files.path_of(job.upload_name)
    worker = start_worker()
    job = wait_running(job, worker)
    say(
        f"traitement n° {job.pk} en cours : {job.rows} lignes lues sur {job.total_rows} ; kill -9 {worker.pid}"
    )
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    job.refresh_from_db()
    check(job.status == JobStatus.RUNNING, "le traitement reste « en cours » : personne ne l'a fini")
    check(upload.exists(), "le fichier déposé est toujours là (le traitement n'est pas fini)")
    parts = partial_files(job)
    check(bool(parts), f"{len(parts)} fichiers de résultats partiels (.part) laissés par le worker")
    check(all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in parts), "…créés en mode 0600")
    check(jobs.fail_stale() == 0, f"moins de {jobs.STALE_AFTER} sans signe de vie : pas encore déclaré mort")
    ScreeningJob.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - jobs.STALE_AFTER - timedelta(seconds=1)
    )
    say(f"dernier signe de vie vieilli de {jobs.STALE_AFTER} (au lieu d'attendre) ; pacte rights purger")
    print("         " + pacte("rights", "purger"))
    job.refresh_from_db()
    check(
        job.status == JobStatus.FAILED and job.error == jobs.STALE,
        f"échec avec son message : « {job.error} »",
    )
    check(not upload.exists() and not partial_files(job), "fichier déposé et résultats partiels supprimés")
    check(not job.aggregates.exists(), "aucune synthèse enregistrée")

    print("\nB. Worker arrêté (SIGTERM, systemctl stop) au milieu d'un traitement, puis relancé")
    job = submit()
    upload = files.path_of(job.upload_name)
    worker = start_worker()
    job = wait_running(job, worker)
    say(
        f"traitement n° {job.pk} en cours : {job.rows} lignes lues sur {job.total_rows} ; kill -TERM {worker.pid}"
    )
    worker.send_signal(signal.SIGTERM)
    code = worker.wait(timeout=60)
    job.refresh_from_db()
    check(code == 0, f"le worker s'arrête proprement (code {code}) : « {worker.stdout.read().strip()} »")
    check(job.status == JobStatus.QUEUED and job.rows == 0, "le traitement est remis « en attente »")
    check(upload.exists() and not partial_files(job), "fichier déposé gardé, résultats partiels supprimés")
    say("pacte rights traiter --une-fois")
    print("         " + pacte("rights", "traiter", "--une-fois"))
    job.refresh_from_db()
    check(job.status == JobStatus.DONE, f"le traitement reprend du début et finit : {job.progress_text}")
    total = job.aggregates.get(level="departement", code="44", benefit="").households
    check(
        total == job.households,
        f"la synthèse compte {total} foyers, chacun une fois ({job.households} examinés)",
    )
    modes = {
        oct(stat.S_IMODE(files.path_of(name).stat().st_mode)) for name in (job.results_name, job.rejects_name)
    }
    check(modes == {"0o600"}, f"résultats et rejets en mode {', '.join(sorted(modes))}")
    check(not upload.exists(), "fichier déposé supprimé à la fin du traitement")

    print("\nC. Disque des résultats plein (ENOSPC)")
    results_dir = files.private_dir() / files.RESULTS
    if os.getuid() != 0:
        print("  sauté  (il faut être root pour monter un tmpfs de 256 Ko sur le dossier des résultats)")
    else:
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", str(results_dir)], check=False
        )
        if mounted.returncode:
            print("  sauté  (montage tmpfs refusé par le système)")
        else:
            try:
                say(f"tmpfs de 256 Ko monté sur {results_dir}")
                job = submit()
                print("         " + pacte("rights", "traiter", "--une-fois"))
                job.refresh_from_db()
                check(job.status == JobStatus.FAILED, f"échec avec son message : « {job.error} »")
                check(not list(results_dir.iterdir()), "rien ne reste dans le dossier des résultats")
                check(not job.upload_name, "fichier déposé supprimé")
            finally:
                subprocess.run(["umount", str(results_dir)], check=False)
    print(f"\nExercice réussi en {time.monotonic() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        subprocess.run(["rm", "-rf", str(WORK)], check=False)
