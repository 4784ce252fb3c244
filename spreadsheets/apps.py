from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from portal.navigation import NavItem


class SpreadsheetsConfig(AppConfig):
    """Excel/CSV templates per unit and quarter, upload with preview, export."""

    name = "spreadsheets"
    verbose_name = _("Nhập, xuất Excel")
    # Role values as strings: models cannot be imported while the app registry loads.
    # Officers fill templates, leaders take data out, the secretariat does both.
    navigation = (NavItem(_("Nhập/xuất Excel"), "spreadsheets:index", roles=("officer", "leader", "secretariat"), order=60),)

    def ready(self):
        from .permissions import create_import_export_permissions

        post_migrate.connect(create_import_export_permissions, sender=self, dispatch_uid="spreadsheets_import_export_perms")
