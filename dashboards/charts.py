"""Chart data for `static/js/dashboards.js`, passed to the page with `json_script`.

Numbers go out as plain JSON numbers (the script formats them the Vietnamese way in
ticks and tooltips); every series that can hold provisional figures carries a parallel
list of flags so that the script can draw them dashed or hatched.
"""

from django.conf import settings
from django.utils.translation import gettext as _

from .assessment import linear_trend
from .selectors import TASK_CLASS_ORDER, Compliance


def _number(value):
    return None if value is None else float(value)


def task_classes(counts) -> dict:
    return {
        "kind": "task-classes",
        "keys": [task_class.value for task_class in TASK_CLASS_ORDER],
        "labels": [str(task_class.label) for task_class in TASK_CLASS_ORDER],
        "values": [counts.of(task_class) for task_class in TASK_CLASS_ORDER],
        "unit": _("nhiệm vụ"),
    }


def task_fields(by_field) -> dict:
    return {
        "kind": "stacked-bars",
        "horizontal": True,
        "labels": [field.name for field, _counts in by_field],
        "series": [
            {
                "key": task_class.value,
                "label": str(task_class.label),
                "values": [counts.of(task_class) for _f, counts in by_field],
            }
            for task_class in TASK_CLASS_ORDER
        ],
        "unit": _("nhiệm vụ"),
    }


def compliance(rows, periods) -> dict:
    series = []
    for key, label in Compliance.LABELS.items():
        values = [sum(1 for row in rows if row.cells[index].state == key) for index in range(len(periods))]
        series.append({"key": key, "label": str(label).capitalize(), "values": values})
    return {
        "kind": "stacked-bars",
        "horizontal": False,
        "labels": [period.label for period in periods],
        "series": series,
        "unit": _("đơn vị"),
    }


def project_progress(rows) -> dict:
    """Reported progress against the time-proportional plan, one bar per project."""
    return {
        "kind": "project-progress",
        "labels": [row.project.name for row in rows],
        "progress": [_number(row.update.progress_percent) if row.update else None for row in rows],
        "expected": [_number(row.expected) for row in rows],
        "provisional": [row.is_provisional for row in rows],
        "late": [row.is_late for row in rows],
        "names": {
            "progress": _("Tiến độ thực tế"),
            "expected": _("Tiến độ kế hoạch (chia đều theo thời gian)"),
            "provisional": _("tạm tính, chưa duyệt"),
        },
    }


def project_history(history) -> dict:
    updates = history.updates
    return {
        "kind": "project-history",
        "labels": [update.period.label for update in updates],
        "progress": [_number(update.progress_percent) for update in updates],
        "expected": [_number(update.expected) for update in updates],
        "disbursed": [
            _number(update.disbursed_amount * 100 / update.allocated_capital)
            if update.allocated_capital and update.disbursed_amount is not None
            else None
            for update in updates
        ],
        "provisional": [not update.is_approved for update in updates],
        "names": {
            "progress": _("Tiến độ thực tế (%)"),
            "expected": _("Tiến độ kế hoạch (%)"),
            "disbursed": _("Giải ngân so với vốn bố trí (%)"),
            "provisional": _("tạm tính, chưa duyệt"),
        },
    }


def indicator_history(history, period) -> dict:
    """Yearly actuals (the fourth quarter; the reference year's latest quarter when the
    year is not over), the plan of each year, the resolution's targets and the trend
    line projected to the last target year."""
    indicator = history.row.indicator
    figures = history.figures
    row = history.row
    last_target = max(settings.DASHBOARDS_TARGET_YEARS)
    known_years = [f.year for f in figures] + list(history.targets) + list(row.yearly_actuals)
    first = min(known_years, default=period.year)
    last = max([last_target, period.year, *known_years])
    years = list(range(first, last + 1))

    actual, provisional, notes = [], [], []
    by_key = {(f.year, f.quarter): f for f in figures}
    for year in years:
        figure, note, value = None, "", None
        if year > period.year:
            pass
        elif year == period.year and row.current is not None and row.current.quarter != 4:
            figure = row.current
            note = _("lũy kế đến %(period)s") % {"period": figure.label}
        elif (year, 4) in by_key:
            figure = by_key[(year, 4)]
        elif year == indicator.baseline_year:
            value, note = indicator.baseline_value, _("năm gốc")
        if figure is not None:
            value = figure.value
        actual.append(_number(value))
        provisional.append(bool(figure and not figure.is_approved))
        notes.append(note)

    trend = [None] * len(years)
    line = linear_trend(row.yearly_actuals)
    if line is not None:
        slope, intercept = line
        start = max(row.yearly_actuals)
        trend = [round(slope * year + intercept, 4) if year >= start else None for year in years]

    targets = [_number(history.targets.get(year)) if year in settings.DASHBOARDS_TARGET_YEARS else None for year in years]
    return {
        "kind": "indicator",
        "labels": [str(year) for year in years],
        "actual": actual,
        "provisional": provisional,
        "notes": notes,
        "plan": [_number(history.targets.get(year)) for year in years],
        "targets": targets,
        "trend": trend,
        "decimals": indicator.decimal_places,
        "percent": indicator.is_ratio or indicator.unit_of_measure == "%",
        "unit": indicator.unit_of_measure,
        "names": {
            "actual": _("Thực hiện"),
            "plan": _("Kế hoạch năm"),
            "targets": _("Mục tiêu Nghị quyết"),
            "trend": _("Xu thế (dự báo tuyến tính)"),
            "provisional": _("tạm tính, chưa duyệt"),
        },
    }
