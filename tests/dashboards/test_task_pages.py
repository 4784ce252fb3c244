"""Tasks by field and by unit with their classification, overdue first."""

import datetime
import random

import pytest
from django.urls import reverse

from dashboards import selectors
from dashboards.filters import Filters, all_periods
from periods.models import ReportStatus
from resolutions.classification import TaskClass
from resolutions.models import Task, TaskStatus
from tests import factories
from tests.dashboards.helpers import text

pytestmark = pytest.mark.django_db

TASKS = reverse("dashboards:tasks")


def get(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_tasks_are_classified_and_overdue_ones_come_first(client, leader, city):
    board = get(client, leader, TASKS).context["board"]
    assert [(task.code, task.task_class) for task in board.tasks] == [
        ("NV-01", TaskClass.OVERDUE),
        ("NV-05", TaskClass.WITHIN_DEADLINE),
        ("NV-06", TaskClass.NO_DEADLINE),
        ("NV-03", TaskClass.DONE_LATE),
        ("NV-02", TaskClass.DONE_ON_TIME),
        ("NV-04", TaskClass.RECURRING),
    ]
    assert board.tasks[0].days_overdue == (datetime.date(2025, 9, 30) - datetime.date(2024, 6, 30)).days


def test_counts_by_field_and_by_lead_unit(client, leader, city):
    board = get(client, leader, TASKS).context["board"]
    by_field = {field.name: counts for field, counts in board.by_field}
    assert by_field["Thương mại – dịch vụ – du lịch"].total == 3
    assert by_field["Thương mại – dịch vụ – du lịch"].overdue == 1
    by_unit = {unit.pk: counts for unit, counts in board.by_unit}
    department = by_unit[city.department.pk]
    assert (department.done_on_time, department.done_late, department.due) == (1, 1, 2)
    assert department.on_time_share == 50
    assert board.by_unit[0][0].pk == city.ward.pk  # the unit with overdue tasks first


def test_the_class_filter_lists_one_class_and_marks_provisional_status(client, leader, city):
    response = get(client, leader, TASKS + "?phan_loai=overdue")
    assert [task.code for task in response.context["page"].object_list] == ["NV-01"]
    row = text(response.content.decode().split('data-task="NV-01"')[1].split("</tr>")[0])
    assert "Quá hạn, chưa hoàn thành tạm tính" in row  # from the ward's unapproved Q3 report
    assert "quá 457 ngày" in row


def test_a_tasks_page_shows_every_units_reports_to_a_leader(client, leader, city):
    html = get(client, leader, reverse("dashboards:task_detail", args=[city.tasks["on_time"].pk])).content.decode()
    assert "Hoàn thành đúng hạn" in html
    assert "Phường đã phối hợp" in html  # the supporting ward's report
    assert html.count("Quý II/2025") >= 2


def _filters(period):
    periods = all_periods()
    return Filters(
        periods=periods,
        period=period,
        quarter_chosen=True,
        field=None,
        unit=None,
        official_only=False,
        unit_locked=False,
        today=datetime.date(2030, 1, 1),
        params={},
    )


@pytest.mark.parametrize("approved_only", [False, True])
def test_the_dashboard_classification_agrees_with_the_foundations_with_lead_status(ward, other_ward, department, approved_only):
    """The dashboard reads the lead unit's latest update its own (faster) way; on random
    histories it must classify exactly as Task.objects.with_lead_status does."""
    rng = random.Random(11)
    periods = [factories.make_period(year, quarter) for year in (2024, 2025) for quarter in (1, 2, 3, 4)]
    units = [ward, other_ward, department]
    for _ in range(25):
        task = factories.make_task(
            lead_unit=rng.choice(units),
            supporting=rng.sample(units, 1),
            deadline=rng.choice([None, datetime.date(2024, 9, 30), datetime.date(2025, 6, 30)]),
        )
        for period in rng.sample(periods, rng.randint(0, 5)):
            for unit in {task.lead_unit, *task.supporting_units.all()}:
                status = rng.choice(list(TaskStatus.values))
                done = status in ("done", "done_late")
                completed = period.end_date - datetime.timedelta(days=rng.randint(0, 80)) if done and rng.random() < 0.8 else None
                factories.make_task_update(task=task, period=period, unit=unit, status=status, completed_on=completed)
    for period in periods:
        for unit in units:
            if rng.random() < 0.5:
                factories.set_report_status(unit, period, ReportStatus.APPROVED)
    for period in periods:
        filters = _filters(period)
        filters.official_only = approved_only
        ours = {task.pk: task.task_class for task in selectors.classified_tasks(filters)}
        theirs = {
            task.pk: task.classify(filters.as_of) for task in Task.objects.with_lead_status(period, approved_only=approved_only)
        }
        assert ours == theirs
