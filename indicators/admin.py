from django.contrib import admin

from periods.admin import ReportedFigureAdmin
from spreadsheets.admin_import_export import PortalImportExportMixin
from spreadsheets.resources import catalogue_resource

from .models import Indicator, IndicatorTarget, IndicatorValue
from .resources import IndicatorResource, IndicatorValueResource


class IndicatorTargetInline(admin.TabularInline):
    model = IndicatorTarget
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(PortalImportExportMixin, admin.ModelAdmin):
    resource_classes = [IndicatorResource]
    list_display = ["code", "name", "unit_of_measure", "value_type", "direction", "responsible_unit"]
    list_filter = ["field", "value_type", "direction"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["responsible_unit"]
    inlines = [IndicatorTargetInline]
    list_select_related = ["responsible_unit"]


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(PortalImportExportMixin, admin.ModelAdmin):
    resource_classes = [catalogue_resource(IndicatorTarget)]
    list_display = ["indicator", "year", "value", "source"]
    list_filter = ["year"]
    search_fields = ["indicator__name", "indicator__code"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(PortalImportExportMixin, ReportedFigureAdmin):
    resource_classes = [IndicatorValueResource]
    list_display = ["indicator", "period", "value", "kind", "version", "updated_at"]
    list_filter = ["period", "kind"]
    search_fields = ["indicator__name", "indicator__code"]
    autocomplete_fields = ["indicator", "unit"]
    list_select_related = ["indicator", "period", "unit"]
