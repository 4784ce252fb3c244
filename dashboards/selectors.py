"""The dashboards' reads. Each function runs a fixed number of queries whatever the
data size (the tests pin them); the rest is arithmetic in `assessment.py`.

Figures for a year: the fourth quarter's value is the year's actual; before it is in,
the latest quarter reported stands for the year so far ("lũy kế đến Quý III/2026").
Provisional figures (the unit's report for the period is not approved) are included and
marked, unless the page asks for official figures only.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from backancity.numbers import NumberFormatter, format_decimal
from indicators.models import Indicator, IndicatorTarget, IndicatorValue
from periods.models import ROMAN_QUARTERS, FigureChange, ReportStatus, UnitReport
from projects.models import Project, ProjectUpdate
from resolutions.classification import TaskClass, classify
from resolutions.models import Task, TaskStatus, TaskUpdate
from units.models import OrganisationUnit

from .assessment import (
    LATE_SCHEDULES,
    SCHEDULE_ORDER,
    Change,
    ScheduleClass,
    TargetAssessment,
    TargetOutlook,
    assess_target,
    change_vs_same_period,
    classify_schedule,
    expected_progress,
    headline_outlook,
    meets,
    percent_of_plan,
)
from .filters import Filters

# A row id that never exists: `pk__in=[...ids, NO_ROW]` still runs its query when no row
# qualifies, so that a page's query count does not change with the data.
NO_ROW = 0


def latest_first(filters: Filters, model):
    """`model`'s rows for the periods up to the reference period, latest period first."""
    period = filters.period
    up_to = Q(period__year__lt=period.year) | Q(period__year=period.year, period__quarter__lte=period.quarter)
    return model.objects.filter(up_to).order_by("-period__year", "-period__quarter")


# --- Tasks -----------------------------------------------------------------------------

#: overdue first, then what is still open, then what is done
TASK_CLASS_ORDER = [
    TaskClass.OVERDUE,
    TaskClass.WITHIN_DEADLINE,
    TaskClass.NO_DEADLINE,
    TaskClass.DONE_LATE,
    TaskClass.DONE_ON_TIME,
    TaskClass.RECURRING,
]
TASK_CLASS_RANK = {task_class: rank for rank, task_class in enumerate(TASK_CLASS_ORDER)}
#: tasks whose deadline has come: the base of the "done on time" share
DUE_CLASSES = (TaskClass.DONE_ON_TIME, TaskClass.DONE_LATE, TaskClass.OVERDUE)


def scoped_tasks(filters: Filters):
    """The tasks the filters select: of the field; led or supported by the unit; begun by
    the end of the period."""
    tasks = Task.objects.started_by(filters.period.end_date)
    if filters.field is not None:
        tasks = tasks.filter(field=filters.field)
    if filters.unit is not None:
        supports = Task.supporting_units.through.objects.filter(task=OuterRef("pk"), organisationunit=filters.unit)
        tasks = tasks.filter(Q(lead_unit=filters.unit) | Q(Exists(supports)))
    return tasks


@dataclass(frozen=True, slots=True)
class Ref:
    """A field or unit as a dashboard row names it."""

    pk: int
    code: str
    name: str
    sort_order: int
    short_name: str = ""

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


@dataclass(slots=True)
class TaskRow:
    """A task as the dashboards show it: classified as of the period. Built from plain
    values rather than model instances — a city has hundreds of tasks on one page."""

    pk: int
    code: str
    content: str
    field: Ref
    lead_unit: Ref
    deadline: datetime.date | None
    is_recurring: bool
    sort_order: int
    lead_status: str | None
    lead_completed_on: datetime.date | None
    task_class: TaskClass
    is_provisional: bool  # the lead unit's report behind the status is not approved yet
    days_overdue: int

    @property
    def lead_status_label(self) -> str:
        return str(TaskStatus(self.lead_status).label) if self.lead_status else ""

    @property
    def deadline_label(self) -> str:
        if self.is_recurring:
            return gettext("Thường xuyên")
        if self.deadline:
            return formats.date_format(self.deadline, "SHORT_DATE_FORMAT")
        return gettext("Chưa xác định")


_TASK_COLUMNS = (
    "pk",
    "code",
    "content",
    "field_id",
    "field__code",
    "field__name",
    "field__sort_order",
    "lead_unit_id",
    "lead_unit__code",
    "lead_unit__name",
    "lead_unit__sort_order",
    "lead_unit__short_name",
    "deadline",
    "is_recurring",
    "sort_order",
    "lead_update",
)


