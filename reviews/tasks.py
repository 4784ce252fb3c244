import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.utils import translation
from django.utils.translation import gettext as _

from .services import review_job_fail, review_job_requeue, review_job_run, review_jobs_sweep

logger = logging.getLogger(__name__)

# Errors worth another try: the database or the disk was briefly unavailable.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, OSError)
MAX_RETRIES = settings.REVIEWS_TASK_MAX_RETRIES
SOFT_TIME_LIMIT = 10 * 60


def retry_countdown(retries: int) -> int:
    """10 s, 20 s, 40 s, 80 s, 160 s (by default): long enough for a database restart."""
    return min(settings.REVIEWS_RETRY_BASE_SECONDS * 2**retries, 600)


def _note(record, **kwargs) -> None:
    """Write the job's state down if the database lets us. The database may be the very
    thing that failed: the retry (or the failure) must then go ahead all the same; the
    sweep repairs a job whose state could not be written."""
    try:
        record(**kwargs)
    except DatabaseError:
        logger.warning("could not record the state of annual review job %s", kwargs.get("job_id"), exc_info=True)


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
            _note(
                review_job_fail,
                job_id=job_id,
                reason=_("Dựng báo cáo vượt quá thời gian cho phép (%(minutes)s phút).") % {"minutes": SOFT_TIME_LIMIT // 60},
            )
        except TRANSIENT_ERRORS as exc:
            error = f"{type(exc).__name__}: {exc}".strip()
            if self.request.retries >= MAX_RETRIES:
                logger.exception("annual review job %s failed after %s retries", job_id, self.request.retries)
                _note(
                    review_job_fail,
                    job_id=job_id,
                    reason=_("Không dựng được báo cáo sau %(attempts)s lần thử. Lỗi cuối: %(error)s")
                    % {"attempts": self.request.retries + 1, "error": error},
                )
                return
            countdown = retry_countdown(self.request.retries)
            logger.warning("annual review job %s: transient error, retrying in %s s: %s", job_id, countdown, error)
            _note(
                review_job_requeue,
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
            _note(
                review_job_fail,
                job_id=job_id,
                reason=_("Không dựng được báo cáo: %(error)s") % {"error": f"{type(exc).__name__}: {exc}"},
            )


@shared_task(acks_late=True)
def sweep_review_jobs() -> list[int]:
    """Periodic: publish again the annual review jobs no worker would otherwise finish
    (services.review_jobs_sweep). Running it twice at once publishes a job twice at
    worst, and a job delivered twice runs once."""
    return review_jobs_sweep()
