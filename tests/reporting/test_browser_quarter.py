"""A whole quarter in Chromium: an officer fills the unit's report and submits it; a
leader returns it with a reason; the officer fixes and resubmits; the leader approves;
the figures are locked and shown as official. Screenshots at desktop and phone width go
to test-artifacts/screenshots/."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Role
from indicators.models import IndicatorValue, ValueType
from periods.models import ReportStatus, UnitReport
from tests import factories
from tests.conftest import screenshot, sign_in
from units.models import UnitKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def quarter():
    """The quarter under way, with last quarter's approved figures as hints."""
    today = timezone.localdate()
    period = factories.make_period(today.year, (today.month - 1) // 3 + 1)
    ward = factories.make_unit(name="Phường Sông Cầu", kind=UnitKind.WARD, code="phuong-song-cau")
    department = factories.make_unit(name="Phòng Kinh tế", kind="department", code="phong-kinh-te")
    officer = factories.make_user(role=Role.OFFICER, unit=ward, username="canbo.songcau", last_name="Cán bộ Sông Cầu")
    leader = factories.make_user(role=Role.LEADER, username="lanhdao", last_name="Lãnh đạo Thành ủy")
    rows = {
        "task": factories.make_task(
            lead_unit=ward,
            code="NV-17",
            content="Chỉnh trang các tuyến phố kinh doanh trên địa bàn phường",
            deadline=datetime.date(today.year + 1, 6, 30),
        ),
        "support": factories.make_task(
            lead_unit=department, supporting=[ward], code="NV-05", content="Phát triển kinh tế đêm", is_recurring=True
        ),
        "project": factories.make_project(
            managing_unit=ward, name="Trường mầm non Sông Cầu", total_investment=18_500_000_000, start_year=2024, end_year=2026
        ),
        "households": factories.make_indicator(responsible_unit=ward, name="Số hộ kinh doanh", unit_of_measure="hộ"),
        "rate": factories.make_indicator(
            responsible_unit=ward,
            name="Tỷ lệ hồ sơ trực tuyến",
            unit_of_measure="%",
            value_type=ValueType.RATIO,
            numerator_label="Số hồ sơ trực tuyến",
            denominator_label="Tổng số hồ sơ",
            decimal_places=2,
        ),
    }
    previous = previous_period_of(period)
    factories.make_indicator_value(indicator=rows["households"], period=previous, value="3950")
    factories.make_project_update(project=rows["project"], period=previous, progress_percent=30, phase="construction")
    factories.set_report_status(ward, previous, ReportStatus.APPROVED)
    return {"period": period, "ward": ward, "officer": officer, "leader": leader, **rows}


def previous_period_of(period):
    year, quarter = (period.year, period.quarter - 1) if period.quarter > 1 else (period.year - 1, 4)
    return factories.make_period(year, quarter)


def save_row(page, row_id):
    row = page.locator(f"#{row_id}")
    row.get_by_role("button", name="Lưu").click()
    page.locator(f"#{row_id} [role=status]").wait_for()  # "✓ Đã lưu", swapped in by htmx


def test_a_whole_quarter(browser_page, chromium, quarter):
    page = browser_page
    period, ward = quarter["period"], quarter["ward"]
    task, support, project = quarter["task"], quarter["support"], quarter["project"]
    households, rate = quarter["households"], quarter["rate"]

    # 1. The officer opens the unit's report from the menu.
    sign_in(page, "canbo.songcau")
    page.get_by_role("link", name="Báo cáo của đơn vị").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == f"Báo cáo {period.label} — Phường Sông Cầu"
    body = page.locator("body").inner_text()
    assert "Đã nhập 0/5 mục" in body and "3.950" in body  # last quarter's value as a hint
    screenshot(page, "reporting-1-officer-empty-desktop")

    # 2. Fills every row; a bad number is refused in Vietnamese and nothing is lost.
    page.select_option(f"#id_nhiem-vu-{task.pk}-status", "in_progress")
    page.fill(f"#id_nhiem-vu-{task.pk}-narrative", "Đã chỉnh trang 3/5 tuyến phố.")
    save_row(page, f"nhiem-vu-{task.pk}")
    page.select_option(f"#id_nhiem-vu-{support.pk}-status", "recurring")
    page.fill(f"#id_nhiem-vu-{support.pk}-narrative", "Phối hợp tổ chức phố đi bộ cuối tuần.")
    save_row(page, f"nhiem-vu-{support.pk}")
    page.fill(f"#id_du-an-{project.pk}-progress_percent", "45,5")
    page.select_option(f"#id_du-an-{project.pk}-phase", "construction")
    page.fill(f"#id_du-an-{project.pk}-allocated_capital", "12.000")
    page.fill(f"#id_du-an-{project.pk}-disbursed_amount", "8.500")
    save_row(page, f"du-an-{project.pk}")
    page.fill(f"#id_chi-tieu-{households.pk}-value", "40.86")
    page.locator(f"#chi-tieu-{households.pk}").get_by_role("button", name="Lưu").click()
    page.locator(f"#chi-tieu-{households.pk} .invalid-feedback").wait_for()
    assert "phần thập phân viết như 58,37" in page.locator(f"#chi-tieu-{households.pk}").inner_text()
    assert page.input_value(f"#id_chi-tieu-{households.pk}-value") == "40.86"
    assert page.input_value(f"#id_nhiem-vu-{task.pk}-narrative") == "Đã chỉnh trang 3/5 tuyến phố."  # other rows intact
    screenshot(page, "reporting-2-officer-bad-number-desktop")
    page.fill(f"#id_chi-tieu-{households.pk}-value", "4.086")
    save_row(page, f"chi-tieu-{households.pk}")
    page.fill(f"#id_chi-tieu-{rate.pk}-numerator", "1.234")
    page.fill(f"#id_chi-tieu-{rate.pk}-denominator", "2.000")
    save_row(page, f"chi-tieu-{rate.pk}")
    assert "61,7%" in page.locator(f"#chi-tieu-{rate.pk}").inner_text()  # computed, never typed
    assert "Đã nhập 5/5 mục" in page.locator("#report-progress").inner_text()

    # 3. Submits.
    page.get_by_role("button", name="Gửi báo cáo").click()
    page.wait_for_load_state("networkidle")
    assert "Đã gửi báo cáo" in page.locator(".messages").inner_text()
    assert page.locator("#report-status").inner_text() == "Đã gửi"
    screenshot(page, "reporting-3-officer-submitted-desktop")

    # 4. The leader sees it on the overview and returns it with a reason.
    leader_context = chromium.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    boss = leader_context.new_page()
    boss.set_default_timeout(15_000)
    boss.base = page.base
    sign_in(boss, "lanhdao")
    boss.get_by_role("link", name="Tình hình báo cáo").click()
    boss.wait_for_load_state("networkidle")
    assert "Đã gửi" in boss.locator(f"#unit-{ward.code}").inner_text()
    screenshot(boss, "reporting-4-leader-overview-desktop")
    boss.locator(f"#unit-{ward.code}").get_by_role("link", name="Xem xét").click()
    boss.wait_for_load_state("networkidle")
    boss.locator("summary", has_text="Trả lại").click()
    boss.fill("#return-reason", "Bổ sung số hộ kinh doanh theo số liệu mới của Chi cục Thống kê.")
    screenshot(boss, "reporting-5-leader-returning-desktop")
    boss.get_by_role("button", name="Trả lại báo cáo").click()
    boss.wait_for_load_state("networkidle")
    assert boss.locator("#report-status").inner_text() == "Trả lại"

    # 5. The officer sees the reason, fixes the figure and resubmits.
    page.reload()
    assert "Chi cục Thống kê" in page.locator("#return-reason-box").inner_text()
    page.fill(f"#id_chi-tieu-{households.pk}-value", "4.100")
    page.select_option(f"#id_chi-tieu-{households.pk}-kind", "official")
    save_row(page, f"chi-tieu-{households.pk}")
    page.locator(f"#chi-tieu-{households.pk}").get_by_role("link", name="Lịch sử thay đổi").click()
    history = page.locator(f"#history-chi-tieu-{households.pk}")
    history.get_by_text("Số chính thức").wait_for()
    assert "4.086" in history.inner_text() and "4.100" in history.inner_text()
    screenshot(page, "reporting-6-officer-returned-history-desktop")
    page.get_by_role("button", name="Gửi lại báo cáo").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#report-status").inner_text() == "Đã gửi"

    # 6. The leader approves from the overview.
    boss.get_by_role("link", name=f"Tình hình báo cáo {period.label}").click()
    boss.wait_for_load_state("networkidle")
    boss.locator(f"#unit-{ward.code}").get_by_role("button", name="Duyệt").click()
    boss.wait_for_load_state("networkidle")
    assert "Đã duyệt" in boss.locator(f"#unit-{ward.code}").inner_text()
    screenshot(boss, "reporting-7-leader-approved-desktop")
    boss.set_viewport_size(PHONE)
    screenshot(boss, "reporting-8-leader-overview-phone")
    leader_context.close()

    # 7. The figures are locked and official.
    page.reload()
    assert page.locator("#report-status").inner_text() == "Đã duyệt"
    assert page.get_by_role("button", name="Lưu").count() == 0
    assert page.locator(".badge-official").count() == 5 and page.locator(".badge-provisional").count() == 0
    screenshot(page, "reporting-9-officer-approved-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "reporting-10-officer-approved-phone")
    assert UnitReport.objects.get(unit=ward, period=period).status == ReportStatus.APPROVED
    official = IndicatorValue.objects.with_approval().get(indicator=households, period=period)
    assert (official.value, official.is_approved) == (Decimal("4100"), True)


def test_the_page_works_without_javascript(chromium, live_server, quarter):
    context = chromium.new_context(locale="vi-VN", java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.base = live_server.url
    sign_in(page, "canbo.songcau")
    page.goto(page.base + f"/bao-cao-quy/{quarter['period'].year}/{quarter['period'].quarter}/phuong-song-cau/")
    households = quarter["households"]
    page.fill(f"#id_chi-tieu-{households.pk}-value", "1.234,5")
    page.locator(f"#chi-tieu-{households.pk}").get_by_role("button", name="Lưu").click()
    page.wait_for_load_state("load")
    assert "Đã lưu." in page.locator(".messages").inner_text()
    assert page.input_value(f"#id_chi-tieu-{households.pk}-value") == "1.234,5"
    screenshot(page, "reporting-11-officer-no-javascript-phone")
    context.close()
    assert IndicatorValue.objects.get(indicator=households, period=quarter["period"]).value == Decimal("1234.5")
