import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError
from django.utils import translation
from django.utils.translation import gettext as _

from .services import review_job_fail, review_job_requeue, review_job_run

logger = logging.getLogger(__name__)

# Errors worth another try: the database or the disk was briefly unavailable.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, OSError)
MAX_RETRIES = 5
SOFT_TIME_LIMIT = 10 * 60


def retry_countdown(retries: int) -> int:
    """10 s, 20 s, 40 s, 80 s, 160 s: long enough for a database restart."""
    return min(10 * 2**retries, 600)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=SOFT_TIME_LIMIT + 120,
)
def render_annual_review(self, job_id: int) -> None:
    """Compose and render one version of the annual review (a ReviewJob). Idempotent: the
    broker may deliver it again after a worker died, and it then finishes the same job."""
    with translation.override("vi"):
        try:
            review_job_run(job_id=job_id)
        except SoftTimeLimitExceeded:
            review_job_fail(
                job_id=job_id,
                reason=_("Dựng báo cáo vượt quá thời gian cho phép (%(minutes)s phút).") % {"minutes": SOFT_TIME_LIMIT // 60},
            )
        except TRANSIENT_ERRORS as exc:
            error = f"{type(exc).__name__}: {exc}"
            if self.request.retries >= MAX_RETRIES:
                logger.exception("annual review job %s failed after %s retries", job_id, self.request.retries)
                review_job_fail(
                    job_id=job_id,
                    reason=_("Không dựng được báo cáo sau %(attempts)s lần thử. Lỗi cuối: %(error)s")
                    % {"attempts": self.request.retries + 1, "error": error},
                )
                return
            countdown = retry_countdown(self.request.retries)
            logger.warning("annual review job %s: transient error, retrying in %s s: %s", job_id, countdown, error)
            review_job_requeue(
                job_id=job_id,
                reason=_("Lỗi tạm thời, sẽ tự thử lại sau %(seconds)s giây: %(error)s") % {"seconds": countdown, "error": error},
            )
            if self.request.is_eager:
                # No broker to come back to later (a laptop without Redis): try again now.
                self.apply(args=[job_id], retries=self.request.retries + 1)
                return
            raise self.retry(exc=exc, countdown=countdown) from exc
        except Exception as exc:
            logger.exception("annual review job %s failed", job_id)
            review_job_fail(
                job_id=job_id, reason=_("Không dựng được báo cáo: %(error)s") % {"error": f"{type(exc).__name__}: {exc}"}
            )
