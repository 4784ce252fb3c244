"""Projects and their quarterly updates in spreadsheets."""

from import_export import fields

from spreadsheets.resources import FigureResource, PortalResource
from spreadsheets.widgets import BooleanWidget, ChoiceWidget, CodeWidget, DecimalWidget, IntegerWidget, TextWidget
from units.models import OrganisationUnit

from .models import Phase, Project, ProjectCategory, ProjectStatus, ProjectUpdate


class ProjectResource(PortalResource):
    code = fields.Field(attribute="code", column_name="Mã dự án", widget=TextWidget(max_length=60))
    name = fields.Field(attribute="name", column_name="Tên dự án, công trình", widget=TextWidget(max_length=400))
    category = fields.Field(attribute="category", column_name="Loại", widget=ChoiceWidget(ProjectCategory.choices))
    is_key = fields.Field(attribute="is_key", column_name="Trọng điểm", widget=BooleanWidget())
    investor = fields.Field(attribute="investor", column_name="Chủ đầu tư", widget=TextWidget(max_length=300))
    managing_unit = fields.Field(
        attribute="managing_unit",
        column_name="Đơn vị theo dõi, báo cáo (mã)",
        widget=CodeWidget(OrganisationUnit, label="đơn vị"),
    )
    location = fields.Field(attribute="location", column_name="Địa điểm", widget=TextWidget(max_length=300))
    locality = fields.Field(
        attribute="locality", column_name="Phường, xã (mã)", widget=CodeWidget(OrganisationUnit, label="phường, xã")
    )
    total_investment = fields.Field(attribute="total_investment", column_name="Tổng mức đầu tư (đồng)", widget=DecimalWidget())
    start_year = fields.Field(attribute="start_year", column_name="Thực hiện từ năm", widget=IntegerWidget())
    end_year = fields.Field(attribute="end_year", column_name="Hoàn thành năm (kế hoạch)", widget=IntegerWidget())
    phase = fields.Field(attribute="phase", column_name="Giai đoạn", widget=ChoiceWidget(Phase.choices))
    status = fields.Field(attribute="status", column_name="Trạng thái", widget=ChoiceWidget(ProjectStatus.choices))
    description = fields.Field(attribute="description", column_name="Mô tả", widget=TextWidget())
    source = fields.Field(attribute="source", column_name="Nguồn thông tin", widget=TextWidget(max_length=300))
    sort_order = fields.Field(attribute="sort_order", column_name="Thứ tự", widget=IntegerWidget(), default=0)

    class Meta:
        model = Project
        name = "Dự án, công trình"
        fields = (
            "code",
            "name",
            "category",
            "is_key",
            "investor",
            "managing_unit",
            "location",
            "locality",
            "total_investment",
            "start_year",
            "end_year",
            "phase",
            "status",
            "description",
            "source",
            "sort_order",
        )
        import_id_fields = ("code",)

    def get_queryset(self):
        return Project.objects.select_related("managing_unit", "locality")


class ProjectUpdateResource(FigureResource):
    project = fields.Field(
        attribute="project", column_name="Mã dự án", widget=CodeWidget(Project, label="dự án", related=("managing_unit",))
    )
    name = fields.Field(attribute="project__name", column_name="Tên dự án, công trình", readonly=True, widget=TextWidget())
    unit = fields.Field(attribute="unit__code", column_name="Đơn vị báo cáo (mã)", readonly=True, widget=TextWidget())
    progress_percent = fields.Field(attribute="progress_percent", column_name="Tiến độ (%)", widget=DecimalWidget())
    allocated_capital = fields.Field(
        attribute="allocated_capital", column_name="Vốn đã bố trí lũy kế (đồng)", widget=DecimalWidget()
    )
    disbursed_amount = fields.Field(attribute="disbursed_amount", column_name="Giải ngân lũy kế (đồng)", widget=DecimalWidget())
    phase = fields.Field(attribute="phase", column_name="Giai đoạn", widget=ChoiceWidget(Phase.choices))
    narrative = fields.Field(attribute="narrative", column_name="Kết quả thực hiện", widget=TextWidget())
    obstacles = fields.Field(attribute="obstacles", column_name="Khó khăn, vướng mắc", widget=TextWidget())
    recommendations = fields.Field(attribute="recommendations", column_name="Kiến nghị, đề xuất", widget=TextWidget())

    data_fields = ProjectUpdate.TRACKED_FIELDS

    class Meta:
        model = ProjectUpdate
        fields = (
            "project",
            "name",
            "period",
            "unit",
            "progress_percent",
            "allocated_capital",
            "disbursed_amount",
            "phase",
            "narrative",
            "obstacles",
            "recommendations",
            "version",
        )
        import_id_fields = ("project", "period")

    def get_queryset(self):
        return ProjectUpdate.objects.select_related("project", "period", "unit").order_by(
            "period__year", "period__quarter", "project__sort_order", "project__code"
        )

    def unit_of(self, instance):
        return instance.project.managing_unit if instance.project_id else None
