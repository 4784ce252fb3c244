"""The annual review pages: who may see and do what, what the pages show, and query
counts that do not grow with the number of versions."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.compose import IssueDetails
from reviews.models import JobStatus, PartNarrative, PartNarrativeRevision, ReviewJob
from reviews.services import review_job_request
from tests import factories

pytestmark = pytest.mark.django_db

VALID = {"document_number": "45", "report_date": "20/12/2024", "signer_position": "Bí thư", "signer_name": ""}


def signed_in(client, user):
    client.force_login(user)
    return client


def make_jobs(user, n, *, status=JobStatus.QUEUED):
    first = (ReviewJob.objects.filter(year=2024).order_by("-version").values_list("version", flat=True).first() or 0) + 1
    return [
        ReviewJob.objects.create(
            year=2024,
            version=v,
            report_date=datetime.date(2024, 12, 20),
            requested_by=user,
            status=status,
            failure_reason="Lỗi thử" if status == JobStatus.FAILED else "",
        )
        for v in range(first, first + n)
    ]


@pytest.fixture
def done_job(year_2024, secretariat, media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = review_job_request(year=2024, actor=secretariat, details=IssueDetails(report_date=datetime.date(2024, 12, 20)))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    return job


# --- who may do what ----------------------------------------------------------------


@pytest.mark.parametrize(
    "name, args",
    [
        ("reviews:index", []),
        ("reviews:year", [2024]),
        ("reviews:narratives", [2024]),
        ("reviews:narrative_edit", [2024, "trade"]),
    ],
)
def test_an_officer_is_refused_every_page(client, ward_officer, name, args):
    response = signed_in(client, ward_officer).get(reverse(name, args=args))
    assert response.status_code == 403


def test_a_visitor_who_is_not_signed_in_is_sent_to_the_sign_in_page(client):
    response = client.get(reverse("reviews:year", args=[2024]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_leader_sees_the_versions_but_cannot_request_one_nor_write_the_narrative(client, leader, done_job):
    client = signed_in(client, leader)
    page = client.get(reverse("reviews:year", args=[2024]))
    assert page.status_code == 200
    assert reverse("reviews:download", args=[done_job.pk]) in page.content.decode()
    assert "Dựng báo cáo" not in page.content.decode()
    assert client.post(reverse("reviews:request", args=[2024]), VALID).status_code == 403
    assert client.get(reverse("reviews:narratives", args=[2024])).status_code == 403
    response = client.post(reverse("reviews:narrative_edit", args=[2024, "trade"]), {"text": "x", "version": 0})
    assert response.status_code == 403
    assert ReviewJob.objects.count() == 1 and not PartNarrative.objects.filter(year=2024).exists()


def test_an_officer_cannot_request_download_poll_or_retry(client, ward_officer, done_job):
    client = signed_in(client, ward_officer)
    assert client.post(reverse("reviews:request", args=[2024]), VALID).status_code == 403
    download = client.get(reverse("reviews:download", args=[done_job.pk]))
    assert download.status_code == 403 and b"%PDF" not in download.content
    assert client.get(reverse("reviews:job_status", args=[done_job.pk])).status_code == 403
    assert client.post(reverse("reviews:retry", args=[done_job.pk])).status_code == 403
    assert ReviewJob.objects.count() == 1


def test_a_leader_cannot_run_a_failed_version_again(client, leader, secretariat):
    [job] = make_jobs(secretariat, 1, status=JobStatus.FAILED)
    assert signed_in(client, leader).post(reverse("reviews:retry", args=[job.pk])).status_code == 403
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED


def test_a_year_outside_the_portal_is_not_found(client, secretariat):
    client = signed_in(client, secretariat)
    assert client.get(reverse("reviews:year", args=[2019])).status_code == 404
    assert client.get(reverse("reviews:year", args=[timezone.localdate().year + 1])).status_code == 404
    assert client.get(reverse("reviews:narrative_edit", args=[2024, "khong-co"])).status_code == 404


# --- requesting and downloading -----------------------------------------------------


def test_the_secretariat_requests_a_version_and_the_page_shows_it_done_with_a_download(
    client, secretariat, year_2024, media, django_capture_on_commit_callbacks
):
    client = signed_in(client, secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reviews:request", args=[2024]), VALID)
    assert response.status_code == 302
    job = ReviewJob.objects.get()
    assert (job.version, job.document_number, job.report_date, job.status) == (
        1,
        "45",
        datetime.date(2024, 12, 20),
        JobStatus.DONE,
    )
    page = client.get(response["Location"]).content.decode()
    assert "Đã yêu cầu dựng bản 1 của báo cáo năm 2024." in page
    assert reverse("reviews:download", args=[job.pk]) in page and "45-BC/TU" in page

    download = client.get(reverse("reviews:download", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="bao-cao-nam-2024-NQ29-ban-1.pdf"'
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize(
    "data, message",
    [
        ({**VALID, "report_date": "2024-13-45"}, "Nhập một ngày hợp lệ."),
        ({**VALID, "report_date": "31/12/2023"}, "Ngày báo cáo năm 2024 phải từ 01/01/2024"),
        ({**VALID, "document_number": "45-BC"}, "Số văn bản chỉ gồm chữ số"),
    ],
)
def test_bad_request_details_are_refused_with_a_vietnamese_message_and_nothing_is_queued(
    client, secretariat, data, message, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = signed_in(client, secretariat).post(reverse("reviews:request", args=[2024]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ReviewJob.objects.exists() and callbacks == []


def test_a_second_request_while_one_runs_is_refused_with_a_message(client, secretariat, django_capture_on_commit_callbacks):
    make_jobs(secretariat, 1)
    client = signed_in(client, secretariat)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("reviews:request", args=[2024]), VALID, follow=True)
    assert "Bản 1 của báo cáo năm 2024 đang được dựng" in response.content.decode()
    assert ReviewJob.objects.count() == 1 and callbacks == []


def test_a_version_not_yet_done_cannot_be_downloaded(client, leader, secretariat):
    [job] = make_jobs(secretariat, 1)
    assert signed_in(client, leader).get(reverse("reviews:download", args=[job.pk])).status_code == 404


def test_the_progress_row_polls_while_the_job_runs_and_stops_when_it_is_done(client, leader, secretariat, done_job):
    client = signed_in(client, leader)
    [running] = make_jobs(secretariat, 1, status=JobStatus.RENDERING)
    ReviewJob.objects.filter(pk=running.pk).update(progress=80, started_at=timezone.now())
    row = client.get(reverse("reviews:job_status", args=[running.pk]), headers={"HX-Request": "true"}).content.decode()
    status_url = reverse("reviews:job_status", args=[running.pk])
    assert f'hx-get="{status_url}"' in row and 'hx-trigger="every 1s"' in row
    assert "Đang dựng PDF" in row and 'value="80" max="100"' in row
    row = client.get(reverse("reviews:job_status", args=[done_job.pk])).content.decode()
    assert "hx-get" not in row and "Hoàn thành" in row and reverse("reviews:download", args=[done_job.pk]) in row


def test_a_failed_version_shows_its_reason_and_the_secretariat_can_run_it_again(
    client, secretariat, year_2024, media, django_capture_on_commit_callbacks
):
    [job] = make_jobs(secretariat, 1, status=JobStatus.FAILED)
    client = signed_in(client, secretariat)
    assert "Lỗi thử" in client.get(reverse("reviews:year", args=[2024])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reviews:retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.DONE


# --- narratives ---------------------------------------------------------------------


def test_the_secretariat_writes_a_part_and_every_version_is_kept(client, secretariat):
    client = signed_in(client, secretariat)
    url = reverse("reviews:narrative_edit", args=[2024, "trade"])
    page = client.get(url)
    assert page.status_code == 200 and "Nội dung tổng hợp tự động" in page.content.decode()
    response = client.post(url, {"text": "Đoạn một.\r\nĐoạn hai.  ", "include_figures": "on", "version": 0})
    assert response.status_code == 302
    response = client.post(url, {"text": "Đoạn một, đã sửa.", "version": 1})
    assert response.status_code == 302
    narrative = PartNarrative.objects.get(year=2024, part="trade")
    assert (narrative.text, narrative.include_figures, narrative.version, narrative.updated_by) == (
        "Đoạn một, đã sửa.",
        False,
        2,
        secretariat,
    )
    assert list(narrative.revisions.order_by("version").values_list("version", "text")) == [
        (1, "Đoạn một.\nĐoạn hai."),
        (2, "Đoạn một, đã sửa."),
    ]


def test_saving_over_a_newer_version_is_refused_and_shows_it(client, secretariat):
    other = factories.make_user(role="secretariat", username="vanphong2", last_name="Văn phòng 2")
    client = signed_in(client, secretariat)
    url = reverse("reviews:narrative_edit", args=[2024, "trade"])
    signed_in(client.__class__(), other).post(url, {"text": "Bản của người khác.", "version": 0})
    response = client.post(url, {"text": "Bản của tôi.", "version": 0})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Phần này vừa được Văn phòng 2 sửa" in page and "Bản của người khác." in page and "Bản của tôi." in page
    assert PartNarrative.objects.get(year=2024, part="trade").text == "Bản của người khác."
    assert PartNarrativeRevision.objects.filter(narrative__year=2024).count() == 1


def test_a_narrative_too_long_is_refused_and_nothing_is_saved(client, secretariat):
    url = reverse("reviews:narrative_edit", args=[2024, "trade"])
    response = signed_in(client, secretariat).post(url, {"text": "x" * 20_001, "version": 0})
    assert response.status_code == 400
    assert "Nội dung dài tối đa 20000 ký tự" in response.content.decode()
    assert not PartNarrative.objects.filter(year=2024).exists()


# --- query counts -------------------------------------------------------------------


def test_the_index_and_year_pages_take_the_same_queries_whatever_the_number_of_versions(
    client, secretariat, django_assert_num_queries
):
    client = signed_in(client, secretariat)
    make_jobs(secretariat, 1, status=JobStatus.FAILED)
    with django_assert_num_queries(6):
        client.get(reverse("reviews:index"))
    with django_assert_num_queries(10):
        client.get(reverse("reviews:year", args=[2024]))
    make_jobs(secretariat, 6, status=JobStatus.FAILED)
    with django_assert_num_queries(6):
        client.get(reverse("reviews:index"))
    with django_assert_num_queries(10):
        assert client.get(reverse("reviews:year", args=[2024])).content.decode().count('id="job-') == 7


def test_the_narrative_pages_and_the_progress_row_take_fixed_queries(client, secretariat, year_2024, django_assert_num_queries):
    client = signed_in(client, secretariat)
    [job] = make_jobs(secretariat, 1)
    with django_assert_num_queries(6):
        client.get(reverse("reviews:job_status", args=[job.pk]))
    url = reverse("reviews:narrative_edit", args=[2024, "trade"])
    client.post(url, {"text": "Phiên bản 1", "version": 0})
    with django_assert_num_queries(6):
        client.get(reverse("reviews:narratives", args=[2024]))
    with django_assert_num_queries(21):
        client.get(url)
    for version in range(1, 15):
        client.post(url, {"text": f"Phiên bản {version + 1}", "version": version})
    client.post(reverse("reviews:narrative_edit", args=[2024, "industry"]), {"text": "Phần khác", "version": 0})
    with django_assert_num_queries(6):
        client.get(reverse("reviews:narratives", args=[2024]))
    with django_assert_num_queries(21):
        assert client.get(url).content.decode().count('<li class="mb-1">') == 10  # the last ten versions


def test_the_admin_lists_versions_and_narratives_read_only(article_data, client, secretariat, done_job):
    client = signed_in(client, secretariat)
    assert client.get(reverse("admin:reviews_reviewjob_changelist")).status_code == 200
    assert client.get(reverse("admin:reviews_reviewjob_change", args=[done_job.pk])).status_code == 200
    narrative = PartNarrative.objects.filter(year=2023).first()
    assert client.get(reverse("admin:reviews_partnarrative_change", args=[narrative.pk])).status_code == 200
    assert client.get(reverse("admin:reviews_partnarrative_add")).status_code == 403
