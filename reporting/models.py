from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReminderStatus(models.TextChoices):
    PENDING = "pending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi lỗi")
    NO_RECIPIENT = "no_recipient", _("Không có địa chỉ nhận")


class ReportReminder(models.Model):
    """One reminder to one unit about one period on one day. The unique day makes the
    periodic task idempotent: running it again the same day sends nothing twice, while a
    failed send is retried by the next run."""

    unit = models.ForeignKey("units.OrganisationUnit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(
        "periods.ReportingPeriod", verbose_name=_("kỳ báo cáo"), on_delete=models.PROTECT, related_name="+"
    )
    sent_on = models.DateField(_("ngày nhắc"))
    status = models.CharField(_("trạng thái"), max_length=20, choices=ReminderStatus.choices, default=ReminderStatus.PENDING)
    recipients = models.TextField(_("người nhận"), blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thư nhắc báo cáo")
        verbose_name_plural = _("thư nhắc báo cáo")
        ordering = ["-sent_on", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period", "sent_on"], name="report_reminder_once_a_day"),
        ]

    def __str__(self):
        return f"{self.unit} — {self.period} — {self.sent_on}"


class ReportEventNotice(models.Model):
    """The e-mail about one report event (returned, reopened, approved) has gone out.
    Tasks are acknowledged late and may be delivered twice (a worker that died, a
    message redelivered): the unique event makes the second delivery send nothing."""

    event = models.OneToOneField("periods.UnitReportEvent", verbose_name=_("sự kiện"), on_delete=models.CASCADE, related_name="+")
    recipients = models.TextField(_("người nhận"), blank=True)
    sent_at = models.DateTimeField(_("gửi lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("thư báo kết quả xem xét báo cáo")
        verbose_name_plural = _("thư báo kết quả xem xét báo cáo")

    def __str__(self):
        return f"{self.event_id} — {self.sent_at:%d/%m/%Y %H:%M}"
