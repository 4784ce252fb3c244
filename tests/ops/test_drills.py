"""Fault drills with real Celery workers (tests/workers.py) on a Redis of each drill's own,
pointed at the test database: no annual review job is lost when the whole worker dies,
when Redis goes away, or when a job can never succeed. The workers run with short
visibility timeouts, retry back-offs and sweep thresholds (environment variables), so
that each drill ends in well under a minute.

(A pool process killed mid-render is drilled in tests/reviews/test_worker.py; the
database going away in tests/ops/test_database_outage.py.)
"""

import time
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from indicators.models import IndicatorValue
from reviews.models import JobStatus, PartNarrative, ReviewJob, ReviewPart
from reviews.rendering import file_sha256
from tests import factories
from tests.reporting.conftest import unit_url
from tests.workers import publishing_to, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

VISIBILITY_TIMEOUT = 12
# Short enough for a drill, long enough that nothing live is mistaken for lost.
DRILL_ENV = {
    "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
    "REVIEWS_TASK_MAX_RETRIES": "2",
    "REVIEWS_RETRY_BASE_SECONDS": "1",
    "REVIEWS_SWEEP_INTERVAL": "2",
    "REVIEWS_SWEEP_UNPUBLISHED_AFTER": "2",
    "REVIEWS_SWEEP_QUEUED_AFTER": "20",
    "REVIEWS_SWEEP_RUNNING_AFTER": "5",
}
FINISHED = (JobStatus.DONE, JobStatus.FAILED)


