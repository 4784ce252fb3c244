from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    """Quarterly reporting: the unit's reporting page, entry forms, the submit → review →
    approve workflow, the leaders' reporting overview and reminders."""

    name = "reporting"
    verbose_name = _("Báo cáo quý")
    navigation = ()
