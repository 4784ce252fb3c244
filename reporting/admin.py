from django.contrib import admin

from .models import ReportReminder


@admin.register(ReportReminder)
class ReportReminderAdmin(admin.ModelAdmin):
    """What the reminder task sent, to whom, and what failed — read-only: the task
    writes these rows."""

    list_display = ["sent_on", "unit", "period", "status", "recipients", "sent_at"]
    list_filter = ["status", "period", "sent_on"]
    search_fields = ["unit__name", "recipients"]
    list_select_related = ["unit", "period"]
    date_hierarchy = "sent_on"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
