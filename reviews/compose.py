"""Compose a year's review from the data: a plain, JSON-ready structure that the PDF
template prints and the job stores as the snapshot it was built from.

Only approved figures count (a unit's report for the period is approved). The report
period is the year's fourth quarter, or the current quarter for the current year; each
figure is the latest approved one of the year up to that quarter, since quarterly
figures are cumulative. Reading the data takes a fixed number of queries whatever its
size (`_load`); everything after that is plain Python (`_build`).
"""

import datetime
import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Case, F, Q, When
from django.utils import timezone, translation

from indicators.models import Indicator, IndicatorTarget, IndicatorValue
from periods.models import ROMAN_QUARTERS, ReportingPeriod
from projects.models import Phase, Project, ProjectCategory, ProjectUpdate
from resolutions.classification import TaskClass
from resolutions.models import ActionProgramme, Field, Resolution, SteeringCommittee, Task, TaskUpdate
from units.models import OrganisationUnit

from . import phrasing as ph
from .models import PartNarrative, ReviewPart

SCHEMA_VERSION = 1

# The fields of work each text part reports on (Field.code of the catalogue).
PART_FIELDS = {
    ReviewPart.LEADERSHIP: "lanh-dao-tuyen-truyen",
    ReviewPart.INVESTMENT: "du-an-dau-tu",
    ReviewPart.TRADE: "thuong-mai-dich-vu-du-lich",
    ReviewPart.INDUSTRY: "cong-nghiep",
    ReviewPart.AGRICULTURE: "nong-lam-nghiep",
    ReviewPart.CULTURE_SOCIETY: "van-hoa-xa-hoi",
    ReviewPart.DEFENCE_SECURITY: "quoc-phong-an-ninh",
    ReviewPart.POLITICAL_SYSTEM: "he-thong-chinh-tri",
    ReviewPart.DIGITAL_REFORM: "chuyen-doi-so-cai-cach-hanh-chinh",
}
RESULT_PARTS = [
    ReviewPart.INVESTMENT,
    ReviewPart.TRADE,
    ReviewPart.INDUSTRY,
    ReviewPart.AGRICULTURE,
    ReviewPart.CULTURE_SOCIETY,
    ReviewPart.DEFENCE_SECURITY,
    ReviewPart.POLITICAL_SYSTEM,
    ReviewPart.DIGITAL_REFORM,
]

# Which part of the results a project belongs to, by its category; and how the report
# introduces a list of them.
CATEGORY_PARTS = {
    ProjectCategory.KEY_PROJECT: ReviewPart.INVESTMENT,
    ProjectCategory.TRANSPORT: ReviewPart.INVESTMENT,
    ProjectCategory.RESIDENTIAL_AREA: ReviewPart.INVESTMENT,
    ProjectCategory.URBAN_INFRASTRUCTURE: ReviewPart.INVESTMENT,
    ProjectCategory.SCHOOL: ReviewPart.INVESTMENT,
    ProjectCategory.OTHER: ReviewPart.INVESTMENT,
    ProjectCategory.INVESTMENT_ATTRACTION: ReviewPart.INVESTMENT,
    ProjectCategory.MARKET: ReviewPart.TRADE,
    ProjectCategory.TOURISM: ReviewPart.TRADE,
    ProjectCategory.INDUSTRIAL_CLUSTER: ReviewPart.INDUSTRY,
    ProjectCategory.VALUE_CHAIN: ReviewPart.AGRICULTURE,
}
WORKS_CATEGORIES = (
    ProjectCategory.TRANSPORT,
    ProjectCategory.RESIDENTIAL_AREA,
    ProjectCategory.URBAN_INFRASTRUCTURE,
    ProjectCategory.SCHOOL,
    ProjectCategory.OTHER,
)
CATEGORY_LEADS = {
    "works": "Các dự án, công trình khác được tập trung thực hiện",
    ProjectCategory.INVESTMENT_ATTRACTION: "Đẩy mạnh thu hút các nhà đầu tư triển khai các dự án",
    ProjectCategory.MARKET: "Các dự án chợ, thương mại được triển khai",
    ProjectCategory.TOURISM: "Các dự án du lịch được triển khai",
    ProjectCategory.VALUE_CHAIN: "Dự án liên kết chuỗi giá trị được thực hiện trong năm",
}

# Task classes as a sentence names them, in the order reports list them.
CLASS_PHRASES = {
    TaskClass.DONE_ON_TIME: "hoàn thành đúng hạn",
    TaskClass.DONE_LATE: "hoàn thành quá hạn",
    TaskClass.WITHIN_DEADLINE: "đang thực hiện, trong hạn",
    TaskClass.OVERDUE: "quá hạn, chưa hoàn thành",
    TaskClass.RECURRING: "thực hiện thường xuyên",
    TaskClass.NO_DEADLINE: "chưa xác định thời hạn",
}
CLASS_ORDER = list(CLASS_PHRASES)
OPEN_CLASSES = (TaskClass.OVERDUE, TaskClass.WITHIN_DEADLINE, TaskClass.NO_DEADLINE)
DIRECTIONS_LIST_LIMIT = 30


@dataclass(frozen=True)
class IssueDetails:
    """What the secretariat decides when issuing: the document number, its date, the signer."""

    report_date: datetime.date
    number: str = ""
    signer_position: str = ""
    signer_name: str = ""


