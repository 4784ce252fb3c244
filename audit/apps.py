from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The security audit log: sign-ins, failures, lock-outs, denials, approvals,
    imports, report issues. Rows are append-only — the application cannot rewrite them."""

    name = "audit"
    verbose_name = _("Nhật ký an ninh")

    def ready(self):
        from . import receivers  # noqa: F401
