"""The production run, measured: gunicorn with the production settings on PostgreSQL, under a load of many clients.

    .venv/bin/python benchmarks/load.py [--duree 60] [--connexions 32] [--echauffement 5]
    .venv/bin/python benchmarks/load.py --base-existante postgres://postgres@127.0.0.1:5433/pacte_charge

1. The database: by default a throw-away PostgreSQL 15 cluster (benchmarks/load_data.py: a temporary directory,
   127.0.0.1 on a free port, run as the postgres user when run as root, removed on exit), loaded with the full
   2026 COG and a national-scale synthetic dataset: a signed convention for every collectivité of a département
   or a métropole (197 conventions, up to 20 fiches-actions each), 10 indicators with a value for every
   territory and year (about 1.8 million values), the barometer's national figures — all "donnée fictive".
   With `--base-existante URL` that database is used instead (on this machine only) and kept: loaded first when
   it does not hold the dataset yet, reused as is otherwise (the next runs skip the few minutes of loading).
2. The production settings (`config.settings.base`, the variables of docs/deploiement.md: SECRET_KEY drawn at
   random, ALLOWED_HOSTS=127.0.0.1, DATABASE_URL, PACTE_VAR_DIR in a temporary directory, DJANGO_DEBUG=0,
   PACTE_TRUSTED_PROXY=1, SSL redirect and HSTS on), `pacte collectstatic` as the docs do, then gunicorn as the
   systemd unit of docs/deploiement.md runs it (`--preload`, `--timeout 120`, its logger class, an access log)
   with 2 × cores + 1 workers, bound to 127.0.0.1 on a free port. Static files are not requested (nginx serves them).
3. The load: an asyncio client of the standard library, on 127.0.0.1 only (any other address is refused), that
   sends each request as nginx would forward it (Host 127.0.0.1, X-Forwarded-Proto https, X-Real-IP), each on its
   own connection (gunicorn's sync workers close it after the response). `--connexions` clients each send one
   request after the other, for `--echauffement` seconds not counted, then for `--duree` seconds; the run stops
   by itself at the end of that time or after `--max-requetes` requests, whichever comes first. The mix, in
   every 20 requests of a client (in a shuffled order): 3 home pages, 3 territory pages (région, département,
   EPCI, commune), 3 contract pages (a signed convention, one of its fiches-actions, the list), 1 consolidation
   page (national or regional, signed in as national steering), 2 indicator maps, 2 barometer pages, 1
   territorial diagnostic, 4 API lists, 1 PDF (in turn a convention or a diagnostic, among the 20 most asked-for
   of each; before the warm-up, each of them is asked for once, as a site in service has done already — a signed
   convention is rendered once and stored, a diagnostic once per data version — unless `--pdf-froids`). All
   anonymous but the consolidation; each client is a visitor of its own (an address of the documentation range
   203.0.113.0/24 in X-Real-IP, as nginx would forward it), so that the throttle on anonymous PDF renderings
   counts per visitor as in service — its refusals (429) count as errors.
4. The report: requests per second, p50/p95/p99 per page family, for the HTML pages and overall, the errors (any
   answer but 2xx/3xx, a truncated answer, a timeout after 30 s, a refused connection) with their status codes,
   how many answers were public pages served kept (pacte/core/page_cache.py, its X-Pacte-Cache header), the CPU
   time spent by gunicorn, PostgreSQL and the client itself, and the load average. With `--comparer`, a first
   run without kept pages (PACTE_PAGE_CACHE_SECONDS=0) is the baseline, and the ratios of the second run to it
   are printed. Then, unless `--sans-profil`, where the time goes: each family's page rendered in this process
   (the same settings and database, no HTTP), median of 5, with its number of SQL queries and the time spent in
   them, and the CPU of the same page served kept.

The machine's other load makes the figures noisy: `uptime` is printed before and after. The goal stated by issue
15: no error, p99 under 500 ms for the HTML pages, at least 200 requests per second on the mix (2 cores).
"""

import argparse
import asyncio
import json
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import load_data  # noqa: E402

HOST = "127.0.0.1"  # the only address this script ever connects to
LOCAL_DATABASE_HOSTS = {"127.0.0.1", "localhost", "::1", ""}
REQUEST_TIMEOUT = 30.0  # seconds; a request still unanswered then counts as an error
STATIC_ROOT = ROOT / "var" / "charge" / "static"  # collected once, reused while the sources are older
MAX_DURATION = 600  # seconds, for --duree and --echauffement
MAX_CONNECTIONS = 256
PROFILE_ROUNDS = 5
PDF_DOCUMENTS = 20  # distinct conventions, and distinct diagnostics, asked for in the load
PDF_RETRIES, PDF_RETRY_WAIT = (
    30,
    5.0,
)  # asking for each PDF before the load: refused (429), ask again 5 s later
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
CACHE_HEADER = "x-pacte-cache"

