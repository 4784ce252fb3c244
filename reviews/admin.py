from django.contrib import admin

from .models import PartNarrative, PartNarrativeRevision, ReviewJob


class RevisionInline(admin.TabularInline):
    model = PartNarrativeRevision
    extra = 0
    can_delete = False
    readonly_fields = ("version", "text", "include_figures", "written_by", "written_at", "source", "note")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PartNarrative)
class PartNarrativeAdmin(admin.ModelAdmin):
    # Edited on the portal's own page, which keeps the history and refuses stale writes.
    list_display = ("year", "part", "version", "updated_by", "updated_at")
    list_filter = ("year", "part")
    readonly_fields = ("year", "part", "text", "include_figures", "version", "updated_by", "updated_at")
    inlines = [RevisionInline]

    def has_add_permission(self, request):
        return False


@admin.register(ReviewJob)
class ReviewJobAdmin(admin.ModelAdmin):
    list_display = ("year", "version", "status", "progress", "attempts", "requested_by", "requested_at", "page_count")
    list_filter = ("year", "status")
    exclude = ("content",)
    readonly_fields = [field.name for field in ReviewJob._meta.fields if field.name != "content"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
