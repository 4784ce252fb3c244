from django.contrib import admin

from periods.admin import ReportedFigureAdmin
from spreadsheets.admin_import_export import PortalImportExportMixin

from .models import Project, ProjectUpdate
from .resources import ProjectResource, ProjectUpdateResource


@admin.register(Project)
class ProjectAdmin(PortalImportExportMixin, admin.ModelAdmin):
    resource_classes = [ProjectResource]
    list_display = ["name", "category", "is_key", "managing_unit", "phase", "status"]
    list_filter = ["category", "is_key", "phase", "status"]
    search_fields = ["name", "code", "investor", "location"]
    autocomplete_fields = ["managing_unit", "locality", "tasks"]
    list_select_related = ["managing_unit"]


@admin.register(ProjectUpdate)
class ProjectUpdateAdmin(PortalImportExportMixin, ReportedFigureAdmin):
    resource_classes = [ProjectUpdateResource]
    list_display = ["project", "period", "progress_percent", "disbursed_amount", "phase", "version"]
    list_filter = ["period", "phase"]
    search_fields = ["project__name"]
    autocomplete_fields = ["project", "unit"]
    list_select_related = ["project", "period", "unit"]