# The mix: (family, requests in every 20 of a client, whether its pages are HTML).
MIX = [
    ("Accueil", 3, True),
    ("Territoires", 3, True),
    ("Contrats", 3, True),
    ("Consolidation", 1, True),
    ("Carte", 2, True),
    ("Baromètre", 2, True),
    ("Diagnostic", 1, True),
    ("API (listes)", 4, False),
    ("PDF", 1, False),
]
AUTHENTICATED = {"Consolidation"}


def loopback_only(host: str) -> str:
    """The load goes to the loopback address and nowhere else."""
    if host != HOST:
        raise SystemExit(f"ERREUR : la charge ne vise que {HOST} (adresse demandée : {host!r}).")
    return host


# ---------------------------------------------------------------------------------------------------------
# The production environment and gunicorn


def production_environment(database_url: str, var_dir: Path) -> dict[str, str]:
    """The variables of docs/deploiement.md for a production run on this machine."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PACTE_", "SECURE_", "CSRF_", "EMAIL_", "AXES_"))
        and key not in {"MEDIA_ROOT", "STATIC_ROOT", "DATABASE_URL", "ALLOWED_HOSTS", "SECRET_KEY"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        DATABASE_URL=database_url,
        PACTE_VAR_DIR=str(var_dir),
        STATIC_ROOT=str(STATIC_ROOT),
        DJANGO_DEBUG="0",
        PACTE_DEMO="0",
        PACTE_TRUSTED_PROXY="1",
        SECURE_HSTS_SECONDS="3600",
        LOG_LEVEL="WARNING",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    return environment


def start_gunicorn(environment: dict[str, str], port: int, workers: int, logs: Path) -> subprocess.Popen:
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "config.wsgi:application",
        "--bind",
        f"{loopback_only(HOST)}:{port}",
        "--workers",
        str(workers),
        "--preload",
        "--timeout",
        "120",
        "--logger-class",
        "pacte.governance.gunicorn_logger.AccessLogWithoutKeys",
        "--access-logfile",
        str(logs / "access.log"),
        "--error-logfile",
        str(logs / "error.log"),
    ]
    return subprocess.Popen(command, cwd=ROOT, env=environment, start_new_session=True)


def wait_until_ready(server: subprocess.Popen, port: int, logs: Path, limit: float = 180) -> float:
    """Seconds until gunicorn answers the home page (its workers forked, the rights engine preloaded)."""
    import http.client

    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        if server.poll() is not None:
            raise SystemExit(
                f"ERREUR : gunicorn s'est arrêté (code {server.returncode}) :\n"
                + (logs / "error.log").read_text(errors="replace")[-3000:]
            )
        try:
            connection = http.client.HTTPConnection(loopback_only(HOST), port, timeout=5)
            connection.request("GET", "/", headers=forwarded_headers())
            status = connection.getresponse().status
            connection.close()
            if status == 200:
                return time.perf_counter() - start
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"ERREUR : gunicorn ne répond pas après {limit:.0f} s.")


def collect_static() -> str:
    """`pacte collectstatic` as the docs run it, unless STATIC_ROOT already holds every file of the sources
    (hashing and compressing the DSFR takes from 30 s to a few minutes)."""
    from django.contrib.staticfiles import finders
    from django.core.management import call_command

    manifest = STATIC_ROOT / "staticfiles.json"
    sources = {
        path: Path(storage.path(path)).stat().st_mtime
        for finder in finders.get_finders()
        for path, storage in finder.list([])
    }
    if manifest.exists() and manifest.stat().st_mtime >= max(sources.values(), default=0.0):
        collected = json.loads(manifest.read_text()).get("paths", {})
        if all(path.replace(os.sep, "/") in collected for path in sources):
            return f"collectstatic : {STATIC_ROOT} est à jour, réutilisé."
    start = time.perf_counter()
    call_command("collectstatic", interactive=False, verbosity=0)
    seconds = time.perf_counter() - start
    return f"collectstatic : {seconds:.0f} s (dans {STATIC_ROOT}, réutilisé aux prochains essais)."


def stop_gunicorn(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def forwarded_headers() -> dict[str, str]:
    """What nginx adds to a request (docs/deploiement.md, section 7)."""
    return {"Host": HOST, "X-Forwarded-Proto": "https", "X-Real-IP": HOST, "X-Forwarded-For": HOST}


# ---------------------------------------------------------------------------------------------------------
# CPU time of a process tree, from /proc


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def tree_cpu_seconds(pid: int | None) -> float:
    """User + system CPU seconds of a process, of the children it has reaped and of its live descendants."""
    if pid is None:
        return 0.0
    fields = _stat(pid)
    if fields is None:
        return 0.0
    # Fields 14 to 17 of /proc/PID/stat (utime, stime, cutime, cstime), counted here from field 3.
    total = sum(int(value) for value in fields[11:15]) / CLOCK_TICKS
    for child in _children(pid):
        total += tree_cpu_seconds(child)
    return total


# ---------------------------------------------------------------------------------------------------------
# The pages of the mix


def page_pools() -> dict[str, list[str]]:
    """Every family's URLs, drawn from the database (Django must be set up)."""
    from django.urls import reverse

    from pacte.contracts.enums import ContractStatus
    from pacte.contracts.models import Action, Contract
    from pacte.observation.models import Indicator
    from pacte.territories.enums import Level
    from pacte.territories.models import Territory

    rng = random.Random(2026)
    active = Territory.objects.filter(is_active=True)

    def territories(level: str, count: int) -> list[tuple[str, str]]:
        codes = sorted(active.filter(level=level).values_list("code", flat=True))
        return [(level, code) for code in rng.sample(codes, min(count, len(codes)))]

    places = (
        territories(Level.REGION, 18)
        + territories(Level.DEPARTEMENT, 101)
        + territories(Level.EPCI, 100)
        + territories(Level.COMMUNE, 200)
    )
    signed = list(Contract.objects.filter(status=ContractStatus.SIGNED).values_list("pk", flat=True))
    if not signed:
        raise SystemExit("ERREUR : aucune convention signée dans la base.")
    actions = list(Action.objects.filter(contract_id__in=signed).values_list("contract_id", "number")[:2000])
    regions = sorted(set(Contract.objects.values_list("territory__region__code", flat=True)) - {None})
    indicators = list(
        Indicator.objects.filter(is_public=True, observations__isnull=False)
        .distinct()
        .order_by("order", "code")
        .values_list("code", flat=True)
    )
    departements = [code for level, code in places if level == Level.DEPARTEMENT]
    last = "/api/v1/observations/?indicator={}&level=departement"
    return {
        "Accueil": [reverse("home")],
        "Territoires": [reverse("territories:detail", args=place) for place in places],
        "Contrats": [reverse("contracts:detail", args=[pk]) for pk in signed]
        + [reverse("contracts:action", args=[pk, number]) for pk, number in actions[:400]]
        + [reverse("contracts:list")],
        "Consolidation": [reverse("contracts:consolidation")]
        + [reverse("contracts:consolidation_region", args=[code]) for code in regions],
        "Carte": [reverse("observation:indicator", args=[code]) for code in indicators],
        "Baromètre": [reverse("observation:barometer")],
        "Diagnostic": [
            reverse("observation:diagnostic", args=["departement", code]) for code in departements
        ],
        "API (listes)": [
            "/api/v1/territories/?level=departement",
            "/api/v1/territories/?level=epci",
            "/api/v1/contracts/",
            "/api/v1/indicators/",
            "/api/v1/measures/",
            "/api/v1/targets/",
            "/api/v1/axes/",
        ]
        + [last.format(code) for code in indicators[:4]],
        # The most asked-for documents: convention and diagnostic PDFs in turn (see Load.client); the others
        # are kept for the profile's first renderings.
        "PDF": [reverse("contracts:pdf", args=[pk]) for pk in signed[:PDF_DOCUMENTS]],
        "PDF diagnostic": [
            reverse("observation:diagnostic_pdf", args=["departement", code])
            for code in departements[:PDF_DOCUMENTS]
        ],
        "PDF réserve": [
            reverse("contracts:pdf", args=[signed[-1]]),
            reverse("observation:diagnostic_pdf", args=["departement", departements[-1]]),
        ],
    }


