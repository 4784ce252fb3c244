"""The unit's reporting page: everything the unit must report, last period's values as a
hint, what is still empty, the deadline; readable by the unit's officers and leaders."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from periods.models import ReportStatus
from tests import factories

from .conftest import signed_in, unit_url

pytestmark = pytest.mark.django_db


def test_the_page_lists_every_row_with_last_periods_hint_and_the_deadline(client, obligations, ward, period, ward_officer):
    previous = factories.make_period(2024, 2)
    factories.make_indicator_value(indicator=obligations["households"], period=previous, value="3950")
    factories.make_task_update(task=obligations["led"], period=previous, unit=ward, status="not_started")
    page = signed_in(client, ward_officer).get(unit_url("unit_report", ward, period)).content.decode()
    assert "Báo cáo Quý III/2024 — Phường Sông Cầu" in page
    assert "Hạn gửi" in page and "20/09/2024" in page and "15/09/2024" in page
    for text in [
        "NV-01",
        "NV-02",
        "Chủ trì",
        "Phối hợp",
        "Trường mầm non Sông Cầu",
        "Số hộ kinh doanh",
        "Tỷ lệ hồ sơ trực tuyến",
    ]:
        assert text in page
    assert "3.950" in page and "Chưa thực hiện" in page  # last period's values as hints
    assert "Đã nhập 0/5 mục" in page and "Chưa nhập" in page
    assert "Tử số: Số hồ sơ trực tuyến" in page and "Mẫu số: Tổng số hồ sơ" in page


def test_a_complete_draft_offers_the_submit_button(client, filled, ward, period, ward_officer):
    page = signed_in(client, ward_officer).get(unit_url("unit_report", ward, period)).content.decode()
    assert "Đã nhập 5/5 mục" in page
    assert unit_url("submit", ward, period) in page


def test_another_wards_officer_is_refused(client, filled, ward, period, other_ward_officer):
    response = signed_in(client, other_ward_officer).get(unit_url("unit_report", ward, period))
    assert response.status_code == 403
    assert "4.086" not in response.content.decode()


def test_a_leader_reads_the_page_without_entry_forms(client, filled, ward, period, leader):
    factories.set_report_status(ward, period, ReportStatus.SUBMITTED)
    page = signed_in(client, leader).get(unit_url("unit_report", ward, period)).content.decode()
    assert "4.086" in page and "58,37%" in page and "(5.837 / 10.000)" in page
    assert 'name="nhiem-vu-' not in page  # no entry form for leaders
    assert unit_url("approve", ward, period) in page and unit_url("return", ward, period) in page


def test_an_approved_report_shows_its_figures_as_official_and_locked(client, filled, ward, period, ward_officer):
    factories.set_report_status(ward, period, ReportStatus.APPROVED)
    page = signed_in(client, ward_officer).get(unit_url("unit_report", ward, period)).content.decode()
    assert "chính thức" in page and "đã khóa" in page
    assert "tạm tính" not in page
    assert '<form method="post" action="' + unit_url("row_save", ward, period, "chi-tieu", filled["households"].pk) not in page


def test_unknown_unit_or_period_is_not_found(client, ward, period, leader):
    signed_in(client, leader)
    assert client.get(reverse("reporting:unit_report", args=[2024, 3, "khong-co"])).status_code == 404
    assert client.get(reverse("reporting:unit_report", args=[1999, 3, ward.code])).status_code == 404


def test_my_report_takes_an_officer_to_the_current_period(client, ward, ward_officer):
    from django.utils import timezone

    today = timezone.localdate()
    current = factories.make_period(today.year, (today.month - 1) // 3 + 1)
    response = signed_in(client, ward_officer).get(reverse("reporting:my_report"))
    assert response.status_code == 302
    assert response["Location"] == unit_url("unit_report", ward, current)


def test_my_report_takes_a_leader_to_the_overview(client, leader, period):
    response = signed_in(client, leader).get(reverse("reporting:my_report"))
    assert response["Location"] == reverse("reporting:overview")


def test_the_menu_shows_each_role_its_reporting_entry(client, ward_officer, leader, period):
    page = signed_in(client, ward_officer).get(reverse("home")).content.decode()
    assert "Báo cáo của đơn vị" in page and "Tình hình báo cáo" not in page
    page = signed_in(client, leader).get(reverse("home")).content.decode()
    assert "Tình hình báo cáo" in page and "Báo cáo của đơn vị" not in page


def _grow(ward, department, period, n):
    """n more rows of each kind for the ward, each with a figure this period and last."""
    previous = factories.make_period(2024, 2)
    officer = factories.make_user(role=Role.OFFICER, unit=ward)
    for _ in range(n):
        task = factories.make_task(lead_unit=department, supporting=[ward])
        project = factories.make_project(managing_unit=ward)
        indicator = factories.make_indicator(responsible_unit=ward)
        for each in (period, previous):
            factories.make_task_update(task=task, period=each, unit=ward, actor=officer)
            factories.make_project_update(project=project, period=each, progress_percent=10, actor=officer)
            factories.make_indicator_value(indicator=indicator, period=each, value="12", actor=officer)


@pytest.mark.parametrize("persona", ["ward_officer", "leader"])
def test_the_page_runs_the_same_queries_for_three_rows_and_for_thirty(
    client, ward, department, period, persona, request, django_assert_num_queries, monkeypatch
):
    # In Quý III/2024's reminder window, so that the officer's reminder check runs in full.
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: datetime.date(2024, 9, 16))
    user = request.getfixturevalue(persona)
    signed_in(client, user)
    url = unit_url("unit_report", ward, period)
    factories.set_report_status(ward, period, ReportStatus.RETURNED)
    counts = []
    for n in (1, 10):
        _grow(ward, department, period, n)
        with django_assert_num_queries(_expected(persona)) as captured:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def _expected(persona):
    # session, user, unit, period, report (+ its events), previous period, obligations
    # (tasks + supporting units, task/project/indicator updates, projects, indicators),
    # recent periods, the session's renewed expiry (savepoint, update, release); an
    # officer also gets the reminder check (period + status).
    return 20 if persona == "ward_officer" else 18


def test_a_saved_status_and_phase_show_as_selected(client, ward, ward_officer, period):
    task = factories.make_task(lead_unit=ward)
    factories.make_task_update(task=task, period=period, status="in_progress", narrative="Đang làm")
    project = factories.make_project(managing_unit=ward)
    factories.make_project_update(project=project, period=period, phase="construction")
    client.force_login(ward_officer)
    page = client.get(reverse("reporting:unit_report", args=[period.year, period.quarter, ward.code])).content.decode()
    assert '<option value="in_progress" selected>' in page
    assert '<option value="construction" selected>' in page
