"""The secret address of a person's calendar feeds: only its SHA-256 is kept, the clear value is shown once."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from pacte.governance.models import CalendarToken

LONGEST_KEY = 100
USE_RECORDED_EVERY = 3600  # seconds between two records of a token's last use


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def issue_calendar_token(user) -> str:
    """A new secret address for `user`'s calendar feeds; the previous ones stop working. The clear value
    is returned once and never stored."""
    CalendarToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    raw = secrets.token_urlsafe(32)
    CalendarToken.objects.create(user=user, key_hash=_hash(raw))
    return raw


@transaction.atomic
def revoke_calendar_tokens(user) -> int:
    return CalendarToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def calendar_token_user(raw: str):
    """The active user of a valid, unrevoked secret address (its use is recorded); None otherwise."""
    if not raw or len(raw) > LONGEST_KEY:
        return None
    token = (
        CalendarToken.objects.select_related("user__organisation", "user__territory")
        .filter(key_hash=_hash(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > USE_RECORDED_EVERY:
        CalendarToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
