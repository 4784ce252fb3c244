"""A small city with known figures, built with the shared factories, and a way to make
it bigger (for query counts that must not grow with the data).

Reference period: Quý III/2025 (the latest quarter with figures). Every expected figure
in the tests is worked out from these values by hand.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from indicators.models import Direction, IndicatorTarget, ValueType
from periods.models import ReportStatus
from resolutions.models import TaskStatus
from tests import factories
from units.models import UnitKind

D = datetime.date


@dataclass
class City:
    ward: object
    other_ward: object
    department: object
    periods: dict = field(default_factory=dict)  # (year, quarter) → period
    fields: dict = field(default_factory=dict)
    indicators: dict = field(default_factory=dict)
    projects: dict = field(default_factory=dict)
    tasks: dict = field(default_factory=dict)


def _targets(indicator, targets):
    for year, value in targets.items():
        IndicatorTarget.objects.create(indicator=indicator, year=year, value=Decimal(value))


def _approve(unit, period, **extra):
    """Approved, sent two days before the due date (unless told otherwise)."""
    on_time = datetime.datetime.combine(period.due_date - datetime.timedelta(days=2), datetime.time(9), tzinfo=datetime.UTC)
    extra.setdefault("submitted_at", on_time)
    return factories.set_report_status(unit, period, ReportStatus.APPROVED, **extra)


def build_city(ward, other_ward, department) -> City:
    city = City(ward=ward, other_ward=other_ward, department=department)
    for year, quarters in ((2023, [4]), (2024, [1, 2, 3, 4]), (2025, [1, 2, 3, 4])):
        for quarter in quarters:
            city.periods[(year, quarter)] = factories.make_period(year, quarter)
    p = city.periods
    trade = factories.make_field("Thương mại – dịch vụ – du lịch")
    digital = factories.make_field("Chuyển đổi số – cải cách hành chính")
    city.fields = {"trade": trade, "digital": digital}

    # Indicators -------------------------------------------------------------------
    households = factories.make_indicator(
        responsible_unit=department,
        field=trade,
        name="Số hộ kinh doanh đang hoạt động",
        code="ho-kinh-doanh-test",
        unit_of_measure="hộ",
        baseline_year=2022,
        baseline_value=Decimal(3800),
    )
    _targets(households, {2024: "4300", 2025: "4500", 2030: "5500"})
    factories.make_indicator_value(
        indicator=households, period=p[(2023, 4)], value="4086", comparison_note="Tăng gần 200 hộ so với cùng kỳ năm 2022"
    )
    factories.make_indicator_value(indicator=households, period=p[(2024, 3)], value="4150")
    factories.make_indicator_value(indicator=households, period=p[(2024, 4)], value="4300")
    factories.make_indicator_value(indicator=households, period=p[(2025, 3)], value="4400")

    poverty = factories.make_indicator(
        responsible_unit=ward,
        field=trade,
        name="Tỷ lệ hộ nghèo",
        code="ty-le-ho-ngheo-test",
        unit_of_measure="%",
        direction=Direction.LOWER_IS_BETTER,
        value_type=ValueType.RATIO,
        decimal_places=2,
    )
    _targets(poverty, {2025: "2", 2030: "1"})
    for period, value in (((2023, 4), "3"), ((2024, 3), "2.9"), ((2024, 4), "2.8"), ((2025, 3), "2.7")):
        factories.make_indicator_value(indicator=poverty, period=p[period], value=value)

    cooperatives = factories.make_indicator(
        responsible_unit=department, field=digital, name="Số HTX kiểu mới điển hình", code="htx-test", unit_of_measure="HTX"
    )
    factories.make_indicator_value(indicator=cooperatives, period=p[(2023, 4)], value="1")
    city.indicators = {"households": households, "poverty": poverty, "cooperatives": cooperatives}

    # Projects -----------------------------------------------------------------------
    lake_road = factories.make_project(
        managing_unit=department,
        name="Đường vào hồ Nặm Cắt",
        code="duong-nam-cat-test",
        is_key=True,
        start_year=2023,
        end_year=2025,
    )
    factories.make_project_update(
        project=lake_road,
        period=p[(2025, 2)],
        progress_percent=Decimal(35),
        allocated_capital=Decimal(40_000_000_000),
        disbursed_amount=Decimal(20_000_000_000),
    )
    factories.make_project_update(
        project=lake_road,
        period=p[(2025, 3)],
        progress_percent=Decimal(40),
        allocated_capital=Decimal(50_000_000_000),
        disbursed_amount=Decimal(30_000_000_000),
        phase="construction",
        obstacles="Vướng mắc giải phóng mặt bằng 12 hộ",
    )
    stadium = factories.make_project(
        managing_unit=department, name="Sân vận động tỉnh", code="san-van-dong-test", is_key=True, start_year=2024, end_year=2027
    )
    factories.make_project_update(
        project=stadium,
        period=p[(2025, 3)],
        progress_percent=Decimal(45),
        allocated_capital=Decimal(80_000_000_000),
        disbursed_amount=Decimal(60_000_000_000),
        phase="construction",
    )
    school = factories.make_project(
        managing_unit=ward, name="Trường mầm non phường", code="truong-mam-non-test", start_year=2025, end_year=2025
    )
    factories.make_project_update(project=school, period=p[(2025, 3)], progress_percent=Decimal(100), phase="completed")
    city.projects = {"lake_road": lake_road, "stadium": stadium, "school": school}

    # Tasks ----------------------------------------------------------------------------
    t = city.tasks
    t["overdue"] = factories.make_task(lead_unit=ward, field=trade, code="NV-01", deadline=D(2024, 6, 30))
    factories.make_task_update(
        task=t["overdue"], period=p[(2025, 3)], status=TaskStatus.IN_PROGRESS, narrative="Đang chỉnh trang"
    )
    t["on_time"] = factories.make_task(
        lead_unit=department, supporting=[ward], field=digital, code="NV-02", deadline=D(2025, 12, 31)
    )
    factories.make_task_update(task=t["on_time"], period=p[(2025, 2)], status=TaskStatus.DONE, completed_on=D(2025, 5, 1))
    factories.make_task_update(
        task=t["on_time"], period=p[(2025, 2)], unit=ward, status=TaskStatus.DONE, narrative="Phường đã phối hợp"
    )
    t["late"] = factories.make_task(lead_unit=department, field=trade, code="NV-03", deadline=D(2024, 12, 31))
    factories.make_task_update(task=t["late"], period=p[(2025, 1)], status=TaskStatus.DONE_LATE, completed_on=D(2025, 2, 1))
    t["recurring"] = factories.make_task(lead_unit=ward, field=digital, code="NV-04", is_recurring=True)
    factories.make_task_update(task=t["recurring"], period=p[(2025, 3)], status=TaskStatus.RECURRING)
    t["within"] = factories.make_task(lead_unit=other_ward, field=trade, code="NV-05", deadline=D(2026, 6, 30))
    factories.make_task_update(task=t["within"], period=p[(2025, 3)], status=TaskStatus.IN_PROGRESS)
    t["no_deadline"] = factories.make_task(lead_unit=department, field=digital, code="NV-06")

    # Reports: 2023–Q2/2025 approved; Q3/2025 in review -------------------------------
    for key in [(2023, 4), (2024, 1), (2024, 2), (2024, 3), (2024, 4), (2025, 1), (2025, 2)]:
        for unit in (ward, department, other_ward):
            _approve(unit, p[key])
    late_day = datetime.datetime(2025, 6, 28, 9, tzinfo=datetime.UTC)  # due 20/06/2025
    _approve(other_ward, p[(2025, 2)], submitted_at=late_day)
    _approve(department, p[(2025, 3)])
    factories.set_report_status(
        ward, p[(2025, 3)], ReportStatus.SUBMITTED, submitted_at=datetime.datetime(2025, 9, 19, 9, tzinfo=datetime.UTC)
    )
    return city


@pytest.fixture
def city(ward, other_ward, department):
    return build_city(ward, other_ward, department)


def grow(city: City, n: int):
    """Add `n` more units, each with a task, a project and an indicator with figures, and
    reports: more data of every kind a page reads."""
    p = city.periods
    for i in range(n):
        unit = factories.make_unit(name=f"Đơn vị thêm {i}", kind=UnitKind.DEPARTMENT)
        task = factories.make_task(lead_unit=unit, supporting=[city.ward], field=city.fields["trade"], deadline=D(2025, 3, 31))
        factories.make_task_update(task=task, period=p[(2025, 3)], status=TaskStatus.IN_PROGRESS)
        project = factories.make_project(managing_unit=unit, is_key=bool(i % 2), start_year=2024, end_year=2026)
        factories.make_project_update(project=project, period=p[(2025, 3)], progress_percent=Decimal(30 + i))
        indicator = factories.make_indicator(responsible_unit=unit, field=city.fields["digital"])
        _targets(indicator, {2025: "100", 2030: "200"})
        for key in [(2024, 3), (2024, 4), (2025, 3)]:
            factories.make_indicator_value(indicator=indicator, period=p[key], value=str(80 + i))
        for key in [(2025, 1), (2025, 2), (2025, 3)]:
            _approve(unit, p[key])
