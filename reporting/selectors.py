"""Reads of the reporting pages, each in a fixed number of queries whatever the number of
units, tasks, projects and indicators."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from indicators.models import Indicator, IndicatorValue
from periods.models import ReportingPeriod, ReportStatus, UnitReport
from projects.models import Project, ProjectUpdate
from resolutions.classification import TaskClass
from resolutions.models import Task, TaskUpdate
from units.models import OrganisationUnit

SUBMITTED_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


@dataclass
class Obligations:
    """Everything a unit answers for in a period, with what it has entered so far and,
    as a hint, what it reported the period before."""

    tasks: list = field(default_factory=list)  # Task, annotated .update / .previous_update
    projects: list = field(default_factory=list)  # Project, annotated .update / .previous_update
    indicators: list = field(default_factory=list)  # Indicator, annotated .update / .previous_update

    @property
    def rows(self) -> int:
        return len(self.tasks) + len(self.projects) + len(self.indicators)

    @property
    def filled(self) -> int:
        return sum(1 for item in (*self.tasks, *self.projects, *self.indicators) if item.update is not None)

    @property
    def missing(self) -> list[str]:
        """The rows still without figures, named as the officer sees them."""
        names = [_("Nhiệm vụ %(code)s") % {"code": task.code} for task in self.tasks if task.update is None]
        names += [_("Dự án “%(name)s”") % {"name": project.name} for project in self.projects if project.update is None]
        names += [
            _("Chỉ tiêu “%(name)s”") % {"name": indicator.name} for indicator in self.indicators if indicator.update is None
        ]
        return names


def obligations_for(unit, period) -> Obligations:
    """Tasks the unit leads or supports, projects it manages, indicators it answers for —
    each with its update for `period` and for the period before (eight queries, whatever
    the number of rows)."""
    previous = period.previous()
    periods = [period.pk] + ([previous.pk] if previous else [])

    tasks = list(
        Task.objects.for_unit(unit)
        .started_by(period.end_date)
        .with_catalogue()
        .order_by("field__sort_order", "sort_order", "code")
    )
    task_updates = TaskUpdate.objects.filter(unit=unit, period__in=periods, task__in=[t.pk for t in tasks]).select_related(
        "updated_by"
    )
    _attach(tasks, task_updates, "task_id", period, previous)

    projects = list(Project.objects.for_unit(unit).with_catalogue())
    project_updates = ProjectUpdate.objects.filter(period__in=periods, project__in=[p.pk for p in projects]).select_related(
        "updated_by"
    )
    _attach(projects, project_updates, "project_id", period, previous)

    indicators = list(Indicator.objects.for_unit(unit).with_catalogue())
    values = IndicatorValue.objects.filter(period__in=periods, indicator__in=[i.pk for i in indicators]).select_related(
        "updated_by"
    )
    _attach(indicators, values, "indicator_id", period, previous)

    return Obligations(tasks=tasks, projects=projects, indicators=indicators)


def _attach(items, updates, key, period, previous):
    current = {}
    before = {}
    for update in updates:
        (current if update.period_id == period.pk else before)[getattr(update, key)] = update
    for item in items:
        item.update = current.get(item.pk)
        item.previous_update = before.get(item.pk) if previous else None


def report_for(unit, period) -> UnitReport:
    """The unit's report for the period; an unsaved draft when nobody has acted on it yet
    (a report row is created by the first workflow step)."""
    report = UnitReport.objects.filter(unit=unit, period=period).select_related("submitted_by", "reviewed_by").first()
    return report or UnitReport(unit=unit, period=period, status=ReportStatus.DRAFT)


def units_with_obligations():
    """Active units that answer for at least one task, project or indicator: the units
    that must report every quarter."""
    return (
        OrganisationUnit.objects.active()
        .filter(
            Exists(Task.objects.filter(lead_unit=OuterRef("pk")))
            | Exists(Task.supporting_units.through.objects.filter(organisationunit=OuterRef("pk")))
            | Exists(Project.objects.filter(managing_unit=OuterRef("pk")))
            | Exists(Indicator.objects.filter(responsible_unit=OuterRef("pk")))
        )
        .order_by("sort_order", "name")
    )


def reporting_period_for(day: datetime.date) -> ReportingPeriod | None:
    """The period units are reporting on at `day`: the quarter containing it, or the
    latest one before it when the coming quarters are not created yet."""
    quarter = (day.month - 1) // 3 + 1
    return ReportingPeriod.objects.up_to(day.year, quarter).order_by("-year", "-quarter").first()


def reminder_starts(period) -> datetime.date:
    return period.due_date - datetime.timedelta(days=settings.REPORTING_REMINDER_DAYS_BEFORE_DUE)


# A late unit keeps being reminded for this long after the due date; after that the
# overview's "late" list is the leaders' business, not a daily e-mail.
OVERDUE_REMINDER_DAYS = 30


def reminder_period(day: datetime.date) -> ReportingPeriod | None:
    """The period whose reminders run at `day`: the latest one whose reminder window
    (N days before its due date) has opened, if its due date is not more than
    OVERDUE_REMINDER_DAYS behind. Units that have not submitted it are reminded every
    day of that window, before and after the due date, until they do."""
    opened_before = day + datetime.timedelta(days=settings.REPORTING_REMINDER_DAYS_BEFORE_DUE)
    period = ReportingPeriod.objects.filter(due_date__lte=opened_before).order_by("-year", "-quarter").first()
    if period is None or (day - period.due_date).days > OVERDUE_REMINDER_DAYS:
        return None
    return period


@dataclass
class Reminder:
    """What the banner tells a unit's officers about a report not yet sent."""

    period: ReportingPeriod
    due_date: datetime.date
    days_left: int  # negative: days overdue
    status: str

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left


