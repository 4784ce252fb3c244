"""The arithmetic of the report columns, without the database."""

import datetime
from decimal import Decimal

import pytest

from dashboards.assessment import (
    ChangeKind,
    ScheduleClass,
    TargetAssessment,
    assess_target,
    change_vs_same_period,
    classify_schedule,
    expected_progress,
    headline_outlook,
    percent_of_plan,
    project,
)

D = Decimal


def test_percent_of_plan_is_actual_over_plan():
    assert percent_of_plan(D(4400), D(4500), lower_is_better=False) == D("97.8")
    assert percent_of_plan(D(4600), D(4500), lower_is_better=False) == D("102.2")


def test_percent_of_plan_is_inverted_when_lower_is_better():
    # poverty 2,7% against a plan of 2%: 74,1% of plan, not 135%
    assert percent_of_plan(D("2.7"), D(2), lower_is_better=True) == D("74.1")
    assert percent_of_plan(D("1.8"), D(2), lower_is_better=True) == D("111.1")


def test_percent_of_plan_cannot_divide_by_zero():
    assert percent_of_plan(D(5), D(0), lower_is_better=False) is None
    assert percent_of_plan(D(0), D(2), lower_is_better=True) is None
    assert percent_of_plan(None, D(2), lower_is_better=False) is None


def test_change_of_a_count_is_a_percentage_of_last_year():
    change = change_vs_same_period(D(4400), D(4150), is_rate=False, lower_is_better=False)
    assert (change.kind, change.amount, change.improved) == (ChangeKind.PERCENT, D("6.0"), True)
    assert change.label == "tăng 6,0%"


def test_change_of_a_rate_is_in_percentage_points_and_a_fall_is_good_when_lower_is_better():
    change = change_vs_same_period(D("2.7"), D("2.9"), is_rate=True, lower_is_better=True)
    assert (change.kind, change.amount, change.improved) == (ChangeKind.POINTS, D("-0.20"), True)
    assert change.label == "giảm 0,20 điểm %"


def test_a_rise_is_bad_when_lower_is_better():
    change = change_vs_same_period(D(120), D(100), is_rate=False, lower_is_better=True)
    assert change.improved is False
    assert change.label == "tăng 20,0%"


def test_change_from_zero_is_the_plain_difference():
    change = change_vs_same_period(D(3), D(0), is_rate=False, lower_is_better=False)
    assert (change.kind, change.amount, change.label) == (ChangeKind.ABSOLUTE, D(3), "tăng 3")


def test_no_change_is_said_as_such_and_missing_figures_give_nothing():
    assert change_vs_same_period(D(5), D(5), is_rate=False, lower_is_better=False).label == "bằng cùng kỳ"
    assert change_vs_same_period(D(5), None, is_rate=False, lower_is_better=False) is None


def test_the_trend_is_a_least_squares_line_through_the_yearly_actuals():
    actuals = {2022: D(3800), 2023: D(4086), 2024: D(4300)}
    assert project(actuals, 2025) == D(4562)
    assert project(actuals, 2030) == D(5812)
    assert project({2024: D(1)}, 2030) is None


@pytest.mark.parametrize(
    ("target_year", "target", "actuals", "as_of", "lower", "expected"),
    [
        (2030, D(5500), {2022: D(3800), 2023: D(4086), 2024: D(4300)}, 2025, False, TargetAssessment.ON_TRACK),
        (2030, D(6000), {2022: D(3800), 2023: D(4086), 2024: D(4300)}, 2025, False, TargetAssessment.AT_RISK),
        (2025, D(2), {2023: D(3), 2024: D("2.8")}, 2025, True, TargetAssessment.AT_RISK),
        (2025, D(3), {2023: D(3), 2024: D("2.8")}, 2025, True, TargetAssessment.ON_TRACK),
        (2024, D(4300), {2023: D(4086), 2024: D(4300)}, 2025, False, TargetAssessment.ACHIEVED),
        (2024, D(4400), {2023: D(4086), 2024: D(4300)}, 2025, False, TargetAssessment.MISSED),
        (2024, D(2), {2024: D("2.5")}, 2026, True, TargetAssessment.MISSED),
        (2023, D(10), {2024: D(11)}, 2026, False, TargetAssessment.NO_DATA),
        (2030, D(10), {2024: D(11)}, 2026, False, TargetAssessment.NO_DATA),
        (2030, None, {2023: D(1), 2024: D(2)}, 2026, False, TargetAssessment.NO_TARGET),
    ],
)
def test_a_target_is_assessed_by_its_actual_once_known_else_by_the_trend(target_year, target, actuals, as_of, lower, expected):
    outlook = assess_target(
        target_year=target_year, target=target, yearly_actuals=actuals, as_of_year=as_of, lower_is_better=lower
    )
    assert outlook.assessment == expected