# ---------------------------------------------------------------------------------------------------------
# The load generator


@dataclass
class Family:
    name: str
    html: bool
    times: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    kept: Counter = field(default_factory=Counter)  # the page cache: hit, miss, jamais (never kept)

    @property
    def count(self) -> int:
        return len(self.times)

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


async def fetch(
    port: int, path: str, cookie: str | None, visitor: str
) -> tuple[int | None, str | None, str | None]:
    """One GET on its own connection: (status, None, kept) or (None/status, what went wrong, kept). `visitor` is
    the address nginx would forward in X-Real-IP (the connection itself always goes to 127.0.0.1). `kept` is the
    page cache's header (pacte/core/page_cache.py): "hit", "miss" or None (a page never kept)."""
    headers = forwarded_headers() | {
        "X-Real-IP": visitor,
        "X-Forwarded-For": visitor,
        "User-Agent": "pacte-charge/1",
        "Connection": "close",
    }
    if cookie:
        headers["Cookie"] = cookie
    request = f"GET {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    reader, writer = await asyncio.open_connection(loopback_only(HOST), port)
    try:
        writer.write(request.encode("latin-1"))
        await writer.drain()
        raw = await reader.read()
    finally:
        writer.close()
    head, _separator, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[1].isdigit():
        return None, "réponse illisible", None
    status = int(parts[1])
    fields = {
        name.strip().lower(): value.strip()
        for name, _colon, value in (line.partition(":") for line in lines[1:])
    }
    length, kept = fields.get("content-length"), fields.get(CACHE_HEADER)
    if length is not None and length.isdigit() and int(length) != len(body):
        return status, "réponse tronquée", kept
    if not 200 <= status < 400:
        return status, f"HTTP {status}", kept
    return status, None, kept


