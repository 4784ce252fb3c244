"""How a task stands for a period, in the words of party reports: done on time, done
late, within its deadline, overdue, recurring — computed from the deadline and the lead
unit's latest report, never typed."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskClass(models.TextChoices):
    DONE_ON_TIME = "done_on_time", _("Hoàn thành đúng hạn")
    DONE_LATE = "done_late", _("Hoàn thành quá hạn")
    WITHIN_DEADLINE = "within_deadline", _("Đang thực hiện, trong hạn")
    OVERDUE = "overdue", _("Quá hạn, chưa hoàn thành")
    RECURRING = "recurring", _("Thường xuyên")
    NO_DEADLINE = "no_deadline", _("Chưa xác định thời hạn")


DONE_STATUSES = ("done", "done_late")


def classify(
    *,
    is_recurring: bool,
    deadline: datetime.date | None,
    status: str | None,
    completed_on: datetime.date | None,
    as_of: datetime.date,
) -> TaskClass:
    """`status`/`completed_on` come from the lead unit's latest update up to the period;
    `as_of` is the end of the period (or today, if earlier)."""
    if is_recurring:
        return TaskClass.RECURRING
    if status in DONE_STATUSES:
        finished = completed_on or as_of
        late = status == "done_late" or (deadline is not None and finished > deadline)
        return TaskClass.DONE_LATE if late else TaskClass.DONE_ON_TIME
    if deadline is None:
        return TaskClass.NO_DEADLINE
    return TaskClass.OVERDUE if as_of > deadline else TaskClass.WITHIN_DEADLINE
