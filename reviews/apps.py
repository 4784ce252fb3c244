from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.navigation import NavItem


class ReviewsConfig(AppConfig):
    """The annual review report: composed from the data, rendered to PDF by Celery."""

    name = "reviews"
    verbose_name = _("Báo cáo năm")
    navigation = (NavItem(_("Báo cáo năm"), "reviews:index", roles=("leader", "secretariat"), order=40),)
