"""A city-scale SYNTHETIC data set for measuring the dashboards — never real figures.

`build(scale)` writes, into the configured database, ≈40 units, 600 tasks, 300
projects and 200 indicators with twelve years of quarterly figures, unit reports and
their history. Everything it creates is coded "th-…" / named "… (tổng hợp)" and hangs
off the resolution MARKER_RESOLUTION, so that it can be recognised and never mistaken
for real data.

Speed matters here (≈70 000 figures), so figures are written with `bulk_create`. That
bypasses `ReportedFigure.save()`, which is safe only because this module does by hand
what the gate would do: the units' reports are created after their figures (so no
figure is written into a locked period), every figure starts at version 1, and each
one gets the FigureChange rows its first `save()` would have written.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from indicators.models import Direction, Indicator, IndicatorTarget, IndicatorValue, ValueKind, ValueType
from periods.models import ChangeSource, FigureChange, ReportingPeriod, ReportStatus, UnitReport, canonical
from projects.models import Phase, Project, ProjectCategory, ProjectStatus, ProjectUpdate
from resolutions.models import ActionProgramme, Field, Resolution, Task, TaskStatus, TaskUpdate
from units.models import OrganisationUnit, UnitKind

MARKER_RESOLUTION = "TH-29-NQ/TU"
LEADER_USERNAME = "th.lanhdao"
BATCH = 2000


@dataclass(frozen=True)
class Scale:
    units: int = 40
    tasks: int = 600
    projects: int = 300
    indicators: int = 200
    years: int = 12
    key_projects: int = 30


CITY = Scale()
#: for tests and a quick look: the same shapes, a few rows of each
SMALL = Scale(units=6, tasks=24, projects=10, indicators=12, years=3, key_projects=3)
SCALES = {"city": CITY, "small": SMALL}

FIELD_NAMES = [
    "Thương mại – dịch vụ – du lịch",
    "Công nghiệp – tiểu thủ công nghiệp",
    "Hạ tầng đô thị",
    "Nông lâm nghiệp",
    "Văn hóa – xã hội",
    "Quốc phòng – an ninh",
    "Xây dựng hệ thống chính trị",
    "Chuyển đổi số – cải cách hành chính",
    "Tuyên truyền",
]
UNIT_KINDS = [
    (UnitKind.DEPARTMENT, "Phòng chuyên môn"),
    (UnitKind.WARD, "Phường"),
    (UnitKind.PARTY_BOARD, "Ban Thành ủy"),
    (UnitKind.MASS_ORGANISATION, "Đoàn thể"),
    (UnitKind.COMMUNE, "Xã"),
]


def synthetic_data_present() -> bool:
    return Resolution.objects.filter(number=MARKER_RESOLUTION).exists()


def foreign_data_present() -> dict:
    """What the database holds that this module did not create: {label: count}."""
    found = {
        "đơn vị": OrganisationUnit.objects.exclude(code__startswith="th-").count(),
        "nhiệm vụ": Task.objects.exclude(programme__resolution__number=MARKER_RESOLUTION).count(),
        "dự án": Project.objects.exclude(code__startswith="th-").count(),
        "chỉ tiêu": Indicator.objects.exclude(code__startswith="th-").count(),
        "người dùng": User.objects.exclude(username__startswith="th.").count(),
    }
    return {label: count for label, count in found.items() if count}


def _quarter_of(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


@transaction.atomic
def build(scale: Scale = CITY, *, today: datetime.date | None = None, seed: int = 29) -> dict:
    """Create the synthetic set; returns how many rows of each kind were written."""
    today = today or timezone.localdate()
    rng = random.Random(seed)
    now = timezone.now()
    first_year = today.year - scale.years + 1
    current = _quarter_of(today)
    periods = [
        ReportingPeriod.ensure(year, quarter)
        for year in range(first_year, today.year + 1)
        for quarter in range(1, 5)
        if (year, quarter) <= current
    ]
    reported = [p for p in periods if (p.year, p.quarter) < current]  # the running quarter has no figures yet

    resolution = Resolution.objects.create(
        number=MARKER_RESOLUTION,
        title="Nghị quyết tổng hợp để đo tốc độ bảng điều hành (dữ liệu tổng hợp, không phải số liệu thật)",
        issuer="Dữ liệu tổng hợp",
        issued_on=datetime.date(first_year, 1, 1),
        horizon_year=2030,
        vision_year=2045,
    )
    programme = ActionProgramme.objects.create(
        number="TH-11-CTr/TU",
        title="Chương trình hành động tổng hợp (dữ liệu tổng hợp)",
        issuer="Dữ liệu tổng hợp",
        issued_on=datetime.date(first_year, 1, 1),
        resolution=resolution,
    )
    fields = Field.objects.bulk_create(
        Field(code=f"th-linh-vuc-{n:02}", name=f"{name} (tổng hợp)", sort_order=900 + n)
        for n, name in enumerate(FIELD_NAMES, start=1)
    )
    units = OrganisationUnit.objects.bulk_create(
        OrganisationUnit(
            code=f"th-don-vi-{n:02}",
            name=f"{UNIT_KINDS[n % len(UNIT_KINDS)][1]} tổng hợp {n:02}",
            short_name=f"ĐV tổng hợp {n:02}",
            kind=UNIT_KINDS[n % len(UNIT_KINDS)][0],
            sort_order=900 + n,
        )
        for n in range(1, scale.units + 1)
    )
    leader = User(username=LEADER_USERNAME, role=Role.LEADER, last_name="Lãnh đạo (tổng hợp)")
    leader.set_unusable_password()
    leader.save()

    tasks, task_updates = _tasks(rng, scale, programme, fields, units, periods, reported, first_year)
    projects, project_updates = _projects(rng, scale, units, fields, tasks, reported, first_year)
    indicators, targets, values = _indicators(rng, scale, resolution, fields, units, reported, first_year)

    for model, rows in ((TaskUpdate, task_updates), (ProjectUpdate, project_updates), (IndicatorValue, values)):
        for row in rows:
            row.version = 1
            row.updated_at = now
        model.objects.bulk_create(rows, batch_size=BATCH)
        _history(model, rows, now)
    reports = _reports(rng, reported, task_updates, project_updates, values, now)
    return {
        "kỳ báo cáo": len(periods),
        "đơn vị": len(units),
        "nhiệm vụ": len(tasks),
        "dự án": len(projects),
        "chỉ tiêu": len(indicators),
        "kế hoạch chỉ tiêu": targets,
        "cập nhật nhiệm vụ": len(task_updates),
        "cập nhật dự án": len(project_updates),
        "giá trị chỉ tiêu": len(values),
        "báo cáo đơn vị": reports,
        "lịch sử số liệu": FigureChange.objects.filter(unit__code__startswith="th-").count(),
    }


def _quarters_between(reported, start: datetime.date, end: datetime.date | None = None):
    first = _quarter_of(start)
    last = _quarter_of(end) if end else (9999, 4)
    return [p for p in reported if first <= (p.year, p.quarter) <= last]


def _tasks(rng, scale, programme, fields, units, periods, reported, first_year):
    tasks = []
    last_day = periods[-1].end_date
    for n in range(1, scale.tasks + 1):
        start = datetime.date(rng.randint(first_year, last_day.year), rng.choice([1, 4, 7, 10]), 1)
        recurring = rng.random() < 0.15
        deadline = None
        if not recurring and rng.random() > 0.05:
            deadline = datetime.date(start.year + rng.randint(0, 3), rng.choice([3, 6, 9, 12]), 28)
            deadline = max(deadline, start)
        tasks.append(
            Task(
                programme=programme,
                code=f"TH-{n:03}",
                field=rng.choice(fields),
                content=f"Nhiệm vụ tổng hợp số {n}: triển khai giải pháp phát triển kinh tế – xã hội (dữ liệu tổng hợp)",
                lead_unit=rng.choice(units),
                start_date=start,
                deadline=deadline,
                is_recurring=recurring,
                source="Dữ liệu tổng hợp",
                sort_order=n,
            )
        )
    Task.objects.bulk_create(tasks, batch_size=BATCH)
    links, updates = [], []
    through = Task.supporting_units.through
    for task in tasks:
        supporting = rng.sample([u for u in units if u.pk != task.lead_unit_id], rng.randint(0, 3))
        links += [through(task_id=task.pk, organisationunit_id=unit.pk) for unit in supporting]
        # When the lead unit finishes: around the deadline, sometimes late, sometimes never.
        finish = None
        if task.deadline and rng.random() < 0.7:
            finish = task.deadline + datetime.timedelta(days=rng.randint(-300, 200))
            finish = max(finish, task.start_date)
        for period in _quarters_between(reported, task.start_date):
            done = finish is not None and finish <= period.end_date
            for unit in [task.lead_unit, *supporting]:
                if task.is_recurring:
                    status, completed = TaskStatus.RECURRING, None
                elif done:
                    late = task.deadline is not None and finish > task.deadline
                    status, completed = (TaskStatus.DONE_LATE if late else TaskStatus.DONE), finish
                else:
                    started = period.start_date > task.start_date
                    status, completed = (TaskStatus.IN_PROGRESS if started else TaskStatus.NOT_STARTED), None
                updates.append(
                    TaskUpdate(
                        task=task,
                        period=period,
                        unit=unit,
                        status=status,
                        completed_on=completed,
                        narrative=f"{unit.short_name}: kết quả {period.label} (dữ liệu tổng hợp).",
                    )
                )
            if done:
                break  # a finished task is reported once more as done, then no longer
    through.objects.bulk_create(links, batch_size=BATCH)
    return tasks, updates


def _projects(rng, scale, units, fields, tasks, reported, first_year):
    projects = []
    categories = [c for c in ProjectCategory.values if c != ProjectCategory.KEY_PROJECT]
    last_year = reported[-1].year if reported else first_year
    for n in range(1, scale.projects + 1):
        start = rng.randint(first_year, last_year)
        is_key = n <= scale.key_projects
        projects.append(
            Project(
                code=f"th-du-an-{n:03}",
                name=f"Dự án tổng hợp {n:03} (dữ liệu tổng hợp)",
                category=ProjectCategory.KEY_PROJECT if is_key else rng.choice(categories),
                is_key=is_key,
                investor="Ban quản lý dự án (tổng hợp)",
                managing_unit=rng.choice(units),
                locality=rng.choice(units),
                total_investment=Decimal(rng.randint(5, 500)) * 1_000_000_000,
                start_year=start,
                end_year=start + rng.randint(1, 5),
                phase=Phase.PREPARATION,
                status=ProjectStatus.ONGOING,
                source="Dữ liệu tổng hợp",
                sort_order=n,
            )
        )
    Project.objects.bulk_create(projects, batch_size=BATCH)
    through = Project.tasks.through
    links = [through(project_id=p.pk, task_id=rng.choice(tasks).pk) for p in projects for _ in range(rng.randint(0, 2))]
    through.objects.bulk_create({(link.project_id, link.task_id): link for link in links}.values(), batch_size=BATCH)

    updates = []
    for project in projects:
        quarters = _quarters_between(reported, datetime.date(project.start_year, 1, 1))
        span = max(1, (project.end_year - project.start_year + 1) * 4)
        pace = rng.uniform(0.6, 1.3)  # below 1: the project falls behind
        progress = Decimal(0)
        for index, period in enumerate(quarters):
            planned = min(100, 100 * (index + 1) / span)
            progress = min(Decimal(100), max(progress, Decimal(planned * pace).quantize(Decimal("0.01"))))
            allocated = (project.total_investment * min(Decimal(1), Decimal(index + 2) / span)).quantize(Decimal(1))
            updates.append(
                ProjectUpdate(
                    project=project,
                    period=period,
                    unit=project.managing_unit,
                    progress_percent=progress,
                    allocated_capital=allocated,
                    disbursed_amount=(allocated * Decimal(rng.randint(40, 98)) / 100).quantize(Decimal(1)),
                    phase=Phase.COMPLETED if progress >= 100 else (Phase.CONSTRUCTION if progress > 25 else Phase.SITE_CLEARANCE),
                    narrative=f"Tiến độ {period.label} (dữ liệu tổng hợp).",
                    obstacles="Vướng mắc giải phóng mặt bằng (tổng hợp)." if rng.random() < 0.25 else "",
                    recommendations="Đề nghị bổ sung vốn (tổng hợp)." if rng.random() < 0.15 else "",
                )
            )
            if progress >= 100:
                break
    return projects, updates


def _indicators(rng, scale, resolution, fields, units, reported, first_year):
    indicators = []
    for n in range(1, scale.indicators + 1):
        ratio = n % 5 == 0
        lower = n % 10 == 3
        indicators.append(
            Indicator(
                code=f"th-chi-tieu-{n:03}",
                name=f"Chỉ tiêu tổng hợp {n:03} (dữ liệu tổng hợp)",
                unit_of_measure="%" if ratio else rng.choice(["hộ", "tỷ đồng", "sản phẩm", "hồ sơ", "công trình"]),
                direction=Direction.LOWER_IS_BETTER if lower else Direction.HIGHER_IS_BETTER,
                value_type=ValueType.RATIO if ratio else ValueType.NUMBER,
                numerator_label="Tử số (tổng hợp)" if ratio else "",
                denominator_label="Mẫu số (tổng hợp)" if ratio else "",
                decimal_places=2 if ratio else rng.choice([0, 1]),
                baseline_year=first_year - 1,
                baseline_value=Decimal(rng.randint(20, 60) if ratio else rng.randint(100, 5000)),
                responsible_unit=rng.choice(units),
                field=rng.choice(fields),
                resolution=resolution,
                sort_order=n,
            )
        )
    Indicator.objects.bulk_create(indicators, batch_size=BATCH)

    targets, values = [], []
    last_year = reported[-1].year if reported else first_year
    for indicator in indicators:
        growth = rng.uniform(-0.02, 0.08) * (-1 if indicator.lower_is_better else 1)
        planned = rng.uniform(0.02, 0.07) * (-1 if indicator.lower_is_better else 1)
        base = float(indicator.baseline_value)
        years = sorted({*range(first_year, last_year + 1), 2025, 2030})
        targets += [
            IndicatorTarget(
                indicator=indicator,
                year=year,
                value=Decimal(base * (1 + planned) ** (year - first_year + 1)).quantize(Decimal("0.01")),
                source="Kế hoạch tổng hợp",
            )
            for year in years
        ]
        for period in reported:
            annual = base * (1 + growth) ** (period.year - first_year + 1) * rng.uniform(0.97, 1.03)
            # Ratios are as at the quarter's end; other figures build up through the year.
            value = annual if indicator.is_ratio else annual * period.quarter / 4
            value = Decimal(min(value, 100) if indicator.is_ratio else value).quantize(Decimal("0.01"))
            values.append(
                IndicatorValue(
                    indicator=indicator,
                    period=period,
                    unit=indicator.responsible_unit,
                    value=value,
                    kind=ValueKind.OFFICIAL if period.quarter == 4 else ValueKind.ESTIMATE,
                    source="Dữ liệu tổng hợp",
                )
            )
    IndicatorTarget.objects.bulk_create(targets, batch_size=BATCH)
    return indicators, len(targets), values


def _history(model, rows, now):
    """The FigureChange rows each figure's first save() would have written."""
    content_type = ContentType.objects.get_for_model(model)
    changes = []
    for row in rows:
        for name in model.TRACKED_FIELDS:
            value = canonical(getattr(row, name))
            if value is None:
                continue
            changes.append(
                FigureChange(
                    content_type=content_type,
                    object_id=row.pk,
                    unit_id=row.unit_id,
                    period_id=row.period_id,
                    field=name,
                    old_value=None,
                    new_value=value,
                    version=1,
                    changed_at=now,
                    source=ChangeSource.SEED,
                )
            )
    FigureChange.objects.bulk_create(changes, batch_size=BATCH)