def compose_review(year: int, *, details: IssueDetails, use_narratives: bool = True) -> dict:
    """The whole report for `year` as plain data (str, int, float, list, dict). Without
    `use_narratives`, every part shows what the data alone gives (the narrative editor
    offers it as the starting point)."""
    with translation.override("vi"):
        return _build(_load(year, use_narratives=use_narratives), details)


def content_sha256(content: dict) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def report_quarter(year: int, today: datetime.date | None = None) -> int:
    """The quarter a year's report runs to: the fourth for past years, the current one
    for the current year."""
    today = today or timezone.localdate()
    return 4 if year < today.year else (today.month - 1) // 3 + 1


# --- reading ------------------------------------------------------------------------


@dataclass
class YearData:
    year: int
    period: ReportingPeriod
    as_of: datetime.date
    resolution: Resolution | None
    programme: ActionProgramme | None
    committee: SteeringCommittee | None
    fields: list
    tasks: list
    task_reports: dict  # task id -> narrative of the lead unit's latest approved update
    projects: list
    project_updates: dict  # project id -> latest approved update in the year
    indicators: list
    targets: dict  # indicator id -> plan for the year
    values: dict  # indicator id -> latest approved value in the year
    previous_values: dict  # indicator id -> approved value of the same quarter a year earlier
    narratives: dict  # part -> PartNarrative
    pending_units: list = field(default_factory=list)
    upcoming_tasks: list = field(default_factory=list)  # tasks that begin next year


def _load(year: int, *, use_narratives: bool = True) -> YearData:
    quarter = report_quarter(year)
    period = ReportingPeriod.objects.filter(year=year, quarter=quarter).first()
    if period is None:
        # No such period in the catalogue yet: nothing can have been reported for it, but
        # the task deadlines still classify against its end.
        cut_off, due = ReportingPeriod.default_dates(year, quarter)
        period = ReportingPeriod(year=year, quarter=quarter, cut_off_date=cut_off, due_date=due)
    as_of = min(period.end_date, timezone.localdate())

    # The resolution the portal follows, else the oldest one there is: one query either way.
    preferred = Case(When(number=getattr(settings, "REVIEWS_RESOLUTION_NUMBER", ""), then=0), default=1)
    resolution = Resolution.objects.annotate(preferred=preferred).order_by("preferred", "issued_on", "pk").first()
    programme = ActionProgramme.objects.filter(resolution=resolution).order_by("issued_on", "pk").first() if resolution else None
    committee = SteeringCommittee.objects.filter(resolution=resolution).order_by("pk").first() if resolution else None

    in_year = {"period__year": year, "period__quarter__lte": quarter}
    tasks = list(
        Task.objects.started_by(period.end_date)
        .select_related("field", "lead_unit")
        .with_lead_status(period, approved_only=True)
        .order_by("field__sort_order", "field__name", "sort_order", "code")
    )
    upcoming_tasks = list(
        Task.objects.filter(start_date__year=year + 1)
        .select_related("lead_unit")
        .order_by("field__sort_order", "sort_order", "code")
    )
    task_reports = {}
    lead_updates = (
        TaskUpdate.objects.approved()
        .filter(unit=F("task__lead_unit"), **in_year)
        .exclude(narrative="")
        .order_by("task_id", "-period__quarter")
        .values_list("task_id", "narrative")
    )
    for task_id, narrative in lead_updates:
        task_reports.setdefault(task_id, narrative)

    projects = list(Project.objects.select_related("managing_unit").order_by("-is_key", "sort_order", "name"))
    project_updates = {}
    for update in ProjectUpdate.objects.approved().filter(**in_year).select_related("period").order_by("-period__quarter"):
        project_updates.setdefault(update.project_id, update)

    indicators = list(Indicator.objects.select_related("field").order_by("field__sort_order", "sort_order", "code"))
    targets = {target.indicator_id: target.value for target in IndicatorTarget.objects.filter(year=year)}
    values, by_quarter_before = {}, {}
    rows = (
        IndicatorValue.objects.approved()
        .filter(period__year__in=(year - 1, year), period__quarter__lte=quarter)
        .select_related("period")
        .order_by("-period__quarter")
    )
    for value in rows:
        if value.period.year == year:
            values.setdefault(value.indicator_id, value)
        else:
            by_quarter_before[(value.indicator_id, value.period.quarter)] = value
    previous_values = {
        indicator_id: by_quarter_before[(indicator_id, value.period.quarter)]
        for indicator_id, value in values.items()
        if (indicator_id, value.period.quarter) in by_quarter_before
    }

    narratives = {n.part: n for n in PartNarrative.objects.filter(year=year)} if use_narratives else {}

    pending_units = []
    if period.pk:
        # Units that entered figures for the period but whose report is not approved yet:
        # their figures are left out, and the report says so.
        not_approved = {"period": period, "is_approved": False}
        pending = OrganisationUnit.objects.filter(
            Q(pk__in=IndicatorValue.objects.with_approval().filter(**not_approved).values("unit_id"))
            | Q(pk__in=ProjectUpdate.objects.with_approval().filter(**not_approved).values("unit_id"))
            | Q(pk__in=TaskUpdate.objects.with_approval().filter(**not_approved).values("unit_id"))
        ).order_by("sort_order", "name")
        pending_units = [unit.name for unit in pending]

    return YearData(
        year=year,
        period=period,
        as_of=as_of,
        resolution=resolution,
        programme=programme,
        committee=committee,
        fields=list(Field.objects.order_by("sort_order", "name")),
        tasks=tasks,
        task_reports=task_reports,
        projects=projects,
        project_updates=project_updates,
        indicators=indicators,
        targets=targets,
        values=values,
        previous_values=previous_values,
        narratives=narratives,
        pending_units=pending_units,
        upcoming_tasks=upcoming_tasks,
    )


