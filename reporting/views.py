"""The unit's reporting page, its row saves (htmx inline, plain POST without JS), the
workflow steps and the leaders' overview. Views fetch with permission, let a form read
the input, call one service and redirect (or, for htmx, render the row again)."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import leader_required
from accounts.redirects import safe_next_url
from indicators.models import Indicator, IndicatorValue
from periods.exceptions import FigureWriteError, StaleFigureError
from periods.models import ReportingPeriod, ReportStatus
from projects.models import Project, ProjectUpdate
from resolutions.classification import TaskClass
from resolutions.models import Task, TaskUpdate
from units.models import OrganisationUnit

from . import selectors, services
from .exceptions import ReportPermissionError, ReportWorkflowError
from .forms import IndicatorValueForm, ProjectUpdateForm, ReasonForm, TaskUpdateForm
from .history import history_of


@dataclass(frozen=True)
class RowKind:
    """One kind of row on the unit's page: what it reports on and how it is entered."""

    slug: str  # in URLs
    obligations: str  # attribute of Obligations
    model: type
    figure: type
    form: type
    item_arg: str  # keyword of the form and of the figure for the item

    def figure_for(self, item, unit, period):
        figure = item.update
        if figure is None:
            figure = self.figure(**{self.item_arg: item}, unit=unit, period=period)
        return figure

    def form_for(self, item, figure, period, data=None):
        return self.form(data, instance=figure, prefix=f"{self.slug}-{item.pk}", **{self.item_arg: item, "period": period})


ROW_KINDS = {
    kind.slug: kind
    for kind in (
        RowKind("nhiem-vu", "tasks", Task, TaskUpdate, TaskUpdateForm, "task"),
        RowKind("du-an", "projects", Project, ProjectUpdate, ProjectUpdateForm, "project"),
        RowKind("chi-tieu", "indicators", Indicator, IndicatorValue, IndicatorValueForm, "indicator"),
    )
}


# -- fetch with permission ----------------------------------------------------------------


def _get_period(year, quarter) -> ReportingPeriod:
    return get_object_or_404(ReportingPeriod, year=year, quarter=quarter)


def _get_unit_for_user(request, unit_code) -> OrganisationUnit:
    """The unit, if the user may read its reports: its own officers, leaders and the
    secretariat. Units are public (the home page lists them), so another unit's officer
    gets 403, not 404."""
    unit = get_object_or_404(OrganisationUnit, code=unit_code)
    if not request.user.can_read_unit(unit.pk):
        raise PermissionDenied
    return unit


def _safe_next(request, default):
    return safe_next_url(request, default)


def _unit_url(unit, period):
    return reverse("reporting:unit_report", args=[period.year, period.quarter, unit.code])


# -- pages --------------------------------------------------------------------------------


@require_GET
def my_report(request):
    """The menu's "my report": an officer lands on their unit's page for the quarter being
    reported; leaders and the secretariat land on the overview."""
    if request.user.sees_all_units:
        return redirect("reporting:overview")
    if request.user.unit_id is None:
        raise PermissionDenied
    period = selectors.reporting_period_for(timezone.localdate())
    if period is None:
        raise Http404(_("Chưa có kỳ báo cáo nào."))
    return redirect(_unit_url(request.user.unit, period))


@require_GET
def unit_report(request, year, quarter, unit_code):
    unit = _get_unit_for_user(request, unit_code)
    period = _get_period(year, quarter)
    return render(request, "reporting/unit_report.html", _page_context(request, unit, period))


def _page_context(request, unit, period, *, bound=None):
    """Everything the unit's page shows. `bound` replaces one row's form by the form the
    user just posted (with its errors), for the no-JavaScript path."""
    today = timezone.localdate()
    report = selectors.report_for(unit, period)
    obligations = selectors.obligations_for(unit, period)
    editable = report.accepts_changes and request.user.can_write_unit(unit.pk)
    sections = []
    for kind in ROW_KINDS.values():
        rows = []
        for item in getattr(obligations, kind.obligations):
            rows.append(_row(kind, item, unit, period, report, editable, bound=bound))
        sections.append((kind, rows))
    events = list(report.events.select_related("actor").order_by("-at", "-pk")) if report.pk else []
    return {
        "unit": unit,
        "period": period,
        "report": report,
        "obligations": obligations,
        "sections": sections,
        "editable": editable,
        "can_submit": editable and request.user.can_write_unit(unit.pk),
        "can_review": services.can_review(request.user),
        "reason_form": ReasonForm(),
        "events": events,
        "recent_periods": selectors.recent_reports_of(unit, period),
        "reminder": selectors.reminder_for(unit, today) if request.user.can_write_unit(unit.pk) else None,
        "days_to_due": (period.due_date - today).days,
        "days_overdue": (today - period.due_date).days,
        "is_official": report.status == ReportStatus.APPROVED,
    }


