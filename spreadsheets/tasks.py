from celery import shared_task

from .services import uploads_discard_stale


@shared_task
def discard_stale_uploads() -> int:
    return uploads_discard_stale()
