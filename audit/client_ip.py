"""The real client address, one rule for the lock-out (django-axes'
AXES_CLIENT_IP_CALLABLE) and the audit log.

With no reverse proxy (TRUSTED_PROXY_COUNT=0) it is REMOTE_ADDR, and X-Forwarded-For —
which any client can forge — is ignored. Behind N trusted proxies, each of which appends
the address it received the request from, it is the N-th address from the right of
X-Forwarded-For (as werkzeug's ProxyFix reads it); anything further left was written by
the client and is not trusted."""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR") or None
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
