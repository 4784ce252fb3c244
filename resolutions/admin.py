from django.contrib import admin

from periods.admin import ReportedFigureAdmin
from spreadsheets.admin_import_export import PortalImportExportMixin
from spreadsheets.resources import catalogue_resource

from .models import ActionProgramme, Field, Goal, Resolution, SteeringCommittee, SteeringCommitteeMember, Task, TaskUpdate
from .resources import TaskResource, TaskUpdateResource


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 0


@admin.register(Resolution)
class ResolutionAdmin(PortalImportExportMixin, admin.ModelAdmin):
    resource_classes = [catalogue_resource(Resolution)]
    list_display = ["number", "title", "issuer", "issued_on", "horizon_year", "vision_year"]
    search_fields = ["number", "title"]
    inlines = [GoalInline]


@admin.register(ActionProgramme)
class ActionProgrammeAdmin(PortalImportExportMixin, admin.ModelAdmin):
    resource_classes = [catalogue_resource(ActionProgramme)]
    list_display = ["number", "title", "issuer", "issued_on", "resolution"]
    search_fields = ["number", "title"]


class SteeringCommitteeMemberInline(admin.TabularInline):
    model = SteeringCommitteeMember
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(SteeringCommittee)
class SteeringCommitteeAdmin(PortalImportExportMixin, admin.ModelAdmin):
    resource_classes = [catalogue_resource(SteeringCommittee)]
    list_display = ["name", "established_by", "established_on"]
    inlines = [SteeringCommitteeMemberInline]


@admin.register(SteeringCommitteeMember)
class SteeringCommitteeMemberAdmin(PortalImportExportMixin, admin.ModelAdmin):
    resource_classes = [catalogue_resource(SteeringCommitteeMember)]
    list_display = ["full_name", "role", "position", "committee"]
    search_fields = ["full_name", "position"]


@admin.register(Field)
class FieldAdmin(PortalImportExportMixin, admin.ModelAdmin):
    resource_classes = [catalogue_resource(Field)]
    list_display = ["name", "code", "sort_order"]
    search_fields = ["name"]


@admin.register(Task)
class TaskAdmin(PortalImportExportMixin, admin.ModelAdmin):
    resource_classes = [TaskResource]
    list_display = ["code", "content", "field", "lead_unit", "deadline", "is_recurring"]
    list_filter = ["field", "is_recurring", "programme"]
    search_fields = ["code", "content"]
    autocomplete_fields = ["lead_unit", "supporting_units", "steering_member", "field"]
    list_select_related = ["field", "lead_unit"]


@admin.register(TaskUpdate)
class TaskUpdateAdmin(PortalImportExportMixin, ReportedFigureAdmin):
    resource_classes = [TaskUpdateResource]
    list_display = ["task", "unit", "period", "status", "version", "updated_at"]
    list_filter = ["period", "status"]
    search_fields = ["task__code", "task__content"]
    autocomplete_fields = ["task", "unit"]
    list_select_related = ["task", "unit", "period"]
