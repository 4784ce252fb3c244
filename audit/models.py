from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEventType(models.TextChoices):
    LOGIN = "login", _("Đăng nhập")
    LOGIN_FAILED = "login_failed", _("Đăng nhập thất bại")
    LOCKED_OUT = "locked_out", _("Bị khóa đăng nhập")
    LOGOUT = "logout", _("Đăng xuất")
    TWO_FACTOR_VERIFIED = "otp_verified", _("Xác thực hai bước")
    TWO_FACTOR_FAILED = "otp_failed", _("Mã xác thực sai")
    TWO_FACTOR_ENROLLED = "otp_enrolled", _("Kích hoạt xác thực hai bước")
    TWO_FACTOR_REMOVED = "otp_removed", _("Tắt xác thực hai bước")
    PASSWORD_CHANGED = "password_changed", _("Đổi mật khẩu")
    PASSWORD_SET_BY_ADMIN = "password_set_by_admin", _("Quản trị viên đặt mật khẩu")
    SESSION_EXPIRED = "session_expired", _("Hết phiên làm việc")
    ACCESS_DENIED = "denied", _("Từ chối truy cập")
    REPORT_SUBMITTED = "report_submitted", _("Gửi báo cáo")
    REPORT_RETURNED = "report_returned", _("Trả lại báo cáo")
    REPORT_APPROVED = "report_approved", _("Duyệt báo cáo")
    REPORT_REOPENED = "report_reopened", _("Mở lại báo cáo")
    IMPORT_CONFIRMED = "import_confirmed", _("Nhập dữ liệu từ tệp")
    IMPORT_REFUSED = "import_refused", _("Từ chối tệp nhập")
    REVIEW_REQUESTED = "review_requested", _("Yêu cầu lập báo cáo năm")
    REVIEW_ISSUED = "review_issued", _("Phát hành báo cáo năm")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("Audit events cannot be changed.")

    def delete(self):
        raise PermissionDenied("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    """One security-relevant event. The model refuses updates and deletes, and a
    database trigger (see the migration) refuses them too, for any code path."""

    at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    event = models.CharField(_("sự kiện"), max_length=30, choices=AuditEventType.choices, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    username = models.CharField(_("tên đăng nhập"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    path = models.CharField(_("đường dẫn"), max_length=500, blank=True)
    target = models.CharField(_("đối tượng"), max_length=300, blank=True)
    detail = models.JSONField(_("chi tiết"), default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("sự kiện an ninh")
        verbose_name_plural = _("nhật ký an ninh")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.event} {self.username}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Audit events cannot be deleted.")
