"""Reminders: from N days before the due date, units that have not sent the quarter's
report are e-mailed once a day (the send is recorded, so a second run the same day sends
nothing twice) and their officers see a banner in the portal."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from accounts.models import Role
from periods.models import ReportStatus
from reporting import services, tasks
from reporting.models import ReminderStatus, ReportReminder
from tests import factories

from .conftest import signed_in, unit_url

pytestmark = pytest.mark.django_db

# Quý III/2024 is due on 20/09/2024; reminders open seven days before.
BEFORE_WINDOW = datetime.date(2024, 9, 12)
IN_WINDOW = datetime.date(2024, 9, 16)
OVERDUE = datetime.date(2024, 9, 23)


@pytest.fixture
def units(ward, other_ward, department, period):
    """Three units that must report; Sông Cầu has two officers with an address."""
    for unit in (ward, other_ward, department):
        factories.make_task(lead_unit=unit)
    factories.make_user(role=Role.OFFICER, unit=ward, email="a@songcau.example.vn")
    factories.make_user(role=Role.OFFICER, unit=ward, email="b@songcau.example.vn")
    factories.make_user(role=Role.LEADER, email="lanhdao@example.vn")  # leaders are not reminded
    factories.make_user(role=Role.OFFICER, unit=other_ward, email="c@ducxuan.example.vn")
    factories.make_user(role=Role.OFFICER, unit=department, email="d@kinhte.example.vn")
    return ward, other_ward, department


@pytest.fixture
def today(monkeypatch):
    def set_day(day):
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: day)

    return set_day


def test_units_that_have_not_sent_are_emailed_in_the_window(units, period):
    ward, other_ward, department = units
    factories.set_report_status(department, period, ReportStatus.SUBMITTED)
    outcome = services.reminders_send(day=IN_WINDOW)
    assert outcome == {"sent": 2, "skipped": 0, "failed": 0, "no_recipient": 0}
    recipients = sorted(tuple(message.to) for message in mail.outbox)
    assert recipients == [("a@songcau.example.vn", "b@songcau.example.vn"), ("c@ducxuan.example.vn",)]
    message = next(m for m in mail.outbox if "a@songcau.example.vn" in m.to)
    assert message.subject == "Nhắc gửi báo cáo Quý III/2024 — hạn 20/09/2024"
    assert "còn 4 ngày" in message.body and "15/09/2024" in message.body
    assert settings.REPORTING_BASE_URL + unit_url("unit_report", ward, period) in message.body
    assert set(ReportReminder.objects.values_list("unit__code", "status")) == {
        (ward.code, ReminderStatus.SENT),
        (other_ward.code, ReminderStatus.SENT),
    }


def test_a_second_run_the_same_day_sends_nothing_and_the_next_day_sends_again(units, period):
    services.reminders_send(day=IN_WINDOW)
    assert len(mail.outbox) == 3
    assert services.reminders_send(day=IN_WINDOW)["skipped"] == 3
    assert len(mail.outbox) == 3
    services.reminders_send(day=IN_WINDOW + datetime.timedelta(days=1))
    assert len(mail.outbox) == 6
    assert ReportReminder.objects.count() == 6


def test_nothing_is_sent_before_the_window(units, period):
    assert services.reminders_send(day=BEFORE_WINDOW)["sent"] == 0
    assert mail.outbox == [] and not ReportReminder.objects.exists()


def test_a_late_unit_is_told_it_is_overdue(units, period):
    services.reminders_send(day=OVERDUE)
    assert {message.subject for message in mail.outbox} == {"Báo cáo Quý III/2024 đã quá hạn 3 ngày"}


def test_a_failed_send_is_recorded_and_retried(units, period, monkeypatch):
    calls = {"n": 0}
    original = services.EmailMessage.send

    def flaky(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("Máy chủ thư không trả lời")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(services.EmailMessage, "send", flaky)
    outcome = services.reminders_send(day=IN_WINDOW)
    assert outcome["failed"] == 1 and outcome["sent"] == 2
    failed = ReportReminder.objects.get(status=ReminderStatus.FAILED)
    assert "không trả lời" in failed.error
    outcome = services.reminders_send(day=IN_WINDOW)
    assert outcome == {"sent": 1, "skipped": 2, "failed": 0, "no_recipient": 0}
    assert not ReportReminder.objects.filter(status=ReminderStatus.FAILED).exists()


def test_a_unit_without_any_address_is_recorded_as_such(ward, period):
    factories.make_task(lead_unit=ward)
    factories.make_user(role=Role.OFFICER, unit=ward, email="")
    assert services.reminders_send(day=IN_WINDOW)["no_recipient"] == 1
    assert ReportReminder.objects.get().status == ReminderStatus.NO_RECIPIENT
    assert services.reminders_send(day=IN_WINDOW)["skipped"] == 1


def test_the_unit_address_is_written_to_as_well(ward, period):
    ward.email = "phuongsongcau@backan.example.vn"
    ward.save()
    factories.make_task(lead_unit=ward)
    services.reminders_send(day=IN_WINDOW)
    assert mail.outbox[0].to == ["phuongsongcau@backan.example.vn"]


def test_the_periodic_task_is_scheduled_and_runs(units, period, today):
    today(IN_WINDOW)
    assert settings.CELERY_BEAT_SCHEDULE["reporting-send-reminders"]["task"] == "reporting.tasks.send_report_reminders"
    result = tasks.send_report_reminders.delay().get()
    assert result["sent"] == 3


def test_the_officer_sees_a_banner_until_the_report_is_sent(client, units, period, ward_officer, today):
    today(IN_WINDOW)
    ward = units[0]
    page = signed_in(client, ward_officer).get(unit_url("unit_report", ward, period)).content.decode()
    assert "Nhắc việc: báo cáo kỳ này chưa gửi; hạn gửi 20/09/2024 (còn 4 ngày)" in page
    factories.set_report_status(ward, period, ReportStatus.SUBMITTED)
    page = client.get(unit_url("unit_report", ward, period)).content.decode()
    assert "Nhắc việc" not in page


def test_the_banner_points_from_the_next_period_to_the_unsent_one(client, units, ward_officer, today):
    today(datetime.date(2024, 10, 2))  # Quý IV/2024 under way, Quý III/2024 not sent
    fourth = factories.make_period(2024, 4)
    page = signed_in(client, ward_officer).get(unit_url("unit_report", units[0], fourth)).content.decode()
    assert "Báo cáo Quý III/2024 của đơn vị chưa gửi (hạn 20/09/2024)" in page


def test_an_officer_is_reminded_on_signing_in(client, units, period, ward_officer, today):
    from tests.factories import PASSWORD

    today(OVERDUE)
    response = client.post(reverse("login"), {"username": ward_officer.username, "password": PASSWORD}, follow=True)
    assert "Báo cáo Quý III/2024 của đơn vị đã quá hạn 3 ngày" in response.content.decode()


def test_a_leader_is_not_reminded_on_signing_in(client, units, period, leader, today):
    from tests.factories import PASSWORD

    today(OVERDUE)
    response = client.post(reverse("login"), {"username": leader.username, "password": PASSWORD}, follow=True)
    assert "quá hạn" not in response.content.decode()
