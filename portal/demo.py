"""The demo / synthetic data set: ILLUSTRATIVE ONLY, never real figures.

The article gives no targets, no departments, no Steering Committee members and no
quarterly figures beyond 2023. To let people try the portal, this module adds such data,
each piece labelled: units and people carry "(minh họa)" where they could be mistaken
for real ones, tasks and projects are coded "MH-"/"mh-", targets and values name
"Số liệu minh họa" as their source. The real data (`portal.seed`) is never modified.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from indicators.models import Direction, Indicator, IndicatorTarget, IndicatorValue, ValueKind, ValueType
from periods.models import ChangeSource, ReportingPeriod, ReportStatus, UnitReport, UnitReportEvent
from projects.models import Phase, Project, ProjectCategory, ProjectStatus, ProjectUpdate
from resolutions.models import (
    ActionProgramme,
    Field,
    MemberRole,
    SteeringCommittee,
    SteeringCommitteeMember,
    Task,
    TaskStatus,
    TaskUpdate,
)
from units.models import OrganisationUnit, UnitKind

DEMO_SOURCE = "Số liệu minh họa (dữ liệu thử nghiệm, không phải số liệu thật)"
DEMO_TARGET_SOURCE = "Chỉ tiêu minh họa (không có trong nguồn)"
DEMO_PASSWORD = "BacKan-minhhoa-2026"
MARKER_UNIT = "phong-kinh-te"

DEMO_UNITS = [
    # code, name, short name, kind, parent code
    ("phong-kinh-te", "Phòng Kinh tế thành phố (minh họa)", "Phòng Kinh tế", UnitKind.DEPARTMENT, "ubnd-thanh-pho"),
    (
        "phong-tai-chinh-ke-hoach",
        "Phòng Tài chính – Kế hoạch thành phố (minh họa)",
        "Phòng TC-KH",
        UnitKind.DEPARTMENT,
        "ubnd-thanh-pho",
    ),
    ("phong-quan-ly-do-thi", "Phòng Quản lý đô thị thành phố (minh họa)", "Phòng QLĐT", UnitKind.DEPARTMENT, "ubnd-thanh-pho"),
    (
        "phong-van-hoa-thong-tin",
        "Phòng Văn hóa và Thông tin thành phố (minh họa)",
        "Phòng VH-TT",
        UnitKind.DEPARTMENT,
        "ubnd-thanh-pho",
    ),
    ("ban-qlda", "Ban Quản lý dự án đầu tư xây dựng thành phố (minh họa)", "Ban QLDA", UnitKind.DEPARTMENT, "ubnd-thanh-pho"),
    ("van-phong-thanh-uy", "Văn phòng Thành ủy (minh họa)", "Văn phòng Thành ủy", UnitKind.PARTY_BOARD, "thanh-uy"),
    ("ban-tuyen-giao", "Ban Tuyên giáo Thành ủy (minh họa)", "Ban Tuyên giáo", UnitKind.PARTY_BOARD, "thanh-uy"),
    ("ban-to-chuc", "Ban Tổ chức Thành ủy (minh họa)", "Ban Tổ chức", UnitKind.PARTY_BOARD, "thanh-uy"),
    ("thanh-doan", "Thành đoàn Bắc Kạn (minh họa)", "Thành đoàn", UnitKind.MASS_ORGANISATION, "mttq"),
    ("hoi-lien-hiep-phu-nu", "Hội Liên hiệp Phụ nữ thành phố (minh họa)", "Hội LHPN", UnitKind.MASS_ORGANISATION, "mttq"),
    ("hoi-nong-dan", "Hội Nông dân thành phố (minh họa)", "Hội Nông dân", UnitKind.MASS_ORGANISATION, "mttq"),
]

DEMO_MEMBERS = [
    ("Nguyễn Văn An (minh họa)", "Bí thư Thành ủy", MemberRole.HEAD, "thanh-uy"),
    ("Trần Thị Bình (minh họa)", "Phó Bí thư Thường trực Thành ủy", MemberRole.DEPUTY, "thanh-uy"),
    ("Hoàng Văn Cường (minh họa)", "Chủ tịch UBND thành phố", MemberRole.DEPUTY, "ubnd-thanh-pho"),
    ("Lường Thị Dung (minh họa)", "Trưởng Ban Tuyên giáo Thành ủy", MemberRole.MEMBER, "ban-tuyen-giao"),
    ("Ma Văn Đức (minh họa)", "Trưởng Phòng Kinh tế", MemberRole.MEMBER, "phong-kinh-te"),
]

DEMO_TASKS = [
    # code, field code, lead, supporting, deadline, recurring, content, member index
    (
        "MH-01",
        "thuong-mai-dich-vu-du-lich",
        "phong-kinh-te",
        ["phuong-song-cau", "phuong-duc-xuan"],
        "2025-12-31",
        False,
        "Xây dựng đề án phát triển kinh tế đêm tại trung tâm thành phố",
        4,
    ),
    (
        "MH-02",
        "thuong-mai-dich-vu-du-lich",
        "phuong-song-cau",
        ["phong-kinh-te"],
        "2024-09-30",
        False,
        "Chỉnh trang các tuyến phố kinh doanh trên địa bàn phường",
        2,
    ),
    (
        "MH-03",
        "du-an-dau-tu",
        "ban-qlda",
        ["phuong-huyen-tung"],
        "2026-06-30",
        False,
        "Hoàn thành giải phóng mặt bằng các dự án khu dân cư phường Huyền Tụng",
        2,
    ),
    (
        "MH-04",
        "chuyen-doi-so-cai-cach-hanh-chinh",
        "phuong-song-cau",
        ["phong-van-hoa-thong-tin"],
        "2026-12-31",
        False,
        "Nhân rộng mô hình phường chuyển đổi số ra các tổ dân phố",
        1,
    ),
    (
        "MH-05",
        "chuyen-doi-so-cai-cach-hanh-chinh",
        "phong-van-hoa-thong-tin",
        ["phuong-duc-xuan", "phuong-huyen-tung"],
        "2025-06-30",
        False,
        "Triển khai tổ công nghệ số cộng đồng tại các phường, xã",
        1,
    ),
    (
        "MH-06",
        "nong-lam-nghiep",
        "phong-kinh-te",
        ["xa-duong-quang", "xa-nong-thuong", "hoi-nong-dan"],
        "2025-12-31",
        False,
        "Xây dựng vùng nguyên liệu cung cấp cho các hợp tác xã",
        4,
    ),
    (
        "MH-07",
        "van-hoa-xa-hoi",
        "phong-van-hoa-thong-tin",
        ["hoi-lien-hiep-phu-nu", "thanh-doan"],
        None,
        True,
        "Tổ chức các hoạt động văn hóa, thể thao dịp lễ, Tết",
        3,
    ),
    (
        "MH-08",
        "lanh-dao-tuyen-truyen",
        "ban-tuyen-giao",
        ["trung-tam-vhtt-tt"],
        None,
        True,
        "Theo dõi, định hướng dư luận xã hội về thực hiện Nghị quyết",
        3,
    ),
    (
        "MH-09",
        "he-thong-chinh-tri",
        "ban-to-chuc",
        [],
        "2024-12-31",
        False,
        "Sơ kết công tác cán bộ phục vụ thực hiện Nghị quyết",
        0,
    ),
    (
        "MH-10",
        "cong-nghiep",
        "phong-kinh-te",
        ["phuong-huyen-tung"],
        "2026-09-30",
        False,
        "Kêu gọi nhà đầu tư hạ tầng cụm công nghiệp Huyền Tụng",
        4,
    ),
    (
        "MH-11",
        "du-an-dau-tu",
        "phong-tai-chinh-ke-hoach",
        ["ban-qlda"],
        "2026-03-31",
        False,
        "Cân đối vốn đầu tư công trung hạn cho các dự án trọng điểm",
        2,
    ),
    ("MH-12", "quoc-phong-an-ninh", "phuong-duc-xuan", [], None, True, "Xây dựng tổ dân phố an toàn về an ninh trật tự", 1),
]

DEMO_PROJECTS = [
    # code, name, category, key, managing unit, locality, total (triệu đồng), start, end
    (
        "mh-duong-noi-thi",
        "Nâng cấp tuyến đường nội thị (minh họa)",
        ProjectCategory.TRANSPORT,
        False,
        "ban-qlda",
        "phuong-duc-xuan",
        85_000,
        2023,
        2025,
    ),
    (
        "mh-cong-vien",
        "Công viên cây xanh bờ sông Cầu (minh họa)",
        ProjectCategory.URBAN_INFRASTRUCTURE,
        False,
        "ban-qlda",
        "phuong-song-cau",
        60_000,
        2024,
        2026,
    ),
    (
        "mh-truong-mam-non",
        "Trường mầm non phường Huyền Tụng (minh họa)",
        ProjectCategory.SCHOOL,
        False,
        "phuong-huyen-tung",
        "phuong-huyen-tung",
        18_500,
        2024,
        2025,
    ),
    (
        "mh-cho-duong-quang",
        "Chợ xã Dương Quang (minh họa)",
        ProjectCategory.MARKET,
        False,
        "xa-duong-quang",
        "xa-duong-quang",
        9_800,
        2025,
        2026,
    ),
]

DEMO_INDICATORS = [
    # code, name, uom, direction, type, decimals, field, responsible, baseline, targets {year: value}
    (
        "mh-thu-ngan-sach",
        "Thu ngân sách nhà nước trên địa bàn (minh họa)",
        "tỷ đồng",
        Direction.HIGHER_IS_BETTER,
        ValueType.NUMBER,
        1,
        "du-an-dau-tu",
        "phong-tai-chinh-ke-hoach",
        (2022, "180"),
        {2024: "210", 2025: "230", 2026: "250", 2030: "350"},
    ),
    (
        "mh-ty-le-ho-ngheo",
        "Tỷ lệ hộ nghèo (minh họa)",
        "%",
        Direction.LOWER_IS_BETTER,
        ValueType.RATIO,
        2,
        "van-hoa-xa-hoi",
        "phong-kinh-te",
        (2022, "2.5"),
        {2024: "2", 2025: "1.5", 2026: "1.2", 2030: "0.5"},
    ),
    (
        "mh-san-pham-ocop",
        "Số sản phẩm OCOP đạt 3 sao trở lên (minh họa)",
        "sản phẩm",
        Direction.HIGHER_IS_BETTER,
        ValueType.NUMBER,
        0,
        "thuong-mai-dich-vu-du-lich",
        "phong-kinh-te",
        (2022, "10"),
        {2024: "14", 2025: "16", 2026: "18", 2030: "25"},
    ),
    (
        "mh-ho-so-truc-tuyen-song-cau",
        "Tỷ lệ hồ sơ trực tuyến tại phường Sông Cầu (minh họa)",
        "%",
        Direction.HIGHER_IS_BETTER,
        ValueType.RATIO,
        2,
        "chuyen-doi-so-cai-cach-hanh-chinh",
        "phuong-song-cau",
        (2023, "45"),
        {2024: "55", 2025: "65", 2026: "75", 2030: "90"},
    ),
]

# Illustrative plans for the article's own indicators (the article states no targets).
DEMO_TARGETS_FOR_REAL = {
    "ho-kinh-doanh": {2024: "4300", 2025: "4500", 2026: "4700", 2030: "5500"},
    "ho-so-truc-tuyen-toan-trinh": {2024: "3000", 2025: "3500", 2026: "4000", 2030: "6000"},
    "ty-le-dich-vu-cong-truc-tuyen": {2024: "70", 2025: "80", 2026: "85", 2030: "95"},
    "htx-kieu-moi-dien-hinh": {2024: "2", 2025: "3", 2026: "4", 2030: "6"},
}

DEMO_ACCOUNTS = [
    # username, full name, role, unit code, staff
    ("lanhdao", "Lãnh đạo Thành ủy (minh họa)", Role.LEADER, None, False),
    ("vanphong", "Chuyên viên Văn phòng Thành ủy (minh họa)", Role.SECRETARIAT, "van-phong-thanh-uy", True),
    ("canbo.songcau", "Cán bộ Phường Sông Cầu (minh họa)", Role.OFFICER, "phuong-song-cau", False),
    ("canbo.huyentung", "Cán bộ Phường Huyền Tụng (minh họa)", Role.OFFICER, "phuong-huyen-tung", False),
    ("canbo.ubnd", "Cán bộ Văn phòng UBND thành phố (minh họa)", Role.OFFICER, "ubnd-thanh-pho", False),
    ("canbo.kinhte", "Cán bộ Phòng Kinh tế (minh họa)", Role.OFFICER, "phong-kinh-te", False),
]


def demo_data_loaded() -> bool:
    return OrganisationUnit.objects.filter(code=MARKER_UNIT).exists()


@transaction.atomic
def load_demo_data(*, today=None) -> bool:
    """Add the demo data set (once). Quarters before the last one are approved; the last
    completed quarter is in review (some units submitted, one returned, one still in
    draft); the current quarter is left for officers to fill in."""
    if demo_data_loaded():
        return False
    today = today or timezone.localdate()
    rng = random.Random(29_2022)
    units = _demo_units()
    _demo_steering_members(units)
    tasks = _demo_tasks(units)
    projects = _demo_projects(units)
    indicators = _demo_indicators(units)
    periods = _demo_periods(today)
    _demo_figures(rng, periods, tasks, projects, indicators)
    _demo_workflow(periods)
    return True


def _demo_units():
    by_code = {unit.code: unit for unit in OrganisationUnit.objects.all()}
    for order, (code, name, short, kind, parent) in enumerate(DEMO_UNITS, start=50):
        by_code[code] = OrganisationUnit.objects.create(
            code=code, name=name, short_name=short, kind=kind, parent=by_code[parent], sort_order=order
        )
    # A unit merged away, to show that a retired unit keeps its history.
    by_code["phong-kinh-te-ha-tang"] = OrganisationUnit.objects.create(
        code="phong-kinh-te-ha-tang",
        name="Phòng Kinh tế và Hạ tầng (cũ, minh họa)",
        kind=UnitKind.DEPARTMENT,
        parent=by_code["ubnd-thanh-pho"],
        retired_on="2023-01-01",
        merged_into=by_code["phong-kinh-te"],
        sort_order=99,
    )
    return by_code


def _demo_steering_members(units):
    committee = SteeringCommittee.objects.get(resolution__number="29-NQ/TU")
    for order, (name, position, role, unit) in enumerate(DEMO_MEMBERS):
        SteeringCommitteeMember.objects.create(
            committee=committee,
            full_name=name,
            position=position,
            role=role,
            unit=units[unit],
            sort_order=order,
            assignment="Phân công minh họa.",
        )


def _demo_tasks(units):
    programme = ActionProgramme.objects.get(number="11-CTr/TU")
    fields = {field.code: field for field in Field.objects.all()}
    members = list(SteeringCommitteeMember.objects.filter(full_name__contains="minh họa").order_by("sort_order"))
    tasks = []
    for order, (code, field, lead, supporting, deadline, recurring, content, member) in enumerate(DEMO_TASKS, start=500):
        task = Task.objects.create(
            programme=programme,
            code=code,
            field=fields[field],
            content=f"{content} (nhiệm vụ minh họa)",
            lead_unit=units[lead],
            steering_member=members[member],
            start_date=datetime.date(2024, 1, 1),
            deadline=datetime.date.fromisoformat(deadline) if deadline else None,
            is_recurring=recurring,
            source=DEMO_SOURCE,
            sort_order=order,
        )
        task.supporting_units.set([units[code] for code in supporting])
        tasks.append(task)
    return tasks


def _demo_projects(units):
    projects = []
    for order, (code, name, category, key, unit, locality, total, start, end) in enumerate(DEMO_PROJECTS, start=500):
        projects.append(
            Project.objects.create(
                code=code,
                name=name,
                category=category,
                is_key=key,
                investor="Ban Quản lý dự án đầu tư xây dựng thành phố (minh họa)",
                managing_unit=units[unit],
                locality=units[locality],
                location=units[locality].name,
                total_investment=Decimal(total) * 1_000_000,
                start_year=start,
                end_year=end,
                phase=Phase.PREPARATION,
                status=ProjectStatus.ONGOING,
                source=DEMO_SOURCE,
                sort_order=order,
            )
        )
    # The article's two key projects get illustrative quarterly figures as well.
    projects += list(Project.objects.filter(code__in=["duong-vao-ho-nam-cat", "san-van-dong-tinh"]))
    return projects


def _demo_indicators(units):
    fields = {field.code: field for field in Field.objects.all()}
    indicators = []
    for order, (code, name, uom, direction, vtype, places, field, unit, baseline, targets) in enumerate(
        DEMO_INDICATORS, start=500
    ):
        indicator = Indicator.objects.create(
            code=code,
            name=name,
            unit_of_measure=uom,
            direction=direction,
            value_type=vtype,
            numerator_label="Số hộ nghèo"
            if code == "mh-ty-le-ho-ngheo"
            else ("Số hồ sơ trực tuyến" if vtype == ValueType.RATIO else ""),
            denominator_label="Tổng số hộ"
            if code == "mh-ty-le-ho-ngheo"
            else ("Tổng số hồ sơ" if vtype == ValueType.RATIO else ""),
            decimal_places=places,
            baseline_year=baseline[0],
            baseline_value=Decimal(baseline[1]),
            responsible_unit=units[unit],
            field=fields[field],
            resolution_id=Indicator.objects.values_list("resolution_id", flat=True).first(),
            description="Chỉ tiêu minh họa.",
            sort_order=order,
        )
        _targets(indicator, targets)
        indicators.append(indicator)
    for indicator in Indicator.objects.filter(code__in=DEMO_TARGETS_FOR_REAL):
        _targets(indicator, DEMO_TARGETS_FOR_REAL[indicator.code])
        indicators.append(indicator)
    return indicators


def _targets(indicator, targets):
    IndicatorTarget.objects.bulk_create(
        IndicatorTarget(indicator=indicator, year=year, value=Decimal(value), source=DEMO_TARGET_SOURCE)
        for year, value in targets.items()
    )


def _demo_periods(today):
    """Every quarter from Quý I/2024 up to and including the one before today's."""
    current = ReportingPeriod.objects.containing(today).first()
    periods = ReportingPeriod.objects.filter(year__gte=2024).order_by("year", "quarter")
    if current is not None:
        periods = periods.up_to(current.year, current.quarter).exclude(pk=current.pk)
    return list(periods)


