"""The filters every dashboard page reads from its query string — year, quarter, field,
unit, official figures only — so that a view can be shared as a link.

The query string speaks Vietnamese (`?nam=2026&quy=3&linh_vuc=…&don_vi=…`). A value that
is not valid is reported on the page in Vietnamese and ignored; the rest still applies.
An officer's unit filter is fixed to their own unit: whatever the link says, they see
their unit's slice.
"""

import dataclasses
import datetime
import functools
from urllib.parse import urlencode

from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from indicators.models import IndicatorValue
from periods.models import ROMAN_QUARTERS, ReportingPeriod
from projects.models import ProjectUpdate
from resolutions.classification import TaskClass
from resolutions.models import Field, TaskUpdate
from units.models import OrganisationUnit

from .assessment import ScheduleClass

#: the parameters all dashboard pages share (the sub-menu carries them from page to page)
COMMON_PARAMS = ("nam", "quy", "linh_vuc", "don_vi", "chinh_thuc")

QUARTER_CHOICES = [("", _("Cả năm")), ("1", _("Quý I")), ("2", _("Quý II")), ("3", _("Quý III")), ("4", _("Quý IV"))]


class DashboardFilterForm(forms.Form):
    nam = forms.TypedChoiceField(
        label=_("Năm"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Chưa có kỳ báo cáo nào của năm “%(value)s”; đang hiển thị năm mới nhất.")},
    )
    quy = forms.TypedChoiceField(
        label=_("Quý"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=QUARTER_CHOICES,
        error_messages={"invalid_choice": _("Quý “%(value)s” không hợp lệ: chọn từ Quý I đến Quý IV.")},
    )
    linh_vuc = forms.ChoiceField(
        label=_("Lĩnh vực"),
        required=False,
        error_messages={"invalid_choice": _("Không có lĩnh vực “%(value)s”; đang hiển thị tất cả lĩnh vực.")},
    )
    don_vi = forms.ChoiceField(
        label=_("Đơn vị"),
        required=False,
        error_messages={"invalid_choice": _("Không có đơn vị “%(value)s”; đang hiển thị tất cả đơn vị.")},
    )
    chinh_thuc = forms.BooleanField(label=_("Chỉ số liệu đã duyệt"), required=False)

    def __init__(self, data, *, years, fields, units, locked_unit=None):
        super().__init__(data)
        self.fields["nam"].choices = [("", _("Mới nhất"))] + [(str(year), str(year)) for year in years]
        self.fields["linh_vuc"].choices = [("", _("Tất cả lĩnh vực"))] + [(field.code, field.name) for field in fields]
        if locked_unit is not None:
            unit_field = self.fields["don_vi"]
            unit_field.choices = [(locked_unit.code, locked_unit.name)]
            unit_field.initial = locked_unit.code
            unit_field.disabled = True
        else:
            self.fields["don_vi"].choices = [("", _("Tất cả đơn vị"))] + [(unit.code, _unit_label(unit)) for unit in units]
        for form_field in self.fields.values():
            is_checkbox = isinstance(form_field.widget, forms.CheckboxInput)
            form_field.widget.attrs["class"] = "form-check-input" if is_checkbox else "form-select form-select-sm"


def _unit_label(unit) -> str:
    if unit.retired_on:
        return gettext("%(name)s (ngừng hoạt động từ %(day)s)") % {"name": unit.name, "day": unit.retired_on.strftime("%d/%m/%Y")}
    return unit.name


class TaskFilterForm(DashboardFilterForm):
    phan_loai = forms.ChoiceField(
        label=_("Phân loại"),
        required=False,
        choices=[("", _("Tất cả"))] + TaskClass.choices,
        error_messages={"invalid_choice": _("Phân loại “%(value)s” không hợp lệ; đang hiển thị tất cả nhiệm vụ.")},
    )


class ProjectFilterForm(DashboardFilterForm):
    trong_diem = forms.BooleanField(label=_("Chỉ dự án trọng điểm"), required=False)
    tien_do = forms.ChoiceField(
        label=_("Tiến độ"),
        required=False,
        choices=[("", _("Tất cả")), ("late", _("Chậm tiến độ hoặc tạm dừng"))] + ScheduleClass.choices,
        error_messages={"invalid_choice": _("Giá trị tiến độ “%(value)s” không hợp lệ; đang hiển thị tất cả dự án.")},
    )


class IndicatorFilterForm(DashboardFilterForm):
    danh_gia = forms.ChoiceField(
        label=_("Đánh giá"),
        required=False,
        choices=[
            ("", _("Tất cả")),
            ("good", _("Đạt hoặc xu thế đạt mục tiêu")),
            ("bad", _("Có nguy cơ không đạt hoặc không đạt")),
            ("unknown", _("Chưa đánh giá được")),
        ],
        error_messages={"invalid_choice": _("Giá trị đánh giá “%(value)s” không hợp lệ; đang hiển thị tất cả chỉ tiêu.")},
    )


@dataclasses.dataclass
class Filters:
    """What a dashboard page shows: the reference period (the chosen quarter, or the
    latest quarter reported in the chosen year), and the optional field and unit."""

    periods: list  # every ReportingPeriod, oldest first, annotated `has_figures`
    period: ReportingPeriod | None
    quarter_chosen: bool
    field: Field | None
    unit: OrganisationUnit | None
    official_only: bool
    unit_locked: bool
    today: datetime.date
    params: dict  # the valid parameters the user gave, to carry in links
    extra: dict = dataclasses.field(default_factory=dict)  # page-specific cleaned values

    @property
    def year(self) -> int | None:
        return self.period.year if self.period else None

    @property
    def as_of(self) -> datetime.date:
        """The day tasks and projects are judged on: the end of the period, or today if
        the period is still running."""
        return min(self.period.end_date, self.today)

    @property
    def is_full_year(self) -> bool:
        return self.period is not None and self.period.quarter == 4

    @property
    def period_phrase(self) -> str:
        if self.period is None:
            return ""
        if self.is_full_year:
            return gettext("số liệu cả năm %(year)s") % {"year": self.period.year}
        return gettext("lũy kế đến %(period)s") % {"period": self.period.label}

    def period_at(self, year: int, quarter: int) -> ReportingPeriod | None:
        for period in self.periods:
            if period.year == year and period.quarter == quarter:
                return period
        return None

    def quarters_of_year(self) -> list:
        """The quarters of the chosen year up to the reference quarter."""
        return [p for p in self.periods if p.year == self.period.year and p.quarter <= self.period.quarter]

    def with_unit(self, unit) -> "Filters":
        return dataclasses.replace(self, unit=unit)

    def query(self, **overrides) -> str:
        """`?nam=…&quy=…` with the common parameters the user chose, changed by
        `overrides` (None drops a parameter)."""
        params = {key: value for key, value in self.params.items() if key in COMMON_PARAMS}
        for key, value in overrides.items():
            if value is None:
                params.pop(key, None)
            else:
                params[key] = value
        return "?" + urlencode(params) if params else ""

    @functools.cached_property
    def common_query(self) -> str:
        return self.query()


def all_periods() -> list:
    """Every reporting period, oldest first, each annotated `has_figures` (any unit has
    entered a figure for it), in one query."""

    def exists(model):
        return Exists(model.objects.filter(period=OuterRef("pk")))

    return list(
        ReportingPeriod.objects.annotate(
            has_figures=exists(IndicatorValue) | exists(ProjectUpdate) | exists(TaskUpdate)
        ).order_by("year", "quarter")
    )


def latest_reported(periods: list, today: datetime.date, *, year: int | None = None) -> ReportingPeriod | None:
    """The latest quarter with figures (of `year`, if given) that has begun; failing that,
    the latest quarter that has begun; failing that, the first one."""
    candidates = [p for p in periods if year is None or p.year == year]
    if not candidates:
        return None
    started = [p for p in candidates if p.start_date <= today]
    reported = [p for p in started if p.has_figures]
    if reported:
        return reported[-1]
    if started:
        return started[-1]
    return candidates[0]


def read_filters(request, form_class=DashboardFilterForm) -> tuple[Filters, DashboardFilterForm]:
    """The page's filters from the query string (three queries: periods, fields, units;
    an officer's own unit is already loaded with the user)."""
    user = request.user
    today = timezone.localdate()
    periods = all_periods()
    years = sorted({period.year for period in periods})
    fields = list(Field.objects.order_by("sort_order", "name"))
    locked_unit = None if user.sees_all_units else user.unit
    units = list(OrganisationUnit.objects.order_by("sort_order", "name")) if locked_unit is None else [locked_unit]
    form = form_class(request.GET, years=years, fields=fields, units=units, locked_unit=locked_unit)
    form.is_valid()  # the errors are shown on the page; valid values still apply
    cleaned = form.cleaned_data

    year, quarter = cleaned.get("nam"), cleaned.get("quy")
    period = None
    if quarter and year is None:
        latest = latest_reported(periods, today)
        year = latest.year if latest else None
    if quarter and year is not None:
        period = next((p for p in periods if p.year == year and p.quarter == quarter), None)
        if period is None:
            form.add_error(
                "quy",
                gettext("Chưa có kỳ báo cáo Quý %(quarter)s/%(year)s.") % {"quarter": ROMAN_QUARTERS[quarter], "year": year},
            )
            quarter = None
    if period is None:
        period = latest_reported(periods, today, year=year)

    field = next((f for f in fields if f.code == cleaned.get("linh_vuc")), None)
    unit = locked_unit or next((u for u in units if u.code == cleaned.get("don_vi")), None)
    params = {}
    if cleaned.get("nam"):
        params["nam"] = str(cleaned["nam"])
    if quarter:
        params["quy"] = str(quarter)
    if field:
        params["linh_vuc"] = field.code
    if unit and locked_unit is None:
        params["don_vi"] = unit.code
    if cleaned.get("chinh_thuc"):
        params["chinh_thuc"] = "1"
    extra = {name: cleaned.get(name) for name in form.fields if name not in COMMON_PARAMS}
    for name, value in extra.items():
        if value:
            params[name] = "1" if value is True else str(value)
    filters = Filters(
        periods=periods,
        period=period,
        quarter_chosen=bool(quarter),
        field=field,
        unit=unit,
        official_only=bool(cleaned.get("chinh_thuc")),
        unit_locked=locked_unit is not None,
        today=today,
        params=params,
        extra=extra,
    )
    return filters, form
