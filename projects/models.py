from django.db import models
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from periods.models import ReportedFigure


class ProjectCategory(models.TextChoices):
    KEY_PROJECT = "key_project", _("Dự án trọng điểm")
    TRANSPORT = "transport", _("Giao thông")
    RESIDENTIAL_AREA = "residential_area", _("Khu dân cư")
    URBAN_INFRASTRUCTURE = "urban_infrastructure", _("Hạ tầng đô thị")
    SCHOOL = "school", _("Trường học")
    MARKET = "market", _("Chợ, thương mại")
    INDUSTRIAL_CLUSTER = "industrial_cluster", _("Cụm công nghiệp")
    INVESTMENT_ATTRACTION = "investment_attraction", _("Dự án thu hút đầu tư")
    TOURISM = "tourism", _("Du lịch")
    VALUE_CHAIN = "value_chain", _("Liên kết chuỗi giá trị")
    OTHER = "other", _("Khác")


class Phase(models.TextChoices):
    PLANNING = "planning", _("Quy hoạch")
    PREPARATION = "preparation", _("Chuẩn bị đầu tư")
    SITE_CLEARANCE = "site_clearance", _("Giải phóng mặt bằng")
    CONSTRUCTION = "construction", _("Thi công")
    COMPLETED = "completed", _("Hoàn thành")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Chưa triển khai")
    ONGOING = "ongoing", _("Đang triển khai")
    SUSPENDED = "suspended", _("Tạm dừng")
    COMPLETED = "completed", _("Đã hoàn thành")


class ProjectQuerySet(models.QuerySet):
    def key_projects(self):
        return self.filter(is_key=True)

    def for_unit(self, unit):
        return self.filter(managing_unit=unit)

    def with_catalogue(self):
        return self.select_related("managing_unit", "locality")


class Project(models.Model):
    """A project or works the programme follows: key projects, residential areas,
    industrial clusters, schools, markets, investment-attraction projects…"""

    code = models.SlugField(_("mã dự án"), max_length=60, unique=True)
    name = models.CharField(_("tên dự án, công trình"), max_length=400)
    category = models.CharField(_("loại"), max_length=32, choices=ProjectCategory.choices)
    is_key = models.BooleanField(_("dự án trọng điểm"), default=False)
    investor = models.CharField(_("chủ đầu tư"), max_length=300, blank=True)
    managing_unit = models.ForeignKey(
        "units.OrganisationUnit",
        verbose_name=_("đơn vị theo dõi, báo cáo"),
        on_delete=models.PROTECT,
        related_name="managed_projects",
    )
    location = models.CharField(_("địa điểm"), max_length=300, blank=True)
    locality = models.ForeignKey(
        "units.OrganisationUnit",
        verbose_name=_("phường, xã"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="local_projects",
    )
    total_investment = models.DecimalField(_("tổng mức đầu tư (đồng)"), max_digits=18, decimal_places=0, null=True, blank=True)
    start_year = models.PositiveSmallIntegerField(_("thực hiện từ năm"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("hoàn thành năm (kế hoạch)"), null=True, blank=True)
    phase = models.CharField(_("giai đoạn"), max_length=20, choices=Phase.choices, blank=True)
    status = models.CharField(_("trạng thái"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.ONGOING)
    tasks = models.ManyToManyField("resolutions.Task", verbose_name=_("phục vụ nhiệm vụ"), blank=True, related_name="projects")
    description = models.TextField(_("mô tả"), blank=True)
    source = models.CharField(_("nguồn thông tin"), max_length=300, blank=True)
    sort_order = models.PositiveIntegerField(_("thứ tự"), default=0)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("dự án, công trình")
        verbose_name_plural = _("dự án, công trình")
        ordering = ["-is_key", "sort_order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_investment__isnull=True) | Q(total_investment__gte=0),
                name="project_investment_not_negative",
                violation_error_message=_("Tổng mức đầu tư không được âm."),
            ),
            models.CheckConstraint(
                condition=Q(start_year__isnull=True) | Q(end_year__isnull=True) | Q(end_year__gte=models.F("start_year")),
                name="project_end_not_before_start",
                violation_error_message=_("Năm hoàn thành không được trước năm khởi công."),
            ),
            models.CheckConstraint(
                condition=Q(start_year__isnull=True) | Q(start_year__gte=1990, start_year__lte=2100),
                name="project_start_year_in_range",
                violation_error_message=_("Năm khởi công phải trong khoảng 1990–2100."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def years_label(self) -> str:
        if self.start_year and self.end_year:
            return f"{self.start_year}–{self.end_year}"
        return str(self.start_year or self.end_year or "")


class ProjectUpdate(ReportedFigure):
    """A project's state at the end of a period: cumulative progress and disbursement."""

    TRACKED_FIELDS = (
        "progress_percent",
        "allocated_capital",
        "disbursed_amount",
        "phase",
        "obstacles",
        "recommendations",
        "narrative",
    )

    project = models.ForeignKey(Project, verbose_name=_("dự án"), on_delete=models.PROTECT, related_name="updates")
    progress_percent = models.DecimalField(_("tiến độ (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    allocated_capital = models.DecimalField(
        _("vốn đã bố trí lũy kế (đồng)"), max_digits=18, decimal_places=0, null=True, blank=True
    )
    disbursed_amount = models.DecimalField(_("giải ngân lũy kế (đồng)"), max_digits=18, decimal_places=0, null=True, blank=True)
    phase = models.CharField(_("giai đoạn"), max_length=20, choices=Phase.choices, blank=True)
    narrative = models.TextField(_("kết quả thực hiện"), blank=True)
    obstacles = models.TextField(_("khó khăn, vướng mắc"), blank=True)
    recommendations = models.TextField(_("kiến nghị, đề xuất"), blank=True)

    class Meta:
        verbose_name = _("cập nhật dự án")
        verbose_name_plural = _("cập nhật dự án")
        constraints = [
            models.UniqueConstraint(fields=["project", "period"], name="project_update_unique_per_period"),
            models.CheckConstraint(
                condition=Q(progress_percent__isnull=True) | Q(progress_percent__gte=0, progress_percent__lte=100),
                name="project_update_progress_0_100",
                violation_error_message=_("Tiến độ phải từ 0 đến 100%%."),  # %% : Django formats it
            ),
            models.CheckConstraint(
                condition=Q(allocated_capital__isnull=True) | Q(allocated_capital__gte=0),
                name="project_update_allocated_not_negative",
                violation_error_message=_("Vốn bố trí không được âm."),
            ),
            models.CheckConstraint(
                condition=Q(disbursed_amount__isnull=True) | Q(disbursed_amount__gte=0),
                name="project_update_disbursed_not_negative",
                violation_error_message=_("Số giải ngân không được âm."),
            ),
            models.CheckConstraint(
                condition=Q(disbursed_amount__isnull=True)
                | Q(allocated_capital__isnull=True)
                | Q(disbursed_amount__lte=models.F("allocated_capital")),
                name="project_update_disbursed_within_allocated",
                violation_error_message=_("Số giải ngân không được vượt vốn đã bố trí."),
            ),
        ]

    def __str__(self):
        return f"{self.project} — {self.period}"

    def find_existing(self):
        return ProjectUpdate.objects.filter(project_id=self.project_id, period_id=self.period_id).first()

    def display_value(self) -> str:
        if self.progress_percent is None:
            return str(self.get_phase_display() or self.narrative[:80])
        return f"{formats.number_format(self.progress_percent, 2, use_l10n=True)}% — {self.get_phase_display()}"
