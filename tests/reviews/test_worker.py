"""A real Celery worker on Redis renders the annual review, and a worker process killed
with SIGKILL in the middle of a render does not lose the job (CI sets CELERY_BROKER_URL)."""

import os
import signal
import time
from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from reviews import services, tasks
from reviews.compose import IssueDetails
from reviews.models import JobStatus, PartNarrative, ReviewJob, ReviewPart
from reviews.rendering import file_sha256, render_pdf
from reviews.services import review_job_request
from tests.workers import Worker, database_shared_with_other_processes

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(media, monkeypatch, tmp_path):
    if not database_shared_with_other_processes():
        pytest.skip("the in-memory SQLite test database is not visible to another process")
    from backancity.celery import app

    # The tests' settings run tasks eagerly; here they must go to the broker, and the job
    # must not run in this process.
    monkeypatch.setitem(app.conf, "task_always_eager", False)

    def not_here(**kwargs):
        raise AssertionError("the job ran in the test process, not in the worker")

    monkeypatch.setattr(tasks, "review_job_run", not_here)
    worker = Worker(broker_url=os.environ["CELERY_BROKER_URL"], media=media, log_dir=tmp_path)
    yield worker
    worker.stop()


def wait_for(job_id: int, condition, timeout: float) -> ReviewJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = ReviewJob.objects.get(pk=job_id)
        if condition(job):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} still {job.status} ({job.progress}%) after {timeout} s")


def pdfs_and_temporaries(media: Path) -> list[str]:
    return sorted(p.name for p in media.rglob("*") if p.is_file())


@pytest.fixture
def queued_job(article_data, secretariat, monkeypatch):
    """A 2023 review requested through the service; the test hands the task to its worker."""
    sent = []
    monkeypatch.setattr(services, "review_job_publish", lambda job_id: sent.append(job_id))
    job = review_job_request(year=2023, actor=secretariat, details=IssueDetails(report_date=time_today(), number="7"))
    assert sent == [job.pk]
    return job


def time_today():
    from django.utils import timezone

    return timezone.localdate()


def test_a_worker_on_redis_renders_the_2023_review(worker, queued_job, media):
    worker.send(tasks.render_annual_review, queued_job.pk)
    job = wait_for(queued_job.pk, lambda j: j.status in (JobStatus.DONE, JobStatus.FAILED), timeout=120)
    assert job.status == JobStatus.DONE, job.failure_reason
    assert (job.progress, job.attempts) == (100, 1)
    path = Path(default_storage.path(job.pdf.name))
    assert pdfs_and_temporaries(media) == [path.name]
    assert file_sha256(path) == job.pdf_sha256 and job.page_count >= 8
    assert "4.086" in str(job.content) and len(job.content_sha256) == 64


def test_a_worker_process_killed_mid_render_does_not_lose_the_job(worker, queued_job, media, tmp_path):
    # A long document, so that the render is surely under way when the process dies.
    paragraph = "Nội dung dài để quá trình dựng PDF kéo dài vài giây, phục vụ kiểm thử dừng đột ngột tiến trình. " * 4
    PartNarrative.objects.create(year=2023, part=ReviewPart.CAUSES, text="\n".join([paragraph] * 400), version=1)
    worker.send(tasks.render_annual_review, queued_job.pk)
    wait_for(queued_job.pk, lambda j: j.status == JobStatus.RENDERING and j.progress == 40, timeout=120)
    [child] = worker.children()
    os.kill(child, signal.SIGKILL)  # the pool process that is rendering

    job = wait_for(queued_job.pk, lambda j: j.status in (JobStatus.DONE, JobStatus.FAILED), timeout=180)
    assert job.status == JobStatus.DONE, job.failure_reason
    assert job.attempts == 2  # handed back to the broker and run again, not lost
    assert worker.process.poll() is None and worker.children() and worker.children() != [child]
    path = Path(default_storage.path(job.pdf.name))
    assert pdfs_and_temporaries(media) == [path.name]  # exactly one PDF, no half-written file
    assert file_sha256(path) == job.pdf_sha256
    # The same result as an uninterrupted render of the content the job was built from.
    assert render_pdf(job.content, tmp_path / "again.pdf").sha256 == job.pdf_sha256
