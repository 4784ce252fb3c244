from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    """Leaders' dashboards: overview, indicators, projects, tasks, units."""

    name = "dashboards"
    verbose_name = _("Bảng điều hành")
    navigation = ()