# --- building -----------------------------------------------------------------------


def _build(data: YearData, details: IssueDetails) -> dict:
    year = data.year
    tasks = [_task_row(task, data) for task in data.tasks]
    indicators = [_indicator_row(indicator, data) for indicator in data.indicators]
    projects = [_project_row(project, data) for project in data.projects]
    mapped_fields = set(PART_FIELDS.values())
    other_fields = [f for f in data.fields if f.code not in mapped_fields]

    results = []
    for part in RESULT_PARTS:
        results.append(_subsection(part.label, _field_block(part, PART_FIELDS[part], data, tasks, indicators, projects)))
    for other in other_fields:
        results.append(_subsection(other.name, _field_block(None, other.code, data, tasks, indicators, projects)))
    for number, subsection in enumerate(results, start=1):
        subsection["number"] = str(number)

    sections = [
        {
            "number": "I",
            "title": ReviewPart.LEADERSHIP.label.upper(),
            "block": _field_block(ReviewPart.LEADERSHIP, PART_FIELDS[ReviewPart.LEADERSHIP], data, tasks, indicators, projects),
            "subsections": [],
        },
        {"number": "II", "title": "KẾT QUẢ THỰC HIỆN CÁC MỤC TIÊU, NHIỆM VỤ", "block": None, "subsections": results},
        {
            "number": "III",
            "title": "ĐÁNH GIÁ CHUNG",
            "block": _overall_block(data, tasks),
            "subsections": [
                _assessment("1", ReviewPart.STRENGTHS, data, _strengths(data, tasks, indicators)),
                _assessment("2", ReviewPart.LIMITS, data, _limits(data, tasks, indicators, projects)),
                _assessment("3", ReviewPart.CAUSES, data, []),
            ],
        },
        {
            "number": "IV",
            "title": f"PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {year + 1}",
            "block": _block(ReviewPart.DIRECTIONS, data, reported=[], facts=_directions(data, tasks)),
            "subsections": [],
        },
    ]

    return {
        "schema": SCHEMA_VERSION,
        "year": year,
        "period": data.period.label,
        "as_of": ph.short_date(data.as_of),
        "header": _header(data, details),
        "introduction": _introduction(data),
        "sections": sections,
        "signature": _signature(details),
        "recipients": _recipients(data),
        "annexes": [
            _indicator_annex(data, indicators),
            _project_annex(data, projects),
            _task_annex(data, tasks),
        ],
        "basis": _basis(data),
    }


def _header(data: YearData, details: IssueDetails) -> dict:
    issuer = settings.REVIEWS_ISSUER
    number = details.number.strip()
    numbered = f"số {number}-{issuer['number_suffix']}" if number else "này"
    return {
        "superior": issuer["superior"],
        "issuer": issuer["name"],
        "party": "ĐẢNG CỘNG SẢN VIỆT NAM",
        # A draft leaves the number blank for the office to fill in when it registers it.
        "number": f"Số {number}-{issuer['number_suffix']}" if number else f"Số\u2003\u2003-{issuer['number_suffix']}",
        "place_date": f"{issuer['place']}, {ph.document_date(details.report_date)}",
        "kind": "BÁO CÁO",
        "subject": _subject(data),
        "annex_reference": f"Kèm theo Báo cáo {numbered} ngày {ph.short_date(details.report_date)} của {issuer['name_in_text']}",
    }


def _resolution_reference(resolution: Resolution) -> str:
    """ "Nghị quyết số 29-NQ/TU ngày 25/10/2022 của Ban Thường vụ Tỉnh ủy Bắc Kạn về …"."""
    return (
        f"Nghị quyết số {resolution.number} ngày {ph.short_date(resolution.issued_on)} của {resolution.issuer} "
        f"{ph.lower_first(resolution.title)}"
    )


def _subject(data: YearData) -> str:
    if data.resolution is None:
        return f"Kết quả thực hiện nghị quyết năm {data.year}"
    return f"Kết quả thực hiện {_resolution_reference(data.resolution)}, năm {data.year}"


def _introduction(data: YearData) -> list[str]:
    reporter = settings.REVIEWS_ISSUER["reporting_body"]
    if data.resolution is None:
        return [f"{reporter} báo cáo kết quả thực hiện năm {data.year} như sau:"]
    programme = data.programme
    basis = _resolution_reference(data.resolution)
    if programme and programme.issued_on.year <= data.year:
        basis += (
            f" và Chương trình hành động số {programme.number} ngày {ph.short_date(programme.issued_on)} của {programme.issuer}"
        )
    return [f"Thực hiện {basis}, {reporter} báo cáo kết quả thực hiện năm {data.year} như sau:"]


def _signature(details: IssueDetails) -> dict:
    return {
        "for": settings.REVIEWS_ISSUER["signing_for"],
        "position": details.signer_position.strip().upper(),
        "name": details.signer_name.strip(),
    }


def _recipients(data: YearData) -> list[str]:
    narrative = data.narratives.get(ReviewPart.RECIPIENTS)
    lines = _paragraphs(narrative.text) if narrative else []
    return lines or list(settings.REVIEWS_ISSUER["recipients"])


