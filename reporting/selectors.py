"""What a unit must report for a period, read in a fixed number of queries."""

from dataclasses import dataclass, field

from indicators.models import Indicator, IndicatorValue
from projects.models import Project, ProjectUpdate
from resolutions.models import Task, TaskUpdate


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


def obligations_for(unit, period) -> Obligations:
    """Tasks the unit leads or supports, projects it manages, indicators it answers for —
    each with its update for `period` and for the period before (six queries, plus one
    for the supporting units)."""
    previous = period.previous()
    periods = [period.pk] + ([previous.pk] if previous else [])

    tasks = list(Task.objects.for_unit(unit).with_catalogue().order_by("field__sort_order", "sort_order", "code"))
    task_updates = TaskUpdate.objects.filter(unit=unit, period__in=periods, task__in=[t.pk for t in tasks])
    _attach(tasks, task_updates, "task_id", period, previous)

    projects = list(Project.objects.for_unit(unit).with_catalogue())
    project_updates = ProjectUpdate.objects.filter(period__in=periods, project__in=[p.pk for p in projects])
    _attach(projects, project_updates, "project_id", period, previous)

    indicators = list(Indicator.objects.for_unit(unit).with_catalogue())
    values = IndicatorValue.objects.filter(period__in=periods, indicator__in=[i.pk for i in indicators])
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
