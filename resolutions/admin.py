from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from periods.admin import ReportedFigureAdmin

from .models import ActionProgramme, Field, Goal, Resolution, SteeringCommittee, SteeringCommitteeMember, Task, TaskUpdate


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 0


@admin.register(Resolution)
class ResolutionAdmin(ImportExportModelAdmin):
    list_display = ["number", "title", "issuer", "issued_on", "horizon_year", "vision_year"]
    search_fields = ["number", "title"]
    inlines = [GoalInline]


@admin.register(ActionProgramme)
class ActionProgrammeAdmin(ImportExportModelAdmin):
    list_display = ["number", "title", "issuer", "issued_on", "resolution"]
    search_fields = ["number", "title"]


class SteeringCommitteeMemberInline(admin.TabularInline):
    model = SteeringCommitteeMember
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(SteeringCommittee)
class SteeringCommitteeAdmin(ImportExportModelAdmin):
    list_display = ["name", "established_by", "established_on"]
    inlines = [SteeringCommitteeMemberInline]


@admin.register(SteeringCommitteeMember)
class SteeringCommitteeMemberAdmin(ImportExportModelAdmin):
    list_display = ["full_name", "role", "position", "committee"]
    search_fields = ["full_name", "position"]


@admin.register(Field)
class FieldAdmin(ImportExportModelAdmin):
    list_display = ["name", "code", "sort_order"]
    search_fields = ["name"]


@admin.register(Task)
class TaskAdmin(ImportExportModelAdmin):
    list_display = ["code", "content", "field", "lead_unit", "deadline", "is_recurring"]
    list_filter = ["field", "is_recurring", "programme"]
    search_fields = ["code", "content"]
    autocomplete_fields = ["lead_unit", "supporting_units", "steering_member", "field"]
    list_select_related = ["field", "lead_unit"]


@admin.register(TaskUpdate)
class TaskUpdateAdmin(ReportedFigureAdmin):
    list_display = ["task", "unit", "period", "status", "version", "updated_at"]
    list_filter = ["period", "status"]
    search_fields = ["task__code", "task__content"]
    autocomplete_fields = ["task", "unit"]
    list_select_related = ["task", "unit", "period"]
