import logging

from backancity.text import normalise_text

from .client_ip import client_ip
from .models import AuditEvent

logger = logging.getLogger("backancity.audit")


def audit_record(event: str, *, request=None, actor=None, username: str = "", target: str = "", **detail) -> AuditEvent:
    """Append one event to the audit log (and to the `backancity.audit` log stream)."""
    user = actor if actor is not None else getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    entry = AuditEvent.objects.create(
        event=event,
        actor=user,
        username=(username or (user.get_username() if user else ""))[:150],
        ip_address=client_ip(request) if request is not None else None,
        path=(request.get_full_path()[:500] if request is not None else ""),
        target=str(target)[:300],
        # Text fields are normalised on save; the JSON detail is not, and PostgreSQL's jsonb
        # refuses a NUL character outright.
        detail={key: normalise_text(str(value))[:500] for key, value in detail.items()},
    )
    logger.info(
        "audit event=%s user=%s ip=%s target=%s path=%s", event, entry.username, entry.ip_address, entry.target, entry.path
    )
    return entry
