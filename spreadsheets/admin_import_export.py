"""django-import-export in the admin, the way the portal needs it: only .xlsx and .csv
(read through the safe reader), the signed-in user passed to the resources (imported
figures record who changed them), and import/export each behind its own permission
(settings IMPORT_EXPORT_IMPORT_PERMISSION_CODE / EXPORT_PERMISSION_CODE)."""

from import_export.admin import ImportExportMixin

from .formats import FORMATS


class PortalImportExportMixin(ImportExportMixin):
    formats = FORMATS
    import_error_display = ("message",)

    def get_import_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    def get_export_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        # Also passed by the resources themselves: one invalid row, nothing saved.
        kwargs["rollback_on_validation_errors"] = True
        return kwargs