def classified_tasks(filters: Filters, tasks=None) -> list[TaskRow]:
    """The tasks in scope, classified as of the period, overdue first — two queries.

    The class comes from the lead unit's latest update up to the period, exactly as
    `Task.objects.with_lead_status` defines it (tests hold the two together); it is read
    here as one subquery for the update's id and one lookup of those updates, which is
    three times cheaper at city scale than three correlated subqueries."""
    tasks = scoped_tasks(filters) if tasks is None else tasks
    latest = latest_first(filters, TaskUpdate).filter(task=OuterRef("pk"), unit=OuterRef("lead_unit"))
    if filters.official_only:
        latest = latest.approved()
    rows = list(tasks.annotate(lead_update=Subquery(latest.values("pk")[:1])).order_by().values_list(*_TASK_COLUMNS))
    update_ids = [row[-1] for row in rows if row[-1] is not None]
    updates = TaskUpdate.objects.filter(pk__in=[*update_ids, NO_ROW]).with_approval()
    lead = {
        task_id: (status, completed_on, approved)
        for task_id, status, completed_on, approved in updates.values_list("task_id", "status", "completed_on", "is_approved")
    }
    as_of = filters.as_of
    fields, units, classified = {}, {}, []
    for values in rows:
        pk, code, content, field_id = values[:4]
        field_ref = fields.get(field_id) or fields.setdefault(field_id, Ref(field_id, *values[4:7]))
        unit_id = values[7]
        unit_ref = units.get(unit_id) or units.setdefault(unit_id, Ref(unit_id, *values[8:12]))
        deadline, recurring, sort_order = values[12:15]
        status, completed_on, approved = lead.get(pk, (None, None, False))
        task_class = classify(is_recurring=recurring, deadline=deadline, status=status, completed_on=completed_on, as_of=as_of)
        classified.append(
            TaskRow(
                pk=pk,
                code=code,
                content=content,
                field=field_ref,
                lead_unit=unit_ref,
                deadline=deadline,
                is_recurring=recurring,
                sort_order=sort_order,
                lead_status=status,
                lead_completed_on=completed_on,
                task_class=task_class,
                is_provisional=status is not None and not approved,
                days_overdue=(as_of - deadline).days if task_class == TaskClass.OVERDUE else 0,
            )
        )
    classified.sort(
        key=lambda task: (
            TASK_CLASS_RANK[task.task_class],
            task.deadline or datetime.date.max,
            task.field.sort_order,
            task.sort_order,
            task.code,
        )
    )
    return classified


@dataclass
class ClassCounts:
    """How many tasks fall in each class, with the share done on time among the tasks
    whose deadline has come."""

    counts: Counter = field(default_factory=Counter)

    def add(self, task_class):
        self.counts[task_class] += 1

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def due(self) -> int:
        return sum(self.counts[task_class] for task_class in DUE_CLASSES)

    @property
    def on_time_share(self) -> Decimal | None:
        if not self.due:
            return None
        return (Decimal(self.counts[TaskClass.DONE_ON_TIME]) * 100 / self.due).quantize(Decimal("0.1"))

    def of(self, task_class) -> int:
        return self.counts[task_class]

    # Named counts for templates (a template cannot pass an argument).
    @property
    def overdue(self) -> int:
        return self.counts[TaskClass.OVERDUE]

    @property
    def done_on_time(self) -> int:
        return self.counts[TaskClass.DONE_ON_TIME]

    @property
    def done_late(self) -> int:
        return self.counts[TaskClass.DONE_LATE]

    def ordered(self) -> list[tuple[str, str, int]]:
        return [(task_class.value, task_class.label, self.counts[task_class]) for task_class in TASK_CLASS_ORDER]


@dataclass
class TaskBoard:
    tasks: list  # every task in scope, overdue first
    totals: ClassCounts
    by_field: list  # [(Field, ClassCounts)]
    by_unit: list  # [(OrganisationUnit, ClassCounts)], by lead unit

    def of_class(self, task_class: str | None) -> list:
        if not task_class:
            return self.tasks
        return [task for task in self.tasks if task.task_class == task_class]