def test_the_trend_ignores_years_after_the_one_being_viewed():
    actuals = {2022: D(100), 2023: D(110), 2024: D(10)}
    viewed_in_2023 = assess_target(
        target_year=2030, target=D(150), yearly_actuals=actuals, as_of_year=2023, lower_is_better=False
    )
    assert viewed_in_2023.assessment == TargetAssessment.ON_TRACK
    assert viewed_in_2023.projected == D(180)


def test_the_headline_target_is_the_nearest_one_not_yet_past():
    early = assess_target(target_year=2025, target=D(1), yearly_actuals={}, as_of_year=2026, lower_is_better=False)
    late = assess_target(target_year=2030, target=D(1), yearly_actuals={}, as_of_year=2026, lower_is_better=False)
    assert headline_outlook([early, late], 2024).year == 2025
    assert headline_outlook([early, late], 2026).year == 2030
    assert headline_outlook([early, late], 2031).year == 2030


def test_expected_progress_is_spread_evenly_from_start_to_planned_completion():
    assert expected_progress(start_year=2024, end_year=2025, as_of=datetime.date(2024, 1, 1)) == D(0)
    assert expected_progress(start_year=2024, end_year=2025, as_of=datetime.date(2024, 12, 31)) == D("50.0")
    assert expected_progress(start_year=2024, end_year=2025, as_of=datetime.date(2026, 3, 31)) == D(100)
    assert expected_progress(start_year=None, end_year=2025, as_of=datetime.date(2024, 1, 1)) is None


@pytest.mark.parametrize(
    ("status", "phase", "progress", "start", "end", "as_of", "expected"),
    [
        ("ongoing", "construction", D(40), 2023, 2025, datetime.date(2025, 9, 30), ScheduleClass.DELAYED),
        ("ongoing", "construction", D(45), 2024, 2027, datetime.date(2025, 9, 30), ScheduleClass.ON_SCHEDULE),
        ("ongoing", "construction", D(33), 2024, 2027, datetime.date(2025, 9, 30), ScheduleClass.DELAYED),
        ("ongoing", "completed", D(100), 2025, 2025, datetime.date(2025, 9, 30), ScheduleClass.COMPLETED),
        ("completed", "", None, 2020, 2021, datetime.date(2025, 9, 30), ScheduleClass.COMPLETED),
        ("suspended", "construction", D(60), 2024, 2027, datetime.date(2025, 9, 30), ScheduleClass.SUSPENDED),
        ("ongoing", "planning", None, 2021, 2024, datetime.date(2025, 9, 30), ScheduleClass.DELAYED),
        ("ongoing", "planning", None, 2025, 2027, datetime.date(2025, 9, 30), ScheduleClass.NOT_ASSESSED),
        ("ongoing", "", D(10), None, None, datetime.date(2025, 9, 30), ScheduleClass.NOT_ASSESSED),
    ],
)
def test_a_project_is_late_when_past_its_year_or_behind_the_time_proportional_plan(
    status, phase, progress, start, end, as_of, expected
):
    assert (
        classify_schedule(status=status, phase=phase, progress=progress, start_year=start, end_year=end, as_of=as_of) == expected
    )
