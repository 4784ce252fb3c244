"""Celery that loses no job, without a worker: a request made while the broker is down
still succeeds and its job waits for the sweep; the sweep publishes exactly the jobs no
worker would otherwise finish; a job being run by a live process is not run twice; the
task's bookkeeping never stops a retry; and every task of the portal is safe to run
twice (late acknowledgement may deliver any of them again)."""

import datetime
from pathlib import Path

import psycopg2
import pytest
from django.core import mail
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backancity.celery import app
from periods.models import ReportingPeriod, ReportStatus, UnitReportEvent
from reviews import services, tasks
from reviews.models import JobStatus, ReviewJob
from reviews.services import RUN_LOCK_NAMESPACE, review_job_run, review_jobs_sweep
from spreadsheets.models import SpreadsheetUpload, UploadStatus
from tests import factories
from tests.workers import free_port, publishing_to

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def make_job(version, *, status=JobStatus.QUEUED, requested=None, published=None, started=None, **extra):
    return ReviewJob.objects.create(
        year=2024,
        version=version,
        report_date=datetime.date(2024, 12, 20),
        requested_by=factories.make_user(role="secretariat"),
        requested_at=requested or NOW - datetime.timedelta(hours=1),
        status=status,
        published_at=published,
        started_at=started,
        **extra,
    )


def ago(**delta):
    return NOW - datetime.timedelta(**delta)


@pytest.fixture
def published(monkeypatch):
    """The sweep's publications, recorded instead of sent."""
    sent = []

    def publish(*, job_id):
        sent.append(job_id)
        return True

    monkeypatch.setattr(services, "review_job_publish", publish)
    return sent


def test_a_review_requested_while_the_broker_is_down_is_accepted_and_waits_for_the_sweep(
    year_2024, secretariat, media, caplog, django_capture_on_commit_callbacks
):
    client = Client(raise_request_exception=False)
    client.force_login(secretariat)
    with publishing_to(f"redis://127.0.0.1:{free_port()}/0"):  # nothing listens there
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("reviews:request", args=[2024]), {"report_date": "20/12/2024", "signer_position": "Bí thư"}
            )
        assert response.status_code == 302
        job = ReviewJob.objects.get()
        assert (job.status, job.published_at) == (JobStatus.QUEUED, None)
        assert "broker unavailable, left for the sweep" in caplog.text
        page = client.get(reverse("reviews:year", args=[2024])).content.decode()
        assert "Đã yêu cầu dựng bản 1 của báo cáo năm 2024" in page

        # Still down at the next sweep: nothing is lost, the sweep tries again later.
        later = job.requested_at + datetime.timedelta(minutes=2)
        assert review_jobs_sweep(now=later) == []
        assert ReviewJob.objects.get().published_at is None

    # The broker is back (here: tasks run eagerly): the sweep publishes, the job runs.
    assert review_jobs_sweep(now=later) == [job.pk]
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 1 and job.published_at is not None
    assert review_jobs_sweep(now=later) == []


def test_the_sweep_publishes_exactly_the_jobs_no_worker_would_finish(published, settings):
    settings.REVIEWS_SWEEP_UNPUBLISHED_AFTER = 60
    settings.REVIEWS_SWEEP_QUEUED_AFTER = 2 * 60 * 60
    settings.REVIEWS_SWEEP_RUNNING_AFTER = 15 * 60
    never_published = make_job(1, requested=ago(minutes=2))
    make_job(2, requested=ago(seconds=10))  # its request may be committing right now
    make_job(3, requested=ago(minutes=5), published=ago(minutes=4))  # waiting in the queue
    lost_message = make_job(4, requested=ago(hours=3), published=ago(hours=3))
    worker_died = make_job(5, status=JobStatus.RENDERING, published=ago(hours=1), started=ago(minutes=20), attempts=1)
    make_job(6, status=JobStatus.COMPOSING, published=ago(minutes=2), started=ago(minutes=1), attempts=1)
    make_job(7, status=JobStatus.FAILED, failure_reason="Lỗi", started=ago(hours=1), attempts=6)

    assert review_jobs_sweep(now=NOW) == [never_published.pk, lost_message.pk, worker_died.pk]
    assert published == [never_published.pk, lost_message.pk, worker_died.pk]


