"""Writes of the annual review: requesting a version, running its job, the narratives.

A job runs in stages — compose the content (stored on the job as the snapshot it is built
from), then render it to PDF — and can be run again at any point with the same result: a
re-run after a crash renders the stored snapshot again into the same file name, and
WeasyPrint gives the same bytes for the same content.
"""

import contextlib
import datetime
import functools
import logging
import time
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from audit.models import AuditEventType
from audit.services import audit_record
from periods.models import FigureChange, UnitReportEvent

from .compose import IssueDetails, compose_review, content_sha256
from .models import (
    NARRATIVE_MAX_LENGTH,
    RUNNING_STATUSES,
    JobStatus,
    NarrativeSource,
    PartNarrative,
    PartNarrativeRevision,
    ReviewJob,
)
from .rendering import file_sha256, remove_stale_temporaries, render_pdf

logger = logging.getLogger(__name__)

# A job the broker keeps handing out because every run dies (out of memory, say) is
# failed after this many runs instead of killing workers for ever.
MAX_ATTEMPTS = 6

# A job that has shown no sign of life for this long is taken as lost (its worker died
# and the broker has not handed it out again): it no longer blocks a new request.
STALLED_AFTER = datetime.timedelta(minutes=30)


class ReviewRequestRefused(Exception):
    """A request for a new version that cannot be honoured; `str()` is the message."""


class StaleNarrativeError(Exception):
    """Someone saved the part after the writer loaded it."""

    def __init__(self, current: PartNarrative):
        self.current = current
        who = (current.updated_by.get_full_name() or current.updated_by.username) if current.updated_by_id else _("hệ thống")
        when = formats.date_format(timezone.localtime(current.updated_at), "SHORT_DATETIME_FORMAT")
        super().__init__(
            _(
                "Phần này vừa được %(who)s sửa lúc %(when)s (phiên bản %(version)s). Nội dung bên dưới là bản mới nhất; "
                "hãy xem lại rồi lưu thay đổi của bạn."
            )
            % {"who": who, "when": when, "version": current.version}
        )


# --- narratives ---------------------------------------------------------------------


def normalise_text(text: str) -> str:
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def narrative_save(
    *, year: int, part: str, text: str, include_figures: bool, expected_version: int, actor
) -> tuple[PartNarrative, bool]:
    """Save the secretariat's text for a part of a year's review, keeping the version it
    replaces. Refuses (StaleNarrativeError) when the writer's `expected_version` is not the
    current one. Returns the narrative and whether anything changed."""
    text = normalise_text(text)
    if len(text) > NARRATIVE_MAX_LENGTH:
        raise ValueError("narrative too long")  # the form refuses this with a message first
    with transaction.atomic():
        try:
            with transaction.atomic():
                narrative, _created = PartNarrative.objects.select_for_update().get_or_create(year=year, part=part)
        except IntegrityError:  # created by a concurrent writer a moment ago
            narrative = PartNarrative.objects.select_for_update().get(year=year, part=part)
        if narrative.version != expected_version:
            raise StaleNarrativeError(narrative)
        if narrative.text == text and narrative.include_figures == include_figures and narrative.version:
            return narrative, False
        narrative.text = text
        narrative.include_figures = include_figures
        narrative.version += 1
        narrative.updated_at = timezone.now()
        narrative.updated_by = actor
        narrative.save()
        PartNarrativeRevision.objects.create(
            narrative=narrative,
            version=narrative.version,
            text=text,
            include_figures=include_figures,
            written_by=actor,
            written_at=narrative.updated_at,
            source=NarrativeSource.FORM,
        )
    return narrative, True


# --- jobs ---------------------------------------------------------------------------


def data_markers() -> dict:
    """The newest history rows now: a later version built on newer data has higher ones."""
    return {
        "last_figure_change_id": FigureChange.objects.aggregate(m=Max("pk"))["m"],
        "last_report_event_id": UnitReportEvent.objects.aggregate(m=Max("pk"))["m"],
        "last_narrative_revision_id": PartNarrativeRevision.objects.aggregate(m=Max("pk"))["m"],
    }


