"""A request queues a job after commit; the job composes, renders, stores the PDF with its
checksum and what it was built from; it can be run again, after a crash too, with the
same result."""

import datetime
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.db import OperationalError
from django.utils import timezone

from periods.models import FigureChange
from reviews import services
from reviews.compose import IssueDetails
from reviews.models import JobStatus, PartNarrative, ReviewJob, ReviewPart
from reviews.rendering import file_sha256
from reviews.services import ReviewRequestRefused, review_job_request, review_job_retry, review_job_run

pytestmark = pytest.mark.django_db

DETAILS = IssueDetails(report_date=datetime.date(2024, 12, 20), number="12")


def request(user, *, execute=True, capture=None):
    with capture(execute=execute) as callbacks:
        job = review_job_request(year=2024, actor=user, details=DETAILS)
    job.refresh_from_db()
    return job, callbacks


def files_in(media: Path) -> list[str]:
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())


def test_a_request_queues_its_job_only_after_commit_and_the_job_stores_the_pdf(
    year_2024, secretariat, media, django_capture_on_commit_callbacks
):
    job, callbacks = request(secretariat, execute=False, capture=django_capture_on_commit_callbacks)
    assert len(callbacks) == 1
    assert (job.status, job.version, job.progress, job.attempts) == (JobStatus.QUEUED, 1, 0, 0)
    assert files_in(media) == []

    callbacks[0]()  # the commit happens: Celery (eager in tests) runs the job
    job.refresh_from_db()
    assert (job.status, job.progress, job.attempts) == (JobStatus.DONE, 100, 1)
    path = Path(default_storage.path(job.pdf.name))
    assert files_in(media) == [job.pdf.name]
    assert path.read_bytes().startswith(b"%PDF-")
    assert job.pdf_sha256 == file_sha256(path) and job.pdf_size == path.stat().st_size and job.page_count >= 3
    assert job.content["year"] == 2024 and len(job.content_sha256) == 64
    assert job.last_figure_change_id == FigureChange.objects.latest("pk").pk
    assert job.requested_by == secretariat and job.finished_at and job.compose_ms is not None


def test_versions_are_numbered_per_year_and_every_earlier_file_stays(
    year_2024, secretariat, media, django_capture_on_commit_callbacks
):
    first, _ = request(secretariat, capture=django_capture_on_commit_callbacks)
    second, _ = request(secretariat, capture=django_capture_on_commit_callbacks)
    assert (first.version, second.version) == (1, 2)
    assert files_in(media) == sorted([first.pdf.name, second.pdf.name])
    assert first.pdf_sha256 == second.pdf_sha256  # same data, same details: same document


def test_a_second_request_is_refused_while_a_version_is_being_built_unless_that_one_stalled(
    year_2024, secretariat, media, django_capture_on_commit_callbacks
):
    running, _ = request(secretariat, execute=False, capture=django_capture_on_commit_callbacks)
    with pytest.raises(ReviewRequestRefused, match="đang được dựng"):
        request(secretariat, execute=False, capture=django_capture_on_commit_callbacks)
    assert ReviewJob.objects.count() == 1

    ReviewJob.objects.filter(pk=running.pk).update(requested_at=timezone.now() - datetime.timedelta(hours=2))
    job, _ = request(secretariat, execute=False, capture=django_capture_on_commit_callbacks)
    assert job.version == 2


def test_running_a_finished_job_again_changes_nothing(year_2024, secretariat, media, django_capture_on_commit_callbacks):
    job, _ = request(secretariat, capture=django_capture_on_commit_callbacks)
    review_job_run(job_id=job.pk)
    again = ReviewJob.objects.get(pk=job.pk)
    assert (again.attempts, again.pdf_sha256, again.status) == (1, job.pdf_sha256, JobStatus.DONE)
    assert files_in(media) == [job.pdf.name]


def test_a_job_killed_midway_resumes_from_its_snapshot_and_writes_the_same_single_file(
    year_2024, secretariat, media, django_capture_on_commit_callbacks
):
    job, _ = request(secretariat, capture=django_capture_on_commit_callbacks)
    path = Path(default_storage.path(job.pdf.name))
    # As if the worker died after the file was moved into place but before the job row
    # said so, leaving a temporary file from an earlier attempt beside it.
    ReviewJob.objects.filter(pk=job.pk).update(status=JobStatus.RENDERING, progress=80, pdf="", pdf_sha256="", finished_at=None)
    (path.parent / f".{path.name}.0123abcd.tmp").write_bytes(b"%PDF-half")
    # The data changes meanwhile: the re-run still prints the snapshot it was built from.
    PartNarrative.objects.create(year=2024, part=ReviewPart.TRADE, text="Viết sau khi bản này đã tổng hợp.", version=1)

    review_job_run(job_id=job.pk)
    resumed = ReviewJob.objects.get(pk=job.pk)
    assert (resumed.status, resumed.attempts, resumed.pdf.name) == (JobStatus.DONE, 2, job.pdf.name)
    assert resumed.pdf_sha256 == job.pdf_sha256 == file_sha256(path)
    assert files_in(media) == [job.pdf.name]


def test_a_transient_error_is_retried_and_the_job_completes(
    year_2024, secretariat, media, monkeypatch, django_capture_on_commit_callbacks
):
    real = services.render_pdf
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "render_pdf", flaky)
    job, _ = request(secretariat, capture=django_capture_on_commit_callbacks)
    assert (job.status, job.attempts, len(calls)) == (JobStatus.DONE, 2, 2)
    assert job.failure_reason == ""


def test_a_transient_error_that_persists_fails_the_job_after_the_last_retry(
    year_2024, secretariat, media, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(services, "render_pdf", broken)
    job, _ = request(secretariat, capture=django_capture_on_commit_callbacks)
    assert job.status == JobStatus.FAILED
    assert job.attempts == 6
    assert "Không dựng được báo cáo sau 6 lần thử" in job.failure_reason and "database is locked" in job.failure_reason


def test_an_error_fails_the_job_with_a_reason_and_a_retry_finishes_it(
    year_2024, secretariat, media, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise ValueError("mẫu báo cáo bị hỏng")

    monkeypatch.setattr(services, "compose_review", broken)
    job, _ = request(secretariat, capture=django_capture_on_commit_callbacks)
    assert job.status == JobStatus.FAILED and job.attempts == 1
    assert job.failure_reason == "Không dựng được báo cáo: ValueError: mẫu báo cáo bị hỏng"
    assert files_in(media) == []

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        review_job_retry(job=job)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.failure_reason) == (JobStatus.DONE, 1, "")


def test_only_a_failed_or_stalled_job_can_be_run_again(year_2024, secretariat, media, django_capture_on_commit_callbacks):
    job, _ = request(secretariat, capture=django_capture_on_commit_callbacks)
    with pytest.raises(ReviewRequestRefused):
        review_job_retry(job=job)


def test_a_job_whose_every_run_dies_is_failed_instead_of_handed_out_for_ever(
    year_2024, secretariat, media, django_capture_on_commit_callbacks
):
    job, _ = request(secretariat, execute=False, capture=django_capture_on_commit_callbacks)
    # Six runs started and none finished (each killed with its worker).
    ReviewJob.objects.filter(pk=job.pk).update(status=JobStatus.RENDERING, attempts=services.MAX_ATTEMPTS)
    review_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "Đã chạy 6 lần mà không xong" in job.failure_reason
    assert files_in(media) == []
