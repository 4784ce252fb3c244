from celery import shared_task

from .services import periods_ensure_through


@shared_task
def ensure_reporting_periods() -> int:
    """Periodic: make sure the coming quarters exist before units need to report."""
    return periods_ensure_through()
