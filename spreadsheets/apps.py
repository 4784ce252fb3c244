from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpreadsheetsConfig(AppConfig):
    """Excel/CSV templates per unit and quarter, upload with preview, export."""

    name = "spreadsheets"
    verbose_name = _("Nhập, xuất Excel")
    navigation = ()
