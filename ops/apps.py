from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operations: health check, backup and restore, structured logs."""

    name = "ops"
    verbose_name = _("Vận hành")
