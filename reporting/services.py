"""The writes of quarterly reporting: a unit's figures and the workflow of its report.

Every workflow step locks the report row (`select_for_update`), checks the transition and
the actor, writes the new state and a UnitReportEvent in one transaction. Figure writes
lock the same row (ReportedFigure.save), so an approval and a late edit cannot interleave.
"""

import datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from audit.models import AuditEventType
from audit.services import audit_record
from periods.models import ChangeSource, ReportStatus, UnitReport, UnitReportEvent

from .exceptions import ReportIncompleteError, ReportPermissionError, ReportWorkflowError
from .models import ReminderStatus, ReportEventNotice, ReportReminder
from .selectors import SUBMITTED_STATUSES, obligations_for, reminder_period, units_with_obligations

REVIEWER_ROLES = (Role.LEADER, Role.SECRETARIAT)


def can_review(user) -> bool:
    """Leaders approve and return; the party committee office (secretariat) may act for
    them, as it does on paper when it checks the units' reports before a meeting."""
    return user.is_authenticated and user.role in REVIEWER_ROLES


# -- figures ------------------------------------------------------------------------------


def figure_save(*, figure, actor: User):
    """Save one reported figure typed on the portal (ReportedFigure.save locks the
    unit's report row, so a concurrent submission serialises with it); raises
    FigureWriteError."""
    if not actor.can_write_unit(figure.unit_id):
        raise ReportPermissionError(_("Chỉ cán bộ của đơn vị mới được nhập số liệu của đơn vị."))
    figure.save(actor=actor, source=ChangeSource.FORM)
    return figure


# -- workflow -----------------------------------------------------------------------------


def report_submit(*, unit, period, actor: User) -> UnitReport:
    """draft/returned → submitted. Only the unit's own officers submit, and only when
    every row has a figure (an estimate will do; a task not started says so)."""
    if not actor.can_write_unit(unit.pk):
        raise ReportPermissionError(_("Chỉ cán bộ của đơn vị mới được gửi báo cáo của đơn vị."))
    with transaction.atomic():
        report, _created = UnitReport.objects.select_for_update().get_or_create(unit=unit, period=period)
        report.unit, report.period = unit, period
        _require(report, (ReportStatus.DRAFT, ReportStatus.RETURNED), _("Chỉ gửi được báo cáo đang soạn hoặc bị trả lại."))
        obligations = obligations_for(unit, period)
        if obligations.rows == 0:
            raise ReportWorkflowError(
                _("%(unit)s không có nhiệm vụ, dự án hay chỉ tiêu nào phải báo cáo trong %(period)s; không có gì để gửi.")
                % {"unit": unit.name, "period": period.label}
            )
        missing = obligations.missing
        if missing:
            raise ReportIncompleteError(
                _(
                    "Chưa gửi được: còn %(count)s mục chưa nhập số liệu (%(names)s). Mỗi mục cần ít nhất một số ước thực hiện hoặc tình hình thực hiện."
                )
                % {"count": len(missing), "names": "; ".join(missing)},
                missing,
            )
        return _move(report, ReportStatus.SUBMITTED, actor=actor, submitted=True, reason_text="")


def report_return(*, unit, period, actor: User, reason: str) -> UnitReport:
    """submitted → returned, with the reason the unit must address."""
    _require_reviewer(actor)
    reason = _require_reason(reason, _("Trả lại báo cáo phải nêu lý do để đơn vị chỉnh sửa."))
    with transaction.atomic():
        report = _locked(unit, period)
        _require(report, (ReportStatus.SUBMITTED,), _("Chỉ trả lại được báo cáo đã gửi và đang chờ duyệt."))
        report = _move(report, ReportStatus.RETURNED, actor=actor, reviewed=True, reason_text=reason)
    return report


def report_approve(*, unit, period, actor: User) -> UnitReport:
    """submitted → approved: the unit's figures for the period become official and locked."""
    _require_reviewer(actor)
    with transaction.atomic():
        report = _locked(unit, period)
        _require(report, (ReportStatus.SUBMITTED,), _("Chỉ duyệt được báo cáo đã gửi và đang chờ duyệt."))
        report = _move(report, ReportStatus.APPROVED, actor=actor, reviewed=True, reason_text="")
    return report


def report_reopen(*, unit, period, actor: User, reason: str) -> UnitReport:
    """approved → returned: a leader unlocks an approved report, saying why, so the unit
    can correct it; its figures are provisional again until approved anew."""
    _require_reviewer(actor)
    reason = _require_reason(reason, _("Mở lại báo cáo đã duyệt phải nêu lý do."))
    with transaction.atomic():
        report = _locked(unit, period)
        _require(report, (ReportStatus.APPROVED,), _("Chỉ mở lại được báo cáo đã duyệt."))
        report = _move(report, ReportStatus.RETURNED, actor=actor, reviewed=True, reason_text=reason)
    return report


