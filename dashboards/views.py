"""The leaders' dashboards. Views are thin: read the filters, fetch with permission, call
a selector, render. Leaders and the secretariat see every unit; an officer sees their
own unit's slice (the unit filter is fixed to it) and is refused another unit's pages."""

from collections import Counter
from functools import wraps

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from accounts.models import Role
from accounts.permissions import role_required
from indicators.models import Indicator
from projects.models import Project
from resolutions.models import Task
from units.models import OrganisationUnit

from . import charts, selectors
from .filters import DashboardFilterForm, IndicatorFilterForm, ProjectFilterForm, TaskFilterForm, read_filters

dashboard_access = role_required(Role.LEADER, Role.SECRETARIAT, Role.OFFICER)

# Pages of rows: a leader scans a screenful at a time, and the server renders fewer rows.
TASKS_PER_PAGE = 50
PROJECTS_PER_PAGE = 50
INDICATORS_PER_PAGE = 50
CHART_PROJECTS = 30


def dashboard_page(form_class=DashboardFilterForm):
    """Gate the page by role, read its filters, and say so plainly when no reporting
    period exists yet instead of showing empty tables."""

    def decorator(view):
        @wraps(view)
        @require_safe  # read-only pages: GET and HEAD
        @dashboard_access
        def wrapper(request, *args, **kwargs):
            filters, form = read_filters(request, form_class)
            if filters.period is None:
                return render(request, "dashboards/no_periods.html", {"filters": filters, "form": form})
            return view(request, filters, form, *args, **kwargs)

        return wrapper

    return decorator


def _page(request, template, filters, form, **context):
    return render(
        request,
        template,
        {
            "filters": filters,
            "form": form,
            "target_years": settings.DASHBOARDS_TARGET_YEARS,
            "trend_years": settings.DASHBOARDS_TREND_YEARS,
            "delay_points": settings.DASHBOARDS_PROJECT_DELAY_POINTS,
            **context,
        },
    )


def _check_unit(user, *unit_ids):
    if not any(user.can_read_unit(unit_id) for unit_id in unit_ids):
        raise PermissionDenied


@dashboard_page()
def overview(request, filters, form):
    data = selectors.overview(filters)
    return _page(request, "dashboards/overview.html", filters, form, data=data, chart=charts.task_classes(data.tasks))


@dashboard_page(IndicatorFilterForm)
def indicators(request, filters, form):
    rows = selectors.indicator_rows(filters)
    wanted = filters.extra.get("danh_gia")
    groups = Counter(row.assessment_group for row in rows)
    shown = [row for row in rows if row.assessment_group == wanted] if wanted else rows
    page = Paginator(shown, INDICATORS_PER_PAGE).get_page(request.GET.get("trang"))
    return _page(request, "dashboards/indicators.html", filters, form, page=page, total=len(rows), groups=groups, wanted=wanted)


@dashboard_page()
def indicator_detail(request, filters, form, code):
    indicator = get_object_or_404(Indicator.objects.select_related("responsible_unit", "field"), code=code)
    _check_unit(request.user, indicator.responsible_unit_id)
    history = selectors.indicator_history(indicator, filters)
    return _page(
        request,
        "dashboards/indicator_detail.html",
        filters,
        form,
        indicator=indicator,
        history=history,
        row=history.row,
        chart=charts.indicator_history(history, filters.period),
    )


@dashboard_page(ProjectFilterForm)
def projects(request, filters, form):
    rows = selectors.project_rows(filters, key_only=bool(filters.extra.get("trong_diem")))
    wanted = filters.extra.get("tien_do")
    if wanted == "late":
        rows = [row for row in rows if row.is_late]
    elif wanted:
        rows = [row for row in rows if row.schedule == wanted]
    chart_rows = [row for row in rows if row.project.is_key][:CHART_PROJECTS] or rows[:CHART_PROJECTS]
    page = Paginator(rows, PROJECTS_PER_PAGE).get_page(request.GET.get("trang"))
    return _page(
        request,
        "dashboards/projects.html",
        filters,
        form,
        page=page,
        total=len(rows),
        chart=charts.project_progress(chart_rows),
        chart_key_only=bool(chart_rows) and chart_rows[0].project.is_key,
    )


@dashboard_page()
def project_detail(request, filters, form, code):
    project = get_object_or_404(Project.objects.select_related("managing_unit", "locality"), code=code)
    _check_unit(request.user, project.managing_unit_id)
    history = selectors.project_history(project, filters)
    return _page(
        request,
        "dashboards/project_detail.html",
        filters,
        form,
        project=project,
        history=history,
        row=history.row,
        chart=charts.project_history(history),
    )


@dashboard_page(TaskFilterForm)
def tasks(request, filters, form):
    board = selectors.task_board(filters)
    wanted = filters.extra.get("phan_loai")
    page = Paginator(board.of_class(wanted), TASKS_PER_PAGE).get_page(request.GET.get("trang"))
    return _page(
        request,
        "dashboards/tasks.html",
        filters,
        form,
        board=board,
        page=page,
        task_class=wanted,
        chart=charts.task_fields(board.by_field),
    )


@dashboard_page()
def task_detail(request, filters, form, pk):
    task = get_object_or_404(Task.objects.with_catalogue(), pk=pk)
    supporting = [unit.pk for unit in task.supporting_units.all()]
    _check_unit(request.user, task.lead_unit_id, *supporting)
    classified = selectors.classified_tasks(filters, Task.objects.filter(pk=task.pk))[0]
    own_unit = None if request.user.sees_all_units else request.user.unit
    return _page(
        request,
        "dashboards/task_detail.html",
        filters,
        form,
        task=task,
        classified=classified,
        updates=selectors.task_history(task, unit=own_unit),
        own_unit=own_unit,
    )


@dashboard_page()
def units(request, filters, form):
    periods = filters.quarters_of_year()
    rows = selectors.unit_compliance(filters, periods=periods)
    return _page(
        request, "dashboards/units.html", filters, form, rows=rows, periods=periods, chart=charts.compliance(rows, periods)
    )


@dashboard_page()
def unit_detail(request, filters, form, code):
    unit = get_object_or_404(OrganisationUnit, code=code)
    _check_unit(request.user, unit.pk)
    scoped = filters.with_unit(unit)
    board = selectors.task_board(scoped)
    return _page(
        request,
        "dashboards/unit_detail.html",
        filters,
        form,
        unit=unit,
        scoped=scoped,
        reports=selectors.unit_report_history(unit, filters),
        board=board,
        overdue=board.of_class("overdue"),
        projects=selectors.project_rows(scoped),
        indicators=selectors.indicator_rows(scoped),
    )
