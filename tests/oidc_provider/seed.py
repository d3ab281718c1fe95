"""Prepares the provider's database: its RSA signing key, the Pacte client (confidential, RS256, code flow, no
consent screen) and its agents. Run with the provider's settings:
`python -m tests.oidc_provider.seed SEED.json`, where SEED.json holds
{"client": {"client_id", "client_secret", "redirect_uris", "post_logout_redirect_uris"},
 "agents": [{"username", "password", "email", "first_name", "last_name"}]}."""

import json
import sys
from pathlib import Path

import django


def main(path: str) -> None:
    django.setup()
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from oidc_provider.models import Client, ResponseType, RSAKey

    seed = json.loads(Path(path).read_text())
    call_command("migrate", verbosity=0)
    if not RSAKey.objects.exists():
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
        RSAKey.objects.create(key=pem.decode())
    data = seed["client"]
    client, _ = Client.objects.update_or_create(
        client_id=data["client_id"],
        defaults={
            "name": "Pacte",
            "client_type": "confidential",
            "client_secret": data["client_secret"],
            "jwt_alg": "RS256",
            "require_consent": False,
            "reuse_consent": True,
        },
    )
    client.redirect_uris = data["redirect_uris"]
    client.post_logout_redirect_uris = data["post_logout_redirect_uris"]
    client.save()
    client.response_types.set(ResponseType.objects.filter(value="code"))
    for agent in seed["agents"]:
        user, _ = User.objects.update_or_create(
            username=agent["username"],
            defaults={key: agent[key] for key in ("email", "first_name", "last_name")},
        )
        user.set_password(agent["password"])
        user.save()


if __name__ == "__main__":
    main(sys.argv[1])
