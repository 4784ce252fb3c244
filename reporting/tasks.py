from celery import shared_task

from .services import reminders_send, report_event_notices_sweep, report_event_notify


@shared_task
def send_report_reminders() -> dict:
    """Periodic (daily): remind units that have not sent the current period's report."""
    return reminders_send()


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def notify_report_event(event_id: int) -> int:
    """Tell a unit's officers that their report was returned, reopened or approved."""
    return report_event_notify(event_id=event_id)


@shared_task
def sweep_report_event_notices() -> list[int]:
    """Periodic: publish again the report e-mails that never went out (services)."""
    return report_event_notices_sweep()
