from django.db import models
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from periods.models import ReportedFigure


class Resolution(models.Model):
    """A party resolution, e.g. 29-NQ/TU of the provincial standing committee."""

    number = models.CharField(_("số hiệu"), max_length=40, unique=True, help_text=_("Ví dụ: 29-NQ/TU"))
    title = models.CharField(_("trích yếu"), max_length=400)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200)
    issued_on = models.DateField(_("ngày ban hành"))
    horizon_year = models.PositiveSmallIntegerField(_("mục tiêu đến năm"))
    vision_year = models.PositiveSmallIntegerField(_("tầm nhìn đến năm"))

    class Meta:
        verbose_name = _("nghị quyết")
        verbose_name_plural = _("nghị quyết")
        ordering = ["-issued_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(vision_year__gte=models.F("horizon_year")),
                name="resolution_vision_after_horizon",
                violation_error_message=_("Năm tầm nhìn phải không sớm hơn năm mục tiêu."),
            ),
            models.CheckConstraint(
                condition=Q(horizon_year__gte=2000, horizon_year__lte=2100),
                name="resolution_horizon_in_range",
                violation_error_message=_("Năm mục tiêu phải trong khoảng 2000–2100."),
            ),
        ]

    def __str__(self):
        return f"Nghị quyết số {self.number}"


class GoalKind(models.TextChoices):
    GENERAL = "general", _("Mục tiêu tổng quát")
    SPECIFIC = "specific", _("Mục tiêu cụ thể")


class Goal(models.Model):
    resolution = models.ForeignKey(Resolution, verbose_name=_("nghị quyết"), on_delete=models.CASCADE, related_name="goals")
    kind = models.CharField(_("loại mục tiêu"), max_length=20, choices=GoalKind.choices)
    text = models.TextField(_("nội dung"))
    sort_order = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("mục tiêu")
        verbose_name_plural = _("mục tiêu")
        ordering = ["resolution", "kind", "sort_order"]

    def __str__(self):
        return self.text[:80]


class ActionProgramme(models.Model):
    """The city's action programme that makes a resolution concrete, e.g. 11-CTr/TU."""

    number = models.CharField(_("số hiệu"), max_length=40, unique=True, help_text=_("Ví dụ: 11-CTr/TU"))
    title = models.CharField(_("trích yếu"), max_length=400)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200)
    issued_on = models.DateField(_("ngày ban hành"))
    resolution = models.ForeignKey(
        Resolution, verbose_name=_("thực hiện nghị quyết"), on_delete=models.PROTECT, related_name="programmes"
    )

    class Meta:
        verbose_name = _("chương trình hành động")
        verbose_name_plural = _("chương trình hành động")
        ordering = ["-issued_on"]

    def __str__(self):
        return f"Chương trình hành động số {self.number}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.resolution_id and self.issued_on and self.issued_on < self.resolution.issued_on:
            raise ValidationError({"issued_on": _("Chương trình không thể ban hành trước nghị quyết mà nó thực hiện.")})