def request_review(client, year: int) -> ReviewJob:
    """The secretariat asks for a version of a year's review on the portal."""
    report_date = min(timezone.localdate(), timezone.datetime(year, 12, 20).date())
    response = client.post(
        reverse("reviews:request", args=[year]),
        {"document_number": "7", "report_date": report_date.strftime("%d/%m/%Y"), "signer_position": "Bí thư"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return ReviewJob.objects.filter(year=year).latest("version")


def wait_for_jobs(jobs, workers, *, timeout: float, condition=lambda job: job.status in FINISHED):
    def all_there():
        current = [ReviewJob.objects.get(pk=job.pk) for job in jobs]
        return current if all(condition(job) for job in current) else None

    try:
        return wait_until(all_there, timeout=timeout, interval=0.2, what="jobs finished")
    except AssertionError:
        states = [(job.year, job.status, job.progress, job.attempts, job.failure_reason[:200]) for job in ReviewJob.objects.all()]
        logs = "\n".join(worker.log_text() for worker in workers)
        raise AssertionError(f"jobs not finished after {timeout} s: {states}\n{logs}") from None


def files_under(media: Path) -> list[str]:
    return sorted(path.name for path in media.rglob("*") if path.is_file())


def assert_done_with_one_pdf_each(jobs, media):
    for job in jobs:
        job.refresh_from_db()
        assert job.status == JobStatus.DONE, (job.year, job.failure_reason)
        assert file_sha256(Path(default_storage.path(job.pdf.name))) == job.pdf_sha256
    # exactly one PDF per job, and no temporary file left behind
    assert files_under(media) == sorted(Path(job.pdf.name).name for job in jobs)


@pytest.fixture
def secretariat_client(secretariat):
    client = Client()
    client.force_login(secretariat)
    return client


def long_narrative(year: int):
    """A long part, so that rendering takes several seconds and is surely under way when
    the worker is killed."""
    paragraph = "Nội dung dài để quá trình dựng PDF kéo dài vài giây, phục vụ diễn tập sự cố máy chủ xử lý nền. " * 4
    PartNarrative.objects.create(year=year, part=ReviewPart.CAUSES, text="\n".join([paragraph] * 300), version=1)


def test_the_whole_worker_killed_mid_render_and_started_again_finishes_the_job_within_the_visibility_timeout(
    article_data, secretariat_client, redis_server, start_worker, media
):
    long_narrative(2023)
    worker = start_worker(broker_url=redis_server.url, queue="backancity", env=DRILL_ENV)
    with publishing_to(redis_server.url):
        job = request_review(secretariat_client, 2023)
    wait_for_jobs([job], [worker], timeout=120, condition=lambda j: j.status == JobStatus.RENDERING and j.progress == 40)

    killed = worker.kill_everything()  # main process and pool child, SIGKILL, no goodbye
    killed_at = time.monotonic()
    assert len(killed) >= 2
    assert ReviewJob.objects.get(pk=job.pk).status == JobStatus.RENDERING  # left half-done
    worker.restart()

    # Nobody acknowledged the message: Redis hands it to the new worker once it is older
    # than the visibility timeout, and the job runs again from its stored content.
    wait_for_jobs(
        [job], [worker], timeout=VISIBILITY_TIMEOUT + 20, condition=lambda j: j.attempts == 2 or j.status == JobStatus.FAILED
    )
    restarted_after = time.monotonic() - killed_at
    job = wait_for_jobs([job], [worker], timeout=90)[0]
    finished_after = time.monotonic() - killed_at
    assert (job.status, job.attempts) == (JobStatus.DONE, 2), job.failure_reason
    assert restarted_after <= VISIBILITY_TIMEOUT + 15
    assert_done_with_one_pdf_each([job], media)
    print(f"whole worker killed: job running again after {restarted_after:.1f} s, done after {finished_after:.1f} s")


def test_redis_down_during_report_requests_every_job_completes_after_it_returns_and_data_entry_goes_on(
    article_data, secretariat_client, redis_server, start_worker, media, ward, ward_officer, period, caplog, settings
):
    worker = start_worker(broker_url=redis_server.url, queue="backancity", beat=True, env=DRILL_ENV)
    households = factories.make_indicator(responsible_unit=ward, name="Số hộ kinh doanh", unit_of_measure="hộ")
    officer = Client()
    officer.force_login(ward_officer)

    with publishing_to(redis_server.url):
        before = request_review(secretariat_client, 2023)  # published while Redis is up
        redis_server.stop()  # every message it held is gone with it (no persistence)
        down_at = time.monotonic()

        during = [request_review(secretariat_client, year) for year in (2024, 2025)]
        for job in during:
            job.refresh_from_db()
            assert job.status == JobStatus.QUEUED and job.published_at is None
        assert "broker unavailable, left for the sweep" in caplog.text

        # Data entry does not need the broker.
        prefix = f"chi-tieu-{households.pk}"
        response = officer.post(
            unit_url("row_save", ward, period, "chi-tieu", households.pk),
            {f"{prefix}-version": 0, f"{prefix}-value": "4.086", f"{prefix}-kind": "estimate"},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200 and "Đã lưu" in response.content.decode()
        assert IndicatorValue.objects.get(indicator=households).value == 4086
        settings.CELERY_BROKER_URL = redis_server.url
        assert Client().get("/healthz").status_code == 503  # the monitor sees the broker down

        time.sleep(max(0.0, 5 - (time.monotonic() - down_at)))  # down for a while
        redis_server.start()
        back_at = time.monotonic()

    # The sweep (beat, every 2 s here) publishes the jobs that never reached the broker
    # and the one whose message Redis lost.
    jobs = [before, *during]
    wait_for_jobs(jobs, [worker], timeout=90)
    assert_done_with_one_pdf_each(jobs, media)
    assert all(job.published_at is not None for job in jobs)
    print(f"Redis down {back_at - down_at:.1f} s; all {len(jobs)} jobs done {time.monotonic() - back_at:.1f} s after it returned")


def test_a_job_that_always_fails_stops_after_its_retries_and_the_others_go_on(
    article_data, secretariat_client, redis_server, start_worker, media
):
    # The 2023 report's folder is taken by a file: every render fails with an OSError,
    # which the task treats as transient (a disk briefly unavailable) and retries.
    (media / "bao-cao-nam").mkdir()
    (media / "bao-cao-nam" / "2023").write_text("không phải thư mục")
    worker = start_worker(broker_url=redis_server.url, queue="backancity", env=DRILL_ENV)
    started = time.monotonic()
    with publishing_to(redis_server.url):
        doomed = request_review(secretariat_client, 2023)
        others = [request_review(secretariat_client, year) for year in (2024, 2025)]

    wait_for_jobs([doomed, *others], [worker], timeout=120)
    doomed.refresh_from_db()
    assert doomed.status == JobStatus.FAILED
    assert doomed.attempts == 3  # the first run and two retries (REVIEWS_TASK_MAX_RETRIES=2)
    assert "sau 3 lần thử" in doomed.failure_reason and "FileExistsError" in doomed.failure_reason
    for job in others:
        job.refresh_from_db()
        assert job.status == JobStatus.DONE, job.failure_reason
    assert sorted(files_under(media)) == sorted(["2023", *(Path(job.pdf.name).name for job in others)])
    print(f"always-failing job failed after {doomed.attempts} runs; all settled in {time.monotonic() - started:.1f} s")