def test_the_sweep_stops_at_the_first_job_the_broker_refuses(monkeypatch):
    attempts = []
    monkeypatch.setattr(services, "review_job_publish", lambda *, job_id: attempts.append(job_id) and False)
    make_job(1, requested=ago(minutes=5))
    make_job(2, requested=ago(minutes=5))
    assert review_jobs_sweep(now=NOW) == []
    assert len(attempts) == 1


def test_the_sweep_runs_every_minute_on_beat():
    entry = next(entry for entry in app.conf.beat_schedule.values() if entry["task"] == "reviews.tasks.sweep_review_jobs")
    assert entry["schedule"] == 60
    assert "reviews.tasks.sweep_review_jobs" in app.tasks


class OtherProcess:
    """Another database connection holding job run locks, as a worker running those
    jobs would; `dies()` closes it, as a killed worker's connection is closed."""

    def __init__(self):
        db = connection.settings_dict
        self.connection = psycopg2.connect(
            dbname=db["NAME"], user=db.get("USER") or None, host=db.get("HOST") or "127.0.0.1", port=db.get("PORT") or 5432
        )
        self.connection.autocommit = True

    def runs(self, job_id):
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [RUN_LOCK_NAMESPACE, job_id])

    def dies(self):
        self.connection.close()


@pytest.fixture
def other_process():
    if connection.vendor != "postgresql":
        pytest.skip("run locks are PostgreSQL advisory locks")
    process = OtherProcess()
    yield process
    process.dies()


@pytest.mark.django_db(transaction=True)
def test_a_job_that_a_live_process_is_running_is_neither_swept_nor_run_twice(other_process, published, media):
    slow = make_job(1, status=JobStatus.RENDERING, published=ago(hours=1), started=ago(hours=1), attempts=1)
    other_process.runs(slow.pk)

    assert review_jobs_sweep(now=NOW) == []
    assert review_job_run(job_id=slow.pk) is None  # a second delivery of the same job
    slow.refresh_from_db()
    assert (slow.status, slow.attempts) == (JobStatus.RENDERING, 1)

    other_process.dies()  # killed: its connection, and so the lock, is gone
    assert review_jobs_sweep(now=NOW) == [slow.pk]
    assert published == [slow.pk]


def test_the_task_retries_even_when_the_database_cannot_record_why(monkeypatch, settings):
    """The database being down is the likeliest transient error: writing the job's state
    then fails too, and must not stop the retry (or, at the end, the failure)."""
    runs, notes = [], []

    def database_down(**kwargs):
        runs.append(kwargs)
        raise OperationalError("could not connect to server: Connection refused")

    def cannot_write(**kwargs):
        notes.append(kwargs["job_id"])
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(tasks, "review_job_run", database_down)
    monkeypatch.setattr(tasks, "review_job_requeue", cannot_write)
    monkeypatch.setattr(tasks, "review_job_fail", cannot_write)
    tasks.render_annual_review.apply(args=[42])
    assert len(runs) == tasks.MAX_RETRIES + 1
    assert notes == [42] * (tasks.MAX_RETRIES + 1)  # each retry's note, then the failure


# --- every task is safe to run twice ---------------------------------------------------

# Each task of the portal, and the test that runs it twice.
RUN_TWICE = {
    "periods.tasks.ensure_reporting_periods": "test_ensure_reporting_periods_twice",
    "reporting.tasks.send_report_reminders": "tests/reporting/test_reminders.py::"
    "test_a_second_run_the_same_day_sends_nothing_and_the_next_day_sends_again",
    "reporting.tasks.notify_report_event": "test_notify_report_event_twice",
    "spreadsheets.tasks.discard_stale_uploads": "test_discard_stale_uploads_twice",
    "reviews.tasks.render_annual_review": "tests/reviews/test_jobs.py::test_running_a_finished_job_again_changes_nothing",
    "reviews.tasks.sweep_review_jobs": "test_sweep_review_jobs_twice",
    "reporting.tasks.sweep_report_event_notices": "test_sweep_report_event_notices_twice",
}