def _row(kind, item, unit, period, report, editable, *, bound=None, saved=False):
    figure = kind.figure_for(item, unit, period)
    if bound is not None and bound[0] == kind.slug and bound[1] == item.pk:
        form = bound[2]
    else:
        form = kind.form_for(item, figure, period) if editable else None
    return {
        "kind": kind,
        "item": item,
        "figure": item.update,
        "previous": item.previous_update,
        "form": form,
        "dom_id": f"{kind.slug}-{item.pk}",
        "save_url": reverse("reporting:row_save", args=[period.year, period.quarter, unit.code, kind.slug, item.pk]),
        "history_url": reverse("reporting:row_history", args=[period.year, period.quarter, unit.code, kind.slug, item.pk]),
        "saved": saved,
        "is_official": report.status == ReportStatus.APPROVED,
        "role": _task_role(item, unit) if kind.slug == "nhiem-vu" else "",
        "is_lead": kind.slug == "nhiem-vu" and item.lead_unit_id == unit.pk,
    }


def _task_role(task, unit):
    return _("Chủ trì") if task.lead_unit_id == unit.pk else _("Phối hợp")


@require_POST
def row_save(request, year, quarter, unit_code, kind, pk):
    """Save one row. htmx gets the row back (and the page's progress, out of band);
    without JavaScript the browser is redirected to the page, or the page is rendered
    again with this row's input and errors."""
    unit = _get_unit_for_user(request, unit_code)
    period = _get_period(year, quarter)
    row_kind = ROW_KINDS.get(kind) or _not_found()
    if not request.user.can_write_unit(unit.pk):
        raise PermissionDenied
    obligations = selectors.obligations_for(unit, period)
    item = next((x for x in getattr(obligations, row_kind.obligations) if x.pk == pk), None) or _not_found()
    figure = row_kind.figure_for(item, unit, period)
    form = row_kind.form_for(item, figure, period, data=request.POST)
    if form.is_valid():
        try:
            services.figure_save(figure=form.instance, actor=request.user)
        except StaleFigureError as exc:
            form.add_error(None, str(exc))
            form.show_current(exc.current)
        except (FigureWriteError, ReportPermissionError) as exc:
            form.add_error(None, str(exc))
        else:
            return _row_saved(request, unit, period, row_kind, pk)
    if request.htmx:
        report = selectors.report_for(unit, period)
        row = _row(row_kind, item, unit, period, report, True, bound=(row_kind.slug, item.pk, form))
        # 200, not 422: htmx 2 does not swap error responses, and the row with its
        # messages is exactly what should replace the old one.
        return render(request, "reporting/partials/row.html", {"row": row, "period": period, "unit": unit})
    messages.error(request, _("Chưa lưu được: xem lỗi ở mục được đánh dấu bên dưới."))
    context = _page_context(request, unit, period, bound=(row_kind.slug, item.pk, form))
    return render(request, "reporting/unit_report.html", context, status=422)


def _row_saved(request, unit, period, row_kind, pk):
    if not request.htmx:
        messages.success(request, _("Đã lưu."))
        return redirect(f"{_unit_url(unit, period)}#{row_kind.slug}-{pk}")
    report = selectors.report_for(unit, period)
    obligations = selectors.obligations_for(unit, period)
    item = next(x for x in getattr(obligations, row_kind.obligations) if x.pk == pk)
    row = _row(row_kind, item, unit, period, report, report.accepts_changes, saved=True)
    return render(
        request,
        "reporting/partials/row_saved.html",
        {
            "row": row,
            "period": period,
            "unit": unit,
            "obligations": obligations,
            "report": report,
            "can_submit": report.accepts_changes,
            "can_review": services.can_review(request.user),
        },
    )


def _not_found():
    raise Http404


@require_GET
def row_history(request, year, quarter, unit_code, kind, pk):
    unit = _get_unit_for_user(request, unit_code)
    period = _get_period(year, quarter)
    row_kind = ROW_KINDS.get(kind) or _not_found()
    item = get_object_or_404(row_kind.model, pk=pk)
    lookup = {row_kind.item_arg: item, "period": period}
    if row_kind.slug == "nhiem-vu":
        lookup["unit"] = unit
    elif getattr(item, "managing_unit_id", getattr(item, "responsible_unit_id", None)) != unit.pk:
        raise Http404
    figure = row_kind.figure.objects.filter(**lookup).first()
    context = {
        "unit": unit,
        "period": period,
        "item": item,
        "kind": row_kind,
        "revisions": history_of(figure, indicator=item if row_kind.slug == "chi-tieu" else None),
    }
    template = "reporting/partials/history.html" if request.htmx else "reporting/history.html"
    return render(request, template, context)


