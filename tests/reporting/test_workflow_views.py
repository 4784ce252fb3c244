"""The workflow buttons: submit (officer), approve / return / reopen (leader or
secretariat), from the unit's page or the overview. Each refusal is proven, and that
nothing changed."""

import pytest
from django.urls import reverse

from periods.models import ReportStatus, UnitReport, UnitReportEvent
from tests import factories

from .conftest import signed_in, unit_url

pytestmark = pytest.mark.django_db


def test_an_officer_submits_from_the_page(client, filled, ward, period, ward_officer):
    response = signed_in(client, ward_officer).post(unit_url("submit", ward, period), follow=True)
    assert "Đã gửi báo cáo Quý III/2024" in response.content.decode()
    assert UnitReport.objects.get().status == ReportStatus.SUBMITTED


def test_an_incomplete_report_is_not_submitted_and_the_officer_is_told_what_is_missing(
    client, obligations, ward, period, ward_officer
):
    response = signed_in(client, ward_officer).post(unit_url("submit", ward, period), follow=True)
    page = response.content.decode()
    assert "Chưa gửi được: còn 5 mục chưa nhập" in page and "Nhiệm vụ NV-01" in page
    assert not UnitReport.objects.filter(status=ReportStatus.SUBMITTED).exists()


@pytest.mark.parametrize("persona", ["other_ward_officer", "leader"])
def test_nobody_else_submits_a_units_report(client, filled, ward, period, persona, request):
    response = signed_in(client, request.getfixturevalue(persona)).post(unit_url("submit", ward, period))
    assert response.status_code == 403
    assert not UnitReport.objects.filter(status=ReportStatus.SUBMITTED).exists()


def test_a_leader_returns_with_a_reason_and_the_officer_sees_it(client, filled, ward, period, leader, ward_officer):
    factories.set_report_status(ward, period, ReportStatus.SUBMITTED)
    signed_in(client, leader)
    response = client.post(unit_url("return", ward, period), {"reason": "  "}, follow=True)
    assert "phải nêu lý do" in response.content.decode()
    assert UnitReport.objects.get().status == ReportStatus.SUBMITTED
    client.post(unit_url("return", ward, period), {"reason": "Bổ sung kết quả nhiệm vụ NV-01"})
    assert UnitReport.objects.get().status == ReportStatus.RETURNED
    page = signed_in(client, ward_officer).get(unit_url("unit_report", ward, period)).content.decode()
    assert "Báo cáo bị trả lại" in page and "Bổ sung kết quả nhiệm vụ NV-01" in page and "Gửi lại báo cáo" in page


def test_a_leader_approves_from_the_overview_and_returns_to_it(client, filled, ward, period, leader):
    factories.set_report_status(ward, period, ReportStatus.SUBMITTED)
    overview = reverse("reporting:overview_period", args=[2024, 3]) + "?loc=submitted"
    response = signed_in(client, leader).post(unit_url("approve", ward, period), {"next": overview})
    assert response["Location"] == overview
    assert UnitReport.objects.get().status == ReportStatus.APPROVED
    assert UnitReportEvent.objects.get().actor == leader


def test_an_unsafe_next_address_is_ignored(client, filled, ward, period, leader):
    factories.set_report_status(ward, period, ReportStatus.SUBMITTED)
    response = signed_in(client, leader).post(unit_url("approve", ward, period), {"next": "https://evil.example/"})
    assert response["Location"] == unit_url("unit_report", ward, period)


@pytest.mark.parametrize("step", ["approve", "return", "reopen"])
def test_an_officer_cannot_review(client, filled, ward, period, ward_officer, step):
    factories.set_report_status(ward, period, ReportStatus.SUBMITTED)
    response = signed_in(client, ward_officer).post(unit_url(step, ward, period), {"reason": "x"})
    assert response.status_code == 403
    assert UnitReport.objects.get().status == ReportStatus.SUBMITTED
    assert not UnitReportEvent.objects.exists()


def test_approving_a_draft_is_refused_with_a_message(client, filled, ward, period, leader):
    factories.set_report_status(ward, period, ReportStatus.DRAFT)
    response = signed_in(client, leader).post(unit_url("approve", ward, period), follow=True)
    assert "Chỉ duyệt được báo cáo đã gửi" in response.content.decode()
    assert UnitReport.objects.get().status == ReportStatus.DRAFT


def test_a_leader_reopens_an_approved_report(client, filled, ward, period, leader):
    factories.set_report_status(ward, period, ReportStatus.APPROVED)
    signed_in(client, leader)
    client.post(unit_url("reopen", ward, period), {"reason": ""})
    assert UnitReport.objects.get().status == ReportStatus.APPROVED
    client.post(unit_url("reopen", ward, period), {"reason": "Điều chỉnh theo số liệu thống kê"})
    report = UnitReport.objects.get()
    assert (report.status, report.return_reason) == (ReportStatus.RETURNED, "Điều chỉnh theo số liệu thống kê")


def test_workflow_steps_accept_only_post(client, filled, ward, period, leader):
    signed_in(client, leader)
    for step in ("submit", "approve", "return", "reopen"):
        assert client.get(unit_url(step, ward, period)).status_code == 405
