"""Indicators and their values in spreadsheets."""

from import_export import fields

from resolutions.models import Field, Resolution
from spreadsheets.resources import FigureResource, PortalResource
from spreadsheets.widgets import ChoiceWidget, CodeWidget, DecimalWidget, IntegerWidget, TextWidget
from units.models import OrganisationUnit

from .models import Direction, Indicator, IndicatorValue, ValueKind, ValueType


class IndicatorResource(PortalResource):
    code = fields.Field(attribute="code", column_name="Mã chỉ tiêu", widget=TextWidget(max_length=40))
    name = fields.Field(attribute="name", column_name="Tên chỉ tiêu", widget=TextWidget(max_length=400))
    unit_of_measure = fields.Field(attribute="unit_of_measure", column_name="Đơn vị tính", widget=TextWidget(max_length=40))
    direction = fields.Field(attribute="direction", column_name="Chiều đánh giá", widget=ChoiceWidget(Direction.choices))
    value_type = fields.Field(attribute="value_type", column_name="Kiểu giá trị", widget=ChoiceWidget(ValueType.choices))
    numerator_label = fields.Field(attribute="numerator_label", column_name="Tử số", widget=TextWidget(max_length=200))
    denominator_label = fields.Field(attribute="denominator_label", column_name="Mẫu số", widget=TextWidget(max_length=200))
    decimal_places = fields.Field(
        attribute="decimal_places", column_name="Số chữ số thập phân", widget=IntegerWidget(), default=0
    )
    baseline_year = fields.Field(attribute="baseline_year", column_name="Năm gốc", widget=IntegerWidget())
    baseline_value = fields.Field(attribute="baseline_value", column_name="Giá trị năm gốc", widget=DecimalWidget())
    responsible_unit = fields.Field(
        attribute="responsible_unit",
        column_name="Đơn vị chịu trách nhiệm (mã)",
        widget=CodeWidget(OrganisationUnit, label="đơn vị"),
    )
    field = fields.Field(
        attribute="field", column_name="Lĩnh vực", widget=CodeWidget(Field, field="name", also_by=("code",), label="lĩnh vực")
    )
    resolution = fields.Field(
        attribute="resolution", column_name="Nghị quyết", widget=CodeWidget(Resolution, field="number", label="nghị quyết")
    )
    description = fields.Field(attribute="description", column_name="Ghi chú", widget=TextWidget())
    sort_order = fields.Field(attribute="sort_order", column_name="Thứ tự", widget=IntegerWidget(), default=0)

    class Meta:
        model = Indicator
        name = "Chỉ tiêu"
        fields = (
            "code",
            "name",
            "unit_of_measure",
            "direction",
            "value_type",
            "numerator_label",
            "denominator_label",
            "decimal_places",
            "baseline_year",
            "baseline_value",
            "responsible_unit",
            "field",
            "resolution",
            "description",
            "sort_order",
        )
        import_id_fields = ("code",)

    def get_queryset(self):
        return Indicator.objects.select_related("responsible_unit", "field", "resolution")


class IndicatorValueResource(FigureResource):
    indicator = fields.Field(
        attribute="indicator",
        column_name="Mã chỉ tiêu",
        widget=CodeWidget(Indicator, label="chỉ tiêu", related=("responsible_unit",)),
    )
    name = fields.Field(attribute="indicator__name", column_name="Tên chỉ tiêu", readonly=True, widget=TextWidget())
    unit_of_measure = fields.Field(
        attribute="indicator__unit_of_measure", column_name="Đơn vị tính", readonly=True, widget=TextWidget()
    )
    unit = fields.Field(attribute="unit__code", column_name="Đơn vị báo cáo (mã)", readonly=True, widget=TextWidget())
    value = fields.Field(attribute="value", column_name="Giá trị", widget=DecimalWidget())
    numerator = fields.Field(attribute="numerator", column_name="Tử số", widget=DecimalWidget())
    denominator = fields.Field(attribute="denominator", column_name="Mẫu số", widget=DecimalWidget())
    kind = fields.Field(
        attribute="kind", column_name="Loại số liệu", widget=ChoiceWidget(ValueKind.choices), default=ValueKind.ESTIMATE
    )
    source = fields.Field(attribute="source", column_name="Nguồn số liệu", widget=TextWidget(max_length=300))
    note = fields.Field(attribute="note", column_name="Ghi chú", widget=TextWidget())

    data_fields = ("value", "numerator", "denominator", "note", "source")

    class Meta:
        model = IndicatorValue
        fields = (
            "indicator",
            "name",
            "unit_of_measure",
            "period",
            "unit",
            "value",
            "numerator",
            "denominator",
            "kind",
            "source",
            "note",
            "version",
        )
        import_id_fields = ("indicator", "period")

    def get_queryset(self):
        return IndicatorValue.objects.select_related("indicator", "period", "unit").order_by(
            "period__year", "period__quarter", "indicator__sort_order", "indicator__code"
        )

    def unit_of(self, instance):
        return instance.indicator.responsible_unit if instance.indicator_id else None
