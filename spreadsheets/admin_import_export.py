"""django-import-export in the admin, the way the portal needs it: only .xlsx and .csv
(read through the safe reader), the signed-in user passed to the resources (imported
figures record who changed them), and import/export each behind its own permission
(settings IMPORT_EXPORT_IMPORT_PERMISSION_CODE / EXPORT_PERMISSION_CODE)."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from import_export.admin import ImportExportMixin

from audit.models import AuditEventType
from audit.services import audit_record

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

    def _audit(self, request, event, name, **detail):
        audit_record(event, request=request, target=name, model=self.model._meta.label, **detail)

    def import_action(self, request, **kwargs):
        """The first step (read the file, dry run): a file that cannot be read, or whose
        rows are refused, is noted in the audit log."""
        response = super().import_action(request, **kwargs)
        uploaded = request.FILES.get("import_file")
        context = getattr(response, "context_data", None) or {}
        if request.method == "POST" and uploaded is not None:
            form, result = context.get("form"), context.get("result")
            refused_rows = result is not None and (result.has_errors() or result.has_validation_errors())
            if (form is not None and form.errors) or refused_rows:
                reason = "; ".join(str(error) for errors in form.errors.values() for error in errors) if form is not None else ""
                self._audit(request, AuditEventType.IMPORT_REFUSED, uploaded.name, step="preview", reason=reason)
        return response

    def process_result(self, result, request):
        """The confirm step: the package reports success whatever happened; say plainly
        when the import was refused and nothing was saved. The audit log records both."""
        name = request.POST.get("original_file_name", "")
        totals = {key: value for key, value in result.totals.items() if value}
        if result.has_errors() or result.has_validation_errors():
            self._audit(request, AuditEventType.IMPORT_REFUSED, name, step="confirm", **totals)
            for error in result.base_errors:
                messages.error(request, str(error.error))
            app_label, model_name = self.get_model_info()
            url = reverse(f"admin:{app_label}_{model_name}_changelist", current_app=self.admin_site.name)
            return HttpResponseRedirect(url)
        self._audit(request, AuditEventType.IMPORT_CONFIRMED, name, **totals)
        return super().process_result(result, request)
