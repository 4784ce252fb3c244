from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from periods.admin import ReportedFigureAdmin

from .models import Project, ProjectUpdate


@admin.register(Project)
class ProjectAdmin(ImportExportModelAdmin):
    list_display = ["name", "category", "is_key", "managing_unit", "phase", "status"]
    list_filter = ["category", "is_key", "phase", "status"]
    search_fields = ["name", "code", "investor", "location"]
    autocomplete_fields = ["managing_unit", "locality", "tasks"]
    list_select_related = ["managing_unit"]


@admin.register(ProjectUpdate)
class ProjectUpdateAdmin(ReportedFigureAdmin):
    list_display = ["project", "period", "progress_percent", "disbursed_amount", "phase", "version"]
    list_filter = ["period", "phase"]
    search_fields = ["project__name"]
    autocomplete_fields = ["project", "unit"]
    list_select_related = ["project", "period", "unit"]
