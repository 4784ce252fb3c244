from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect

from .exceptions import FigureWriteError, PeriodLockedError, StaleFigureError
from .models import ChangeSource, FigureChange, ReportingPeriod, UnitReport, UnitReportEvent


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["label", "cut_off_date", "due_date"]
    list_filter = ["year"]
    ordering = ["-year", "-quarter"]
    search_fields = ["year"]


class UnitReportEventInline(admin.TabularInline):
    model = UnitReportEvent
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "reason", "at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(UnitReport)
class UnitReportAdmin(admin.ModelAdmin):
    """Read-only here: the workflow (submit, return, approve, reopen) goes through the
    reporting pages so that every transition is checked and logged."""

    list_display = ["unit", "period", "status", "submitted_at", "reviewed_at"]
    list_filter = ["status", "period"]
    search_fields = ["unit__name"]
    inlines = [UnitReportEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FigureChange)
class FigureChangeAdmin(admin.ModelAdmin):
    list_display = ["changed_at", "content_type", "object_id", "field", "old_value", "new_value", "changed_by", "source"]
    list_filter = ["source", "content_type", "period"]
    date_hierarchy = "changed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReportedFigureAdminForm(forms.ModelForm):
    """Carries the version the editor loaded, so a stale admin save is refused like a
    stale form save, and checks the period lock before the user loses their input."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        if instance.pk and cleaned.get("version") is not None and cleaned["version"] != instance.version:
            raise forms.ValidationError(str(StaleFigureError(instance)))
        unit = cleaned.get("unit") or (instance.unit if instance.unit_id else None)
        period = cleaned.get("period") or (instance.period if instance.period_id else None)
        if unit and period:
            report = UnitReport.objects.filter(unit=unit, period=period).first()
            if report is not None and not report.accepts_changes:
                raise forms.ValidationError(str(PeriodLockedError(report)))
        return cleaned


class ReportedFigureAdmin(admin.ModelAdmin):
    form = ReportedFigureAdminForm
    readonly_fields = ["updated_at", "updated_by"]
    list_select_related = ["period", "unit"]

    def save_model(self, request, obj, form, change):
        if form.cleaned_data.get("version") is not None:
            obj.version = form.cleaned_data["version"]
        obj.save(actor=request.user, source=ChangeSource.ADMIN)

    def changeform_view(self, request, *args, **kwargs):
        try:
            return super().changeform_view(request, *args, **kwargs)
        except FigureWriteError as exc:
            # A race lost between the form's checks and the atomic save: nothing was
            # written (the admin's transaction rolled back); say why and reload.
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request, *args, **kwargs):
        try:
            return super().delete_view(request, *args, **kwargs)
        except FigureWriteError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_model(self, request, obj):
        obj.check_report_accepts_changes(obj.unit_id, obj.period_id)
        super().delete_model(request, obj)

    def get_actions(self, request):
        # Bulk delete would bypass the lock check.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions
