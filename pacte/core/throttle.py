"""Counting requests in fixed windows, in Django's default cache (shared by the server processes, see
docs/deploiement.md): the throttle on anonymous PDF renderings (`pacte.core.pdf_cache`) and on forgotten-password
requests (`pacte.accounts.views`)."""

import math

from django.core.cache import cache


def count(kind: str, key: str, window: int, now: float) -> tuple[int, int]:
    """One more request of `kind` under `key` in the current window of `window` seconds: (requests in the window,
    seconds left in it). A key that could hold personal data is given as a digest by the caller."""
    slot = int(now // window)
    cache_key = f"pacte:{kind}:{key}:{slot}"
    cache.add(cache_key, 0, timeout=window + 5)
    try:
        total = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window + 5)
        total = 1
    return total, max(1, math.ceil((slot + 1) * window - now))
