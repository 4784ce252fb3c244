from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.navigation import NavItem


class DashboardsConfig(AppConfig):
    """Leaders' dashboards: overview, indicators, projects, tasks, units."""

    name = "dashboards"
    verbose_name = _("Bảng điều hành")
    # Officers get the same pages, narrowed to their own unit's slice.
    navigation = (NavItem(_("Bảng điều hành"), "dashboards:overview", roles=("leader", "secretariat", "officer"), order=20),)
