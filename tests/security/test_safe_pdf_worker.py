"""A real Celery worker stops a render that runs over REVIEWS_RENDER_TIME_LIMIT and marks
the version failed, with no file left (CI sets CELERY_BROKER_URL)."""

import datetime
import os
from pathlib import Path

import pytest

from reviews import tasks
from reviews.compose import IssueDetails
from reviews.models import JobStatus
from reviews.services import review_job_request
from tests.reviews.test_worker import wait_for
from tests.workers import Worker, database_shared_with_other_processes

from .test_safe_pdf import files_in, long_narratives

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

LIMIT_SECONDS = 2


@pytest.fixture
def worker(settings, tmp_path, monkeypatch):
    if not database_shared_with_other_processes():
        pytest.skip("the in-memory SQLite test database is not visible to another process")
    from backancity.celery import app

    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    worker = Worker(
        broker_url=os.environ["CELERY_BROKER_URL"],
        media=settings.MEDIA_ROOT,
        log_dir=tmp_path,
        env={"REVIEWS_RENDER_TIME_LIMIT": str(LIMIT_SECONDS)},
    )
    yield worker
    worker.stop()


def test_the_worker_stops_a_render_over_its_time_limit(worker, secretariat, monkeypatch, settings):
    long_narratives(2024)
    # The request would publish through the default queue; this test sends to its worker.
    monkeypatch.setattr("reviews.services.review_job_publish", lambda job_id: None)
    job = review_job_request(year=2024, actor=secretariat, details=IssueDetails(report_date=datetime.date(2024, 12, 20)))
    worker.send(tasks.render_annual_review, job.pk)
    job = wait_for(job.pk, lambda j: j.status in (JobStatus.DONE, JobStatus.FAILED), timeout=120)
    assert job.status == JobStatus.FAILED, worker.log_text()
    assert job.failure_reason.startswith(f"Dựng báo cáo vượt quá thời gian cho phép ({LIMIT_SECONDS} giây)")
    assert job.attempts == 1 and not job.pdf
    assert files_in(Path(settings.MEDIA_ROOT)) == []
    assert worker.process.poll() is None  # the worker itself carries on
