import logging
import signal
import threading
from contextlib import contextmanager

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
# The limit as the worker reads it when it starts (REVIEWS_RENDER_TIME_LIMIT in its
# environment). Celery's own soft limit is a backstop a little later: it raises an
# ordinary exception, which a renderer may catch and log (WeasyPrint skips a resource
# that failed to load) instead of stopping.
SOFT_TIME_LIMIT = settings.REVIEWS_RENDER_TIME_LIMIT
BACKSTOP_SECONDS = 30
ALARM_REPEAT_SECONDS = 1


class RenderTimeLimitExceeded(BaseException):
    """Raised by the render's alarm. A BaseException, so that no `except Exception` inside
    the renderer swallows it and leaves a version built without some of its parts."""


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


def _limit_phrase(seconds: int) -> str:
    if seconds % 60 == 0:
        return _("%(minutes)s phút") % {"minutes": seconds // 60}
    return _("%(seconds)s giây") % {"seconds": seconds}


@contextmanager
def _time_limit(seconds: int):
    """Stop the job after `seconds`: an alarm raises RenderTimeLimitExceeded wherever the
    job is, in a worker process as in an eager run (no broker). Only a main thread
    receives signals; in another thread (the development server's) the job runs
    unbounded.

    The alarm repeats every second until the block ends: an exception raised while
    Python runs a finaliser (`__del__`, e.g. WeasyPrint's FontConfiguration) is printed
    and dropped, so a single alarm could be lost and the render run on. A second apart,
    a repeat does not cut short the clean-up (rollback, lock release) of the first."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise RenderTimeLimitExceeded(f"ran longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, ALARM_REPEAT_SECONDS)
    try:
        yield
    finally:
        while True:
            try:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
                break
            except RenderTimeLimitExceeded:
                continue  # a repeat landed while disarming: disarm again


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
    soft_time_limit=SOFT_TIME_LIMIT + BACKSTOP_SECONDS,
    time_limit=SOFT_TIME_LIMIT + BACKSTOP_SECONDS + 120,
)
def render_annual_review(self, job_id: int) -> None:
    """Compose and render one version of the annual review (a ReviewJob). Idempotent: the
    broker may deliver it again after a worker died, and it then finishes the same job."""
    with translation.override("vi"):
        limit = settings.REVIEWS_RENDER_TIME_LIMIT if self.request.is_eager else SOFT_TIME_LIMIT
        try:
            with _time_limit(limit):
                review_job_run(job_id=job_id)
        except (RenderTimeLimitExceeded, SoftTimeLimitExceeded):
            logger.warning("annual review job %s stopped after its time limit of %s s", job_id, limit)
            _note(
                review_job_fail,
                job_id=job_id,
                reason=_("Dựng báo cáo vượt quá thời gian cho phép (%(limit)s); đã dừng, không có tệp nào được tạo.")
                % {"limit": _limit_phrase(limit)},
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