def task_board(filters: Filters) -> TaskBoard:
    tasks = classified_tasks(filters)
    totals = ClassCounts()
    fields, units = {}, {}
    by_field, by_unit = defaultdict(ClassCounts), defaultdict(ClassCounts)
    for task in tasks:
        totals.add(task.task_class)
        fields[task.field.pk] = task.field
        units[task.lead_unit.pk] = task.lead_unit
        by_field[task.field.pk].add(task.task_class)
        by_unit[task.lead_unit.pk].add(task.task_class)
    field_rows = sorted(
        ((fields[key], counts) for key, counts in by_field.items()), key=lambda row: (row[0].sort_order, row[0].name)
    )
    unit_rows = sorted(
        ((units[key], counts) for key, counts in by_unit.items()),
        key=lambda row: (-row[1].overdue, row[0].sort_order, row[0].name),
    )
    return TaskBoard(tasks=tasks, totals=totals, by_field=field_rows, by_unit=unit_rows)


def task_history(task, *, unit=None) -> list:
    """Every update of the task, newest first, with `is_approved` (one query); only
    `unit`'s own when given (an officer's view)."""
    updates = task.updates.with_approval().select_related("period", "unit", "updated_by")
    if unit is not None:
        updates = updates.filter(unit=unit)
    return list(updates.order_by("-period__year", "-period__quarter", "unit__sort_order", "unit__name"))


# --- Indicators --------------------------------------------------------------------------


class Figure(NamedTuple):
    """One reported value of an indicator (a tuple: a page reads thousands of them)."""

    year: int
    quarter: int
    value: Decimal
    is_approved: bool
    kind: str = ""
    comparison_note: str = ""

    @property
    def label(self) -> str:
        return f"Quý {ROMAN_QUARTERS[self.quarter]}/{self.year}"


class PageText:
    """What every row of a page needs to write itself: one number formatter, the labels
    translated once (a table of 200 rows would otherwise look them up 200 times)."""

    def __init__(self):
        self.numbers = NumberFormatter()
        self.assessments = {key: str(label) for key, label in TargetAssessment.choices}
        self.schedules = {key: str(label) for key, label in ScheduleClass.choices}


@dataclass
class IndicatorRow:
    indicator: Indicator
    current: Figure | None  # the latest value of the year up to the reference quarter
    previous: Figure | None  # the same quarter of the year before
    plan: Decimal | None  # IndicatorTarget of the year
    percent_of_plan: Decimal | None
    plan_met: bool | None
    change: Change | None
    outlooks: list[TargetOutlook]  # one per DASHBOARDS_TARGET_YEARS
    headline: TargetOutlook | None
    yearly_actuals: dict[int, Decimal]
    page: "PageText"  # formatter and labels shared by the rows of one page

    @property
    def is_rate(self) -> bool:
        return self.indicator.is_ratio or self.indicator.unit_of_measure == "%"

    @property
    def stated_comparison(self) -> str:
        """The source's own comparison, shown when there is no figure to compute one."""
        if self.change is None and self.current is not None:
            return self.current.comparison_note
        return ""

    # -- text for the table (formatted here: hundreds of rows per page) ----------------
    def text(self, value) -> str:
        return self.indicator.format_value(value, self.page.numbers)

    @property
    def actual_text(self) -> str:
        return self.text(self.current.value) if self.current else ""

    @property
    def previous_text(self) -> str:
        return self.text(self.previous.value) if self.previous else ""

    @property
    def plan_text(self) -> str:
        return self.text(self.plan)

    @property
    def percent_of_plan_text(self) -> str:
        return self.page.numbers.percent(self.percent_of_plan, 1)

    @property
    def change_text(self) -> str:
        if self.change is None:
            return ""
        if self.change.kind == "absolute":
            return f"{self.change.label} {self.indicator.unit_of_measure}"
        return self.change.label

    @property
    def outlook_cells(self) -> list[tuple]:
        """(outlook, its label, target text, projected text) per target year."""
        labels = self.page.assessments
        return [
            (outlook, labels[outlook.assessment], self.text(outlook.target), self.text(outlook.projected))
            for outlook in self.outlooks
        ]

    @property
    def assessment_group(self) -> str:
        if self.headline is None:
            return "unknown"
        if self.headline.is_good:
            return "good"
        if self.headline.is_bad:
            return "bad"
        return "unknown"


def scoped_indicators(filters: Filters):
    indicators = Indicator.objects.all()
    if filters.field is not None:
        indicators = indicators.filter(field=filters.field)
    if filters.unit is not None:
        indicators = indicators.filter(responsible_unit=filters.unit)
    return indicators