def test_every_task_of_the_portal_is_known_to_be_safe_to_run_twice():
    app.loader.import_default_modules()  # every app's tasks module, as a worker imports them
    ours = {name for name in app.tasks if not name.startswith("celery.")}
    assert ours == set(RUN_TWICE), "a new task: make it idempotent and add its run-twice test to RUN_TWICE"
    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost


def test_ensure_reporting_periods_twice():
    from periods.tasks import ensure_reporting_periods

    created = ensure_reporting_periods.apply().get()
    assert created > 0
    count = ReportingPeriod.objects.count()
    assert ensure_reporting_periods.apply().get() == 0
    assert ReportingPeriod.objects.count() == count


def test_notify_report_event_twice(ward, period, ward_officer, leader):
    from reporting.tasks import notify_report_event

    ward_officer.email = "canbo@songcau.example.vn"
    ward_officer.save()
    report = factories.set_report_status(ward, period, ReportStatus.APPROVED)
    event = UnitReportEvent.objects.create(
        report=report, from_status=ReportStatus.SUBMITTED, to_status=ReportStatus.APPROVED, actor=leader
    )
    assert notify_report_event.apply(args=[event.pk]).get() == 1
    assert notify_report_event.apply(args=[event.pk]).get() == 0  # delivered again: nothing sent
    assert len(mail.outbox) == 1 and "đã được duyệt" in mail.outbox[0].subject


def test_notify_report_event_failing_to_send_is_tried_again(ward, period, ward_officer, leader, monkeypatch):
    from reporting import services as reporting_services

    ward_officer.email = "canbo@songcau.example.vn"
    ward_officer.save()
    report = factories.set_report_status(ward, period, ReportStatus.RETURNED, return_reason="Bổ sung")
    event = UnitReportEvent.objects.create(
        report=report, from_status=ReportStatus.SUBMITTED, to_status=ReportStatus.RETURNED, actor=leader, reason="Bổ sung"
    )

    def smtp_down(self, *args, **kwargs):
        raise OSError("Connection refused")

    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.EmailMessage.send", smtp_down)
        with pytest.raises(OSError):
            reporting_services.report_event_notify(event_id=event.pk)
    assert reporting_services.report_event_notify(event_id=event.pk) == 1  # not marked as sent by the failure
    assert len(mail.outbox) == 1


def test_discard_stale_uploads_twice(ward, period, ward_officer):
    from spreadsheets.tasks import discard_stale_uploads

    SpreadsheetUpload.objects.create(
        user=ward_officer,
        unit=ward,
        period=period,
        original_name="so-lieu.xlsx",
        file_format="xlsx",
        content=b"PK...",
        size=5,
        sha256="0" * 64,
        created_at=ago(days=2),
    )
    assert discard_stale_uploads.apply().get() == 1
    assert discard_stale_uploads.apply().get() == 0
    assert SpreadsheetUpload.objects.get().status == UploadStatus.DISCARDED


def test_sweep_review_jobs_twice(year_2024, media, settings):
    """In the development set-up (no broker) the sweep runs the job at once; the second
    sweep finds nothing to do, and the job ran once."""
    settings.REVIEWS_SWEEP_UNPUBLISHED_AFTER = 0
    job = make_job(1, requested=ago(minutes=5))
    assert tasks.sweep_review_jobs.apply().get() == [job.pk]
    assert tasks.sweep_review_jobs.apply().get() == []
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.DONE, 1)
    assert [path.name for path in Path(media).rglob("*.pdf")] == [Path(job.pdf.name).name]


# --- report e-mails that never went out ------------------------------------------------------