def reminder_for(unit, day: datetime.date) -> Reminder | None:
    """A reminder for the unit at `day` when the reminder period's report is not sent (two
    queries)."""
    if unit is None:
        return None
    period = reminder_period(day)
    if period is None:
        return None
    status = UnitReport.objects.filter(unit=unit, period=period).values_list("status", flat=True).first()
    if status in SUBMITTED_STATUSES:
        return None
    return Reminder(period=period, due_date=period.due_date, days_left=(period.due_date - day).days, status=status or "")


def recent_reports_of(unit, period, *, count=6) -> list[tuple[ReportingPeriod, str]]:
    """The unit's last few periods up to `period`, with the status of each report (one
    query), for the period switcher on the unit's page."""
    status = UnitReport.objects.filter(unit=unit, period=OuterRef("pk")).values("status")[:1]
    periods = (
        ReportingPeriod.objects.up_to(period.year, period.quarter)
        .annotate(report_status=Subquery(status))
        .order_by("-year", "-quarter")[:count]
    )
    return list(periods)


# -- the leaders' overview --------------------------------------------------------------


@dataclass
class OverviewRow:
    unit: OrganisationUnit
    report: UnitReport | None
    rows: int
    filled: int
    due_date: datetime.date
    today: datetime.date

    @property
    def status(self) -> str:
        return self.report.status if self.report else ReportStatus.DRAFT

    @property
    def status_label(self) -> str:
        return ReportStatus(self.status).label

    @property
    def is_sent(self) -> bool:
        return self.status in SUBMITTED_STATUSES

    @property
    def is_late(self) -> bool:
        """Not sent and past the due date."""
        return not self.is_sent and self.today > self.due_date

    @property
    def sent_late(self) -> bool:
        return bool(self.is_sent and self.report.submitted_at and self.report.submitted_at.date() > self.due_date)

    @property
    def awaiting_review(self) -> bool:
        return self.status == ReportStatus.SUBMITTED

    @property
    def missing(self) -> int:
        return self.rows - self.filled

    @property
    def filter_keys(self) -> set[str]:
        keys = {self.status}
        if self.is_late:
            keys.add("late")
        if not self.is_sent:
            keys.add("not_sent")
        return keys


def overview_for(period, *, today: datetime.date) -> list[OverviewRow]:
    """Every unit that must report (or has a report) for the period: its report, how many
    rows it answers for and how many it has filled — in nine queries."""
    units = list(units_with_obligations())
    reports = {
        report.unit_id: report
        for report in UnitReport.objects.filter(period=period).select_related("unit", "submitted_by", "reviewed_by")
    }
    known = {unit.pk for unit in units}
    units += [report.unit for unit_id, report in reports.items() if unit_id not in known]

    started = Task.objects.started_by(period.end_date)
    rows = _count_by(started.values("lead_unit"), "lead_unit")
    _add(
        rows,
        _count_by(
            Task.supporting_units.through.objects.filter(task__in=started.values("pk")).values("organisationunit"),
            "organisationunit",
        ),
    )
    _add(rows, _count_by(Project.objects.values("managing_unit"), "managing_unit"))
    _add(rows, _count_by(Indicator.objects.values("responsible_unit"), "responsible_unit"))

    filled = _count_by(
        TaskUpdate.objects.filter(period=period)
        .filter(Q(task__lead_unit=F("unit")) | Q(task__supporting_units=F("unit")))
        .values("unit"),
        "unit",
        distinct=True,
    )
    _add(filled, _count_by(ProjectUpdate.objects.filter(period=period, project__managing_unit=F("unit")).values("unit"), "unit"))
    _add(
        filled,
        _count_by(IndicatorValue.objects.filter(period=period, indicator__responsible_unit=F("unit")).values("unit"), "unit"),
    )
    return [
        OverviewRow(
            unit=unit,
            report=reports.get(unit.pk),
            rows=rows.get(unit.pk, 0),
            filled=filled.get(unit.pk, 0),
            due_date=period.due_date,
            today=today,
        )
        for unit in units
    ]


def _count_by(queryset, key, *, distinct=False) -> dict[int, int]:
    return {row[key]: row["n"] for row in queryset.annotate(n=Count("pk", distinct=distinct)).values(key, "n")}


def _add(into: dict, more: dict):
    for key, value in more.items():
        into[key] = into.get(key, 0) + value


@dataclass
class Classification:
    """Tasks of the programme by class for a period, for the overview."""

    counts: list  # [(TaskClass, count)]
    overdue: list  # tasks overdue, with .task_class
    total: int


def task_classification_for(period, *, today: datetime.date, approved_only: bool = False) -> Classification:
    """Every task classified as of the end of the period (or today, if earlier), from the
    lead unit's latest report up to the period (one query)."""
    as_of = min(period.end_date, today)
    tasks = list(
        Task.objects.started_by(period.end_date).with_lead_status(period, approved_only=approved_only).select_related("lead_unit")
    )
    counts = dict.fromkeys(TaskClass, 0)
    overdue = []
    for task in tasks:
        task.task_class = task.classify(as_of)
        counts[task.task_class] += 1
        if task.task_class == TaskClass.OVERDUE:
            overdue.append(task)
    return Classification(counts=[(choice, counts[choice]) for choice in TaskClass], overdue=overdue, total=len(tasks))
