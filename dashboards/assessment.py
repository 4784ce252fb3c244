"""The arithmetic of a party report's indicator and project tables, in one place and
without the database: % of plan ("đạt X% kế hoạch"), change versus the same period
("tăng/giảm Y%"), whether the trend reaches the resolution's targets, and whether a
project keeps to its schedule.

Lower-is-better indicators (the poverty rate, say) are handled here once: reaching the
plan means staying at or under it, and % of plan is plan ÷ actual, so that "≥ 100%"
always reads "plan met".
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from backancity.numbers import format_decimal
from projects.models import Phase, ProjectStatus

HUNDRED = Decimal(100)


def meets(value: Decimal, target: Decimal, *, lower_is_better: bool) -> bool:
    return value <= target if lower_is_better else value >= target


def percent_of_plan(actual: Decimal | None, plan: Decimal | None, *, lower_is_better: bool) -> Decimal | None:
    """Actual ÷ plan × 100, or plan ÷ actual × 100 when lower is better. None when it
    cannot be computed (no figure, or a zero divisor)."""
    if actual is None or plan is None:
        return None
    numerator, denominator = (plan, actual) if lower_is_better else (actual, plan)
    if denominator == 0:
        return None
    return (numerator * HUNDRED / denominator).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


class ChangeKind(models.TextChoices):
    PERCENT = "percent", _("phần trăm so với cùng kỳ")
    POINTS = "points", _("điểm phần trăm")
    ABSOLUTE = "absolute", _("chênh lệch tuyệt đối")


@dataclass(frozen=True)
class Change:
    """A figure against the same period last year: `amount` is signed; `improved` says
    whether the move is the good direction for the indicator (None when flat)."""

    kind: str
    amount: Decimal
    improved: bool | None

    @property
    def label(self) -> str:
        if self.amount == 0:
            return gettext("bằng cùng kỳ")
        verb = gettext("tăng") if self.amount > 0 else gettext("giảm")
        size = abs(self.amount)
        if self.kind == ChangeKind.PERCENT:
            return f"{verb} {format_decimal(size, 1 if size < 100 else 0)}%"
        if self.kind == ChangeKind.POINTS:
            return gettext("%(verb)s %(size)s điểm %%") % {"verb": verb, "size": format_decimal(size, 2)}
        return f"{verb} {format_decimal(size)}"


def change_vs_same_period(
    actual: Decimal | None, previous: Decimal | None, *, is_rate: bool, lower_is_better: bool
) -> Change | None:
    """Rates (%) change by percentage points, as reports write them ("tăng 2,5 điểm %");
    other figures by per cent of last year's figure, or by the plain difference when last
    year's figure was zero."""
    if actual is None or previous is None:
        return None
    difference = actual - previous
    if is_rate:
        change = Change(ChangeKind.POINTS, difference.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), None)
    elif previous == 0:
        change = Change(ChangeKind.ABSOLUTE, difference, None)
    else:
        amount = (difference * HUNDRED / abs(previous)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        change = Change(ChangeKind.PERCENT, amount, None)
    if difference == 0:
        return change
    improved = difference < 0 if lower_is_better else difference > 0
    return Change(change.kind, change.amount, improved)


# --- Trend towards the resolution's targets ------------------------------------------


def linear_trend(points: dict[int, Decimal]) -> tuple[float, float] | None:
    """Least-squares line (slope, intercept) through the latest DASHBOARDS_TREND_YEARS
    yearly actuals; None with fewer than two years."""
    years = sorted(points)[-settings.DASHBOARDS_TREND_YEARS :]
    if len(years) < 2:
        return None
    xs = [float(year) for year in years]
    ys = [float(points[year]) for year in years]
    mean_x = sum(xs) / len(xs)
    mean_y = sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
    return slope, mean_y - slope * mean_x


def project(points: dict[int, Decimal], year: int) -> Decimal | None:
    line = linear_trend(points)
    if line is None:
        return None
    slope, intercept = line
    return Decimal(repr(slope * year + intercept)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


class TargetAssessment(models.TextChoices):
    ACHIEVED = "achieved", _("Đã đạt mục tiêu")
    ON_TRACK = "on_track", _("Xu thế đạt mục tiêu")
    AT_RISK = "at_risk", _("Có nguy cơ không đạt")
    MISSED = "missed", _("Không đạt mục tiêu")
    NO_DATA = "no_data", _("Chưa đủ số liệu dự báo")
    NO_TARGET = "no_target", _("Chưa có mục tiêu")


GOOD_ASSESSMENTS = (TargetAssessment.ACHIEVED, TargetAssessment.ON_TRACK)
BAD_ASSESSMENTS = (TargetAssessment.AT_RISK, TargetAssessment.MISSED)


@dataclass(frozen=True)
class TargetOutlook:
    year: int
    target: Decimal | None
    assessment: str
    projected: Decimal | None = None  # the trend's value in `year`, when it was projected
    actual: Decimal | None = None  # the year's actual, once the year is over

    @property
    def is_good(self) -> bool:
        return self.assessment in GOOD_ASSESSMENTS

    @property
    def is_bad(self) -> bool:
        return self.assessment in BAD_ASSESSMENTS

    def get_assessment_display(self) -> str:
        return str(TargetAssessment(self.assessment).label)


def assess_target(
    *, target_year: int, target: Decimal | None, yearly_actuals: dict[int, Decimal], as_of_year: int, lower_is_better: bool
) -> TargetOutlook:
    """Once the target year's actual is known, it decides; before that, the linear trend
    of the yearly actuals known up to `as_of_year` is projected to the target year."""
    if target is None:
        return TargetOutlook(target_year, None, TargetAssessment.NO_TARGET)
    known = {year: value for year, value in yearly_actuals.items() if year <= as_of_year}
    if target_year in known:
        actual = known[target_year]
        verdict = TargetAssessment.ACHIEVED if meets(actual, target, lower_is_better=lower_is_better) else TargetAssessment.MISSED
        return TargetOutlook(target_year, target, verdict, actual=actual)
    if target_year < as_of_year:
        # The year is over but its actual was never reported: nothing honest to say.
        return TargetOutlook(target_year, target, TargetAssessment.NO_DATA)
    projected = project(known, target_year)
    if projected is None:
        return TargetOutlook(target_year, target, TargetAssessment.NO_DATA)
    verdict = TargetAssessment.ON_TRACK if meets(projected, target, lower_is_better=lower_is_better) else TargetAssessment.AT_RISK
    return TargetOutlook(target_year, target, verdict, projected=projected)


def headline_outlook(outlooks: list[TargetOutlook], as_of_year: int) -> TargetOutlook | None:
    """The outlook a leader asks about first: the nearest target year not yet past that
    has a target (else the last one that has)."""
    with_target = [outlook for outlook in outlooks if outlook.target is not None]
    for outlook in sorted(with_target, key=lambda outlook: outlook.year):
        if outlook.year >= as_of_year:
            return outlook
    return with_target[-1] if with_target else None


# --- Projects --------------------------------------------------------------------------


class ScheduleClass(models.TextChoices):
    DELAYED = "delayed", _("Chậm tiến độ")
    SUSPENDED = "suspended", _("Tạm dừng")
    ON_SCHEDULE = "on_schedule", _("Đúng tiến độ")
    COMPLETED = "completed", _("Đã hoàn thành")
    NOT_ASSESSED = "not_assessed", _("Chưa đủ thông tin đánh giá")


#: problems first, as a leader reads the list
SCHEDULE_ORDER = {key: position for position, key in enumerate(ScheduleClass.values)}
LATE_SCHEDULES = (ScheduleClass.DELAYED, ScheduleClass.SUSPENDED)


def expected_progress(*, start_year: int | None, end_year: int | None, as_of: datetime.date) -> Decimal | None:
    """The progress a project should show on `as_of` if work were spread evenly from
    1 January of its start year to 31 December of its planned completion year."""
    if not start_year or not end_year:
        return None
    start = datetime.date(start_year, 1, 1)
    end = datetime.date(end_year, 12, 31)
    if as_of <= start:
        return Decimal(0)
    if as_of >= end:
        return HUNDRED
    share = Decimal((as_of - start).days) / Decimal((end - start).days)
    return (share * HUNDRED).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def classify_schedule(
    *,
    status: str,
    phase: str,
    progress: Decimal | None,
    start_year: int | None,
    end_year: int | None,
    as_of: datetime.date,
) -> ScheduleClass:
    """`phase`/`progress` come from the latest update up to the period (`status` is the
    project's own). Late: past the planned completion year and not finished, or more
    than DASHBOARDS_PROJECT_DELAY_POINTS behind the time-proportional plan."""
    if status == ProjectStatus.COMPLETED or phase == Phase.COMPLETED or (progress is not None and progress >= HUNDRED):
        return ScheduleClass.COMPLETED
    if status == ProjectStatus.SUSPENDED:
        return ScheduleClass.SUSPENDED
    if end_year and as_of.year > end_year:
        return ScheduleClass.DELAYED
    planned = expected_progress(start_year=start_year, end_year=end_year, as_of=as_of)
    if planned is None or progress is None:
        return ScheduleClass.NOT_ASSESSED
    if progress < planned - settings.DASHBOARDS_PROJECT_DELAY_POINTS:
        return ScheduleClass.DELAYED
    return ScheduleClass.ON_SCHEDULE