# -- workflow -----------------------------------------------------------------------------


@require_POST
def report_submit(request, year, quarter, unit_code):
    unit = _get_unit_for_user(request, unit_code)
    period = _get_period(year, quarter)
    if not request.user.can_write_unit(unit.pk):
        raise PermissionDenied
    return _workflow_step(
        request,
        unit,
        period,
        lambda: services.report_submit(unit=unit, period=period, actor=request.user),
        _("Đã gửi báo cáo %(period)s. Lãnh đạo sẽ xem xét và duyệt."),
    )


@require_POST
def report_approve(request, year, quarter, unit_code):
    unit, period = _reviewable(request, unit_code, year, quarter)
    return _workflow_step(
        request,
        unit,
        period,
        lambda: services.report_approve(unit=unit, period=period, actor=request.user),
        _("Đã duyệt báo cáo %(period)s của %(unit)s; số liệu đã khóa và là số chính thức."),
    )


@require_POST
def report_return(request, year, quarter, unit_code):
    unit, period = _reviewable(request, unit_code, year, quarter)
    return _reason_step(request, unit, period, services.report_return, _("Đã trả lại báo cáo %(period)s của %(unit)s."))


@require_POST
def report_reopen(request, year, quarter, unit_code):
    unit, period = _reviewable(request, unit_code, year, quarter)
    return _reason_step(
        request, unit, period, services.report_reopen, _("Đã mở lại báo cáo %(period)s của %(unit)s để đơn vị chỉnh sửa.")
    )


def _reviewable(request, unit_code, year, quarter):
    if not services.can_review(request.user):
        raise PermissionDenied
    return _get_unit_for_user(request, unit_code), _get_period(year, quarter)


def _reason_step(request, unit, period, service, success):
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Chưa thực hiện được: phải nêu lý do."))
        return redirect(_safe_next(request, _unit_url(unit, period)))
    reason = form.cleaned_data["reason"]
    return _workflow_step(
        request, unit, period, lambda: service(unit=unit, period=period, actor=request.user, reason=reason), success
    )


def _workflow_step(request, unit, period, step, success):
    try:
        step()
    except ReportPermissionError as exc:
        raise PermissionDenied(str(exc)) from exc
    except ReportWorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success % {"period": period.label, "unit": unit.name})
    return redirect(_safe_next(request, _unit_url(unit, period)))


# -- the leaders' overview ------------------------------------------------------------------

OVERVIEW_FILTERS = [
    ("", gettext_lazy("Tất cả")),
    ("not_sent", gettext_lazy("Chưa gửi")),
    ("late", gettext_lazy("Quá hạn")),
    (ReportStatus.SUBMITTED, gettext_lazy("Chờ duyệt")),
    (ReportStatus.RETURNED, gettext_lazy("Trả lại")),
    (ReportStatus.APPROVED, gettext_lazy("Đã duyệt")),
]


@leader_required
@require_GET
def overview_current(request):
    period = selectors.reporting_period_for(timezone.localdate())
    if period is None:
        raise Http404(_("Chưa có kỳ báo cáo nào."))
    return redirect("reporting:overview_period", year=period.year, quarter=period.quarter)


@leader_required
@require_GET
def overview(request, year, quarter):
    period = _get_period(year, quarter)
    today = timezone.localdate()
    rows = selectors.overview_for(period, today=today)
    chosen = request.GET.get("loc", "")
    if chosen not in dict(OVERVIEW_FILTERS):
        chosen = ""
    shown = [row for row in rows if not chosen or chosen in row.filter_keys]
    summary = {key: sum(1 for row in rows if key in row.filter_keys) for key, _label in OVERVIEW_FILTERS if key}
    classification = selectors.task_classification_for(period, today=today)
    return render(
        request,
        "reporting/overview.html",
        {
            "period": period,
            "rows": shown,
            "total": len(rows),
            "filters": [(key, label, summary.get(key, len(rows))) for key, label in OVERVIEW_FILTERS],
            "chosen": chosen,
            "classification": classification,
            "overdue_class": TaskClass.OVERDUE,
            "periods": list(ReportingPeriod.objects.up_to(today.year, 4).order_by("-year", "-quarter")[:8]),
            "reason_form": ReasonForm(),
            "today": today,
            "days_to_due": (period.due_date - today).days,
            "days_overdue": (today - period.due_date).days,
        },
    )