def _basis(data: YearData) -> dict:
    approved_values = len(data.values)
    return {
        "period": data.period.label,
        "as_of": ph.short_date(data.as_of),
        "indicator_values": approved_values,
        "project_updates": len(data.project_updates),
        "task_reports": len(data.task_reports),
        "pending_units": data.pending_units,
        "note": (
            f"Số liệu tổng hợp từ báo cáo đã được duyệt của các đơn vị đến hết {data.period.label}; "
            f"số liệu chưa được duyệt không được tính."
        ),
    }


# --- rows ---------------------------------------------------------------------------


def _task_row(task: Task, data: YearData) -> dict:
    task_class = task.classify(data.as_of)
    return {
        "code": task.code,
        "content": task.content,
        "field": task.field.code,
        "field_name": task.field.name,
        "lead": task.lead_unit.display_name,
        "deadline": task.deadline_label,
        "deadline_date": task.deadline.isoformat() if task.deadline else "",
        "class": str(task_class),
        "class_label": str(task_class.label),
        "report": data.task_reports.get(task.pk, ""),
    }


def _value_text(indicator: Indicator, value) -> str:
    """4.086 hộ; 58,37%; 01 HTX."""
    if value is None:
        return ""
    if indicator.is_ratio or indicator.unit_of_measure == "%":
        return indicator.format_value(value)
    value = Decimal(value)
    if indicator.decimal_places == 0 and value == value.to_integral_value():
        return f"{ph.count(int(value))} {indicator.unit_of_measure}"
    return f"{indicator.format_value(value)} {indicator.unit_of_measure}"


def _is_percent(indicator: Indicator) -> bool:
    return indicator.is_ratio or indicator.unit_of_measure == "%"


def _as_printed(indicator: Indicator, value) -> Decimal | None:
    """The value as the report prints it, so that every comparison agrees with the
    printed figures (4.086 and 3.900 give "tăng 186", whatever decimals were stored)."""
    if value is None:
        return None
    places = (indicator.decimal_places or 2) if _is_percent(indicator) else indicator.decimal_places
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _indicator_row(indicator: Indicator, data: YearData) -> dict:
    figure = data.values.get(indicator.pk)
    actual = _as_printed(indicator, figure.value) if figure else None
    plan = _as_printed(indicator, data.targets.get(indicator.pk))
    previous_figure = data.previous_values.get(indicator.pk)
    previous = _as_printed(indicator, previous_figure.value) if previous_figure else None
    # "% of plan" only reads as achievement when more is better; a rate to bring down
    # (poverty, say) is judged against its ceiling instead.
    percent_of_plan = ph.ratio_percent(actual, plan) if actual is not None and plan and not indicator.lower_is_better else None
    change, sentence, notes = "", "", []
    if figure is not None:
        verb = "là" if indicator.lower_is_better else "đạt"
        parts = [f"{indicator.name} {verb} {_value_text(indicator, actual)}"]
        if figure.period.quarter != 4:
            parts[0] = f"Đến hết {figure.period.label}, {ph.lower_first(parts[0])}"
        if plan is not None:
            if indicator.lower_is_better:
                met = "đạt kế hoạch" if actual <= plan else "chưa đạt kế hoạch"
                parts.append(f"{met} (không quá {_value_text(indicator, plan)})")
                notes.append(f"Chỉ tiêu càng thấp càng tốt: {met}.")
            elif percent_of_plan is not None:
                parts.append(f"đạt {ph.percent(percent_of_plan)} kế hoạch")
        if previous is not None:
            delta = actual - previous
            if _is_percent(indicator):
                amount = f"{ph.format_decimal(abs(delta), indicator.decimal_places or 2)} điểm phần trăm"
                relative = None
            else:
                amount = _value_text(indicator, abs(delta))
                relative = ph.ratio_percent(abs(delta), previous) if previous else None
            change = ph.change_phrase(delta, amount=amount, relative=relative, previous_year=data.year - 1)
            parts.append(change)
        elif figure.comparison_note:
            change = ph.lower_first(figure.comparison_note.rstrip(". "))
            parts.append(change)
        sentence = ph.sentence(", ".join(parts))
        if figure.note.strip():
            notes.insert(0, figure.note.strip())
        if figure.period.quarter != 4:
            notes.append(f"Số liệu đến hết {figure.period.label}.")
    else:
        notes.append("Chưa có số liệu được duyệt.")
    return {
        "pk": indicator.pk,
        "field": indicator.field.code,
        "field_name": indicator.field.name,
        "name": indicator.name,
        "unit": indicator.unit_of_measure,
        "is_ratio": indicator.is_ratio or indicator.unit_of_measure == "%",
        "lower_is_better": indicator.lower_is_better,
        "plan": indicator.format_value(plan) if plan is not None else "",
        "actual": indicator.format_value(actual) if actual is not None else "",
        "percent_of_plan": ph.percent(percent_of_plan),
        "percent_of_plan_value": float(percent_of_plan) if percent_of_plan is not None else None,
        "plan_met": None if actual is None or plan is None else (actual <= plan if indicator.lower_is_better else actual >= plan),
        "previous": indicator.format_value(previous) if previous is not None else "",
        "change": change,
        "note": " ".join(notes),
        "sentence": sentence,
        "actual_value": float(actual) if actual is not None else None,
        "previous_value": float(previous) if previous is not None else None,
    }


