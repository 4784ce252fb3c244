from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.navigation import NavItem


class ReportingConfig(AppConfig):
    """Quarterly reporting: the unit's reporting page, entry forms, the submit → review →
    approve workflow, the leaders' reporting overview and reminders."""

    name = "reporting"
    verbose_name = _("Báo cáo quý")
    navigation = (
        NavItem(_("Báo cáo của đơn vị"), "reporting:my_report", roles=("officer",), order=10),
        NavItem(_("Tình hình báo cáo"), "reporting:overview", roles=("leader", "secretariat"), order=10),
    )

    def ready(self):
        from . import signals  # noqa: F401 - connects the sign-in reminder
