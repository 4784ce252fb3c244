"""The secretariat asks for the 2023 review in a real browser, follows its progress and
downloads the PDF; a leader sees a running job's progress bar move on its own."""

import datetime
import shutil
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from reviews.models import JobStatus, ReviewJob
from tests.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_secretariat_requests_the_2023_review_and_downloads_it(browser_page, article_data, secretariat, media, tmp_path):
    page = browser_page
    sign_in(page, secretariat.username)
    page.click("text=Báo cáo năm")
    page.click("a[href='/bao-cao-nam/2023/']")
    page.fill("#id_document_number", "45")
    page.fill("#id_report_date", "20/12/2023")
    screenshot(page, "reviews-2023-request-desktop")
    page.click("button:has-text('Dựng báo cáo')")
    page.wait_for_selector("a:has-text('Tải PDF') >> visible=true", timeout=60_000)
    assert "Đã yêu cầu dựng bản 1 của báo cáo năm 2023." in page.locator("body").inner_text()
    screenshot(page, "reviews-2023-done-desktop")
    with page.expect_download() as download:
        page.click("a:has-text('Tải PDF') >> visible=true")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "bao-cao-nam-2023-NQ29-ban-1.pdf"
    assert saved.read_bytes() == Path(default_storage.path(ReviewJob.objects.get().pdf.name)).read_bytes()

    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "reviews-2023-done-phone")
    page.goto(page.base + "/bao-cao-nam/2023/noi-dung/trade/")
    assert "Hiện tại, thành phố có tổng số 4.086 hộ kinh doanh" in page.input_value("#id_text")
    screenshot(page, "reviews-2023-narrative-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "reviews-2023-narrative-desktop")


def test_a_leader_watches_the_progress_bar_follow_a_running_job(browser_page, leader, secretariat, media, tmp_path):
    job = ReviewJob.objects.create(
        year=2023,
        version=1,
        report_date=datetime.date(2023, 12, 20),
        requested_by=secretariat,
        status=JobStatus.RENDERING,
        progress=40,
        started_at=timezone.now(),
    )
    page = browser_page
    sign_in(page, leader.username)
    page.goto(page.base + "/bao-cao-nam/2023/")
    row = page.locator(f"#job-{job.pk}")
    assert "Đang dựng PDF · 40%" in row.inner_text()
    screenshot(page, "reviews-progress-running-desktop")

    # The job finishes while the page is open: the row follows without a reload.
    name = job.storage_name()
    target = Path(default_storage.path(name))
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(Path(__file__).resolve().parents[2] / "static" / "fonts" / "OFL.txt", target)
    ReviewJob.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE, progress=100, pdf=name, pdf_sha256="0" * 64, pdf_size=target.stat().st_size, page_count=9
    )
    page.wait_for_selector(f"#job-{job.pk} a:has-text('Tải PDF') >> visible=true", timeout=10_000)
    assert "Hoàn thành" in page.locator(f"#job-{job.pk}").inner_text()
    screenshot(page, "reviews-progress-done-desktop")
