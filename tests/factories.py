"""The one way tests build data: small functions with sensible defaults, named for the
thing they make. Personas (a ward officer, a department officer, a leader, the
secretariat) are built from these in conftest.py."""

import itertools
from decimal import Decimal

from accounts.models import Role, User
from indicators.models import Indicator, IndicatorValue
from periods.models import ReportingPeriod, ReportStatus, UnitReport
from projects.models import Project, ProjectCategory, ProjectUpdate
from resolutions.models import ActionProgramme, Field, Resolution, Task, TaskStatus, TaskUpdate
from units.models import OrganisationUnit, UnitKind

_counter = itertools.count(1)

PASSWORD = "mat-khau-thu-nghiem-2026"


def _n() -> int:
    return next(_counter)


def make_unit(*, name=None, kind=UnitKind.WARD, **extra) -> OrganisationUnit:
    n = _n()
    return OrganisationUnit.objects.create(code=extra.pop("code", f"unit-{n}"), name=name or f"Đơn vị {n}", kind=kind, **extra)


def make_user(*, role=Role.OFFICER, unit=None, username=None, **extra) -> User:
    n = _n()
    user = User(
        username=username or f"user{n}", role=role, unit=unit, last_name=extra.pop("last_name", f"Người dùng {n}"), **extra
    )
    user.set_password(PASSWORD)
    user.save()
    return user


def make_period(year=2024, quarter=3) -> ReportingPeriod:
    return ReportingPeriod.ensure(year, quarter)


def make_resolution() -> Resolution:
    resolution, _ = Resolution.objects.get_or_create(
        number="99-NQ/TU",
        defaults={
            "title": "Nghị quyết thử",
            "issuer": "Ban Thường vụ",
            "issued_on": "2022-10-25",
            "horizon_year": 2030,
            "vision_year": 2045,
        },
    )
    return resolution


def make_programme() -> ActionProgramme:
    programme, _ = ActionProgramme.objects.get_or_create(
        number="99-CTr/TU",
        defaults={"title": "Chương trình thử", "issuer": "BCH", "issued_on": "2023-04-10", "resolution": make_resolution()},
    )
    return programme


def make_field(name=None) -> Field:
    n = _n()
    return Field.objects.create(code=f"field-{n}", name=name or f"Lĩnh vực {n}", sort_order=n)


def make_task(*, lead_unit, supporting=(), field=None, **extra) -> Task:
    n = _n()
    task = Task.objects.create(
        programme=make_programme(),
        code=extra.pop("code", f"T-{n}"),
        field=field or make_field(),
        content=extra.pop("content", f"Nhiệm vụ thử {n}"),
        lead_unit=lead_unit,
        **extra,
    )
    task.supporting_units.set(supporting)
    return task


def make_project(*, managing_unit, **extra) -> Project:
    n = _n()
    return Project.objects.create(
        code=extra.pop("code", f"du-an-{n}"),
        name=extra.pop("name", f"Dự án thử {n}"),
        category=extra.pop("category", ProjectCategory.TRANSPORT),
        managing_unit=managing_unit,
        **extra,
    )


def make_indicator(*, responsible_unit, field=None, **extra) -> Indicator:
    n = _n()
    return Indicator.objects.create(
        code=extra.pop("code", f"chi-tieu-{n}"),
        name=extra.pop("name", f"Chỉ tiêu thử {n}"),
        unit_of_measure=extra.pop("unit_of_measure", "hộ"),
        responsible_unit=responsible_unit,
        field=field or make_field(),
        **extra,
    )


def make_indicator_value(*, indicator, period, value="100", actor=None, **extra) -> IndicatorValue:
    figure = IndicatorValue(indicator=indicator, period=period, unit=indicator.responsible_unit, value=Decimal(value), **extra)
    figure.save(actor=actor)
    return figure


def make_project_update(*, project, period, actor=None, **extra) -> ProjectUpdate:
    figure = ProjectUpdate(project=project, period=period, unit=project.managing_unit, **extra)
    figure.save(actor=actor)
    return figure


def make_task_update(*, task, period, unit=None, status=TaskStatus.IN_PROGRESS, actor=None, **extra) -> TaskUpdate:
    figure = TaskUpdate(task=task, period=period, unit=unit or task.lead_unit, status=status, **extra)
    figure.save(actor=actor)
    return figure


def set_report_status(unit, period, status, **extra) -> UnitReport:
    from django.utils import timezone

    now = timezone.now()
    defaults = {"status": status, **extra}
    if status != ReportStatus.DRAFT:
        defaults.setdefault("submitted_at", now)
    if status in (ReportStatus.APPROVED, ReportStatus.RETURNED):
        defaults.setdefault("reviewed_at", now)
    if status == ReportStatus.RETURNED:
        defaults.setdefault("return_reason", "Thiếu số liệu")
    report, _ = UnitReport.objects.update_or_create(unit=unit, period=period, defaults=defaults)
    return report
