import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from .exceptions import PeriodLockedError, StaleFigureError

ROMAN_QUARTERS = {1: "I", 2: "II", 3: "III", 4: "IV"}


class ReportingPeriodQuerySet(models.QuerySet):
    def for_year(self, year: int):
        return self.filter(year=year)

    def up_to(self, year: int, quarter: int):
        return self.filter(Q(year__lt=year) | Q(year=year, quarter__lte=quarter))

    def containing(self, day: datetime.date):
        return self.filter(year=day.year, quarter=(day.month - 1) // 3 + 1)

    def current(self):
        return self.containing(timezone.localdate()).first()


class ReportingPeriod(models.Model):
    """A quarter of a year ("Quý III/2024"). Quarterly figures are as at the end of the
    quarter, cumulative from the start of the year; the fourth quarter's figure is the
    year's actual."""

    year = models.PositiveSmallIntegerField(_("năm"))
    quarter = models.PositiveSmallIntegerField(_("quý"))
    cut_off_date = models.DateField(_("thời điểm chốt số liệu"))
    due_date = models.DateField(_("hạn gửi báo cáo"))

    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        ordering = ["year", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="period_unique_year_quarter"),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4),
                name="period_quarter_1_to_4",
                violation_error_message=_("Quý phải từ I đến IV."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100),
                name="period_year_in_range",
                violation_error_message=_("Năm phải trong khoảng 2000–2100."),
            ),
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("cut_off_date")),
                name="period_due_after_cut_off",
                violation_error_message=_("Hạn gửi báo cáo không được trước thời điểm chốt số liệu."),
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return f"Quý {ROMAN_QUARTERS[self.quarter]}/{self.year}"

    @property
    def roman_quarter(self) -> str:
        return ROMAN_QUARTERS[self.quarter]

    @property
    def start_date(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.quarter - 2, 1)

    @property
    def end_date(self) -> datetime.date:
        if self.quarter == 4:
            return datetime.date(self.year, 12, 31)
        return datetime.date(self.year, 3 * self.quarter + 1, 1) - datetime.timedelta(days=1)

    @staticmethod
    def default_dates(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
        """Figures are cut off on the 15th of the quarter's last month and the report is due
        five days later, as the city's quarterly reporting calendar does."""
        last_month = 3 * quarter
        return datetime.date(year, last_month, 15), datetime.date(year, last_month, 20)

    @classmethod
    def ensure(cls, year: int, quarter: int) -> "ReportingPeriod":
        cut_off, due = cls.default_dates(year, quarter)
        period, _created = cls.objects.get_or_create(
            year=year, quarter=quarter, defaults={"cut_off_date": cut_off, "due_date": due}
        )
        return period

    def previous(self) -> "ReportingPeriod | None":
        year, quarter = (self.year, self.quarter - 1) if self.quarter > 1 else (self.year - 1, 4)
        return ReportingPeriod.objects.filter(year=year, quarter=quarter).first()


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SUBMITTED = "submitted", _("Đã gửi")
    RETURNED = "returned", _("Trả lại")
    APPROVED = "approved", _("Đã duyệt")


EDITABLE_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)


class UnitReportQuerySet(models.QuerySet):
    def for_period(self, period):
        return self.filter(period=period)

    def approved(self):
        return self.filter(status=ReportStatus.APPROVED)


