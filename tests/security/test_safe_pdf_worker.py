"""A real Celery worker stops a render that runs over REVIEWS_RENDER_TIME_LIMIT and marks
the version failed, with no file left (CI sets CELERY_BROKER_URL)."""

import datetime
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

from reviews import tasks
from reviews.compose import IssueDetails
from reviews.models import JobStatus
from reviews.services import review_job_request
from tests.reviews.test_worker import database_url_for_worker, wait_for

from .test_safe_pdf import files_in, long_narratives

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

LIMIT_SECONDS = 2


@pytest.fixture
def worker(settings, tmp_path, monkeypatch):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(("file:", ":memory:")):
        pytest.skip("the in-memory SQLite test database is not visible to another process")
    from backancity.celery import app

    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    queue = f"test-limit-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "backancity.settings",
        "SECRET_KEY": "worker-test",
        "DATABASE_URL": database_url_for_worker(),
        "CELERY_BROKER_URL": os.environ["CELERY_BROKER_URL"],
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "REVIEWS_RENDER_TIME_LIMIT": str(LIMIT_SECONDS),
    }
    command = [sys.executable, "-m", "celery", "-A", "backancity", "worker", "-Q", queue, "-P", "prefork", "-c", "1"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "WARNING"]
    process = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    yield queue, process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def test_the_worker_stops_a_render_over_its_time_limit(worker, secretariat, monkeypatch, settings):
    queue, process = worker
    long_narratives(2024)
    monkeypatch.setattr(tasks.render_annual_review, "delay_on_commit", lambda job_id: None)
    job = review_job_request(year=2024, actor=secretariat, details=IssueDetails(report_date=datetime.date(2024, 12, 20)))

    from backancity.celery import app

    with app.connection_for_write(os.environ["CELERY_BROKER_URL"]) as broker:
        tasks.render_annual_review.apply_async(args=[job.pk], queue=queue, connection=broker)
    job = wait_for(job.pk, lambda j: j.status in (JobStatus.DONE, JobStatus.FAILED), timeout=120)
    assert job.status == JobStatus.FAILED
    assert job.failure_reason.startswith(f"Dựng báo cáo vượt quá thời gian cho phép ({LIMIT_SECONDS} giây)")
    assert job.attempts == 1 and not job.pdf
    assert files_in(Path(settings.MEDIA_ROOT)) == []
    assert process.poll() is None  # the worker itself carries on