def _values(filters: Filters, indicators):
    values = IndicatorValue.objects.filter(indicator__in=indicators.values("pk"))
    if filters.official_only:
        return values.approved(), False
    return values.with_approval(), True


def _figures(values, annotated: bool) -> list[tuple[int, Figure]]:
    columns = ["indicator_id", "period__year", "period__quarter", "value", "kind", "comparison_note"]
    if annotated:
        columns.append("is_approved")
    rows = []
    for row in values.values_list(*columns):
        approved = row[6] if annotated else True
        rows.append((row[0], Figure(row[1], row[2], row[3], approved, row[4], row[5])))
    return rows


def build_indicator_row(indicator, figures: list[Figure], targets: dict[int, Decimal], period, page=None) -> IndicatorRow:
    """The report columns for one indicator as of `period`, from its figures and plans."""
    year, quarter = period.year, period.quarter
    lower = indicator.lower_is_better
    by_key = {(figure.year, figure.quarter): figure for figure in figures}
    in_year = [figure for figure in figures if figure.year == year and figure.quarter <= quarter]
    current = max(in_year, key=lambda figure: figure.quarter) if in_year else None
    previous = by_key.get((year - 1, current.quarter)) if current else None
    # The years' actuals known at the reference period: this year's only once its Q4 is in.
    yearly = {
        figure.year: figure.value
        for figure in figures
        if figure.quarter == 4 and (figure.year < year or (figure.year == year and quarter == 4))
    }
    if indicator.baseline_year and indicator.baseline_year <= year:
        yearly.setdefault(indicator.baseline_year, indicator.baseline_value)
    plan = targets.get(year)
    actual = current.value if current else None
    outlooks = [
        assess_target(
            target_year=target_year,
            target=targets.get(target_year),
            yearly_actuals=yearly,
            as_of_year=year,
            lower_is_better=lower,
        )
        for target_year in settings.DASHBOARDS_TARGET_YEARS
    ]
    is_rate = indicator.is_ratio or indicator.unit_of_measure == "%"
    return IndicatorRow(
        indicator=indicator,
        current=current,
        previous=previous,
        plan=plan,
        percent_of_plan=percent_of_plan(actual, plan, lower_is_better=lower),
        plan_met=meets(actual, plan, lower_is_better=lower) if actual is not None and plan is not None else None,
        change=change_vs_same_period(actual, previous.value if previous else None, is_rate=is_rate, lower_is_better=lower),
        outlooks=outlooks,
        headline=headline_outlook(outlooks, year),
        yearly_actuals=yearly,
        page=page or PageText(),
    )


def indicator_rows(filters: Filters) -> list[IndicatorRow]:
    """The indicator table (three queries: indicators, values, plans). Only the values a
    row needs are read: the year up to the reference quarter, the year before, and the
    fourth quarters the trend is fitted on."""
    period = filters.period
    indicators = scoped_indicators(filters)
    values, annotated = _values(filters, indicators)
    first_trend_year = period.year - settings.DASHBOARDS_TREND_YEARS
    values = values.filter(
        Q(period__year=period.year, period__quarter__lte=period.quarter)
        | Q(period__year=period.year - 1)
        | Q(period__quarter=4, period__year__gte=first_trend_year, period__year__lt=period.year)
    )
    figures = defaultdict(list)
    for indicator_id, figure in _figures(values, annotated):
        figures[indicator_id].append(figure)
    targets = defaultdict(dict)
    plans = IndicatorTarget.objects.filter(
        indicator__in=indicators.values("pk"), year__in=[period.year, *settings.DASHBOARDS_TARGET_YEARS]
    )
    for indicator_id, year, value in plans.values_list("indicator_id", "year", "value"):
        targets[indicator_id][year] = value
    page = PageText()
    return [
        build_indicator_row(indicator, figures[indicator.pk], targets[indicator.pk], period, page)
        for indicator in indicators.select_related("responsible_unit", "field")
    ]


@dataclass
class IndicatorHistory:
    row: IndicatorRow  # the report columns as of the reference period
    figures: list[Figure]  # every quarter, oldest first
    targets: dict[int, Decimal]  # every year's plan
    changes: list  # corrections of the indicator's values (FigureChange after the first entry), newest first