def _latest_value(indicator):
    value = IndicatorValue.objects.filter(indicator=indicator).order_by("-period__year", "-period__quarter").first()
    if value is not None:
        return value.value
    return indicator.baseline_value or Decimal(100)


def _demo_figures(rng, periods, tasks, projects, indicators):
    save = {"source": ChangeSource.SEED}
    for index, period in enumerate(periods):
        for task in tasks:
            for unit in [task.lead_unit, *task.supporting_units.all()]:
                status = TaskStatus.RECURRING if task.is_recurring else _task_status(rng, task, period)
                TaskUpdate(
                    task=task,
                    period=period,
                    unit=unit,
                    status=status,
                    completed_on=period.end_date if status in (TaskStatus.DONE, TaskStatus.DONE_LATE) else None,
                    narrative=f"{unit.display_name}: kết quả thực hiện {period.label} (nội dung minh họa).",
                ).save(**save)
        for position, project in enumerate(projects):
            progress = min(Decimal(100), Decimal(8 + position * 3) * (index + 1) / 2).quantize(Decimal("0.01"))
            allocated = (project.total_investment or Decimal(50_000_000_000)) * min(Decimal(1), Decimal(index + 2) / 10)
            ProjectUpdate(
                project=project,
                period=period,
                unit=project.managing_unit,
                progress_percent=progress,
                allocated_capital=allocated.quantize(Decimal(1)),
                disbursed_amount=(allocated * Decimal(rng.randint(55, 95)) / 100).quantize(Decimal(1)),
                phase=Phase.CONSTRUCTION if progress > 30 else Phase.SITE_CLEARANCE,
                narrative=f"Tiến độ {period.label} (số liệu minh họa).",
                obstacles="Vướng mắc giải phóng mặt bằng một số hộ (minh họa)." if rng.random() < 0.3 else "",
                recommendations="Đề nghị bố trí bổ sung vốn (minh họa)." if rng.random() < 0.2 else "",
            ).save(**save)
        for indicator in indicators:
            previous = _latest_value(indicator)
            step = Decimal(rng.randint(-2, 6)) / 100
            if indicator.lower_is_better:
                step = -step
            value = IndicatorValue(
                indicator=indicator,
                period=period,
                unit=indicator.responsible_unit,
                kind=ValueKind.OFFICIAL if period.quarter == 4 else ValueKind.ESTIMATE,
                source=DEMO_SOURCE,
                note="Số liệu minh họa.",
            )
            if indicator.is_ratio:
                value.denominator = Decimal(1000)
                value.numerator = (previous * (1 + step) * 10).quantize(Decimal(1))
            else:
                # A count stays whole (4.086 hộ, 2 HTX); amounts keep the indicator's decimals.
                value.value = (previous * (1 + step)).quantize(Decimal(1).scaleb(-indicator.decimal_places))
            value.save(**save)


