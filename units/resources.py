"""Units in spreadsheets: the secretariat loads and exports the list of units."""

from import_export import fields

from spreadsheets.resources import PortalResource
from spreadsheets.widgets import ChoiceWidget, CodeWidget, DateWidget, IntegerWidget, TextWidget

from .models import OrganisationUnit, UnitKind


class UnitResource(PortalResource):
    code = fields.Field(attribute="code", column_name="Mã đơn vị", widget=TextWidget(max_length=40))
    name = fields.Field(attribute="name", column_name="Tên đơn vị", widget=TextWidget(max_length=200))
    short_name = fields.Field(attribute="short_name", column_name="Tên ngắn", widget=TextWidget(max_length=80))
    kind = fields.Field(attribute="kind", column_name="Loại đơn vị", widget=ChoiceWidget(UnitKind.choices))
    parent = fields.Field(
        attribute="parent",
        column_name="Mã đơn vị cấp trên",
        widget=CodeWidget(OrganisationUnit, label="đơn vị cấp trên", cached=False),
    )
    email = fields.Field(attribute="email", column_name="Thư điện tử", widget=TextWidget(max_length=254))
    active_from = fields.Field(attribute="active_from", column_name="Hoạt động từ", widget=DateWidget())
    retired_on = fields.Field(attribute="retired_on", column_name="Ngừng hoạt động từ", widget=DateWidget())
    merged_into = fields.Field(
        attribute="merged_into",
        column_name="Sáp nhập vào (mã)",
        widget=CodeWidget(OrganisationUnit, label="đơn vị", cached=False),
    )
    sort_order = fields.Field(attribute="sort_order", column_name="Thứ tự", widget=IntegerWidget(), default=0)

    class Meta:
        model = OrganisationUnit
        name = "Đơn vị"
        fields = (
            "code",
            "name",
            "short_name",
            "kind",
            "parent",
            "email",
            "active_from",
            "retired_on",
            "merged_into",
            "sort_order",
        )
        import_id_fields = ("code",)

    def get_queryset(self):
        return OrganisationUnit.objects.select_related("parent", "merged_into")
