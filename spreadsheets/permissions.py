"""Import and export are permissions of their own, per model ("import_indicator",
"export_indicator"): by default django-import-export lets anyone with admin access to a
model import into it. The settings IMPORT_EXPORT_IMPORT_PERMISSION_CODE /
EXPORT_PERMISSION_CODE make the admin ask for them; this module creates them, for every
model whose admin offers import or export, after each `migrate`."""

from django.contrib import admin
from import_export.admin import ExportMixin, ImportMixin

ACTIONS = {
    "import": "Được nhập từ tệp Excel/CSV: %s",
    "export": "Được xuất ra tệp Excel/CSV: %s",
}


def import_export_models():
    """Models whose admin (on the default site) offers import or export."""
    return [model for model, model_admin in admin.site._registry.items() if isinstance(model_admin, ImportMixin | ExportMixin)]


def create_import_export_permissions(**kwargs):
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    using = kwargs.get("using", "default")
    for model in import_export_models():
        content_type = ContentType.objects.db_manager(using).get_for_model(model, for_concrete_model=False)
        for action, name in ACTIONS.items():
            Permission.objects.db_manager(using).get_or_create(
                content_type=content_type,
                codename=f"{action}_{model._meta.model_name}",
                defaults={"name": (name % model._meta.verbose_name)[:255]},
            )
