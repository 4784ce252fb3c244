"""The leaders' overview of a period: who submitted, who is late, who was returned, with
links to review; the programme's tasks classified for the period."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from periods.models import ReportStatus
from tests import factories

from .conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(monkeypatch):
    """The overview is read on 25/09/2024, five days after Quý III/2024's due date."""
    day = datetime.date(2024, 9, 25)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: day)
    return day


def overview_url(period, **query):
    url = reverse("reporting:overview_period", args=[period.year, period.quarter])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_overview_shows_each_units_state_and_who_is_late(client, filled, ward, other_ward, department, period, leader, today):
    factories.make_task(lead_unit=other_ward)
    factories.set_report_status(ward, period, ReportStatus.SUBMITTED)
    factories.set_report_status(department, period, ReportStatus.RETURNED, return_reason="Thiếu số liệu giải ngân")
    page = signed_in(client, leader).get(overview_url(period)).content.decode()
    assert "Báo cáo Quý III/2024 của các đơn vị" in page
    assert "Phường Sông Cầu" in page and "Phường Đức Xuân" in page and "Phòng Kinh tế" in page
    assert "5/5" in page and "0/1" in page
    assert "Thiếu số liệu giải ngân" in page
    assert "quá hạn" in page  # Đức Xuân has not sent; the due date (20/09) has passed
    assert reverse("reporting:approve", args=[2024, 3, ward.code]) in page


def test_the_filters_narrow_the_list(client, filled, ward, other_ward, period, leader, today):
    factories.make_task(lead_unit=other_ward)
    factories.set_report_status(ward, period, ReportStatus.SUBMITTED)
    signed_in(client, leader)
    late = client.get(overview_url(period, loc="late")).content.decode()
    assert 'id="unit-phuong-duc-xuan-test"' in late and 'id="unit-phuong-song-cau-test"' not in late
    waiting = client.get(overview_url(period, loc="submitted")).content.decode()
    assert 'id="unit-phuong-song-cau-test"' in waiting and 'id="unit-phuong-duc-xuan-test"' not in waiting


def test_tasks_are_classified_for_the_period(client, ward, period, leader, today):
    on_time = factories.make_task(lead_unit=ward, deadline=datetime.date(2024, 9, 30), code="A")
    factories.make_task_update(task=on_time, period=period, status="done", completed_on=datetime.date(2024, 9, 1))
    factories.make_task(lead_unit=ward, deadline=datetime.date(2024, 6, 30), code="B", content="Nhiệm vụ đã quá hạn")
    factories.make_task(lead_unit=ward, deadline=datetime.date(2025, 6, 30), code="C")
    factories.make_task(lead_unit=ward, is_recurring=True, code="D")
    page = signed_in(client, leader).get(overview_url(period)).content.decode()
    assert "Hoàn thành đúng hạn" in page and "Quá hạn, chưa hoàn thành" in page and "Thường xuyên" in page
    assert "Nhiệm vụ quá hạn, chưa hoàn thành" in page and "Nhiệm vụ đã quá hạn" in page


@pytest.mark.parametrize("persona", ["ward_officer", "department_officer"])
def test_officers_cannot_see_the_overview(client, filled, period, persona, request):
    signed_in(client, request.getfixturevalue(persona))
    assert client.get(overview_url(period)).status_code == 403
    response = client.get(reverse("reporting:overview"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Không có quyền truy cập" in page and "Tình hình báo cáo" not in page


def test_the_secretariat_sees_the_overview(client, filled, period, secretariat):
    assert signed_in(client, secretariat).get(overview_url(period)).status_code == 200


# [row save (htmx), row history, submit, approve]; savepoints differ between back-ends.
EXPECTED_WRITE_QUERIES = {"sqlite": [25, 10, 18, 13], "postgresql": [25, 10, 18, 13]}


def _grow(period, n):
    """n more units, each with a task, a project and an indicator, all filled in."""
    for _ in range(n):
        unit = factories.make_unit()
        officer = factories.make_user(role=Role.OFFICER, unit=unit)
        task = factories.make_task(lead_unit=unit, deadline=datetime.date(2024, 12, 31))
        factories.make_task_update(task=task, period=period, unit=unit, actor=officer)
        project = factories.make_project(managing_unit=unit)
        factories.make_project_update(project=project, period=period, progress_percent=5, actor=officer)
        indicator = factories.make_indicator(responsible_unit=unit)
        factories.make_indicator_value(indicator=indicator, period=period, value="1", actor=officer)
        factories.set_report_status(unit, period, ReportStatus.SUBMITTED)


def test_the_overview_runs_the_same_queries_for_two_units_and_for_twenty(
    client, period, leader, today, django_assert_num_queries
):
    signed_in(client, leader)
    for n in (2, 18):
        _grow(period, n)
        # session, user, period, units, reports, four obligation counts, three filled
        # counts, task classification, the period switcher; the session's renewed expiry
        # (savepoint, update, release)
        with django_assert_num_queries(17):
            response = client.get(overview_url(period))
        assert response.status_code == 200


def test_the_workflow_and_row_views_run_fixed_queries(client, period, leader):
    """Saving a row, reading its history, submitting and approving cost the same for a
    unit with three rows as for one with thirty."""
    from .conftest import unit_url

    counts = []
    for n in (1, 10):
        unit = factories.make_unit()
        officer = factories.make_user(role=Role.OFFICER, unit=unit)
        indicators = [factories.make_indicator(responsible_unit=unit) for _ in range(3 * n)]
        for indicator in indicators[1:]:
            factories.make_indicator_value(indicator=indicator, period=period, value="5", actor=officer)
        first = indicators[0]
        signed_in(client, officer)
        measured = []
        with CaptureQueriesContext(connection) as saving:
            client.post(
                unit_url("row_save", unit, period, "chi-tieu", first.pk),
                {f"chi-tieu-{first.pk}-value": "7", f"chi-tieu-{first.pk}-kind": "estimate", f"chi-tieu-{first.pk}-version": "0"},
                HTTP_HX_REQUEST="true",
            )
        measured.append(len(saving.captured_queries))
        with CaptureQueriesContext(connection) as history:
            client.get(unit_url("row_history", unit, period, "chi-tieu", first.pk), HTTP_HX_REQUEST="true")
        measured.append(len(history.captured_queries))
        with CaptureQueriesContext(connection) as submitting:
            client.post(unit_url("submit", unit, period))
        measured.append(len(submitting.captured_queries))
        signed_in(client, leader)
        with CaptureQueriesContext(connection) as approving:
            client.post(unit_url("approve", unit, period))
        measured.append(len(approving.captured_queries))
        counts.append(measured)
    assert counts[0] == counts[1] == EXPECTED_WRITE_QUERIES[connection.vendor]
