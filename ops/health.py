"""What the health endpoint checks: the database answers, and the broker (when one is
configured) accepts a connection. Each check is bounded in time."""

import time

from django.conf import settings
from django.db import connection


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True, "ok"
    except Exception as exc:  # report, never raise: this is a health probe
        return False, exc.__class__.__name__


def check_broker(timeout: float = 2.0) -> tuple[bool, str]:
    if not settings.CELERY_BROKER_URL:
        return True, "eager (no broker configured)"
    from backancity.celery import app

    try:
        with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
        return True, "ok"
    except Exception as exc:
        return False, exc.__class__.__name__


def health() -> dict:
    started = time.monotonic()
    db_ok, db_detail = check_database()
    broker_ok, broker_detail = check_broker()
    return {
        "status": "ok" if db_ok and broker_ok else "fail",
        "database": db_detail,
        "broker": broker_detail,
        "duration_ms": round((time.monotonic() - started) * 1000, 1),
    }