def _require_reviewer(actor):
    if not can_review(actor):
        raise ReportPermissionError(_("Chỉ lãnh đạo (hoặc Văn phòng) mới được duyệt, trả lại hay mở lại báo cáo."))


def _require_reason(reason, message) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ReportWorkflowError(message)
    return reason


def _locked(unit, period) -> UnitReport:
    report = UnitReport.objects.select_for_update().filter(unit=unit, period=period).first()
    if report is None:
        raise ReportWorkflowError(_("%(unit)s chưa gửi báo cáo %(period)s.") % {"unit": unit.name, "period": period.label})
    report.unit, report.period = unit, period  # already loaded: no query for the audit line
    return report


def _require(report, statuses, message):
    if report.status not in statuses:
        current = _("Trạng thái hiện tại: %(status)s.") % {"status": ReportStatus(report.status).label}
        raise ReportWorkflowError(f"{message} {current}")


AUDIT_EVENTS = {
    ReportStatus.SUBMITTED: AuditEventType.REPORT_SUBMITTED,
    ReportStatus.RETURNED: AuditEventType.REPORT_RETURNED,
    ReportStatus.APPROVED: AuditEventType.REPORT_APPROVED,
}


def _move(report, to_status, *, actor, reason_text, submitted=False, reviewed=False) -> UnitReport:
    now = timezone.now()
    from_status = report.status
    report.status = to_status
    report.return_reason = reason_text if to_status == ReportStatus.RETURNED else ""
    if submitted:
        report.submitted_at, report.submitted_by = now, actor
    if reviewed:
        report.reviewed_at, report.reviewed_by = now, actor
    report.save()
    event = UnitReportEvent.objects.create(
        report=report, from_status=from_status, to_status=to_status, actor=actor, reason=reason_text, at=now
    )
    reopened = from_status == ReportStatus.APPROVED
    audit_record(
        AuditEventType.REPORT_REOPENED if reopened else AUDIT_EVENTS[to_status],
        actor=actor,
        target=f"{report.unit.code} {report.period.label}",
        reason=reason_text,
    )
    if to_status in NOTIFIED_STATUSES:
        from .tasks import notify_report_event

        notify_report_event.delay_on_commit(event.pk)
    return report


# -- e-mail -------------------------------------------------------------------------------


def unit_recipients(unit) -> list[str]:
    """The unit's officers with an e-mail address, and the unit's own address."""
    addresses = list(
        User.objects.filter(unit=unit, role=Role.OFFICER, is_active=True).exclude(email="").values_list("email", flat=True)
    )
    if unit.email:
        addresses.append(unit.email)
    return sorted(set(addresses))


def unit_report_url(unit, period) -> str:
    path = reverse("reporting:unit_report", args=[period.year, period.quarter, unit.code])
    return settings.REPORTING_BASE_URL.rstrip("/") + path


def report_event_notify(*, event_id: int) -> int:
    """Tell the unit's officers that their report was returned, reopened or approved.
    Once per event, however often the task is delivered (ReportEventNotice; a process
    killed between sending and committing may still send it twice — the mail server is
    not part of our transaction). Returns how many addresses were written to."""
    with transaction.atomic():
        # A concurrent delivery of the same event waits here for this one to commit, then
        # finds the notice and sends nothing.
        _notice, created = ReportEventNotice.objects.select_for_update().get_or_create(event_id=event_id)
        if not created:
            return 0
        sent = _send_event_notice(event_id)
        ReportEventNotice.objects.filter(event_id=event_id).update(recipients=", ".join(sent), sent_at=timezone.now())
    return len(sent)


NOTIFIED_STATUSES = (ReportStatus.RETURNED, ReportStatus.APPROVED)


