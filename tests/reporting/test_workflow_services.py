"""The report workflow: draft → submitted → approved, or returned with a reason →
resubmitted; a leader may reopen an approved report with a reason. Each step is checked,
logged, and refused with a Vietnamese message when it does not apply."""

import threading
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection

from accounts.models import Role
from indicators.models import IndicatorValue
from periods.exceptions import PeriodLockedError
from periods.models import ReportStatus, UnitReport, UnitReportEvent
from reporting import services
from reporting.exceptions import ReportIncompleteError, ReportPermissionError, ReportWorkflowError
from tests import factories

from .conftest import fill_everything

pytestmark = pytest.mark.django_db


def test_an_officer_submits_a_complete_report(filled, ward, period, ward_officer):
    report = services.report_submit(unit=ward, period=period, actor=ward_officer)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.submitted_by == ward_officer and report.submitted_at is not None
    event = UnitReportEvent.objects.get(report=report)
    assert (event.from_status, event.to_status, event.actor) == (ReportStatus.DRAFT, ReportStatus.SUBMITTED, ward_officer)


def test_a_report_with_empty_rows_is_refused_and_names_them(obligations, ward, period, ward_officer):
    factories.make_task_update(task=obligations["led"], period=period, unit=ward)
    with pytest.raises(ReportIncompleteError) as error:
        services.report_submit(unit=ward, period=period, actor=ward_officer)
    message = str(error.value)
    assert "còn 4 mục chưa nhập" in message
    assert "Nhiệm vụ NV-02" in message and "Trường mầm non Sông Cầu" in message and "Số hộ kinh doanh" in message
    assert "NV-01" not in message
    assert not UnitReport.objects.filter(status=ReportStatus.SUBMITTED).exists()
    assert not UnitReportEvent.objects.exists()


def test_a_unit_with_nothing_to_report_is_told_so(ward, period, ward_officer):
    with pytest.raises(ReportWorkflowError, match="không có nhiệm vụ, dự án hay chỉ tiêu nào"):
        services.report_submit(unit=ward, period=period, actor=ward_officer)
    assert not UnitReport.objects.filter(status=ReportStatus.SUBMITTED).exists()


@pytest.mark.parametrize("persona", ["other_ward_officer", "leader", "secretariat"])
def test_only_the_units_own_officer_submits(filled, ward, period, persona, request):
    with pytest.raises(ReportPermissionError):
        services.report_submit(unit=ward, period=period, actor=request.getfixturevalue(persona))
    assert not UnitReport.objects.filter(status=ReportStatus.SUBMITTED).exists()


def test_a_submitted_report_cannot_be_submitted_twice(filled, ward, period, ward_officer):
    services.report_submit(unit=ward, period=period, actor=ward_officer)
    with pytest.raises(ReportWorkflowError, match="Trạng thái hiện tại: Đã gửi"):
        services.report_submit(unit=ward, period=period, actor=ward_officer)
    assert UnitReportEvent.objects.count() == 1


def test_a_return_needs_a_reason_and_reopens_the_figures(filled, ward, period, ward_officer, leader):
    services.report_submit(unit=ward, period=period, actor=ward_officer)
    with pytest.raises(ReportWorkflowError, match="phải nêu lý do"):
        services.report_return(unit=ward, period=period, actor=leader, reason="   ")
    assert UnitReport.objects.get().status == ReportStatus.SUBMITTED

    services.report_return(unit=ward, period=period, actor=leader, reason="Bổ sung số liệu giải ngân")
    report = UnitReport.objects.get()
    assert (report.status, report.return_reason, report.reviewed_by) == (
        ReportStatus.RETURNED,
        "Bổ sung số liệu giải ngân",
        leader,
    )
    figure = IndicatorValue.objects.get(indicator=filled["households"])
    figure.value = Decimal("4100")
    figure.save(actor=ward_officer)  # a returned report accepts changes again

    services.report_submit(unit=ward, period=period, actor=ward_officer)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.return_reason == ""
    assert list(UnitReportEvent.objects.values_list("to_status", "reason")) == [
        (ReportStatus.SUBMITTED, ""),
        (ReportStatus.RETURNED, "Bổ sung số liệu giải ngân"),
        (ReportStatus.SUBMITTED, ""),
    ]