def _project_row(project: Project, data: YearData) -> dict:
    update = data.project_updates.get(project.pk)
    progress = update.progress_percent if update else None
    allocated = update.allocated_capital if update else None
    disbursed = update.disbursed_amount if update else None
    phase = (update.phase if update and update.phase else project.phase) or ""
    details = []
    if phase:
        details.append(f"giai đoạn {Phase(phase).label.lower()}")
    if progress is not None:
        details.append(f"khối lượng thực hiện đạt {ph.percent(progress)}")
    if disbursed is not None and allocated:
        details.append(
            f"giải ngân {ph.million_dong(disbursed)}/{ph.million_dong(allocated)} triệu đồng vốn bố trí "
            f"(đạt {ph.percent(ph.ratio_percent(disbursed, allocated))})"
        )
    elif disbursed is not None:
        details.append(f"giải ngân {ph.million_dong(disbursed)} triệu đồng")
    return {
        "pk": project.pk,
        "name": project.name,
        "category": project.category,
        "category_label": str(ProjectCategory(project.category).label),
        "is_key": project.is_key,
        "part": str(CATEGORY_PARTS.get(project.category, ReviewPart.INVESTMENT)),
        "years": project.years_label,
        "phase": str(Phase(phase).label) if phase else "",
        "progress": ph.percent(progress) if progress is not None else "",
        "progress_value": float(progress) if progress is not None else None,
        "allocated": ph.million_dong(allocated),
        "disbursed": ph.million_dong(disbursed),
        "reported": update is not None,
        "details": ", ".join(details),
        "obstacles": update.obstacles.strip() if update else "",
    }


# --- blocks -------------------------------------------------------------------------


def _paragraphs(text: str) -> list[str]:
    """A narrative's paragraphs: one per non-empty line."""
    return [line.strip() for line in (text or "").replace("\r\n", "\n").split("\n") if line.strip()]


def _block(part, data: YearData, *, reported: list[str], facts: list[dict], charts=()) -> dict:
    """One part's text: the secretariat's narrative when there is one (it synthesises the
    units' reports, which are then left out), else the units' approved reports; then the
    sentences from figures, unless the narrative already states them."""
    narrative = data.narratives.get(part) if part else None
    written = _paragraphs(narrative.text) if narrative else []
    paragraphs = [{"kind": "narrative", "text": text} for text in written]
    if not written:
        paragraphs += [{"kind": "reported", "text": text} for text in reported]
    if not written or narrative.include_figures:
        paragraphs += facts
    return {"part": str(part) if part else "", "paragraphs": paragraphs, "charts": list(charts)}


def _assessment(number: str, part, data: YearData, facts: list[dict]) -> dict:
    return {"number": number, "title": str(part.label), "block": _block(part, data, reported=[], facts=facts)}


def _subsection(title, block: dict) -> dict:
    return {"number": "", "title": str(title), "block": block}


def _fact(text: str) -> dict:
    return {"kind": "fact", "text": text}


def _item(text: str) -> dict:
    return {"kind": "item", "text": text}


def _class_counts(rows: list[dict]) -> Counter:
    return Counter(row["class"] for row in rows)


def _class_summary(counts: Counter) -> str:
    return ", ".join(f"{ph.count(counts[c])} {CLASS_PHRASES[c]}" for c in CLASS_ORDER if counts[c])


def _field_block(part, field_code: str, data: YearData, tasks, indicators, projects) -> dict:
    field_tasks = [row for row in tasks if row["field"] == field_code]
    field_indicators = [row for row in indicators if row["field"] == field_code]
    reported = [row["report"] for row in field_tasks if row["report"]]
    facts = []
    if part == ReviewPart.LEADERSHIP:
        facts += [_fact(text) for text in _leadership_facts(data)]
    if part is not None:
        facts += [_fact(text) for text in _project_facts(part, data, projects)]
    facts += [_fact(row["sentence"]) for row in field_indicators if row["sentence"]]
    if field_tasks:
        counts = _class_counts(field_tasks)
        facts.append(
            _fact(
                f"Lĩnh vực có {ph.counted(len(field_tasks), 'nhiệm vụ')} theo Chương trình hành động, trong đó: {_class_summary(counts)}."
            )
        )
    charts = _indicator_group_charts(field_indicators, data.year)
    if part == ReviewPart.INVESTMENT:
        charts += _key_project_charts(projects)
    return _block(part, data, reported=reported, facts=facts, charts=charts)


def _leadership_facts(data: YearData) -> list[str]:
    facts = []
    committee, programme, resolution = data.committee, data.programme, data.resolution
    if committee and (committee.established_on is None or committee.established_on.year <= data.year):
        decision = ""
        if committee.decision_number:
            decision = f" (Quyết định số {committee.decision_number}"
            decision += f" ngày {ph.short_date(committee.established_on)})" if committee.established_on else ")"
        facts.append(f"{committee.established_by} đã thành lập {committee.name}{decision}.")
    if programme and resolution and programme.issued_on.year <= data.year:
        facts.append(
            f"{programme.issuer} ban hành Chương trình hành động số {programme.number} ngày "
            f"{ph.short_date(programme.issued_on)} để cụ thể hóa và triển khai thực hiện Nghị quyết số "
            f"{resolution.number} ngày {ph.short_date(resolution.issued_on)} của {resolution.issuer}."
        )
    return facts


