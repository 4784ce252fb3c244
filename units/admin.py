from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from .models import OrganisationUnit


@admin.register(OrganisationUnit)
class OrganisationUnitAdmin(ImportExportModelAdmin):
    list_display = ["name", "code", "kind", "parent", "retired_on", "merged_into"]
    list_filter = ["kind", "retired_on"]
    search_fields = ["name", "code", "short_name"]
    autocomplete_fields = ["parent", "merged_into"]
