from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The web shell: layout, sign-in, home page, navigation and display filters."""

    name = "portal"
    verbose_name = _("Cổng thông tin")