def _project_facts(part, data: YearData, projects: list[dict]) -> list[str]:
    mine = [row for row in projects if row["part"] == part and row["reported"]]
    facts = []
    if part == ReviewPart.INVESTMENT:
        key = [row for row in mine if row["is_key"]]
        if key:
            names = ph.join_names([f"dự án {row['name']}" for row in key])
            facts.append(
                f"Trong năm {data.year}, thành phố tập trung thực hiện {ph.counted(len(key), 'dự án trọng điểm')} là {names}."
            )
            facts += [ph.sentence(f"Dự án {row['name']}: {row['details']}") for row in key if row["details"]]
        works = [row for row in mine if not row["is_key"] and row["category"] in WORKS_CATEGORIES]
        if works:
            facts.append(f"{CATEGORY_LEADS['works']}: {'; '.join(row['name'] for row in works)}.")
        attraction = [row for row in mine if not row["is_key"] and row["category"] == ProjectCategory.INVESTMENT_ATTRACTION]
        if attraction:
            lead = CATEGORY_LEADS[ProjectCategory.INVESTMENT_ATTRACTION]
            facts.append(f"{lead}: {'; '.join(row['name'] for row in attraction)}.")
    elif part == ReviewPart.INDUSTRY:
        clusters = [row for row in mine if row["category"] == ProjectCategory.INDUSTRIAL_CLUSTER]
        if clusters:
            years = {row["years"] for row in clusters}
            span = f" (giai đoạn {years.pop()})" if len(years) == 1 and "" not in years else ""
            facts.append(
                f"Thành phố quy hoạch và phát triển {ph.counted(len(clusters), 'cụm công nghiệp')}{span} gồm: "
                f"{ph.join_names([row['name'] for row in clusters])}."
            )
    else:
        by_category = defaultdict(list)
        for row in mine:
            by_category[row["category"]].append(row)
        for category, rows in by_category.items():
            lead = CATEGORY_LEADS.get(category, CATEGORY_LEADS["works"])
            facts.append(f"{lead}: {'; '.join(row['name'] for row in rows)}.")
    # Progress and disbursement are given here for the key projects only; the others are
    # in the annex, or a city's report would read as a list of a hundred projects.
    return facts


def _overall_block(data: YearData, tasks: list[dict]) -> dict:
    counts = _class_counts(tasks)
    facts = []
    if tasks:
        programme = f" của Chương trình hành động số {data.programme.number}" if data.programme else ""
        overdue = counts[TaskClass.OVERDUE]
        tail = (
            f"; còn {ph.counted(overdue, 'nhiệm vụ')} quá hạn chưa hoàn thành"
            if overdue
            else "; không có nhiệm vụ quá hạn chưa hoàn thành"
        )
        summary = ", ".join(
            f"{ph.counted(counts[c], 'nhiệm vụ')} {CLASS_PHRASES[c]}" for c in CLASS_ORDER if counts[c] and c != TaskClass.OVERDUE
        )
        facts.append(
            _fact(f"Trong tổng số {ph.counted(len(tasks), 'nhiệm vụ')}{programme}, đến hết {data.period.label}: {summary}{tail}.")
        )
    chart = _task_class_chart(counts, data) if tasks else None
    return {"part": "", "paragraphs": facts, "charts": [chart] if chart else []}


def _strengths(data: YearData, tasks: list[dict], indicators: list[dict]) -> list[dict]:
    facts = []
    done = [row for row in tasks if row["class"] == TaskClass.DONE_ON_TIME]
    if done:
        items = "; ".join(ph.lower_first(row["content"].rstrip(". ")) for row in done)
        facts.append(_fact(f"Đã hoàn thành đúng hạn {ph.counted(len(done), 'nhiệm vụ')}: {items}."))
    met = [row for row in indicators if row["plan_met"] is True]
    if met:
        facts.append(
            _fact(
                f"Có {ph.counted(len(met), 'chỉ tiêu')} đạt và vượt kế hoạch năm {data.year}: "
                + "; ".join(f"{row['name']} ({_against_plan(row)})" for row in met)
                + "."
            )
        )
    return facts


def _against_plan(row: dict) -> str:
    if row["percent_of_plan"]:
        return f"{row['percent_of_plan']} kế hoạch"
    return f"kế hoạch không quá {row['plan']}"


def _limits(data: YearData, tasks, indicators, projects) -> list[dict]:
    facts = []
    overdue = [row for row in tasks if row["class"] == TaskClass.OVERDUE]
    if overdue:
        facts.append(_fact(f"Còn {ph.counted(len(overdue), 'nhiệm vụ')} quá hạn chưa hoàn thành:"))
        facts += [
            _item(f"{row['content'].rstrip('. ')} (chủ trì: {row['lead']}; thời hạn: {row['deadline']}).") for row in overdue
        ]
    late = [row for row in tasks if row["class"] == TaskClass.DONE_LATE]
    if late:
        facts.append(_fact(f"Có {ph.counted(len(late), 'nhiệm vụ')} hoàn thành nhưng chậm so với thời hạn."))
    below = [row for row in indicators if row["plan_met"] is False]
    if below:
        facts.append(
            _fact(
                f"Có {ph.counted(len(below), 'chỉ tiêu')} chưa đạt kế hoạch năm {data.year}: "
                + "; ".join(f"{row['name']} ({_against_plan(row)})" for row in below)
                + "."
            )
        )
    with_values = [row for row in indicators if row["actual"]]
    if with_values and not any(row["plan"] for row in with_values):
        facts.append(
            _fact(
                f"Chưa có chỉ tiêu nào được giao kế hoạch năm {data.year} trên hệ thống nên chưa đánh giá được "
                "mức độ hoàn thành kế hoạch."
            )
        )
    missing = [row for row in indicators if not row["actual"]]
    if missing:
        facts.append(
            _fact(
                f"Còn {ph.counted(len(missing), 'chỉ tiêu')} chưa có số liệu được duyệt năm {data.year}: "
                + "; ".join(row["name"] for row in missing)
                + "."
            )
        )
    no_deadline = [row for row in tasks if row["class"] == TaskClass.NO_DEADLINE]
    if no_deadline:
        facts.append(_fact(f"Còn {ph.counted(len(no_deadline), 'nhiệm vụ')} chưa được xác định thời hạn hoàn thành."))
    for row in projects:
        if row["obstacles"]:
            facts.append(_item(f"Dự án {row['name']}: {ph.lower_first(row['obstacles'].rstrip('. '))}."))
    idle_key = [row for row in projects if row["is_key"] and not row["reported"]]
    if idle_key:
        facts.append(
            _fact(f"Dự án trọng điểm chưa có báo cáo được duyệt trong năm: {'; '.join(row['name'] for row in idle_key)}.")
        )
    if data.pending_units:
        facts.append(
            _fact(
                f"Đến thời điểm tổng hợp, báo cáo {data.period.label} của {ph.counted(len(data.pending_units), 'đơn vị')} "
                f"chưa được duyệt ({'; '.join(data.pending_units)}); số liệu của các đơn vị này chưa được tổng hợp."
            )
        )
    return facts


