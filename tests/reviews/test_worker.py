"""A real Celery worker on Redis renders the annual review, and a worker process killed
with SIGKILL in the middle of a render does not lose the job (CI sets CELERY_BROKER_URL)."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection

from reviews import tasks
from reviews.compose import IssueDetails
from reviews.models import JobStatus, PartNarrative, ReviewJob, ReviewPart
from reviews.rendering import file_sha256, render_pdf
from reviews.services import review_job_request

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def database_url_for_worker() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


class Worker:
    """A Celery worker of its own — prefork, one child — on a queue of its own, pointed at
    the test database and the test's media folder."""

    def __init__(self, media: Path):
        self.queue = f"test-reviews-{uuid.uuid4().hex[:8]}"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "backancity.settings",
            "SECRET_KEY": "worker-test",
            "DATABASE_URL": database_url_for_worker(),
            "CELERY_BROKER_URL": os.environ["CELERY_BROKER_URL"],
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            "MEDIA_ROOT": str(media),
        }
        command = [sys.executable, "-m", "celery", "-A", "backancity", "worker", "-Q", self.queue, "-P", "prefork", "-c", "1"]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "WARNING"]
        self.process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    def send(self, job_id: int):
        from backancity.celery import app

        with app.connection_for_write(os.environ["CELERY_BROKER_URL"]) as broker:
            tasks.render_annual_review.apply_async(args=[job_id], queue=self.queue, connection=broker)

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture
def worker(media, monkeypatch):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(("file:", ":memory:")):
        pytest.skip("the in-memory SQLite test database is not visible to another process")
    from backancity.celery import app

    # The tests' settings run tasks eagerly; here they must go to the broker, and the job
    # must not run in this process.
    monkeypatch.setitem(app.conf, "task_always_eager", False)

    def not_here(**kwargs):
        raise AssertionError("the job ran in the test process, not in the worker")

    monkeypatch.setattr(tasks, "review_job_run", not_here)
    worker = Worker(media)
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
    monkeypatch.setattr(tasks.render_annual_review, "delay_on_commit", lambda job_id: sent.append(job_id))
    job = review_job_request(year=2023, actor=secretariat, details=IssueDetails(report_date=time_today(), number="7"))
    assert sent == [job.pk]
    return job


def time_today():
    from django.utils import timezone

    return timezone.localdate()


def test_a_worker_on_redis_renders_the_2023_review(worker, queued_job, media):
    worker.send(queued_job.pk)
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
    worker.send(queued_job.pk)
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
