"""The reminder task on a real Celery worker (CI sets CELERY_BROKER_URL): the worker
reads the test database and records what it sent."""

import os
import time

import pytest
from django.utils import timezone

from accounts.models import Role
from reporting.models import ReminderStatus, ReportReminder
from tests import factories
from tests.test_celery_worker import worker_queue  # noqa: F401 - the fixture that starts the worker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_worker_sends_the_days_reminders(worker_queue, ward):  # noqa: F811
    from backancity.celery import app
    from reporting.tasks import send_report_reminders

    today = timezone.localdate()
    period = factories.make_period(today.year, (today.month - 1) // 3 + 1)
    period.due_date = today  # reminders are due today
    period.cut_off_date = today
    period.save()
    factories.make_task(lead_unit=ward)
    factories.make_user(role=Role.OFFICER, unit=ward, email="canbo@songcau.example.vn")
    with app.connection_for_write(os.environ["CELERY_BROKER_URL"]) as broker:
        send_report_reminders.apply_async(queue=worker_queue, connection=broker)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not ReportReminder.objects.filter(status=ReminderStatus.SENT).exists():
        time.sleep(0.5)
    reminder = ReportReminder.objects.get()
    assert (reminder.unit, reminder.period, reminder.status) == (ward, period, ReminderStatus.SENT)
    assert reminder.recipients == "canbo@songcau.example.vn"
