"""Tasks and task updates in spreadsheets: the secretariat loads a whole programme's
tasks at once; units report on their tasks through the quarterly template."""

from django.utils.translation import gettext as _
from import_export import fields

from spreadsheets.resources import FigureResource, PortalResource
from spreadsheets.widgets import (
    BooleanWidget,
    ChoiceWidget,
    CodeListWidget,
    CodeWidget,
    DateWidget,
    IntegerWidget,
    TextWidget,
    restore,
)
from units.models import OrganisationUnit

from .models import ActionProgramme, Field, Task, TaskStatus, TaskUpdate

PROGRAMME_COLUMN = "Chương trình"


class TaskCodeWidget(CodeWidget):
    """A task named by its code within its programme (the row's "Chương trình" column;
    when the file has no such column, a code used by one programme only is enough)."""

    def __init__(self):
        super().__init__(Task, label="nhiệm vụ")

    def _index(self, row=None) -> dict:
        if not hasattr(self, "_cache"):
            by_code = {}
            for task in Task.objects.select_related("programme", "lead_unit"):
                by_code.setdefault(task.code.strip().casefold(), []).append(task)
            self._cache = by_code
        return self._cache

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        code = restore(str(value).strip())
        tasks = self._index(row).get(code.casefold(), [])
        programme = str((row or {}).get(PROGRAMME_COLUMN) or "").strip().casefold()
        if programme:
            tasks = [task for task in tasks if task.programme.number.casefold() == programme]
        if len(tasks) == 1:
            return tasks[0]
        if not tasks:
            raise ValueError(_("Không tìm thấy nhiệm vụ có mã “%(code)s”.") % {"code": code})
        raise ValueError(
            _("Mã nhiệm vụ “%(code)s” có ở nhiều chương trình; hãy ghi cột “%(column)s”.")
            % {"code": code, "column": PROGRAMME_COLUMN}
        )

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.code


class TaskResource(PortalResource):
    programme = fields.Field(
        attribute="programme",
        column_name=PROGRAMME_COLUMN,
        widget=CodeWidget(ActionProgramme, field="number", label="chương trình"),
    )
    code = fields.Field(attribute="code", column_name="Mã nhiệm vụ", widget=TextWidget(max_length=40))
    field = fields.Field(
        attribute="field",
        column_name="Lĩnh vực",
        widget=CodeWidget(Field, field="name", also_by=("code",), label="lĩnh vực"),
    )
    content = fields.Field(attribute="content", column_name="Nội dung nhiệm vụ", widget=TextWidget())
    clause = fields.Field(attribute="clause", column_name="Căn cứ (mục, điểm)", widget=TextWidget(max_length=200))
    lead_unit = fields.Field(
        attribute="lead_unit", column_name="Đơn vị chủ trì (mã)", widget=CodeWidget(OrganisationUnit, label="đơn vị")
    )
    supporting_units = fields.Field(
        attribute="supporting_units",
        column_name="Đơn vị phối hợp (mã, cách nhau dấu ;)",
        widget=CodeListWidget(OrganisationUnit, label="đơn vị"),
    )
    start_date = fields.Field(attribute="start_date", column_name="Ngày bắt đầu", widget=DateWidget())
    deadline = fields.Field(attribute="deadline", column_name="Thời hạn hoàn thành", widget=DateWidget())
    is_recurring = fields.Field(attribute="is_recurring", column_name="Thường xuyên", widget=BooleanWidget())
    source = fields.Field(attribute="source", column_name="Nguồn thông tin", widget=TextWidget(max_length=300))
    sort_order = fields.Field(attribute="sort_order", column_name="Thứ tự", widget=IntegerWidget(), default=0)

    class Meta:
        model = Task
        name = "Nhiệm vụ"
        fields = (
            "programme",
            "code",
            "field",
            "content",
            "clause",
            "lead_unit",
            "supporting_units",
            "start_date",
            "deadline",
            "is_recurring",
            "source",
            "sort_order",
        )
        import_id_fields = ("programme", "code")

    def get_queryset(self):
        return Task.objects.select_related("programme", "field", "lead_unit").prefetch_related("supporting_units")


class TaskUpdateResource(FigureResource):
    programme = fields.Field(
        attribute="task__programme__number", column_name=PROGRAMME_COLUMN, readonly=True, widget=TextWidget()
    )
    task = fields.Field(attribute="task", column_name="Mã nhiệm vụ", widget=TaskCodeWidget())
    content = fields.Field(attribute="task__content", column_name="Nội dung nhiệm vụ", readonly=True, widget=TextWidget())
    unit = fields.Field(attribute="unit", column_name="Đơn vị báo cáo (mã)", widget=CodeWidget(OrganisationUnit, label="đơn vị"))
    status = fields.Field(
        attribute="status", column_name="Tình hình thực hiện", widget=ChoiceWidget(TaskStatus.choices, required=True)
    )
    completed_on = fields.Field(attribute="completed_on", column_name="Ngày hoàn thành", widget=DateWidget())
    narrative = fields.Field(attribute="narrative", column_name="Kết quả thực hiện", widget=TextWidget())

    data_fields = ("status", "completed_on", "narrative")

    class Meta:
        model = TaskUpdate
        fields = ("programme", "task", "content", "period", "unit", "status", "completed_on", "narrative", "version")
        import_id_fields = ("task", "period", "unit")

    def get_queryset(self):
        return TaskUpdate.objects.select_related("task__programme", "period", "unit").order_by(
            "period__year", "period__quarter", "task__sort_order", "task__code", "unit__sort_order"
        )

    def unit_of(self, instance):
        return None  # the reporting unit is part of the key: the file names it

    def load_existing(self, dataset):
        existing = super().load_existing(dataset)
        # Who answers for each task the file names (lead or supporting), in one query.
        task_ids = {key[0] for key in self._keys} if hasattr(self, "_keys") else set()
        self.supporting = {}
        for task_id, unit_id in Task.supporting_units.through.objects.filter(task_id__in=task_ids).values_list(
            "task_id", "organisationunit_id"
        ):
            self.supporting.setdefault(task_id, set()).add(unit_id)
        return existing

    def ownership_errors(self, instance):
        if instance.task_id is None or instance.unit_id is None:
            return []
        task = instance.task
        if instance.unit_id == task.lead_unit_id or instance.unit_id in self.supporting.get(task.pk, set()):
            return []
        return [_("%(unit)s không chủ trì hay phối hợp nhiệm vụ %(task)s.") % {"unit": instance.unit.name, "task": task.code}]
