"""A city-scale synthetic year for the benchmark — never real data.

Built inside a transaction that the caller rolls back (see the `benchmark_annual_review`
command), so nothing of it stays in the database. Every figure is written through
`ReportedFigure.save()`, as real figures are, so the history tables grow as they would;
then the units' reports are approved, except a couple left pending so that the report's
"not yet approved" path is exercised too. Names say "(đo hiệu năng)".
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from indicators.models import Direction, Indicator, IndicatorTarget, IndicatorValue, ValueKind, ValueType
from periods.models import ChangeSource, ReportingPeriod, ReportStatus, UnitReport
from projects.models import Phase, Project, ProjectCategory, ProjectUpdate
from resolutions.models import ActionProgramme, Field, Resolution, Task, TaskStatus, TaskUpdate
from units.models import OrganisationUnit, UnitKind

MARK = "(đo hiệu năng)"
SOURCE = "Số liệu tổng hợp giả lập để đo hiệu năng (không phải số liệu thật)"
PENDING_UNITS = 2


@dataclass(frozen=True)
class Scale:
    """Roughly a city: two dozen departments and boards, eight wards and communes, a few
    hundred tasks, a hundred-odd projects, around a hundred indicators."""

    units: int = 32
    tasks: int = 300
    projects: int = 120
    indicators: int = 90


def _fields() -> list[Field]:
    fields = list(Field.objects.order_by("sort_order"))
    if fields:
        return fields
    names = ["Lãnh đạo, chỉ đạo", "Đầu tư", "Thương mại", "Công nghiệp", "Nông nghiệp", "Văn hóa – xã hội"]
    return [Field.objects.create(code=f"bench-field-{n}", name=f"{name} {MARK}", sort_order=n) for n, name in enumerate(names)]


def _programme() -> ActionProgramme:
    programme = ActionProgramme.objects.order_by("issued_on").first()
    if programme:
        return programme
    resolution = Resolution.objects.create(
        number="BENCH-NQ/TU",
        title=f"Nghị quyết giả lập {MARK}",
        issuer="Ban Thường vụ",
        issued_on=datetime.date(2010, 1, 1),
        horizon_year=2030,
        vision_year=2045,
    )
    return ActionProgramme.objects.create(
        number="BENCH-CTr/TU",
        title=f"Chương trình giả lập {MARK}",
        issuer="BCH",
        issued_on=datetime.date(2010, 2, 1),
        resolution=resolution,
    )


def build_synthetic_year(year: int, scale: Scale = Scale(), *, seed: int = 29) -> dict:
    """Catalogue and four quarters of figures for `year` (plus the fourth quarter of the
    year before, for the comparisons). Returns how many rows of each kind it wrote."""
    rng = random.Random(seed)
    periods = [ReportingPeriod.ensure(year, quarter) for quarter in (1, 2, 3, 4)]
    previous_q4 = ReportingPeriod.ensure(year - 1, 4)
    fields = _fields()
    programme = _programme()

    units = OrganisationUnit.objects.bulk_create(
        OrganisationUnit(
            code=f"bench-unit-{n}",
            name=f"{'Phường' if n % 4 == 0 else 'Phòng'} thử nghiệm số {n:02d} {MARK}",
            kind=UnitKind.WARD if n % 4 == 0 else UnitKind.DEPARTMENT,
            sort_order=1000 + n,
        )
        for n in range(1, scale.units + 1)
    )

    tasks = Task.objects.bulk_create(
        Task(
            programme=programme,
            code=f"BENCH-{n:03d}",
            field=fields[n % len(fields)],
            content=(
                f"Nhiệm vụ giả lập số {n} {MARK}: triển khai các giải pháp phát triển kinh tế – xã hội, "
                "nâng cao chất lượng dịch vụ công và cải thiện môi trường đầu tư trên địa bàn."
            ),
            lead_unit=units[n % len(units)],
            is_recurring=n % 5 == 0,
            deadline=None if n % 5 == 0 else datetime.date(year + rng.choice((-1, 0, 0, 1, 2)), rng.randint(1, 12), 28),
            sort_order=n,
        )
        for n in range(1, scale.tasks + 1)
    )
    Task.supporting_units.through.objects.bulk_create(
        Task.supporting_units.through(task_id=task.pk, organisationunit_id=units[(i + 7) % len(units)].pk)
        for i, task in enumerate(tasks)
    )

    categories = list(ProjectCategory.values)
    projects = Project.objects.bulk_create(
        Project(
            code=f"bench-project-{n}",
            name=f"Dự án giả lập số {n} {MARK}",
            category=categories[n % len(categories)],
            is_key=n <= 6,
            managing_unit=units[n % len(units)],
            total_investment=Decimal(rng.randint(5, 500)) * 1_000_000_000,
            start_year=year - 1,
            end_year=year + 2,
            sort_order=n,
        )
        for n in range(1, scale.projects + 1)
    )

    indicators = Indicator.objects.bulk_create(
        Indicator(
            code=f"bench-indicator-{n}",
            name=f"Chỉ tiêu giả lập số {n} {MARK}",
            unit_of_measure="%" if n % 6 == 0 else rng.choice(["hộ", "hồ sơ", "công trình", "người"]),
            value_type=ValueType.RATIO if n % 6 == 0 else ValueType.NUMBER,
            decimal_places=2 if n % 6 == 0 else 0,
            direction=Direction.LOWER_IS_BETTER if n % 11 == 0 else Direction.HIGHER_IS_BETTER,
            responsible_unit=units[n % len(units)],
            field=fields[n % len(fields)],
            sort_order=n,
        )
        for n in range(1, scale.indicators + 1)
    )

    written = {"task_updates": 0, "project_updates": 0, "indicator_values": 0}
    statuses = [TaskStatus.IN_PROGRESS, TaskStatus.DONE, TaskStatus.DONE_LATE, TaskStatus.NOT_STARTED]
    for task in tasks:
        for period in periods:
            status = TaskStatus.RECURRING if task.is_recurring else rng.choice(statuses)
            completed = period.end_date - datetime.timedelta(days=rng.randint(0, 80)) if status in ("done", "done_late") else None
            TaskUpdate(
                task=task,
                period=period,
                unit=task.lead_unit,
                status=status,
                completed_on=completed,
                narrative=f"Kết quả giả lập {period.label}: đã triển khai các nội dung theo kế hoạch {MARK}.",
            ).save(source=ChangeSource.SEED)
            written["task_updates"] += 1
    for project in projects:
        allocated = project.total_investment * Decimal("0.4")
        for quarter, period in enumerate(periods, start=1):
            ProjectUpdate(
                project=project,
                period=period,
                unit=project.managing_unit,
                progress_percent=Decimal(min(100, quarter * rng.randint(5, 25))),
                allocated_capital=allocated,
                disbursed_amount=(allocated * quarter * rng.randint(10, 24) / 100).quantize(Decimal(1)),
                phase=rng.choice(Phase.values),
                obstacles="Vướng mắc giải phóng mặt bằng (giả lập)." if project.pk % 9 == 0 and quarter == 4 else "",
            ).save(source=ChangeSource.SEED)
            written["project_updates"] += 1
    for indicator in indicators:
        base = Decimal(rng.randint(100, 5000)) if not indicator.is_ratio else Decimal(rng.randint(40, 90))
        IndicatorTarget.objects.create(indicator=indicator, year=year, value=base * Decimal("1.05"), source=SOURCE)
        for period in [previous_q4, *periods]:
            value = base * Decimal(rng.randint(85, 115)) / 100 if period is not previous_q4 else base * Decimal("0.95")
            IndicatorValue(
                indicator=indicator,
                period=period,
                unit=indicator.responsible_unit,
                value=value.quantize(Decimal("0.01")),
                kind=ValueKind.OFFICIAL,
                source=SOURCE,
            ).save(source=ChangeSource.SEED)
            written["indicator_values"] += 1

    now = timezone.now()
    reports = []
    for period in [previous_q4, *periods]:
        for index, unit in enumerate(units):
            pending = period is periods[-1] and index < PENDING_UNITS
            reports.append(
                UnitReport(
                    unit=unit,
                    period=period,
                    status=ReportStatus.SUBMITTED if pending else ReportStatus.APPROVED,
                    submitted_at=now,
                    reviewed_at=None if pending else now,
                )
            )
    # The figure gate already opened each unit's report as a draft: settle their states.
    UnitReport.objects.bulk_create(
        reports, update_conflicts=True, unique_fields=["unit", "period"], update_fields=["status", "submitted_at", "reviewed_at"]
    )
    return {"units": len(units), "tasks": len(tasks), "projects": len(projects), "indicators": len(indicators), **written}