def report_event(ward, period, leader, status, at):
    report = factories.set_report_status(ward, period, status, return_reason="Bổ sung" if status == "returned" else "")
    return UnitReportEvent.objects.create(
        report=report, from_status=ReportStatus.SUBMITTED, to_status=status, actor=leader, reason="Bổ sung", at=at
    )


@pytest.fixture
def officer_with_email(ward_officer):
    ward_officer.email = "canbo@songcau.example.vn"
    ward_officer.save()
    return ward_officer


def test_an_approval_whose_e_mail_was_never_published_is_sent_by_the_sweep(
    ward, period, leader, officer_with_email, monkeypatch, django_capture_on_commit_callbacks
):
    """The broker was down when the leader approved: the approval stands, the e-mail waits
    for the sweep, which sends it once."""
    from reporting import services as reporting_services

    factories.set_report_status(ward, period, ReportStatus.SUBMITTED)

    def broker_refuses(*args, **kwargs):
        raise OSError("Connection refused")

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False  # as in production: the task goes to the broker
    try:
        with monkeypatch.context() as broker_down:
            broker_down.setattr("reporting.tasks.notify_report_event.apply_async", broker_refuses)
            with django_capture_on_commit_callbacks(execute=True):
                reporting_services.report_approve(unit=ward, period=period, actor=leader)
    finally:
        app.conf.task_always_eager = eager
    event = UnitReportEvent.objects.get(to_status=ReportStatus.APPROVED)
    assert mail.outbox == []
    assert reporting_services.report_event_notices_sweep(now=event.at + datetime.timedelta(minutes=5)) == []  # too soon
    later = event.at + datetime.timedelta(minutes=31)
    assert reporting_services.report_event_notices_sweep(now=later) == [event.pk]
    assert [m.to for m in mail.outbox] == [["canbo@songcau.example.vn"]]
    assert "đã được duyệt" in mail.outbox[0].subject


def test_the_notice_sweep_leaves_sent_old_and_unnotified_events_alone(ward, period, leader, officer_with_email):
    from reporting import services as reporting_services

    sent = report_event(ward, period, leader, ReportStatus.APPROVED, ago(hours=1))
    reporting_services.report_event_notify(event_id=sent.pk)
    report_event(ward, period, leader, ReportStatus.RETURNED, ago(hours=30))  # older than the look-back
    report_event(ward, period, leader, ReportStatus.SUBMITTED, ago(hours=1))  # no e-mail for a submission
    report_event(ward, period, None, ReportStatus.APPROVED, ago(hours=1))  # published by setup_portal, not a person
    missing = report_event(ward, period, leader, ReportStatus.RETURNED, ago(hours=2))
    assert reporting_services.report_event_notices_missing(now=NOW) == [missing.pk]


def test_the_notice_sweep_stops_at_the_first_event_the_broker_refuses(ward, period, leader, monkeypatch):
    from reporting import services as reporting_services

    report_event(ward, period, leader, ReportStatus.APPROVED, ago(hours=1))
    report_event(ward, period, leader, ReportStatus.RETURNED, ago(hours=1))
    attempts = []
    monkeypatch.setattr("backancity.celery.publish_after_commit", lambda task, args, *rest: attempts.append(args) and False)
    assert reporting_services.report_event_notices_sweep(now=NOW) == []
    assert len(attempts) == 1


def test_sweep_report_event_notices_twice(ward, period, leader, officer_with_email, settings):
    from reporting.tasks import sweep_report_event_notices

    settings.REPORTING_NOTICE_SWEEP_AFTER_SECONDS = 0
    event = report_event(ward, period, leader, ReportStatus.APPROVED, ago(minutes=1))
    assert sweep_report_event_notices.apply().get() == [event.pk]
    assert sweep_report_event_notices.apply().get() == []
    assert len(mail.outbox) == 1


def test_the_notice_sweep_runs_every_ten_minutes_on_beat():
    entry = next(e for e in app.conf.beat_schedule.values() if e["task"] == "reporting.tasks.sweep_report_event_notices")
    assert entry["schedule"] == 600