def _reports(rng, reported, task_updates, project_updates, values, now) -> int:
    """Every unit that reported approved, except in the last quarter, which is in review."""
    pairs = {(row.unit_id, row.period_id) for rows in (task_updates, project_updates, values) for row in rows}
    reviewing = reported[-1].pk if reported else None
    due = {period.pk: period.due_date for period in reported}
    reports = []
    for unit_id, period_id in sorted(pairs):
        status = ReportStatus.APPROVED
        if period_id == reviewing:
            status = rng.choice(
                [ReportStatus.APPROVED, ReportStatus.SUBMITTED, ReportStatus.SUBMITTED, ReportStatus.RETURNED, ReportStatus.DRAFT]
            )
        submitted = datetime.datetime.combine(due[period_id] + datetime.timedelta(days=rng.randint(-6, 4)), datetime.time(9))
        submitted = timezone.make_aware(submitted)
        reports.append(
            UnitReport(
                unit_id=unit_id,
                period_id=period_id,
                status=status,
                submitted_at=submitted if status != ReportStatus.DRAFT else None,
                reviewed_at=now if status in (ReportStatus.APPROVED, ReportStatus.RETURNED) else None,
                return_reason="Đề nghị bổ sung số liệu (tổng hợp)." if status == ReportStatus.RETURNED else "",
            )
        )
    UnitReport.objects.bulk_create(reports, batch_size=BATCH)
    return len(reports)