class Load:
    """`connections` clients sending the mix, one request after the other, until a deadline or a request cap."""

    def __init__(self, port: int, pools: dict[str, list[str]], session_cookie: str, max_requests: int):
        self.port = port
        self.pools = pools
        self.session_cookie = session_cookie
        self.max_requests = max_requests
        self.sent = 0
        self.families = {name: Family(name, html) for name, _weight, html in MIX}
        self.deck = [name for name, weight, _html in MIX for _ in range(weight)]

    async def client(self, index: int, deadline: float, record: bool) -> None:
        rng = random.Random(index)
        # Each client is a visitor of its own, with an address of the documentation range (RFC 5737) in the
        # header only: the anonymous PDF throttle counts per visitor address.
        visitor = f"203.0.113.{index % 254 + 1}"
        pdf_turn = index % 2
        while True:
            deck = self.deck[:]
            rng.shuffle(deck)
            for name in deck:
                if time.perf_counter() >= deadline or self.sent >= self.max_requests:
                    return
                pool = name
                if name == "PDF":
                    pdf_turn += 1
                    pool = "PDF" if pdf_turn % 2 else "PDF diagnostic"
                path = rng.choice(self.pools[pool])
                cookie = self.session_cookie if name in AUTHENTICATED else None
                if record:
                    self.sent += 1
                start = time.perf_counter()
                kept = None
                try:
                    status, error, kept = await asyncio.wait_for(
                        fetch(self.port, path, cookie, visitor), REQUEST_TIMEOUT
                    )
                except TimeoutError:
                    status, error = None, f"délai de {REQUEST_TIMEOUT:.0f} s dépassé"
                except OSError as exc:
                    status, error = None, f"connexion : {exc.__class__.__name__}"
                elapsed = time.perf_counter() - start
                if record:
                    family = self.families[name]
                    family.times.append(elapsed)
                    family.statuses[status] += 1
                    family.kept[kept or "jamais"] += 1
                    if error:
                        family.errors[error] += 1

    async def store_pdfs(self, parallel: int) -> tuple[float, Counter]:
        """Ask once for each PDF of the mix, as a site in service has done already: a signed convention is
        rendered once and stored, a diagnostic once per data version. Each from a visitor address of its own
        (198.51.100.0/24, RFC 5737), `parallel` at a time; one refused by the throttle on anonymous renderings (429)
        is asked for again 5 s later. Returns the seconds taken and the outcomes."""
        semaphore = asyncio.Semaphore(parallel)
        outcomes: Counter = Counter()
        paths = self.pools["PDF"] + self.pools["PDF diagnostic"]

        async def one(index: int, path: str) -> None:
            async with semaphore:
                for _ in range(PDF_RETRIES):
                    try:
                        status, error, _kept = await asyncio.wait_for(
                            fetch(self.port, path, None, f"198.51.100.{index % 254 + 1}"), 4 * REQUEST_TIMEOUT
                        )
                    except (TimeoutError, OSError) as exc:
                        status, error = None, exc.__class__.__name__
                    if status != 429:
                        break
                    # The throttle on anonymous renderings (30 a minute for all visitors): wait as a visitor would.
                    await asyncio.sleep(PDF_RETRY_WAIT)
                outcomes[error or f"HTTP {status}"] += 1

        start = time.perf_counter()
        await asyncio.gather(*(one(index, path) for index, path in enumerate(paths)))
        return time.perf_counter() - start, outcomes

    async def run(self, connections: int, seconds: float, record: bool) -> float:
        start = time.perf_counter()
        deadline = start + seconds
        await asyncio.gather(*(self.client(index, deadline, record) for index in range(connections)))
        return time.perf_counter() - start