class SteeringCommittee(models.Model):
    """The Steering Committee (Ban Chỉ đạo) that directs the resolution's implementation."""

    name = models.CharField(_("tên"), max_length=300)
    resolution = models.ForeignKey(
        Resolution, verbose_name=_("nghị quyết"), on_delete=models.PROTECT, related_name="steering_committees"
    )
    established_by = models.CharField(_("cơ quan thành lập"), max_length=200)
    established_on = models.DateField(_("ngày thành lập"), null=True, blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=60, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("ban chỉ đạo")
        verbose_name_plural = _("ban chỉ đạo")

    def __str__(self):
        return self.name


class MemberRole(models.TextChoices):
    HEAD = "head", _("Trưởng ban")
    DEPUTY = "deputy", _("Phó Trưởng ban")
    MEMBER = "member", _("Thành viên")


class SteeringCommitteeMember(models.Model):
    committee = models.ForeignKey(
        SteeringCommittee, verbose_name=_("ban chỉ đạo"), on_delete=models.CASCADE, related_name="members"
    )
    full_name = models.CharField(_("họ và tên"), max_length=120)
    position = models.CharField(_("chức vụ"), max_length=200, blank=True)
    role = models.CharField(_("vai trò trong ban"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)
    unit = models.ForeignKey(
        "units.OrganisationUnit",
        verbose_name=_("đơn vị công tác"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assignment = models.TextField(_("nhiệm vụ được phân công"), blank=True)
    sort_order = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("thành viên ban chỉ đạo")
        verbose_name_plural = _("thành viên ban chỉ đạo")
        ordering = ["committee", "sort_order", "full_name"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "full_name"], name="steering_member_unique_name"),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.get_role_display()})"


class Field(models.Model):
    """A field of work (lĩnh vực) that groups tasks, indicators and report sections."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=200, unique=True)
    sort_order = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class TaskQuerySet(models.QuerySet):
    def for_unit(self, unit):
        """Tasks a unit answers for, as lead or supporting unit."""
        return self.filter(Q(lead_unit=unit) | Q(supporting_units=unit)).distinct()

    def started_by(self, day):
        """Tasks begun by `day` (or with no start date): the ones a period reports on."""
        return self.filter(Q(start_date__isnull=True) | Q(start_date__lte=day))

    def with_lead_status(self, period, *, approved_only: bool = False):
        """Annotate `lead_status` and `lead_completed_on`: the lead unit's latest update up
        to `period` (only approved ones with `approved_only`), in one query. Feed them to
        `Task.classify()`."""
        updates = TaskUpdate.objects.filter(task=models.OuterRef("pk"), unit=models.OuterRef("lead_unit")).filter(
            Q(period__year__lt=period.year) | Q(period__year=period.year, period__quarter__lte=period.quarter)
        )
        if approved_only:
            updates = updates.approved()
        latest = updates.order_by("-period__year", "-period__quarter")
        return self.annotate(
            lead_status=models.Subquery(latest.values("status")[:1]),
            lead_completed_on=models.Subquery(latest.values("completed_on")[:1]),
        )

    def with_catalogue(self):
        return self.select_related("field", "lead_unit", "steering_member", "programme").prefetch_related("supporting_units")


class Task(models.Model):
    """A task of the action programme, with the units that answer for it."""

    programme = models.ForeignKey(ActionProgramme, verbose_name=_("chương trình"), on_delete=models.PROTECT, related_name="tasks")
    code = models.CharField(_("mã nhiệm vụ"), max_length=40)
    field = models.ForeignKey(Field, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="tasks")
    content = models.TextField(_("nội dung nhiệm vụ"))
    clause = models.CharField(_("căn cứ (mục, điểm của văn bản)"), max_length=200, blank=True)
    lead_unit = models.ForeignKey(
        "units.OrganisationUnit", verbose_name=_("đơn vị chủ trì"), on_delete=models.PROTECT, related_name="led_tasks"
    )
    supporting_units = models.ManyToManyField(
        "units.OrganisationUnit", verbose_name=_("đơn vị phối hợp"), blank=True, related_name="supported_tasks"
    )
    steering_member = models.ForeignKey(
        SteeringCommitteeMember,
        verbose_name=_("thành viên BCĐ phụ trách"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    start_date = models.DateField(_("ngày bắt đầu"), null=True, blank=True)
    deadline = models.DateField(_("thời hạn hoàn thành"), null=True, blank=True)
    is_recurring = models.BooleanField(_("thường xuyên"), default=False)
    source = models.CharField(_("nguồn thông tin"), max_length=300, blank=True)
    sort_order = models.PositiveIntegerField(_("thứ tự"), default=0)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["programme", "field__sort_order", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="task_code_unique_in_programme"),
            models.CheckConstraint(
                condition=Q(is_recurring=False) | Q(deadline__isnull=True),
                name="task_recurring_has_no_deadline",
                violation_error_message=_("Nhiệm vụ thường xuyên không có thời hạn hoàn thành."),
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(deadline__isnull=True) | Q(deadline__gte=models.F("start_date")),
                name="task_deadline_after_start",
                violation_error_message=_("Thời hạn hoàn thành không được trước ngày bắt đầu."),
            ),
        ]

    def __str__(self):
        return f"{self.code}: {self.content[:80]}"

    def classify(self, as_of):
        """The task's class as of a day, from a queryset annotated `with_lead_status`."""
        from .classification import classify

        return classify(
            is_recurring=self.is_recurring,
            deadline=self.deadline,
            status=getattr(self, "lead_status", None),
            completed_on=getattr(self, "lead_completed_on", None),
            as_of=as_of,
        )

    @property
    def deadline_label(self) -> str:
        if self.is_recurring:
            return str(_("Thường xuyên"))
        if self.deadline:
            return formats.date_format(self.deadline, "SHORT_DATE_FORMAT")
        return str(_("Chưa xác định"))


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa thực hiện")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Đã hoàn thành")
    DONE_LATE = "done_late", _("Hoàn thành chậm")
    RECURRING = "recurring", _("Thực hiện thường xuyên")


class TaskUpdate(ReportedFigure):
    """What a unit reports on a task for a period (lead and supporting units each report)."""

    TRACKED_FIELDS = ("status", "narrative", "completed_on")

    task = models.ForeignKey(Task, verbose_name=_("nhiệm vụ"), on_delete=models.PROTECT, related_name="updates")
    status = models.CharField(_("tình hình thực hiện"), max_length=20, choices=TaskStatus.choices)
    narrative = models.TextField(_("kết quả thực hiện"), blank=True)
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)

    class Meta:
        verbose_name = _("cập nhật nhiệm vụ")
        verbose_name_plural = _("cập nhật nhiệm vụ")
        # The latest update of a task by its lead unit is read on every dashboard.
        indexes = [models.Index(fields=["task", "unit", "period"], name="task_update_task_unit_period")]
        constraints = [
            models.UniqueConstraint(fields=["task", "period", "unit"], name="task_update_unique_per_period_unit"),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(status__in=["done", "done_late"]),
                name="task_update_completed_only_when_done",
                violation_error_message=_("Chỉ nhiệm vụ đã hoàn thành mới có ngày hoàn thành."),
            ),
        ]

    def __str__(self):
        return f"{self.task.code} — {self.period}"

    def find_existing(self):
        return TaskUpdate.objects.filter(task_id=self.task_id, period_id=self.period_id, unit_id=self.unit_id).first()

    def display_value(self) -> str:
        return str(self.get_status_display())