def _directions(data: YearData, tasks: list[dict]) -> list[dict]:
    facts = []
    open_tasks = [row for row in tasks if row["class"] in OPEN_CLASSES]
    if open_tasks:
        order = {TaskClass.OVERDUE: 0, TaskClass.WITHIN_DEADLINE: 1, TaskClass.NO_DEADLINE: 2}
        open_tasks.sort(key=lambda row: (order[row["class"]], row["deadline_date"] or "9999"))
        facts.append(
            _fact(f"Tiếp tục tập trung chỉ đạo thực hiện {ph.counted(len(open_tasks), 'nhiệm vụ')} chưa hoàn thành, trong đó:")
        )
        for row in open_tasks[:DIRECTIONS_LIST_LIMIT]:
            deadline = f"; thời hạn: {row['deadline']}" if row["deadline_date"] else ""
            facts.append(_item(f"{row['content'].rstrip('. ')} (chủ trì: {row['lead']}{deadline})."))
        if len(open_tasks) > DIRECTIONS_LIST_LIMIT:
            rest = len(open_tasks) - DIRECTIONS_LIST_LIMIT
            facts.append(_item(f"Và {ph.counted(rest, 'nhiệm vụ')} khác (chi tiết tại Phụ lục 03)."))
    if data.upcoming_tasks:
        facts.append(_fact(f"Triển khai {ph.counted(len(data.upcoming_tasks), 'nhiệm vụ')} từ năm {data.year + 1}:"))
        for task in data.upcoming_tasks[:DIRECTIONS_LIST_LIMIT]:
            deadline = f"; thời hạn: {task.deadline_label}" if task.deadline else ""
            facts.append(_item(f"{task.content.rstrip('. ')} (chủ trì: {task.lead_unit.display_name}{deadline})."))
    return facts


# --- charts (data only; charts.py draws them) ---------------------------------------


def _indicator_group_charts(rows: list[dict], year: int) -> list[dict]:
    """Indicators of one field measured in the same unit, side by side: comparable bars."""
    groups = defaultdict(list)
    for row in rows:
        if row["actual_value"] is not None and not row["is_ratio"]:
            groups[row["unit"]].append(row)
    charts = []
    for unit, members in groups.items():
        if len(members) < 2:
            continue
        has_previous = any(row["previous_value"] is not None for row in members)
        charts.append(
            {
                "kind": "bars",
                "title": f"Kết quả năm {year} (đơn vị tính: {unit})",
                "series": [f"Năm {year}"] + ([f"Cùng kỳ năm {year - 1}"] if has_previous else []),
                "bars": [
                    {
                        "label": row["name"],
                        "values": [row["actual_value"]] + ([row["previous_value"]] if has_previous else []),
                        "texts": [row["actual"]] + ([row["previous"]] if has_previous else []),
                    }
                    for row in members
                ],
            }
        )
    return charts


def _key_project_charts(projects: list[dict]) -> list[dict]:
    rows = [row for row in projects if row["is_key"] and row["progress_value"] is not None]
    if not rows:
        return []
    return [
        {
            "kind": "bars",
            "title": "Tiến độ các dự án trọng điểm (%)",
            "series": ["Khối lượng thực hiện"],
            "scale_max": 100.0,
            "bars": [{"label": row["name"], "values": [row["progress_value"]], "texts": [row["progress"]]} for row in rows],
        }
    ]


def _task_class_chart(counts: Counter, data: YearData) -> dict:
    return {
        "kind": "bars",
        "title": f"Nhiệm vụ theo kết quả thực hiện, đến hết {data.period.label}",
        "series": ["Số nhiệm vụ"],
        "bars": [
            {"label": str(c.label), "values": [float(counts[c])], "texts": [ph.format_decimal(counts[c])], "tone": str(c)}
            for c in CLASS_ORDER
        ],
    }


