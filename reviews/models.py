from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReviewPart(models.TextChoices):
    """The parts of an annual review that carry text, in the order the report prints them.

    The first nine follow the fields of work (`PART_FIELDS` in compose.py); the others are
    the overall assessment, the directions for the next year and the list of recipients.
    """

    LEADERSHIP = "leadership", _("Công tác lãnh đạo, chỉ đạo, quán triệt, tuyên truyền")
    INVESTMENT = "investment", _("Dự án trọng điểm, đầu tư và hạ tầng đô thị")
    TRADE = "trade", _("Thương mại, dịch vụ và du lịch")
    INDUSTRY = "industry", _("Công nghiệp – tiểu thủ công nghiệp")
    AGRICULTURE = "agriculture", _("Nông lâm nghiệp, kinh tế tập thể và hợp tác xã")
    CULTURE_SOCIETY = "culture_society", _("Văn hóa – xã hội")
    DEFENCE_SECURITY = "defence_security", _("Quốc phòng – an ninh")
    POLITICAL_SYSTEM = "political_system", _("Xây dựng hệ thống chính trị")
    DIGITAL_REFORM = "digital_reform", _("Chuyển đổi số, cải cách hành chính")
    STRENGTHS = "strengths", _("Ưu điểm")
    LIMITS = "limits", _("Hạn chế")
    CAUSES = "causes", _("Nguyên nhân")
    DIRECTIONS = "directions", _("Phương hướng, nhiệm vụ năm tới")
    RECIPIENTS = "recipients", _("Nơi nhận")


class NarrativeSource(models.TextChoices):
    FORM = "form", _("Văn phòng viết trên cổng")
    SEED = "seed", _("Nạp sẵn từ nguồn đã công bố")


NARRATIVE_MAX_LENGTH = 20_000


class PartNarrative(models.Model):
    """The text the secretariat writes for one part of one year's review: the current
    version. Every saved version is kept in PartNarrativeRevision; a writer who loaded an
    older version is refused instead of overwriting someone else's text."""

    year = models.PositiveSmallIntegerField(_("năm"))
    part = models.CharField(_("phần của báo cáo"), max_length=30, choices=ReviewPart.choices)
    text = models.TextField(_("nội dung"), blank=True, max_length=NARRATIVE_MAX_LENGTH)
    include_figures = models.BooleanField(
        _("in kèm các câu số liệu tự động"),
        default=True,
        help_text=_("Bỏ chọn khi nội dung đã nêu đủ số liệu, để báo cáo không lặp lại."),
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=0)
    updated_at = models.DateTimeField(_("cập nhật lúc"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cập nhật"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("nội dung phần báo cáo năm")
        verbose_name_plural = _("nội dung phần báo cáo năm")
        ordering = ["year", "part"]
        constraints = [
            models.UniqueConstraint(fields=["year", "part"], name="review_narrative_unique_year_part"),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100),
                name="review_narrative_year_in_range",
                violation_error_message=_("Năm phải trong khoảng 2000–2100."),
            ),
        ]

    def __str__(self):
        return f"{self.get_part_display()} — {self.year}"