def _task_status(rng, task, period):
    if task.deadline and task.deadline < period.start_date:
        return rng.choice([TaskStatus.DONE, TaskStatus.DONE_LATE, TaskStatus.IN_PROGRESS])
    return rng.choice([TaskStatus.IN_PROGRESS, TaskStatus.IN_PROGRESS, TaskStatus.NOT_STARTED, TaskStatus.DONE])


def _demo_workflow(periods):
    """Approve all but the last demo quarter; leave that one in review."""
    if not periods:
        return
    reviewing = periods[-1]
    unit_ids = set()
    for model in (TaskUpdate, ProjectUpdate, IndicatorValue):
        unit_ids.update(model.objects.filter(period__in=periods).values_list("unit_id", flat=True).distinct())
    states = [ReportStatus.SUBMITTED, ReportStatus.SUBMITTED, ReportStatus.RETURNED, ReportStatus.DRAFT, ReportStatus.APPROVED]
    for period in periods:
        for position, unit_id in enumerate(sorted(unit_ids)):
            status = ReportStatus.APPROVED if period != reviewing else states[position % len(states)]
            # Sent a few days before the due date (the last unit of each quarter a day
            # late), reviewed within the week.
            sent_on = period.due_date - datetime.timedelta(days=4 - position % 6)
            submitted_at = timezone.make_aware(datetime.datetime.combine(sent_on, datetime.time(9, 30)))
            report, _created = UnitReport.objects.get_or_create(unit_id=unit_id, period=period)
            report.status = status
            if status != ReportStatus.DRAFT:
                report.submitted_at = submitted_at
            if status in (ReportStatus.APPROVED, ReportStatus.RETURNED):
                report.reviewed_at = submitted_at + datetime.timedelta(days=3)
            if status == ReportStatus.RETURNED:
                report.return_reason = "Đề nghị bổ sung số liệu giải ngân (minh họa)."
            report.save()
            if status != ReportStatus.DRAFT:
                UnitReportEvent.objects.create(
                    report=report,
                    from_status=ReportStatus.DRAFT,
                    to_status=ReportStatus.SUBMITTED,
                    reason="",
                    at=report.submitted_at,
                )
                if status != ReportStatus.SUBMITTED:
                    UnitReportEvent.objects.create(
                        report=report,
                        from_status=ReportStatus.SUBMITTED,
                        to_status=status,
                        reason=report.return_reason,
                        at=report.reviewed_at,
                    )


def ensure_demo_accounts() -> list[tuple[str, str, str, str]]:
    """Create the demo accounts that are missing. Returns (username, password, role, unit)
    for every demo account, for the console."""
    units = {unit.code: unit for unit in OrganisationUnit.objects.all()}
    rows = []
    for username, full_name, role, unit_code, staff in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                last_name=full_name,
                role=role,
                unit=units.get(unit_code) if unit_code else None,
                is_staff=staff,
                is_superuser=staff,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        rows.append((username, DEMO_PASSWORD, str(user.get_role_display()), user.unit.name if user.unit else "—"))
    return rows
