import datetime
import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UploadStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Chờ xác nhận")
    CONFIRMED = "confirmed", _("Đã lưu")
    DISCARDED = "discarded", _("Đã hủy")


class FileFormat(models.TextChoices):
    XLSX = "xlsx", "Excel (.xlsx)"
    CSV = "csv", "CSV (.csv)"


class SpreadsheetUpload(models.Model):
    """A file an officer uploaded for their unit's report of one quarter, kept between
    the preview and the confirmation. The checksum ties the confirmation to the very
    bytes that were previewed; the content is dropped once the upload is discarded."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tải lên"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey("units.OrganisationUnit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(
        "periods.ReportingPeriod", verbose_name=_("kỳ báo cáo"), on_delete=models.PROTECT, related_name="+"
    )
    original_name = models.CharField(_("tên tệp"), max_length=255)
    file_format = models.CharField(_("định dạng"), max_length=10, choices=FileFormat.choices)
    content = models.BinaryField(_("nội dung"), editable=False)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(_("mã kiểm tra SHA-256"), max_length=64)
    status = models.CharField(_("trạng thái"), max_length=20, choices=UploadStatus.choices, default=UploadStatus.PREVIEWED)
    created_at = models.DateTimeField(_("tải lên lúc"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)
    created_count = models.PositiveIntegerField(_("số liệu mới"), default=0)
    updated_count = models.PositiveIntegerField(_("số liệu thay đổi"), default=0)

    class Meta:
        verbose_name = _("tệp Excel tải lên")
        verbose_name_plural = _("tệp Excel tải lên")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=UploadStatus.CONFIRMED) | Q(confirmed_at__isnull=False),
                name="spreadsheet_upload_confirmed_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.original_name} ({self.unit} — {self.period})"

    @staticmethod
    def checksum(content: bytes) -> str:
        return hashlib.sha256(content).hexdigest()

    @property
    def expires_at(self):
        return self.created_at + datetime.timedelta(hours=settings.SPREADSHEETS_UPLOAD_HOURS)

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def awaits_confirmation(self) -> bool:
        return self.status == UploadStatus.PREVIEWED and not self.is_expired