class PartNarrativeRevision(models.Model):
    """One saved version of a part's text: who wrote it, when, from where."""

    narrative = models.ForeignKey(PartNarrative, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField(_("phiên bản"))
    text = models.TextField(_("nội dung"), blank=True)
    include_figures = models.BooleanField(_("in kèm các câu số liệu tự động"), default=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người viết"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    written_at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    source = models.CharField(_("nguồn"), max_length=10, choices=NarrativeSource.choices, default=NarrativeSource.FORM)
    note = models.CharField(_("ghi chú"), max_length=400, blank=True)

    class Meta:
        verbose_name = _("lịch sử nội dung báo cáo năm")
        verbose_name_plural = _("lịch sử nội dung báo cáo năm")
        ordering = ["narrative", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["narrative", "version"], name="review_revision_unique_version"),
        ]

    def __str__(self):
        return f"{self.narrative} v{self.version}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    COMPOSING = "composing", _("Đang tổng hợp nội dung")
    RENDERING = "rendering", _("Đang dựng PDF")
    DONE = "done", _("Hoàn thành")
    FAILED = "failed", _("Lỗi")


RUNNING_STATUSES = (JobStatus.QUEUED, JobStatus.COMPOSING, JobStatus.RENDERING)


class ReviewJobQuerySet(models.QuerySet):
    def for_year(self, year: int):
        return self.filter(year=year)

    def running(self):
        return self.filter(status__in=RUNNING_STATUSES)

    def for_listing(self):
        # The listing never needs the composed snapshot, which can weigh hundreds of KB.
        return self.select_related("requested_by").defer("content")


class ReviewJob(models.Model):
    """One issued version of a year's review: the request, the job's progress, what it was
    built from, and the PDF. Versions are numbered per year and never deleted, so every
    earlier version stays downloadable."""

    year = models.PositiveSmallIntegerField(_("năm"))
    version = models.PositiveIntegerField(_("bản số"))
    document_number = models.CharField(_("số văn bản"), max_length=20, blank=True)
    report_date = models.DateField(_("ngày báo cáo"))
    signer_position = models.CharField(_("chức vụ người ký"), max_length=100, blank=True)
    signer_name = models.CharField(_("họ tên người ký"), max_length=120, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người yêu cầu"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("yêu cầu lúc"), default=timezone.now)

    status = models.CharField(_("trạng thái"), max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    failure_reason = models.TextField(_("lý do lỗi"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    # When the job's message last reached the broker. Empty while the broker was down at
    # request time: the sweep (services.review_jobs_sweep) publishes it once it is back.
    published_at = models.DateTimeField(_("gửi vào hàng đợi lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    # What the report was built from: the composed content itself (a re-run renders this
    # snapshot again rather than newer data) and the latest history rows it had seen.
    content = models.JSONField(_("nội dung đã tổng hợp"), null=True, blank=True)
    content_sha256 = models.CharField(_("mã băm nội dung"), max_length=64, blank=True)
    last_figure_change_id = models.BigIntegerField(_("lịch sử số liệu đến mục"), null=True, blank=True)
    last_report_event_id = models.BigIntegerField(_("lịch sử duyệt đến mục"), null=True, blank=True)
    last_narrative_revision_id = models.BigIntegerField(_("lịch sử nội dung đến mục"), null=True, blank=True)
    compose_ms = models.PositiveIntegerField(_("thời gian tổng hợp (ms)"), null=True, blank=True)
    render_ms = models.PositiveIntegerField(_("thời gian dựng PDF (ms)"), null=True, blank=True)

    pdf = models.FileField(_("tệp PDF"), max_length=255, blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 của tệp"), max_length=64, blank=True)
    pdf_size = models.PositiveBigIntegerField(_("dung lượng (byte)"), null=True, blank=True)
    page_count = models.PositiveIntegerField(_("số trang"), null=True, blank=True)

    objects = ReviewJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("bản báo cáo năm")
        verbose_name_plural = _("bản báo cáo năm")
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="review_job_unique_year_version"),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100),
                name="review_job_year_in_range",
                violation_error_message=_("Năm phải trong khoảng 2000–2100."),
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="review_job_progress_max_100"),
            models.CheckConstraint(
                condition=~Q(status=JobStatus.FAILED) | ~Q(failure_reason=""),
                name="review_job_failed_has_reason",
                violation_error_message=_("Bản lỗi phải ghi lý do."),
            ),
            models.CheckConstraint(
                condition=~Q(status=JobStatus.DONE)
                | (~Q(pdf="") & Q(pdf_size__gt=0) & Q(page_count__gt=0) & Q(progress=100) & ~Q(pdf_sha256="")),
                name="review_job_done_has_file",
                violation_error_message=_("Bản hoàn thành phải có tệp PDF."),
            ),
        ]

    def __str__(self):
        return f"Báo cáo năm {self.year} — bản {self.version}"

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING_STATUSES

    @property
    def is_done(self) -> bool:
        return self.status == JobStatus.DONE

    @property
    def download_name(self) -> str:
        # ASCII only: some mail clients and old Windows tools mangle Vietnamese file names.
        return f"bao-cao-nam-{self.year}-NQ29-ban-{self.version}.pdf"

    def storage_name(self) -> str:
        """Where the PDF lives under MEDIA_ROOT: fixed by the job, so a re-run replaces
        the same file instead of adding a second one."""
        return f"bao-cao-nam/{self.year}/bao-cao-nam-{self.year}-ban-{self.version}-{self.pk}.pdf"