def indicator_history(indicator, filters: Filters) -> IndicatorHistory:
    """Everything the indicator's page shows (three queries)."""
    values, annotated = _values(filters, Indicator.objects.filter(pk=indicator.pk))
    figures = [figure for _, figure in _figures(values.order_by("period__year", "period__quarter"), annotated)]
    targets = dict(indicator.targets.values_list("year", "value"))
    changes = list(
        FigureChange.objects.filter(
            content_type__app_label="indicators",
            content_type__model="indicatorvalue",
            object_id__in=IndicatorValue.objects.filter(indicator=indicator).values("pk"),
            version__gt=1,  # corrections only: the first entry of each value is in the quarterly table
        )
        .select_related("period", "changed_by")
        .order_by("-changed_at", "-pk")[:CHANGES_SHOWN]
    )
    for change in changes:
        _describe_change(change, indicator)
    row = build_indicator_row(indicator, figures, targets, filters.period)
    return IndicatorHistory(row=row, figures=figures, targets=targets, changes=changes)


CHANGES_SHOWN = 50


def _describe_change(change, indicator):
    """Readable history: the field's Vietnamese name, numbers as 4.086 and kinds by label
    (FigureChange keeps canonical text such as '4086' or 'estimate')."""
    model_field = IndicatorValue._meta.get_field(change.field)
    change.field_label = model_field.verbose_name

    def display(text):
        if text is None:
            return "—"
        if model_field.choices:
            return str(dict(model_field.choices).get(text, text))
        if change.field in ("value", "numerator", "denominator"):
            return indicator.format_value(Decimal(text)) if change.field == "value" else format_decimal(Decimal(text))
        return text

    change.old_display = display(change.old_value)
    change.new_display = display(change.new_value)


# --- Projects ----------------------------------------------------------------------------


@dataclass
class ProjectRow:
    project: Project
    update: ProjectUpdate | None  # the latest up to the period, with `is_approved`
    schedule: str
    expected: Decimal | None  # the time-proportional progress
    page: PageText

    @property
    def is_late(self) -> bool:
        return self.schedule in LATE_SCHEDULES

    @property
    def disbursed_share(self) -> Decimal | None:
        update = self.update
        if update is None or not update.allocated_capital or update.disbursed_amount is None:
            return None
        return (update.disbursed_amount * 100 / update.allocated_capital).quantize(Decimal("0.1"))

    @property
    def is_provisional(self) -> bool:
        return self.update is not None and not getattr(self.update, "is_approved", True)

    def get_schedule_display(self) -> str:
        return self.page.schedules[self.schedule]

    # -- text for the table -------------------------------------------------------------
    @property
    def progress_text(self) -> str:
        return self.page.numbers.percent(self.update.progress_percent, 1) if self.update else ""

    @property
    def expected_text(self) -> str:
        return self.page.numbers.percent(self.expected, 1)

    @property
    def allocated_text(self) -> str:
        return self.page.numbers.million_dong(self.update.allocated_capital) if self.update else ""

    @property
    def disbursed_text(self) -> str:
        return self.page.numbers.million_dong(self.update.disbursed_amount) if self.update else ""

    @property
    def disbursed_share_text(self) -> str:
        return self.page.numbers.percent(self.disbursed_share, 1)


def scoped_projects(filters: Filters, *, key_only: bool = False):
    """Projects managed by the unit, serving a task of the field, begun by the year."""
    projects = Project.objects.filter(Q(start_year__isnull=True) | Q(start_year__lte=filters.period.year))
    if key_only:
        projects = projects.filter(is_key=True)
    if filters.unit is not None:
        projects = projects.filter(managing_unit=filters.unit)
    if filters.field is not None:
        serves = Project.tasks.through.objects.filter(project=OuterRef("pk"), task__field=filters.field)
        projects = projects.filter(Exists(serves))
    return projects


def _latest_update(filters: Filters):
    updates = latest_first(filters, ProjectUpdate).filter(project=OuterRef("pk"))
    if filters.official_only:
        updates = updates.approved()
    return Subquery(updates.values("pk")[:1])


def _project_row(project, update, as_of, page=None) -> ProjectRow:
    schedule = classify_schedule(
        status=project.status,
        phase=update.phase if update and update.phase else project.phase,
        progress=update.progress_percent if update else None,
        start_year=project.start_year,
        end_year=project.end_year,
        as_of=as_of,
    )
    expected = expected_progress(start_year=project.start_year, end_year=project.end_year, as_of=as_of)
    return ProjectRow(project=project, update=update, schedule=schedule, expected=expected, page=page or PageText())


