from django.contrib import admin

from spreadsheets.admin_import_export import PortalImportExportMixin

from .models import OrganisationUnit
from .resources import UnitResource


@admin.register(OrganisationUnit)
class OrganisationUnitAdmin(PortalImportExportMixin, admin.ModelAdmin):
    resource_classes = [UnitResource]
    list_display = ["name", "code", "kind", "parent", "retired_on", "merged_into"]
    list_filter = ["kind", "retired_on"]
    search_fields = ["name", "code", "short_name"]
    autocomplete_fields = ["parent", "merged_into"]
