"""The client address that django-axes counts failed logins against."""

import ipaddress

from django.conf import settings


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """REMOTE_ADDR, or the X-Real-IP header set by the reverse proxy when PACTE_TRUSTED_PROXY is on.

    The header is trusted only then: without a proxy that overwrites it, anyone could send any value
    and escape the throttle (or lock someone else out). Anything that is not an IP address counts as
    unknown (None), since the database stores addresses in an IP column."""
    meta = getattr(request, "META", None) or {}
    if settings.PACTE_TRUSTED_PROXY:
        forwarded = _valid(meta.get("HTTP_X_REAL_IP", ""))
        if forwarded:
            return forwarded
    return _valid(meta.get("REMOTE_ADDR", ""))