def project_rows(filters: Filters, *, key_only: bool = False) -> list[ProjectRow]:
    """Projects with their latest update up to the period and their schedule class (two
    queries), late ones first, key projects before others."""
    projects = scoped_projects(filters, key_only=key_only).annotate(latest_update=_latest_update(filters))
    projects = list(projects.select_related("managing_unit").defer("description", "source"))
    update_ids = [project.latest_update for project in projects if project.latest_update is not None]
    updates = ProjectUpdate.objects.filter(pk__in=[*update_ids, NO_ROW]).select_related("period").with_approval()
    updates = {update.project_id: update for update in updates}
    page = PageText()
    rows = [_project_row(project, updates.get(project.pk), filters.as_of, page) for project in projects]
    rows.sort(key=lambda row: (SCHEDULE_ORDER[row.schedule], not row.project.is_key, row.project.sort_order, row.project.name))
    return rows


@dataclass
class ProjectHistory:
    row: ProjectRow  # as of the reference period
    updates: list  # every quarterly update, oldest first, with `is_approved` and `expected`
    tasks: list  # the programme's tasks the project serves


def project_history(project, filters: Filters) -> ProjectHistory:
    """Everything the project's page shows (two queries)."""
    updates = project.updates.with_approval().select_related("period", "updated_by").order_by("period__year", "period__quarter")
    if filters.official_only:
        updates = updates.filter(is_approved=True)
    updates = list(updates)
    for update in updates:
        update.expected = expected_progress(
            start_year=project.start_year, end_year=project.end_year, as_of=update.period.end_date
        )
    period = filters.period
    current = [u for u in updates if (u.period.year, u.period.quarter) <= (period.year, period.quarter)]
    tasks = list(project.tasks.select_related("field", "lead_unit").order_by("field__sort_order", "sort_order", "code"))
    return ProjectHistory(
        row=_project_row(project, current[-1] if current else None, filters.as_of), updates=updates, tasks=tasks
    )


# --- Units: reporting compliance ------------------------------------------------------


class Compliance:
    """How a unit's report for a quarter stands, in the words a leader scans for."""

    APPROVED = "approved"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    MISSING_LATE = "missing_late"  # not submitted and the due date has passed
    MISSING = "missing"  # not submitted, still within the due date

    LABELS = {
        APPROVED: _("đã duyệt"),
        SUBMITTED: _("đã gửi, chờ duyệt"),
        RETURNED: _("bị trả lại"),
        MISSING_LATE: _("chưa gửi, quá hạn"),
        MISSING: _("chưa gửi, còn hạn"),
    }

    REPORTED = (APPROVED, SUBMITTED)


@dataclass
class ComplianceCell:
    period: object
    state: str
    report: UnitReport | None
    late: bool = False  # submitted after the due date

    @property
    def reported(self) -> bool:
        return self.state in Compliance.REPORTED

    @property
    def label(self) -> str:
        return str(Compliance.LABELS[self.state])


@dataclass
class UnitCompliance:
    unit: OrganisationUnit
    cells: list[ComplianceCell]
    tasks: ClassCounts

    @property
    def reported_count(self) -> int:
        return sum(1 for cell in self.cells if cell.reported)

    @property
    def last(self) -> ComplianceCell | None:
        return self.cells[-1] if self.cells else None


def obligated_units(filters: Filters, periods: list):
    """Units that answer for a task, project or indicator (of the field, if chosen) and
    were active during the quarters shown — or reported in them anyway."""
    unit = OuterRef("pk")
    tasks = Task.objects.all()
    indicators = Indicator.objects.all()
    projects = Project.objects.all()
    supports = Task.supporting_units.through.objects.all()
    if filters.field is not None:
        tasks = tasks.filter(field=filters.field)
        indicators = indicators.filter(field=filters.field)
        projects = projects.filter(tasks__field=filters.field)
        supports = supports.filter(task__field=filters.field)
    answers = (
        Exists(tasks.filter(lead_unit=unit))
        | Exists(supports.filter(organisationunit=unit))
        | Exists(projects.filter(managing_unit=unit))
        | Exists(indicators.filter(responsible_unit=unit))
    )
    first, last = periods[0], periods[-1]
    active = (Q(active_from__isnull=True) | Q(active_from__lte=last.end_date)) & (
        Q(retired_on__isnull=True) | Q(retired_on__gt=first.start_date)
    )
    reported = Exists(UnitReport.objects.filter(unit=unit, period__in=[p.pk for p in periods]))
    units = OrganisationUnit.objects.filter((answers & active) | reported)
    if filters.unit is not None:
        units = units.filter(pk=filters.unit.pk)
    return units.order_by("sort_order", "name")


