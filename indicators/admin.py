from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from periods.admin import ReportedFigureAdmin

from .models import Indicator, IndicatorTarget, IndicatorValue


class IndicatorTargetInline(admin.TabularInline):
    model = IndicatorTarget
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(ImportExportModelAdmin):
    list_display = ["code", "name", "unit_of_measure", "value_type", "direction", "responsible_unit"]
    list_filter = ["field", "value_type", "direction"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["responsible_unit"]
    inlines = [IndicatorTargetInline]
    list_select_related = ["responsible_unit"]


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(ImportExportModelAdmin):
    list_display = ["indicator", "year", "value", "source"]
    list_filter = ["year"]
    search_fields = ["indicator__name", "indicator__code"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ReportedFigureAdmin):
    list_display = ["indicator", "period", "value", "kind", "version", "updated_at"]
    list_filter = ["period", "kind"]
    search_fields = ["indicator__name", "indicator__code"]
    autocomplete_fields = ["indicator", "unit"]
    list_select_related = ["indicator", "period", "unit"]