def is_stalled(job: ReviewJob, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    last_sign = job.started_at or job.requested_at
    return job.is_running and now - last_sign > STALLED_AFTER


def review_job_request(*, year: int, actor, details: IssueDetails, request=None) -> ReviewJob:
    """Record a request for a new version of a year's review (and an audit row) and queue
    its job once the request is committed. Refuses while another version of that year is
    being built."""
    with transaction.atomic():
        running = [job for job in ReviewJob.objects.for_year(year).running().defer("content") if not is_stalled(job)]
        if running:
            raise ReviewRequestRefused(
                _("Bản %(version)s của báo cáo năm %(year)s đang được dựng; hãy chờ bản đó xong rồi yêu cầu bản mới.")
                % {"version": running[0].version, "year": year}
            )
        version = (ReviewJob.objects.for_year(year).aggregate(m=Max("version"))["m"] or 0) + 1
        try:
            with transaction.atomic():
                job = ReviewJob.objects.create(
                    year=year,
                    version=version,
                    document_number=details.number.strip(),
                    report_date=details.report_date,
                    signer_position=details.signer_position.strip(),
                    signer_name=details.signer_name.strip(),
                    requested_by=actor,
                )
        except IntegrityError:
            raise ReviewRequestRefused(
                _("Một bản khác của báo cáo năm %(year)s vừa được yêu cầu cùng lúc; hãy tải lại trang.") % {"year": year}
            ) from None
        audit_record(
            AuditEventType.REVIEW_REQUESTED,
            request=request,
            actor=actor,
            target=str(job),
            job=job.pk,
            number=job.document_number,
            report_date=job.report_date.isoformat(),
        )
        transaction.on_commit(functools.partial(review_job_publish, job_id=job.pk))
    return job


def review_job_retry(*, job: ReviewJob) -> ReviewJob:
    """Queue a failed (or stalled) job again; it resumes from what it had stored. A person
    asked for it, so the job gets a fresh allowance of attempts."""
    with transaction.atomic():
        job = ReviewJob.objects.select_for_update().get(pk=job.pk)
        if not (job.status == JobStatus.FAILED or is_stalled(job)):
            raise ReviewRequestRefused(_("Chỉ chạy lại được bản bị lỗi hoặc bị treo."))
        job.status = JobStatus.QUEUED
        job.progress = 0
        job.attempts = 0
        job.failure_reason = ""
        job.started_at = None
        job.finished_at = None
        job.published_at = None
        job.save(update_fields=["status", "progress", "attempts", "failure_reason", "started_at", "finished_at", "published_at"])
        transaction.on_commit(functools.partial(review_job_publish, job_id=job.pk))
    return job


def review_job_publish(*, job_id: int) -> bool:
    """Hand the job to the broker and note when. Called after the request's transaction
    has committed (and by the sweep): a broker that is down is logged, never raised, so
    the request that asked for the job still succeeds; the job stays queued with no
    `published_at`, and the sweep publishes it once the broker is back."""
    from backancity.celery import publish_after_commit

    from .tasks import render_annual_review

    if not publish_after_commit(render_annual_review, (job_id,), {}, {}):
        return False
    ReviewJob.objects.filter(pk=job_id).update(published_at=timezone.now())
    return True


# Session-level advisory locks of PostgreSQL are held by a database connection and
# released when it closes, however its process ends (kill -9 included): the lock says
# "a live process is running this job". The first key sets our locks apart from others.
RUN_LOCK_NAMESPACE = 2911


@contextlib.contextmanager
def job_run_lock(job_id: int):
    """Try to take the job's run lock; yields whether it was taken. A second delivery of
    the same job (a redelivered message, a sweep that published it again) finds it held
    and leaves the job to the process already running it. SQLite has no such lock: there
    every attempt takes it (and the sweep relies on time alone)."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [RUN_LOCK_NAMESPACE, job_id])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            # A lost connection has released it already.
            with contextlib.suppress(Exception), connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [RUN_LOCK_NAMESPACE, job_id])


def job_is_being_run(job_id: int) -> bool:
    """Whether a live process holds the job's run lock (always False on SQLite)."""
    with job_run_lock(job_id) as acquired:
        return not acquired


def review_jobs_sweep(*, now: datetime.datetime | None = None) -> list[int]:
    """Publish again every job no worker would otherwise finish (see the REVIEWS_SWEEP_*
    settings): queued and never published, queued and published long ago yet never
    started, or running with nobody running it. Safe to run at any time and any number of
    times: a job delivered twice runs once (run lock, finished jobs left alone). Returns
    the ids of the jobs it published."""
    now = now or timezone.now()

    def ago(seconds: int) -> datetime.datetime:
        return now - datetime.timedelta(seconds=seconds)

    stuck = (
        ReviewJob.objects.filter(
            Q(status=JobStatus.QUEUED, published_at__isnull=True, requested_at__lt=ago(settings.REVIEWS_SWEEP_UNPUBLISHED_AFTER))
            | Q(status=JobStatus.QUEUED, published_at__lt=ago(settings.REVIEWS_SWEEP_QUEUED_AFTER))
            | Q(
                status__in=[JobStatus.COMPOSING, JobStatus.RENDERING],
                started_at__lt=ago(settings.REVIEWS_SWEEP_RUNNING_AFTER),
            )
        )
        .order_by("pk")
        .values_list("pk", "status")
    )
    published = []
    for job_id, status in stuck:
        if status != JobStatus.QUEUED and job_is_being_run(job_id):
            continue  # slow, not dead
        logger.warning("review job %s (%s) is stuck: publishing it again", job_id, status)
        if not review_job_publish(job_id=job_id):
            break  # the broker is still down: the next sweep tries again
        published.append(job_id)
    return published


def _update(job: ReviewJob, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    ReviewJob.objects.filter(pk=job.pk).update(**fields)


def _pdf_intact(job: ReviewJob) -> bool:
    if not job.pdf or not job.pdf_sha256:
        return False
    path = Path(default_storage.path(job.pdf.name))
    return path.is_file() and path.stat().st_size == job.pdf_size and file_sha256(path) == job.pdf_sha256


def review_job_run(*, job_id: int) -> ReviewJob | None:
    """Run a job to the end. Safe to call again for the same job at any time: a finished
    job with its file intact is left alone; one that another live process is running is
    left to it; otherwise it continues from its stored snapshot and writes the same file
    again."""
    with job_run_lock(job_id) as acquired:
        if not acquired:
            logger.info("review job %s is being run by another process: this delivery is dropped", job_id)
            return None
        return _run(job_id)


def _run(job_id: int) -> ReviewJob | None:
    with transaction.atomic():
        job = ReviewJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            return None
        if job.status == JobStatus.DONE and _pdf_intact(job):
            return job
        if job.attempts >= MAX_ATTEMPTS:
            job.status = JobStatus.FAILED
            job.failure_reason = _("Đã chạy %(attempts)s lần mà không xong; dừng lại để không làm treo máy chủ.") % {
                "attempts": job.attempts
            }
            job.finished_at = timezone.now()
            job.save(update_fields=["status", "failure_reason", "finished_at"])
            return job
        job.attempts = F("attempts") + 1
        job.status = JobStatus.COMPOSING if job.content is None else JobStatus.RENDERING
        job.progress = 5
        job.failure_reason = ""
        job.started_at = timezone.now()
        job.finished_at = None
        job.save(update_fields=["attempts", "status", "progress", "failure_reason", "started_at", "finished_at"])
        job.refresh_from_db(fields=["attempts"])

    if job.content is None:
        # Read the markers before composing: data that changes meanwhile then shows as
        # "changed since this version", never the other way round.
        markers = data_markers()
        started = time.perf_counter()
        content = compose_review(job.year, details=job_details(job))
        _update(
            job,
            content=content,
            content_sha256=content_sha256(content),
            compose_ms=round((time.perf_counter() - started) * 1000),
            status=JobStatus.RENDERING,
            progress=40,
            **markers,
        )
    else:
        _update(job, status=JobStatus.RENDERING, progress=40)

    name = job.storage_name()
    target = Path(default_storage.path(name))
    remove_stale_temporaries(target)
    started = time.perf_counter()
    result = render_pdf(job.content, target, on_laid_out=lambda: _update(job, progress=80))
    with transaction.atomic():
        _update(
            job,
            pdf=name,
            pdf_sha256=result.sha256,
            pdf_size=result.size,
            page_count=result.pages,
            render_ms=round((time.perf_counter() - started) * 1000),
            status=JobStatus.DONE,
            progress=100,
            finished_at=timezone.now(),
        )
        # The version exists from now on: issued on behalf of whoever asked for it.
        audit_record(
            AuditEventType.REVIEW_ISSUED,
            actor=job.requested_by,
            target=str(job),
            job=job.pk,
            sha256=result.sha256,
            pages=result.pages,
        )
    return job


def review_job_requeue(*, job_id: int, reason: str) -> None:
    """Back to the queue after a transient error; the task retries it later."""
    ReviewJob.objects.filter(pk=job_id, status__in=RUNNING_STATUSES).update(
        status=JobStatus.QUEUED, progress=0, failure_reason=reason[:2000]
    )


def review_job_fail(*, job_id: int, reason: str) -> None:
    failed = (
        ReviewJob.objects.filter(pk=job_id)
        .exclude(status=JobStatus.DONE)
        .update(
            status=JobStatus.FAILED, failure_reason=reason[:2000] or _("Lỗi không rõ nguyên nhân."), finished_at=timezone.now()
        )
    )
    if failed:
        # A failed version has no file: nothing a run stopped midway may have left behind.
        job = ReviewJob.objects.only("pk", "year", "version").get(pk=job_id)
        target = Path(default_storage.path(job.storage_name()))
        target.unlink(missing_ok=True)
        remove_stale_temporaries(target)


def job_details(job: ReviewJob) -> IssueDetails:
    return IssueDetails(
        report_date=job.report_date,
        number=job.document_number,
        signer_position=job.signer_position,
        signer_name=job.signer_name,
    )