class UnitReport(models.Model):
    """One unit's report for one period: the workflow state of all its figures.

    draft → submitted → approved, or submitted → returned (with a reason) → submitted.
    While submitted or approved, none of the unit's figures for the period can change;
    an approved report is final until a leader reopens it with a reason.
    """

    unit = models.ForeignKey("units.OrganisationUnit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="reports")
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("kỳ báo cáo"), on_delete=models.PROTECT, related_name="unit_reports"
    )
    status = models.CharField(_("trạng thái"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người gửi"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("xem xét lúc"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xem xét"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    return_reason = models.TextField(_("lý do trả lại"), blank=True)

    objects = UnitReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("báo cáo của đơn vị")
        verbose_name_plural = _("báo cáo của đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="unit_report_unique_per_period"),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.RETURNED) | ~Q(return_reason=""),
                name="unit_report_returned_has_reason",
                violation_error_message=_("Trả lại báo cáo phải nêu lý do."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[ReportStatus.SUBMITTED, ReportStatus.APPROVED]) | Q(submitted_at__isnull=False),
                name="unit_report_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.APPROVED) | Q(reviewed_at__isnull=False),
                name="unit_report_approved_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.unit} — {self.period}"

    @property
    def is_locked(self) -> bool:
        return self.status == ReportStatus.APPROVED

    @property
    def accepts_changes(self) -> bool:
        return self.status in EDITABLE_STATUSES

    def lock_message(self) -> str:
        from django.utils.translation import gettext

        if self.status == ReportStatus.APPROVED:
            return gettext("Báo cáo %(period)s của %(unit)s đã được duyệt và khóa; số liệu không thể thay đổi.") % {
                "period": self.period.label,
                "unit": self.unit.name,
            }
        return gettext("Báo cáo %(period)s của %(unit)s đã gửi và đang chờ duyệt; chỉ sửa được khi bị trả lại.") % {
            "period": self.period.label,
            "unit": self.unit.name,
        }


class UnitReportEvent(models.Model):
    """Every transition of a unit's report: who moved it, when, and why."""

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("từ trạng thái"), max_length=20, choices=ReportStatus.choices, blank=True)
    to_status = models.CharField(_("sang trạng thái"), max_length=20, choices=ReportStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người thực hiện"), null=True, on_delete=models.PROTECT)
    reason = models.TextField(_("lý do"), blank=True)
    at = models.DateTimeField(_("thời điểm"), default=timezone.now)

    class Meta:
        verbose_name = _("lịch sử báo cáo")
        verbose_name_plural = _("lịch sử báo cáo")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.report}: {self.from_status or '—'} → {self.to_status}"


class ChangeSource(models.TextChoices):
    FORM = "form", _("Nhập trên cổng")
    ADMIN = "admin", _("Trang quản trị")
    IMPORT = "import", _("Nhập từ tệp Excel/CSV")
    SEED = "seed", _("Dữ liệu nạp sẵn")


class FigureChange(models.Model):
    """One changed field of one reported figure: who, when, old and new value.

    Values are stored as their canonical text (Decimal as '4086', choices by key, '' for
    empty) so that one table serves indicator values, project updates and task updates.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    unit = models.ForeignKey("units.OrganisationUnit", on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="+")
    field = models.CharField(_("trường"), max_length=60)
    old_value = models.TextField(_("giá trị cũ"), null=True, blank=True)
    new_value = models.TextField(_("giá trị mới"), null=True, blank=True)
    version = models.PositiveIntegerField(_("phiên bản"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thay đổi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    source = models.CharField(_("nguồn thay đổi"), max_length=20, choices=ChangeSource.choices)

    class Meta:
        verbose_name = _("lịch sử số liệu")
        verbose_name_plural = _("lịch sử số liệu")
        ordering = ["changed_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="figurechange_object")]

    def __str__(self):
        return f"{self.field}: {self.old_value} → {self.new_value}"


def canonical(value) -> str | None:
    """The text a FigureChange stores for a field value."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, models.Model):
        return str(value.pk)
    return str(value)


class ReportedFigureQuerySet(models.QuerySet):
    def _approved_report(self):
        return UnitReport.objects.filter(
            unit=models.OuterRef("unit"), period=models.OuterRef("period"), status=ReportStatus.APPROVED
        )

    def with_approval(self):
        """Annotate `is_approved`: the unit's report for the period is approved, so the
        figure is official. Anything else is provisional."""
        return self.annotate(is_approved=models.Exists(self._approved_report()))

    def approved(self):
        return self.filter(models.Exists(self._approved_report()))

    def visible_to(self, user):
        """Leaders and the secretariat see every figure; an officer sees their own unit's
        figures and the approved (official) figures of other units."""
        if user.sees_all_units:
            return self
        return self.filter(models.Q(unit_id=user.unit_id) | models.Exists(self._approved_report()))


class ReportedFigure(models.Model):
    """Base of every per-period record a unit reports (indicator value, project update,
    task update).

    `save()` is the one gate every writer goes through — forms, admin and import:
    it refuses a write when the unit's report for the period does not accept changes, and
    refuses a stale write (the `version` the writer loaded is no longer current) instead of
    silently overwriting. It records each changed field in FigureChange. Queryset
    `update()` and `bulk_create()` bypass all of this; use `bulk_write` for many rows.
    """

    #: the fields whose changes are kept in the history
    TRACKED_FIELDS: tuple[str, ...] = ()

    period = models.ForeignKey(ReportingPeriod, verbose_name=_("kỳ báo cáo"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        "units.OrganisationUnit", verbose_name=_("đơn vị báo cáo"), on_delete=models.PROTECT, related_name="+"
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
    changes = GenericRelation(FigureChange)

    objects = ReportedFigureQuerySet.as_manager()

    class Meta:
        abstract = True

    # -- the single write gate -------------------------------------------------------
    def save(self, *args, actor=None, source=ChangeSource.FORM, **kwargs):
        from backancity.text import normalise_instance_text

        # Normalise first, so that the change detection below compares stored forms.
        normalise_instance_text(type(self), self)
        self.derive_fields()
        with transaction.atomic():
            self.check_report_accepts_changes(self.unit_id, self.period_id)
            if self._state.adding or self.pk is None:
                old = None
                self.version = 1
                try:
                    with transaction.atomic():
                        self._stamp(actor)
                        super().save(*args, **kwargs)
                except IntegrityError:
                    current = self.find_existing()
                    if current is None:
                        raise
                    raise StaleFigureError(current) from None
            else:
                old = type(self)._base_manager.select_for_update().get(pk=self.pk)
                if old.version != self.version:
                    raise StaleFigureError(old)
                if not self.tracked_changes(old, self):
                    return  # nothing changed: no new version, no history row
                self.version = old.version + 1
                self._stamp(actor)
                super().save(*args, **kwargs)
            FigureChange.objects.bulk_create(self.history_rows(old, self, actor=actor, source=source))

    @classmethod
    def bulk_write(cls, figures, *, actor=None, source=ChangeSource.IMPORT):
        """Write many figures of this model at once under exactly the rules of `save()`
        (locks, versions, history), checked set-wise; see `periods.bulk`."""
        from .bulk import bulk_write

        return bulk_write(cls, figures, actor=actor, source=source)

    def derive_fields(self):
        """Compute fields that follow from others (a ratio from its parts). Called by
        `save()` and `bulk_write()` before anything is compared or written."""

    def _stamp(self, actor):
        self.updated_at = timezone.now()
        self.updated_by = actor if actor is not None and actor.is_authenticated else None

    @staticmethod
    def check_report_accepts_changes(unit_id, period_id):
        # Lock the unit's report row — creating it (as a draft) on the unit's first figure
        # of the period — so that a submission or approval cannot slip in between this
        # check and the write, whichever path (form, admin, import) writes.
        report, _created = UnitReport.objects.select_for_update().get_or_create(unit_id=unit_id, period_id=period_id)
        if not report.accepts_changes:
            raise PeriodLockedError(report)

    def find_existing(self):
        """The row that already holds this record's natural key (after a unique clash)."""
        raise NotImplementedError

    @classmethod
    def tracked_changes(cls, old, new) -> list[tuple[str, str | None, str | None]]:
        changes = []
        for name in cls.TRACKED_FIELDS:
            before = canonical(getattr(old, name)) if old is not None else None
            after = canonical(getattr(new, name))
            if before != after:
                changes.append((name, before, after))
        return changes

    @classmethod
    def history_rows(cls, old, new, *, actor, source) -> list[FigureChange]:
        content_type = ContentType.objects.get_for_model(cls)
        at = new.updated_at
        user = actor if actor is not None and actor.is_authenticated else None
        return [
            FigureChange(
                content_type=content_type,
                object_id=new.pk,
                unit_id=new.unit_id,
                period_id=new.period_id,
                field=name,
                old_value=before,
                new_value=after,
                version=new.version,
                changed_by=user,
                changed_at=at,
                source=source,
            )
            for name, before, after in cls.tracked_changes(old, new)
        ]

    # -- presentation ----------------------------------------------------------------
    def display_value(self) -> str:
        raise NotImplementedError

    def stale_message_parts(self) -> dict:
        who = self.updated_by.get_full_name() or self.updated_by.username if self.updated_by_id else _("hệ thống")
        return {
            "who": who,
            "when": formats.date_format(timezone.localtime(self.updated_at), "SHORT_DATETIME_FORMAT"),
            "value": self.display_value(),
        }