# ---------------------------------------------------------------------------------------------------------
# The report


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (share between 0 and 1) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-int(share * 1000) * len(ordered) // 1000))
    return ordered[min(rank, len(ordered)) - 1]


def latency_line(label: str, times: list[float], errors: int, elapsed: float) -> str:
    if not times:
        return f"{label:<16} {0:>7d}"
    p50, p95, p99 = (percentile(times, share) * 1000 for share in (0.5, 0.95, 0.99))
    return (
        f"{label:<16} {len(times):>7d} {len(times) / elapsed:>8.1f} {p50:>8.0f} {p95:>8.0f} {p99:>8.0f} "
        f"{max(times) * 1000:>8.0f} {errors:>7d}"
    )


def print_report(load: Load, elapsed: float, cpu: dict[str, float], connections: int) -> tuple[float, float]:
    """Print the figures of one measured load; return its requests per second and the p99 of its HTML pages."""
    families = list(load.families.values())
    every = [time for family in families for time in family.times]
    html = [time for family in families if family.html for time in family.times]
    errors = sum(family.error_count for family in families)
    print(
        f"\nCharge mesurée : {len(every)} requêtes en {elapsed:.1f} s, {connections} connexions simultanées, "
        f"soit {len(every) / elapsed:.1f} requêtes/s."
    )
    print(
        f"\n{'famille':<16} {'requêtes':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'max ms':>8} {'erreurs':>7}"
    )
    for family in families:
        print(latency_line(family.name, family.times, family.error_count, elapsed))
    print(latency_line("Pages HTML", html, sum(f.error_count for f in families if f.html), elapsed))
    print(latency_line("Ensemble", every, errors, elapsed))
    for family in families:
        if family.errors:
            detail = ", ".join(f"{what} × {count}" for what, count in family.errors.most_common())
            print(f"  erreurs {family.name} : {detail}")
    statuses = Counter()
    for family in families:
        statuses.update(family.statuses)
    throttled = statuses.get(429, 0)
    if throttled:
        print(f"Dont {throttled} refus 429 (frein aux rendus de PDF pour les visiteurs anonymes).")
    print(
        "Codes HTTP : "
        + ", ".join(f"{code or 'aucun'} × {count}" for code, count in sorted(statuses.items(), key=str))
    )
    kept = Counter()
    for family in families:
        kept.update(family.kept)
    if every:
        print(
            "Pages publiques gardées (pacte/core/page_cache.py) : "
            f"servies gardées {kept['hit']} ({kept['hit'] / len(every):.0%}), rendues puis gardées {kept['miss']}, "
            f"jamais gardées {kept['jamais']} (consolidation connectée, PDF)."
        )
    busy = sum(cpu.values())
    print(
        "\nTemps CPU pendant la mesure (secondes ; la machine a "
        f"{os.cpu_count()} cœurs, soit {os.cpu_count() * elapsed:.0f} s disponibles) : "
        + ", ".join(f"{name} {seconds:.1f} s ({seconds / elapsed:.2f} cœur)" for name, seconds in cpu.items())
        + f" ; total {busy:.1f} s."
    )
    server = cpu.get("gunicorn", 0.0) + cpu.get("PostgreSQL", 0.0)
    if every and server:
        per_request = server / len(every) * 1000
        print(
            f"CPU du serveur par requête : {per_request:.0f} ms (gunicorn {cpu['gunicorn'] / len(every) * 1000:.0f}"
            f" ms, PostgreSQL {cpu.get('PostgreSQL', 0.0) / len(every) * 1000:.0f} ms), soit un plafond "
            f"d'environ {os.cpu_count() * 1000 / per_request:.0f} requêtes/s si les {os.cpu_count()} cœurs "
            "ne servaient qu'à Pacte."
        )
    html_p99 = percentile(html, 0.99) * 1000 if html else float("inf")
    rate = len(every) / elapsed
    goals = [
        (errors == 0, f"aucune erreur ({errors})"),
        (html_p99 < 500, f"p99 des pages HTML sous 500 ms ({html_p99:.0f} ms)"),
        (rate >= 200, f"au moins 200 requêtes/s sur le mélange ({rate:.1f})"),
    ]
    print("\nObjectifs du ticket 15 :")
    for reached, text in goals:
        print(f"  {'atteint    ' if reached else 'NON ATTEINT'}  {text}")
    return rate, html_p99


