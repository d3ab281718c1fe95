"""The client address that django-axes counts failed logins against."""

from django.conf import settings


def client_ip(request) -> str:
    """REMOTE_ADDR, or the X-Real-IP header set by the reverse proxy when PACTE_TRUSTED_PROXY is on.

    The header is trusted only then: without a proxy that overwrites it, anyone could send any value
    and escape the throttle (or lock someone else out)."""
    if settings.PACTE_TRUSTED_PROXY:
        forwarded = request.META.get("HTTP_X_REAL_IP", "").strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR", "") or "inconnue"