def _cell(period, report, today) -> ComplianceCell:
    status = report.status if report else ReportStatus.DRAFT
    late = False
    if report is not None and report.submitted_at is not None:
        late = timezone.localdate(report.submitted_at) > period.due_date
    if status in (ReportStatus.APPROVED, ReportStatus.SUBMITTED, ReportStatus.RETURNED):
        return ComplianceCell(period, str(status), report, late=late and status != ReportStatus.RETURNED)
    state = Compliance.MISSING_LATE if today > period.due_date else Compliance.MISSING
    return ComplianceCell(period, state, report)


def unit_compliance(filters: Filters, *, periods=None, tasks=None) -> list[UnitCompliance]:
    """Each unit's report state per quarter of the year (up to the reference quarter) and
    the share of its tasks done on time (three queries, or two when the classified
    tasks are given)."""
    periods = periods or filters.quarters_of_year()
    units = list(obligated_units(filters, periods))
    reports = UnitReport.objects.filter(period__in=[p.pk for p in periods])
    if filters.unit is not None:
        reports = reports.filter(unit=filters.unit)
    by_key = {(report.unit_id, report.period_id): report for report in reports}
    if tasks is None:
        tasks = classified_tasks(filters)
    counts = defaultdict(ClassCounts)
    for task in tasks:
        counts[task.lead_unit.pk].add(task.task_class)
    return [
        UnitCompliance(
            unit=unit,
            cells=[_cell(period, by_key.get((unit.pk, period.pk)), filters.today) for period in periods],
            tasks=counts[unit.pk],
        )
        for unit in units
    ]


def unit_report_history(unit, filters: Filters) -> list:
    """The unit's reports of the chosen year with their events (two queries)."""
    return list(
        UnitReport.objects.filter(unit=unit, period__year=filters.period.year)
        .select_related("period", "submitted_by", "reviewed_by")
        .prefetch_related("events__actor")
        .order_by("period__quarter")
    )


# --- Overview ----------------------------------------------------------------------------


@dataclass
class Overview:
    tasks: ClassCounts
    overdue_tasks: list
    key_projects: list[ProjectRow]
    indicators: list[IndicatorRow]
    compliance: list[UnitCompliance]

    @property
    def late_key_projects(self) -> list[ProjectRow]:
        return [row for row in self.key_projects if row.is_late]

    @property
    def on_schedule_key_projects(self) -> int:
        return sum(1 for row in self.key_projects if row.schedule in (ScheduleClass.ON_SCHEDULE, ScheduleClass.COMPLETED))

    @property
    def indicators_good(self) -> int:
        return sum(1 for row in self.indicators if row.assessment_group == "good")

    @property
    def indicators_bad(self) -> list[IndicatorRow]:
        return [row for row in self.indicators if row.assessment_group == "bad"]

    @property
    def indicators_unknown(self) -> int:
        return sum(1 for row in self.indicators if row.assessment_group == "unknown")

    @property
    def units_reported(self) -> int:
        return sum(1 for row in self.compliance if row.last and row.last.reported)

    @property
    def units_approved(self) -> int:
        return sum(1 for row in self.compliance if row.last and row.last.state == Compliance.APPROVED)

    @property
    def units_missing(self) -> list[UnitCompliance]:
        return [row for row in self.compliance if row.last and not row.last.reported]


def overview(filters: Filters) -> Overview:
    """The headline figures of the period (eight queries)."""
    tasks = classified_tasks(filters)
    totals = ClassCounts()
    for task in tasks:
        totals.add(task.task_class)
    overdue = [task for task in tasks if task.task_class == TaskClass.OVERDUE]
    return Overview(
        tasks=totals,
        overdue_tasks=overdue,
        key_projects=project_rows(filters, key_only=True),
        indicators=indicator_rows(filters),
        compliance=unit_compliance(filters, periods=[filters.period], tasks=tasks),
    )