def test_approval_locks_the_figures_and_makes_them_official(filled, ward, period, ward_officer, leader):
    services.report_submit(unit=ward, period=period, actor=ward_officer)
    services.report_approve(unit=ward, period=period, actor=leader)
    assert UnitReport.objects.get().status == ReportStatus.APPROVED
    figure = IndicatorValue.objects.with_approval().get(indicator=filled["households"])
    assert figure.is_approved
    figure.value = Decimal("1")
    with pytest.raises(PeriodLockedError):
        figure.save(actor=ward_officer)
    assert IndicatorValue.objects.get(indicator=filled["households"]).value == Decimal("4086")


def test_the_secretariat_may_review_for_the_leaders(filled, ward, period, ward_officer, secretariat):
    services.report_submit(unit=ward, period=period, actor=ward_officer)
    services.report_approve(unit=ward, period=period, actor=secretariat)
    assert UnitReport.objects.get().reviewed_by == secretariat


@pytest.mark.parametrize("step", ["approve", "return", "reopen"])
def test_officers_cannot_review_even_their_own_unit(filled, ward, period, ward_officer, step):
    services.report_submit(unit=ward, period=period, actor=ward_officer)
    kwargs = {"reason": "x"} if step != "approve" else {}
    with pytest.raises(ReportPermissionError):
        getattr(services, f"report_{step}")(unit=ward, period=period, actor=ward_officer, **kwargs)
    assert UnitReport.objects.get().status == ReportStatus.SUBMITTED


def test_a_draft_cannot_be_approved_or_returned(filled, ward, period, leader):
    # The unit's first figure opened its report as a draft.
    with pytest.raises(ReportWorkflowError, match="Dự thảo"):
        services.report_approve(unit=ward, period=period, actor=leader)
    factories.set_report_status(ward, period, ReportStatus.DRAFT)
    with pytest.raises(ReportWorkflowError, match="Chỉ trả lại được báo cáo đã gửi"):
        services.report_return(unit=ward, period=period, actor=leader, reason="Thiếu")
    assert UnitReport.objects.get().status == ReportStatus.DRAFT


def test_a_leader_reopens_an_approved_report_with_a_reason(filled, ward, period, ward_officer, leader):
    services.report_submit(unit=ward, period=period, actor=ward_officer)
    services.report_approve(unit=ward, period=period, actor=leader)
    with pytest.raises(ReportWorkflowError):
        services.report_reopen(unit=ward, period=period, actor=leader, reason="")
    services.report_reopen(unit=ward, period=period, actor=leader, reason="Cục Thống kê điều chỉnh số hộ")
    report = UnitReport.objects.get()
    assert report.status == ReportStatus.RETURNED and report.return_reason == "Cục Thống kê điều chỉnh số hộ"
    assert not IndicatorValue.objects.with_approval().get(indicator=filled["households"]).is_approved
    with pytest.raises(ReportWorkflowError, match="Chỉ mở lại được báo cáo đã duyệt"):
        services.report_reopen(unit=ward, period=period, actor=leader, reason="lần nữa")


