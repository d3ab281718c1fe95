"""Page and API reads of the backup drill (scripts/backup_drill.sh), against the database of DATABASE_URL with
the settings of the environment (the production ones in the drill).

Prints one line per read, tab-separated: what was read, the HTTP status, and a fingerprint of what came back (the
page's <title> for HTML, a SHA-256 of the JSON, lists sorted, for the API), so that two runs (the source and the
restored copy) compare line by line. Exits 1 if a read does not answer 200.

Usage: .venv/bin/python scripts/drill_reads.py
"""

import hashlib
import json
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# The pages are read in-process, without `pacte collectstatic`: static files by their plain names (what the
# drill checks is the database, not the manifest of static files).
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from pacte.contracts.enums import ContractStatus  # noqa: E402
from pacte.contracts.models import Contract  # noqa: E402
from pacte.territories.enums import Level  # noqa: E402
from pacte.territories.models import Territory  # noqa: E402

TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def canonical(value):
    """The JSON with its lists in a fixed order: a list ordered on a non-unique key (two rows of equal sort key)
    may come back in another order from a restored copy, whose rows lie elsewhere on disk."""
    if isinstance(value, dict):
        return {key: canonical(item) for key, item in value.items()}
    if isinstance(value, list):
        items = [canonical(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value


def fingerprint(response) -> str:
    if response.get("Content-Type", "").startswith("application/json"):
        body = json.dumps(canonical(response.json()), sort_keys=True, ensure_ascii=False).encode()
        return "json:" + hashlib.sha256(body).hexdigest()[:16]
    match = TITLE.search(response.content.decode(errors="replace"))
    return "titre:" + " ".join(match.group(1).split()) if match else f"{len(response.content)} octets"


def reads() -> list[tuple[str, str]]:
    """(label, path): public pages, a signed contract, a territory, the API lists; then as a signed-in user."""
    paths = [
        ("accueil", "/"),
        ("référentiel", reverse("programme:index")),
        ("territoires", reverse("territories:index")),
        ("contrats", reverse("contracts:list")),
        ("observation", reverse("observation:index")),
        ("baromètre", reverse("observation:barometer")),
        ("API territoires (régions)", "/api/v1/territories/?level=region"),
        ("API contrats", "/api/v1/contracts/"),
        ("API enveloppes", "/api/v1/envelopes/"),
        ("API pactes", "/api/v1/pacts/"),
    ]
    departement = Territory.objects.filter(level=Level.DEPARTEMENT).order_by("code").first()
    if departement:
        paths.append((f"territoire {departement.code}", departement.get_absolute_url()))
    signed = Contract.objects.filter(status=ContractStatus.SIGNED).order_by("pk").first()
    if signed:
        paths.append((f"contrat signé n° {signed.pk}", signed.get_absolute_url()))
        paths.append((f"API contrat n° {signed.pk}", f"/api/v1/contracts/{signed.pk}"))
    return paths


def main() -> int:
    client = Client()
    failures = 0
    lines = []
    user = get_user_model().objects.filter(is_active=True, is_superuser=False).order_by("pk").first()
    batches = [(None, reads())]
    if user:
        batches.append(
            (user, [("contrats (connecté)", reverse("contracts:list")), ("accueil (connecté)", "/")])
        )
    for who, paths in batches:
        if who is not None:
            client.force_login(who)
        for label, path in paths:
            response = client.get(path, secure=True)
            failures += response.status_code != 200
            prefix = f"{label} [{who.username}]" if who is not None else label
            lines.append(f"{prefix}\t{response.status_code}\t{fingerprint(response)}")
    print("\n".join(lines))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