def _plan_chart(rows: list[dict], year: int) -> list[dict]:
    rows = [row for row in rows if row["percent_of_plan_value"] is not None]
    if not rows:
        return []
    return [
        {
            "kind": "bars",
            "title": f"Mức độ hoàn thành kế hoạch năm {year} (% kế hoạch)",
            "series": ["% kế hoạch"],
            "reference": 100.0,
            "bars": [
                {"label": row["name"], "values": [row["percent_of_plan_value"]], "texts": [row["percent_of_plan"]]}
                for row in rows
            ],
        }
    ]


# --- annexes ------------------------------------------------------------------------


def _grouped(rows: list[dict], key: str, title_key: str) -> list[dict]:
    groups, order = defaultdict(list), []
    for row in rows:
        if row[key] not in groups:
            order.append((row[key], row[title_key]))
        groups[row[key]].append(row)
    return [{"title": title, "rows": groups[k]} for k, title in order]


def _indicator_annex(data: YearData, indicators: list[dict]) -> dict:
    year = data.year
    groups = []
    n = 0
    for group in _grouped(indicators, "field", "field_name"):
        cells = []
        for row in group["rows"]:
            n += 1
            cells.append(
                [
                    str(n),
                    row["name"],
                    row["unit"],
                    row["plan"],
                    row["actual"],
                    row["percent_of_plan"],
                    row["previous"],
                    row["change"],
                    row["note"],
                ]
            )
        groups.append({"title": group["title"], "rows": cells})
    return {
        "number": "01",
        "title": f"KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU NĂM {year}",
        "subtitle": f"(Số liệu đã được duyệt đến hết {data.period.label})",
        "columns": [
            {"label": "STT", "class": "c-center w-stt"},
            {"label": "Chỉ tiêu", "class": "c-left"},
            {"label": "Đơn vị tính", "class": "c-center"},
            {"label": f"Kế hoạch {year}", "class": "c-num"},
            {"label": f"Thực hiện {year}", "class": "c-num"},
            {"label": "% kế hoạch", "class": "c-num"},
            {"label": f"Cùng kỳ {year - 1}", "class": "c-num"},
            {"label": "Tăng/giảm so với cùng kỳ", "class": "c-left"},
            {"label": "Ghi chú", "class": "c-left small"},
        ],
        "groups": groups,
        "empty": "Chưa có chỉ tiêu nào trong danh mục.",
        "charts": _plan_chart(indicators, year),
    }


def _project_annex(data: YearData, projects: list[dict]) -> dict:
    rows = sorted(projects, key=lambda row: (not row["is_key"], RESULT_PARTS.index(ReviewPart(row["part"]))))
    groups = []
    n = 0
    part_titles = {str(part): str(part.label) for part in RESULT_PARTS}
    for group in _grouped(rows, "part", "part"):
        cells = []
        for row in group["rows"]:
            n += 1
            notes = []
            if row["is_key"]:
                notes.append("Dự án trọng điểm")
            if not row["reported"]:
                notes.append(f"Chưa có báo cáo được duyệt năm {data.year}")
            cells.append(
                [
                    str(n),
                    row["name"],
                    row["category_label"],
                    row["phase"],
                    row["progress"],
                    row["allocated"],
                    row["disbursed"],
                    "; ".join(notes),
                ]
            )
        groups.append({"title": part_titles[group["title"]], "rows": cells})
    return {
        "number": "02",
        "title": f"CÁC DỰ ÁN, CÔNG TRÌNH NĂM {data.year}",
        "subtitle": "(Vốn bố trí và giải ngân lũy kế, đơn vị: triệu đồng)",
        "columns": [
            {"label": "STT", "class": "c-center w-stt"},
            {"label": "Dự án, công trình", "class": "c-left"},
            {"label": "Loại", "class": "c-left"},
            {"label": "Giai đoạn", "class": "c-left"},
            {"label": "Tiến độ", "class": "c-num"},
            {"label": "Vốn bố trí", "class": "c-num"},
            {"label": "Giải ngân", "class": "c-num"},
            {"label": "Ghi chú", "class": "c-left small"},
        ],
        "groups": groups,
        "empty": "Chưa có dự án nào trong danh mục.",
        "charts": [],
    }


def _task_annex(data: YearData, tasks: list[dict]) -> dict:
    groups = []
    n = 0
    for group in _grouped(tasks, "field", "field_name"):
        cells = []
        for row in group["rows"]:
            n += 1
            cells.append([str(n), row["code"], row["content"], row["lead"], row["deadline"], row["class_label"]])
        groups.append({"title": group["title"], "rows": cells})
    counts = _class_counts(tasks)
    summary = _class_summary(counts)
    return {
        "number": "03",
        "title": f"CÁC NHIỆM VỤ THEO KẾT QUẢ THỰC HIỆN, ĐẾN HẾT {data.period.label.upper()}",
        "subtitle": f"(Tổng số {ph.counted(len(tasks), 'nhiệm vụ')}: {summary})" if tasks else "",
        "columns": [
            {"label": "STT", "class": "c-center w-stt"},
            {"label": "Mã", "class": "c-center w-code"},
            {"label": "Nhiệm vụ", "class": "c-left"},
            {"label": "Chủ trì", "class": "c-left w-unit"},
            {"label": "Thời hạn", "class": "c-center w-date"},
            {"label": "Kết quả", "class": "c-left w-class"},
        ],
        "groups": groups,
        "empty": "Chưa có nhiệm vụ nào trong danh mục.",
        "charts": [],
    }


# Quarter labels are used by the page that requests a report ("đến hết Quý II/2025").
def period_label(year: int) -> str:
    return f"Quý {ROMAN_QUARTERS[report_quarter(year)]}/{year}"