def test_the_unit_is_emailed_when_its_report_is_returned_or_approved(
    filled, ward, period, ward_officer, leader, django_capture_on_commit_callbacks
):
    ward_officer.email = "canbo@songcau.example.vn"
    ward_officer.save()
    factories.make_user(role=Role.OFFICER, unit=ward, email="", username="khongthu")  # no address: not written to
    with django_capture_on_commit_callbacks(execute=True):
        services.report_submit(unit=ward, period=period, actor=ward_officer)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.report_return(unit=ward, period=period, actor=leader, reason="Thiếu số liệu giải ngân")
    assert len(callbacks) == 1  # queued after commit, never inside the transaction
    with django_capture_on_commit_callbacks(execute=True):
        services.report_submit(unit=ward, period=period, actor=ward_officer)
        services.report_approve(unit=ward, period=period, actor=leader)
    assert [message.to for message in mail.outbox] == [["canbo@songcau.example.vn"]] * 2
    assert "cần chỉnh sửa" in mail.outbox[0].subject and "Thiếu số liệu giải ngân" in mail.outbox[0].body
    assert "/bao-cao-quy/2024/3/phuong-song-cau-test/" in mail.outbox[0].body
    assert "đã được duyệt" in mail.outbox[1].subject


def test_a_figure_save_refused_by_the_lock_leaves_no_report_row_behind(obligations, ward, period, ward_officer):
    factories.set_report_status(ward, period, ReportStatus.APPROVED)
    figure = IndicatorValue(indicator=obligations["households"], period=period, unit=ward, value=Decimal(1))
    with pytest.raises(PeriodLockedError):
        services.figure_save(figure=figure, actor=ward_officer)
    assert not IndicatorValue.objects.exists()


def test_another_units_officer_cannot_save_a_figure(obligations, ward, period, other_ward_officer):
    figure = IndicatorValue(indicator=obligations["households"], period=period, unit=ward, value=Decimal(1))
    with pytest.raises(ReportPermissionError):
        services.figure_save(figure=figure, actor=other_ward_officer)
    assert not IndicatorValue.objects.exists() and not UnitReport.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL")
def test_ten_leaders_approving_at_once_approve_once(ward, department, period):
    """The report row is locked: one approval wins, the nine others see it approved."""
    officer = factories.make_user(role=Role.OFFICER, unit=ward)
    task = factories.make_task(lead_unit=ward)
    factories.make_task_update(task=task, period=period, unit=ward, actor=officer)
    services.report_submit(unit=ward, period=period, actor=officer)
    leaders = [factories.make_user(role=Role.LEADER) for _ in range(10)]
    start = threading.Barrier(len(leaders))
    outcomes = []

    def approve(leader):
        from django.db import connection as thread_connection

        try:
            start.wait(timeout=30)
            services.report_approve(unit=ward, period=period, actor=leader)
            outcomes.append("approved")
        except ReportWorkflowError:
            outcomes.append("refused")
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=approve, args=(leader,)) for leader in leaders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["approved"] + ["refused"] * 9
    assert UnitReportEvent.objects.filter(to_status=ReportStatus.APPROVED).count() == 1


def test_fill_helper_covers_every_row(obligations, ward, period):
    fill_everything(obligations, period, ward)
    from reporting.selectors import obligations_for

    assert obligations_for(ward, period).missing == []


def test_every_transition_enters_the_audit_log(filled, ward, period, ward_officer, leader):
    from audit.models import AuditEvent, AuditEventType

    services.report_submit(unit=ward, period=period, actor=ward_officer)
    services.report_return(unit=ward, period=period, actor=leader, reason="Thiếu nguồn số liệu")
    services.report_submit(unit=ward, period=period, actor=ward_officer)
    services.report_approve(unit=ward, period=period, actor=leader)
    services.report_reopen(unit=ward, period=period, actor=leader, reason="Điều chỉnh số liệu")
    events = list(AuditEvent.objects.order_by("pk").values_list("event", "username"))
    assert [event for event, _ in events if event.startswith("report")] == [
        AuditEventType.REPORT_SUBMITTED,
        AuditEventType.REPORT_RETURNED,
        AuditEventType.REPORT_SUBMITTED,
        AuditEventType.REPORT_APPROVED,
        AuditEventType.REPORT_REOPENED,
    ]
    assert AuditEvent.objects.filter(event=AuditEventType.REPORT_APPROVED, actor=leader, target__contains=period.label).exists()
