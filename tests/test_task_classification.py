"""Task classification for a period, computed from deadlines and the lead unit's report."""

import datetime

import pytest

from resolutions.classification import TaskClass, classify
from resolutions.models import Task, TaskStatus
from tests import factories

D = datetime.date


@pytest.mark.parametrize(
    ("recurring", "deadline", "status", "completed", "as_of", "expected"),
    [
        (True, None, "in_progress", None, D(2024, 9, 30), TaskClass.RECURRING),
        (False, D(2024, 12, 31), "done", D(2024, 8, 1), D(2024, 9, 30), TaskClass.DONE_ON_TIME),
        (False, D(2024, 6, 30), "done", D(2024, 8, 1), D(2024, 9, 30), TaskClass.DONE_LATE),
        (False, D(2024, 12, 31), "done_late", None, D(2024, 9, 30), TaskClass.DONE_LATE),
        (False, D(2024, 12, 31), "in_progress", None, D(2024, 9, 30), TaskClass.WITHIN_DEADLINE),
        (False, D(2024, 6, 30), "in_progress", None, D(2024, 9, 30), TaskClass.OVERDUE),
        (False, D(2024, 6, 30), None, None, D(2024, 9, 30), TaskClass.OVERDUE),
        (False, None, "in_progress", None, D(2024, 9, 30), TaskClass.NO_DEADLINE),
    ],
)
def test_a_task_is_classified_from_its_deadline_and_status(recurring, deadline, status, completed, as_of, expected):
    assert classify(is_recurring=recurring, deadline=deadline, status=status, completed_on=completed, as_of=as_of) == expected


@pytest.mark.django_db
def test_the_lead_units_latest_update_up_to_the_period_decides(ward, other_ward):
    q2, q3, q4 = factories.make_period(2024, 2), factories.make_period(2024, 3), factories.make_period(2024, 4)
    task = factories.make_task(lead_unit=ward, supporting=[other_ward], deadline=D(2024, 9, 30))
    factories.make_task_update(task=task, period=q2, status=TaskStatus.IN_PROGRESS)
    factories.make_task_update(task=task, period=q3, unit=other_ward, status=TaskStatus.DONE, completed_on=D(2024, 8, 1))
    factories.make_task_update(task=task, period=q4, status=TaskStatus.DONE, completed_on=D(2024, 11, 1))
    annotated = Task.objects.with_lead_status(q3).get()
    assert annotated.lead_status == TaskStatus.IN_PROGRESS  # the supporting unit's "done" does not count
    assert annotated.classify(q3.end_date) == TaskClass.WITHIN_DEADLINE
    assert Task.objects.with_lead_status(q4).get().classify(q4.end_date) == TaskClass.DONE_LATE