def report_event_notices_missing(*, now=None) -> list[int]:
    """Events that should have had their e-mail by now and have none: its task was never
    published (the broker was down at the approval) or gave up (the mail server was down
    through every retry). Only recent ones made by a person: an event older than the
    look-back is history, not news, and one without an actor was recorded by the system
    (the article's figures published by `setup_portal`, the demo), never announced."""
    now = now or timezone.now()
    after = datetime.timedelta(seconds=settings.REPORTING_NOTICE_SWEEP_AFTER_SECONDS)
    look_back = datetime.timedelta(hours=settings.REPORTING_NOTICE_SWEEP_HOURS)
    return list(
        UnitReportEvent.objects.filter(
            to_status__in=NOTIFIED_STATUSES, actor__isnull=False, at__gte=now - look_back, at__lte=now - after
        )
        .exclude(pk__in=ReportEventNotice.objects.values("event_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def report_event_notices_sweep(*, now=None) -> list[int]:
    """Publish again the e-mails of `report_event_notices_missing()`; a delivery that finds
    its notice already sent sends nothing. Returns the events published."""
    from backancity.celery import publish_after_commit

    from .tasks import notify_report_event

    published = []
    for event_id in report_event_notices_missing(now=now):
        if not publish_after_commit(notify_report_event, (event_id,), {}, {}):
            break  # the broker is down again: the next sweep goes on
        published.append(event_id)
    return published


def _send_event_notice(event_id: int) -> list[str]:
    event = UnitReportEvent.objects.select_related("report__unit", "report__period", "actor").get(pk=event_id)
    report = event.report
    recipients = unit_recipients(report.unit)
    if not recipients:
        return []
    values = {"period": report.period.label, "unit": report.unit.name, "url": unit_report_url(report.unit, report.period)}
    if event.to_status == ReportStatus.APPROVED:
        subject = _("Báo cáo %(period)s của %(unit)s đã được duyệt") % values
        body = _("Báo cáo %(period)s của %(unit)s đã được duyệt; số liệu của kỳ này là số chính thức.\n\n%(url)s") % values
    else:
        values["reason"] = event.reason
        subject = _("Báo cáo %(period)s của %(unit)s cần chỉnh sửa") % values
        body = (
            _(
                "Báo cáo %(period)s của %(unit)s được trả lại để chỉnh sửa.\n\nLý do: %(reason)s\n\nChỉnh sửa và gửi lại tại: %(url)s"
            )
            % values
        )
    EmailMessage(subject=subject, body=body, to=recipients).send()
    return recipients


def reminders_send(*, day: datetime.date | None = None) -> dict[str, int]:
    """E-mail every unit that has not sent the current reminder period's report. Once a
    day per unit and period: a reminder already sent today is not sent again; one that
    failed is retried. Returns counts by outcome."""
    day = day or timezone.localdate()
    outcome = {"sent": 0, "skipped": 0, "failed": 0, "no_recipient": 0}
    period = reminder_period(day)
    if period is None:
        return outcome
    sent_units = set(UnitReport.objects.filter(period=period, status__in=SUBMITTED_STATUSES).values_list("unit_id", flat=True))
    units = [unit for unit in units_with_obligations() if unit.pk not in sent_units]
    connection = get_connection()
    for unit in units:
        with transaction.atomic():
            reminder, created = ReportReminder.objects.select_for_update().get_or_create(unit=unit, period=period, sent_on=day)
            if not created and reminder.status in (ReminderStatus.SENT, ReminderStatus.NO_RECIPIENT):
                outcome["skipped"] += 1
                continue
            recipients = unit_recipients(unit)
            reminder.recipients = ", ".join(recipients)
            if not recipients:
                reminder.status = ReminderStatus.NO_RECIPIENT
                reminder.save()
                outcome["no_recipient"] += 1
                continue
            try:
                _reminder_message(unit, period, day, recipients, connection).send()
            except Exception as exc:  # any mail failure is recorded, and retried by the next run
                reminder.status, reminder.error = ReminderStatus.FAILED, str(exc)[:2000]
                reminder.save()
                outcome["failed"] += 1
                continue
            reminder.status, reminder.error, reminder.sent_at = ReminderStatus.SENT, "", timezone.now()
            reminder.save()
            outcome["sent"] += 1
    return outcome


def _reminder_message(unit, period, day, recipients, connection) -> EmailMessage:
    days_left = (period.due_date - day).days
    values = {
        "unit": unit.name,
        "period": period.label,
        "due": period.due_date.strftime("%d/%m/%Y"),
        "cut_off": period.cut_off_date.strftime("%d/%m/%Y"),
        "url": unit_report_url(unit, period),
        "days": abs(days_left),
    }
    if days_left >= 0:
        subject = _("Nhắc gửi báo cáo %(period)s — hạn %(due)s") % values
        when = _("Hạn gửi báo cáo là ngày %(due)s (còn %(days)s ngày); số liệu chốt đến ngày %(cut_off)s.") % values
    else:
        subject = _("Báo cáo %(period)s đã quá hạn %(days)s ngày") % values
        when = _("Hạn gửi báo cáo là ngày %(due)s; đã quá hạn %(days)s ngày.") % values
    body = "\n\n".join(
        [
            _("Kính gửi %(unit)s,") % values,
            _("Đơn vị chưa gửi báo cáo %(period)s về tình hình thực hiện Nghị quyết 29-NQ/TU.") % values,
            when,
            _("Nhập số liệu và gửi báo cáo tại: %(url)s") % values,
            _("Thư này được gửi tự động từ cổng theo dõi thực hiện Nghị quyết 29-NQ/TU."),
        ]
    )
    return EmailMessage(subject=subject, body=body, to=recipients, connection=connection)