def profile(pools: dict[str, list[str]], session_key: str) -> None:
    """Where the time goes: pages of each family rendered in this process (no HTTP, no gunicorn), with the CPU
    time of Python, the SQL queries and the time spent waiting for them; then the mix's average Python cost."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings

    anonymous, steering = Client(), Client()
    steering.cookies[settings.SESSION_COOKIE_NAME] = session_key

    def first(family: str, part: str) -> str:
        return next(path for path in pools[family] if part in path)

    # PDFs the load did not ask for: their first rendering (a stored or cached one would not be).
    convention, diagnostic = pools["PDF réserve"]

    pages = [  # (label, path, family of the mix)
        ("Accueil", pools["Accueil"][0], "Accueil"),
        ("Territoire (région)", first("Territoires", "/region/"), "Territoires"),
        ("Territoire (département)", first("Territoires", "/departement/"), "Territoires"),
        ("Territoire (EPCI)", first("Territoires", "/epci/"), "Territoires"),
        ("Territoire (commune)", first("Territoires", "/commune/"), "Territoires"),
        ("Convention signée", pools["Contrats"][0], "Contrats"),
        ("Fiche-action", first("Contrats", "/fiches/"), "Contrats"),
        ("Liste des contrats", pools["Contrats"][-1], "Contrats"),
        ("Consolidation nationale", pools["Consolidation"][0], "Consolidation"),
        ("Consolidation régionale", pools["Consolidation"][1], "Consolidation"),
        ("Carte d'un indicateur", pools["Carte"][0], "Carte"),
        ("Baromètre", pools["Baromètre"][0], "Baromètre"),
        ("Diagnostic d'un département", pools["Diagnostic"][0], "Diagnostic"),
        *((f"API {path}", path, "API (listes)") for path in pools["API (listes)"]),
        ("PDF de convention (1er rendu)", convention, "PDF"),
        ("PDF de convention (répété)", convention, None),
        ("PDF de diagnostic (1er rendu)", diagnostic, "PDF"),
        ("PDF de diagnostic (répété)", diagnostic, None),
    ]
    print(
        "\nOù va le temps : chaque page rendue dans ce processus (mêmes réglages, même base, sans HTTP ni "
        f"gunicorn), médianes de {PROFILE_ROUNDS} après un premier rendu (un seul rendu pour un « 1er rendu ») ; "
        "durée, CPU Python, requêtes SQL et attente de leurs réponses quand la page est rendue (pages gardées "
        "désactivées), puis CPU Python quand elle est servie gardée (pacte/core/page_cache.py) :"
    )
    print(f"{'page':<48} {'durée':>8} {'CPU':>8} {'SQL':>4} {'attente SQL':>11} {'Kio':>6} {'gardée':>8}")
    costs: dict[str, list[float]] = {}
    kept_costs: dict[str, list[float]] = {}
    costs_by_label: dict[str, list[float]] = {}
    for label, path, family in pages:
        client = steering if family == "Consolidation" else anonymous
        sql = {"count": 0, "seconds": 0.0}

        def timed_query(execute, query, params, many, context, sql=sql):
            start = time.perf_counter()
            try:
                return execute(query, params, many, context)
            finally:
                sql["count"] += 1
                sql["seconds"] += time.perf_counter() - start

        def get(path=path, client=client):
            response = client.get(path, secure=True, HTTP_HOST=HOST, HTTP_X_REAL_IP=HOST)
            size = (
                sum(len(chunk) for chunk in response.streaming_content)
                if response.streaming
                else len(response.content)
            )
            return response.status_code, size

        rounds = 1 if "1er rendu" in label else PROFILE_ROUNDS
        with override_settings(PACTE_PAGE_CACHE_SECONDS=0):
            if rounds > 1:
                get()
            times, cpu, queries, waits = [], [], [], []
            for _ in range(rounds):
                sql.update(count=0, seconds=0.0)
                with connection.execute_wrapper(timed_query):
                    start, start_cpu = time.perf_counter(), time.process_time()
                    status, size = get()
                    cpu.append(time.process_time() - start_cpu)
                    times.append(time.perf_counter() - start)
                queries.append(sql["count"])
                waits.append(sql["seconds"])
        kept_cpu = []
        if rounds > 1:
            get()  # kept, if the page may be
            for _ in range(rounds):
                start_cpu = time.process_time()
                get()
                kept_cpu.append(time.process_time() - start_cpu)
        kept = statistics.median(kept_cpu) if kept_cpu else statistics.median(cpu)
        if family:
            costs.setdefault(family, []).append(statistics.median(cpu))
            kept_costs.setdefault(family, []).append(kept)
        costs_by_label[label] = [statistics.median(cpu)]
        note = "" if status == 200 else f"  (HTTP {status})"
        print(
            f"{label[:48]:<48} {statistics.median(times) * 1000:>5.0f} ms {statistics.median(cpu) * 1000:>5.0f} ms "
            f"{statistics.median(queries):>4.0f} {statistics.median(waits) * 1000:>8.0f} ms {size / 1024:>6.0f} "
            f"{kept * 1000:>5.1f} ms{note}"
        )
    weights = {name: weight for name, weight, _html in MIX}
    stored = [cost for label, _path, family in pages if family is None for cost in costs_by_label[label]]
    for title, pdf_cost, pages_cost in (
        ("PDF au 1er rendu, pages rendues", statistics.mean(costs["PDF"]), costs),
        ("PDF gardés, pages rendues", statistics.mean(stored), costs),
        ("PDF gardés, pages gardées", statistics.mean(stored), kept_costs),
    ):
        average = (
            sum(
                weights[name] * statistics.mean(values)
                for name, values in pages_cost.items()
                if name != "PDF"
            )
            + weights["PDF"] * pdf_cost
        ) / sum(weights.values())
        print(
            f"CPU Python moyen d'une requête du mélange ({title}) : {average * 1000:.0f} ms, soit au plus "
            f"{os.cpu_count() / average:.0f} requêtes/s sur {os.cpu_count()} cœurs, avant HTTP et PostgreSQL."
        )


# ---------------------------------------------------------------------------------------------------------


def measure(args, environment: dict[str, str], var_dir: Path, pools, session_key: str, postmaster):
    """gunicorn started with `environment`, the PDFs asked for once, the warm-up, the measured load, the report;
    returns the requests per second and the p99 of the HTML pages."""
    from django.conf import settings

    port = load_data.free_port()
    server = start_gunicorn(environment, port, args.workers, var_dir)
    try:
        ready = wait_until_ready(server, port, var_dir)
        print(
            f"gunicorn : {args.workers} workers sur {HOST}:{port}, prêt en {ready:.1f} s "
            "(réglages config.settings.base, DEBUG désactivé)."
        )
        load = Load(port, pools, f"{settings.SESSION_COOKIE_NAME}={session_key}", args.max_requetes)
        if not args.pdf_froids:
            seconds, outcomes = asyncio.run(load.store_pdfs(args.workers))
            print(
                f"PDF du mélange demandés une première fois en {seconds:.0f} s (le site en service les a déjà "
                "rendus et gardés) : " + ", ".join(f"{what} × {count}" for what, count in outcomes.items())
            )
        if args.echauffement:
            asyncio.run(load.run(args.connexions, args.echauffement, record=False))
            print(f"Échauffement : {args.echauffement} s non comptées.")
        before = {"gunicorn": tree_cpu_seconds(server.pid), "PostgreSQL": tree_cpu_seconds(postmaster)}
        client_before = sum(os.times()[:2])
        elapsed = asyncio.run(load.run(args.connexions, args.duree, record=True))
        cpu = {
            "gunicorn": tree_cpu_seconds(server.pid) - before["gunicorn"],
            "PostgreSQL": tree_cpu_seconds(postmaster) - before["PostgreSQL"],
            "client": sum(os.times()[:2]) - client_before,
        }
    finally:
        stop_gunicorn(server)
    figures = print_report(load, elapsed, cpu, args.connexions)
    errors = (var_dir / "error.log").read_text(errors="replace").strip().splitlines()
    if any("Traceback" in line or "[CRITICAL]" in line for line in errors):
        print("Fin du journal d'erreurs de gunicorn :\n" + "\n".join(errors[-30:]))
    return figures


def bounded(low: int, high: int, name: str):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} : un nombre entier est attendu ({text!r}).") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{name} : entre {low} et {high} ({value}).")
        return value

    return parse


def local_database(url: str) -> str:
    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise argparse.ArgumentTypeError(
            f"--base-existante : une adresse postgres:// est attendue ({url!r})."
        )
    if (parsed.hostname or "") not in LOCAL_DATABASE_HOSTS:
        raise argparse.ArgumentTypeError(
            f"--base-existante : seule une base de cette machine est acceptée (hôte {parsed.hostname!r})."
        )
    return url


def uptime() -> str:
    one, five, fifteen = os.getloadavg()
    return f"charge moyenne {one:.2f}, {five:.2f}, {fifteen:.2f} (1, 5, 15 min)"


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Mesure Pacte en production (gunicorn, PostgreSQL) sous charge, sur 127.0.0.1."
    )
    parser.add_argument(
        "--duree",
        type=bounded(1, MAX_DURATION, "--duree"),
        default=60,
        help="secondes mesurées (défaut : 60)",
    )
    parser.add_argument(
        "--connexions",
        type=bounded(1, MAX_CONNECTIONS, "--connexions"),
        default=32,
        help="clients simultanés (défaut : 32)",
    )
    parser.add_argument(
        "--echauffement",
        type=bounded(0, MAX_DURATION, "--echauffement"),
        default=10,
        help="secondes de charge non comptées avant la mesure (défaut : 10)",
    )
    parser.add_argument(
        "--max-requetes",
        type=bounded(1, 1_000_000, "--max-requetes"),
        default=100_000,
        help="arrêt après ce nombre de requêtes mesurées (défaut : 100 000)",
    )
    parser.add_argument(
        "--base-existante",
        type=local_database,
        default=None,
        metavar="URL",
        help="base PostgreSQL de cette machine à utiliser (chargée si vide) et à garder",
    )
    parser.add_argument(
        "--workers",
        type=bounded(1, 64, "--workers"),
        default=2 * (os.cpu_count() or 1) + 1,
        help="workers gunicorn (défaut : 2 × cœurs + 1)",
    )
    parser.add_argument(
        "--pdf-froids",
        action="store_true",
        help="ne pas demander chaque PDF du mélange une fois avant la mesure (premiers rendus pendant la charge)",
    )
    parser.add_argument(
        "--sans-profil", action="store_true", help="ne pas mesurer chaque page après la charge"
    )
    parser.add_argument(
        "--comparer",
        action="store_true",
        help="mesurer d'abord sans les pages gardées (PACTE_PAGE_CACHE_SECONDS=0), puis avec, et donner le rapport",
    )
    args = parser.parse_args()

    print(f"Machine : {os.cpu_count()} cœurs, {uptime()}")
    with ExitStack() as stack:
        postmaster = None
        if args.base_existante:
            database_url = args.base_existante
            print("Base : PostgreSQL existante, gardée après la mesure.")
        else:
            database_url, postmaster = stack.enter_context(load_data.throwaway_cluster())
            print(f"Base : cluster PostgreSQL jetable ({database_url}), supprimé à la fin.")
        var_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="pacte-charge.")))
        environment = production_environment(database_url, var_dir)
        os.environ.clear()
        os.environ.update(environment)

        import django
        from django.db import connection, connections

        django.setup()
        if load_data.is_built():
            print("Jeu de données déjà en base : réutilisé sans rechargement.")
        else:
            start = time.perf_counter()
            load_data.build()
            print(f"Jeu de données chargé en {time.perf_counter() - start:.0f} s.")
        print(collect_static())
        if postmaster is None:
            # The server process of this connection is a child of the postmaster (a database of this machine).
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                backend = _stat(cursor.fetchone()[0])
            postmaster = int(backend[1]) if backend else None
        pools = page_pools()
        session_key = load_data.steering_session()
        connections.close_all()

        runs = []
        if args.comparer:
            print("\n=== Mesure de base : sans les pages gardées (PACTE_PAGE_CACHE_SECONDS=0) ===")
            runs.append(
                measure(
                    args,
                    environment | {"PACTE_PAGE_CACHE_SECONDS": "0"},
                    var_dir,
                    pools,
                    session_key,
                    postmaster,
                )
            )
            print("\n=== Mesure : réglages de production (pages publiques gardées) ===")
        runs.append(measure(args, environment, var_dir, pools, session_key, postmaster))
        if len(runs) == 2:
            (base_rate, base_p99), (rate, p99) = runs
            print(
                f"\nRapport à la mesure de base, dans ce même processus : débit × {rate / base_rate:.1f} "
                f"({base_rate:.1f} → {rate:.1f} requêtes/s), p99 des pages HTML × {p99 / base_p99:.2f} "
                f"({base_p99:.0f} → {p99:.0f} ms)."
            )
        print(f"Après la mesure : {uptime()}")
        if not args.sans_profil:
            profile(pools, session_key)
        connections.close_all()


if __name__ == "__main__":
    main()
