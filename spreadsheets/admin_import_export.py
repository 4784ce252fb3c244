"""django-import-export in the admin, the way the portal needs it: only .xlsx and .csv
(read through the safe reader), the signed-in user passed to the resources (imported
figures record who changed them), and import/export each behind its own permission
(settings IMPORT_EXPORT_IMPORT_PERMISSION_CODE / EXPORT_PERMISSION_CODE)."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
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

    def process_result(self, result, request):
        """The confirm step: the package reports success whatever happened; say plainly
        when the import was refused and nothing was saved."""
        if result.has_errors() or result.has_validation_errors():
            for error in result.base_errors:
                messages.error(request, str(error.error))
            app_label, model_name = self.get_model_info()
            url = reverse(f"admin:{app_label}_{model_name}_changelist", current_app=self.admin_site.name)
            return HttpResponseRedirect(url)
        return super().process_result(result, request)
