"""The officers' quarterly template: one .xlsx per unit and quarter, pre-filled with the
rows the unit must report (reporting.selectors.obligations_for).

A clerk opens it and sees an instructions sheet, then one sheet each for indicators,
projects and tasks. Grey columns say what a row is and are locked; yellow columns are to
be filled (numbers in real numeric cells, dates as dates, statuses from a drop-down list).
The last column carries each figure's version, so that a figure someone changed on the
portal after the download is refused as stale when the file comes back. The sheets'
headers are the resources' column names, so the same resources read the file back.
"""

import io
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from indicators.models import IndicatorValue, ValueKind
from indicators.resources import IndicatorValueResource
from projects.models import Phase, ProjectUpdate
from projects.resources import ProjectUpdateResource
from reporting.selectors import obligations_for
from resolutions.models import TaskStatus, TaskUpdate
from resolutions.resources import TaskUpdateResource

from .formats import DATE_FORMAT, HEADER_FILL, xlsx_cell_value
from .resources import VERSION_COLUMN

INDICATOR_SHEET = "Chỉ tiêu"
PROJECT_SHEET = "Dự án"
TASK_SHEET = "Nhiệm vụ"
LISTS_SHEET = "Danh mục"

EDITABLE_FILL = PatternFill("solid", fgColor="FFF6D5")
LOCKED_FILL = PatternFill("solid", fgColor="EDEDED")
WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass
class Column:
    header: str
    value: object  # callable(item, figure) -> cell value
    width: int = 14
    editable: bool = False
    number_format: object = None  # str, or callable(item) -> str
    validation: str | None = None  # key of VALIDATIONS


def _decimal_format(places: int) -> str:
    return "#,##0" + ("." + "0" * places if places else "")


def _indicator_format(item) -> str:
    return _decimal_format(item.decimal_places or (2 if item.is_ratio or item.unit_of_measure == "%" else 0))


def _previous(item, name):
    return getattr(item.previous_update, name) if item.previous_update is not None else None


def _version(item, figure):
    return figure.version if figure.pk else None


def indicator_columns(resource) -> list[Column]:
    f = resource.fields
    return [
        Column(f["indicator"].column_name, lambda item, fig: item.code, 16),
        Column(f["name"].column_name, lambda item, fig: item.name, 48),
        Column(f["unit_of_measure"].column_name, lambda item, fig: item.unit_of_measure, 10),
        Column(f["period"].column_name, lambda item, fig: fig.period.label, 13),
        Column("Giá trị kỳ trước", lambda item, fig: _previous(item, "value"), 14, number_format=_indicator_format),
        Column(f["value"].column_name, lambda item, fig: fig.value, 14, True, _indicator_format, "number"),
        Column(f["numerator"].column_name, lambda item, fig: fig.numerator, 12, True, "#,##0.##", "positive"),
        Column(f["denominator"].column_name, lambda item, fig: fig.denominator, 12, True, "#,##0.##", "positive"),
        Column(f["kind"].column_name, lambda item, fig: fig.get_kind_display() if fig.kind else None, 16, True, None, "kind"),
        Column(f["source"].column_name, lambda item, fig: fig.source, 24, True),
        Column(f["note"].column_name, lambda item, fig: fig.note, 36, True),
        Column(VERSION_COLUMN, _version, 12),
    ]


def project_columns(resource) -> list[Column]:
    f = resource.fields
    money = "#,##0"
    return [
        Column(f["project"].column_name, lambda item, fig: item.code, 18),
        Column(f["name"].column_name, lambda item, fig: item.name, 44),
        Column(f["period"].column_name, lambda item, fig: fig.period.label, 13),
        Column("Tiến độ kỳ trước (%)", lambda item, fig: _previous(item, "progress_percent"), 12, number_format="0.##"),
        Column(f["progress_percent"].column_name, lambda item, fig: fig.progress_percent, 12, True, "0.##", "percent"),
        Column(f["allocated_capital"].column_name, lambda item, fig: fig.allocated_capital, 18, True, money, "positive"),
        Column(f["disbursed_amount"].column_name, lambda item, fig: fig.disbursed_amount, 18, True, money, "positive"),
        Column(f["phase"].column_name, lambda item, fig: fig.get_phase_display() if fig.phase else None, 20, True, None, "phase"),
        Column(f["narrative"].column_name, lambda item, fig: fig.narrative, 40, True),
        Column(f["obstacles"].column_name, lambda item, fig: fig.obstacles, 32, True),
        Column(f["recommendations"].column_name, lambda item, fig: fig.recommendations, 32, True),
        Column(VERSION_COLUMN, _version, 12),
    ]


def task_columns(resource, unit) -> list[Column]:
    f = resource.fields

    def role(item, fig):
        return _("Chủ trì") if item.lead_unit_id == unit.pk else _("Phối hợp")

    def previous_status(item, fig):
        return item.previous_update.get_status_display() if item.previous_update is not None else None

    return [
        Column(f["programme"].column_name, lambda item, fig: item.programme.number, 12),
        Column(f["task"].column_name, lambda item, fig: item.code, 12),
        Column(f["content"].column_name, lambda item, fig: item.content, 56),
        Column("Vai trò", role, 10),
        Column("Thời hạn", lambda item, fig: str(item.deadline_label), 13),
        Column(f["unit"].column_name, lambda item, fig: unit.code, 16),
        Column(f["period"].column_name, lambda item, fig: fig.period.label, 13),
        Column("Tình hình kỳ trước", previous_status, 18),
        Column(
            f["status"].column_name, lambda item, fig: fig.get_status_display() if fig.status else None, 22, True, None, "status"
        ),
        Column(f["completed_on"].column_name, lambda item, fig: fig.completed_on, 14, True, DATE_FORMAT, "date"),
        Column(f["narrative"].column_name, lambda item, fig: fig.narrative, 56, True),
        Column(VERSION_COLUMN, _version, 12),
    ]


def _lists() -> dict[str, list[str]]:
    return {
        "kind": [str(label) for _value, label in ValueKind.choices],
        "phase": [str(label) for _value, label in Phase.choices],
        "status": [str(label) for _value, label in TaskStatus.choices],
    }


def _validation(key: str, lists_ranges: dict) -> DataValidation:
    if key in lists_ranges:
        validation = DataValidation(type="list", formula1=lists_ranges[key], allow_blank=True)
        validation.error = _("Hãy chọn một giá trị trong danh sách.")
    elif key == "percent":
        validation = DataValidation(type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True)
        validation.error = _("Tiến độ là một số từ 0 đến 100.")
    elif key == "positive":
        validation = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        validation.error = _("Hãy nhập một số không âm.")
    elif key == "date":
        validation = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True)
        validation.error = _("Hãy nhập ngày theo dạng ngày/tháng/năm, ví dụ 07/03/2025.")
    else:
        validation = DataValidation(
            type="decimal", operator="between", formula1="-999999999999999", formula2="999999999999999", allow_blank=True
        )
        validation.error = _("Hãy nhập một số.")
    validation.errorTitle = _("Giá trị không hợp lệ")
    validation.showErrorMessage = True
    return validation


def _write_sheet(workbook, title: str, columns: list[Column], rows: list[tuple], lists_ranges: dict) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append([column.header for column in columns])
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL if column.editable else LOCKED_FILL
        cell.alignment = WRAP
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.row_dimensions[1].height = 45
    for row_index, (item, figure) in enumerate(rows, start=2):
        for col_index, column in enumerate(columns, start=1):
            cell = sheet.cell(row=row_index, column=col_index, value=xlsx_cell_value(column.value(item, figure)))
            number_format = column.number_format(item) if callable(column.number_format) else column.number_format
            if number_format:
                cell.number_format = number_format
            elif isinstance(cell.value, Decimal):
                cell.number_format = "#,##0.####"
            cell.alignment = WRAP
            if column.editable:
                cell.fill = EDITABLE_FILL
                cell.protection = Protection(locked=False)
            else:
                cell.fill = LOCKED_FILL
    last = max(2, len(rows) + 1)
    for col_index, column in enumerate(columns, start=1):
        if column.validation and rows:
            validation = _validation(column.validation, lists_ranges)
            sheet.add_data_validation(validation)
            letter = get_column_letter(col_index)
            validation.add(f"{letter}2:{letter}{last}")
    sheet.freeze_panes = "C2"
    # Locked against accidental edits of codes and versions, without a password: a clerk
    # may still resize columns, filter, or lift the protection.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.protection.autoFilter = False
    sheet.protection.sort = False
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last}"


def _instructions(workbook, unit, period, counts) -> None:
    sheet = workbook.active
    sheet.title = "Hướng dẫn"
    sheet.column_dimensions["A"].width = 110
    lines = [
        (_("MẪU BÁO CÁO SỐ LIỆU QUÝ — NGHỊ QUYẾT 29-NQ/TU"), True),
        (_("Đơn vị: %(unit)s (mã %(code)s)") % {"unit": unit.name, "code": unit.code}, True),
        (
            _("Kỳ báo cáo: %(period)s — hạn gửi %(due)s") % {"period": period.label, "due": period.due_date.strftime("%d/%m/%Y")},
            True,
        ),
        (
            _("Tải về lúc %(time)s; gồm %(indicators)d chỉ tiêu, %(projects)d dự án, %(tasks)d nhiệm vụ.")
            % {"time": timezone.localtime().strftime("%H:%M %d/%m/%Y"), **counts},
            False,
        ),
        ("", False),
        (_("Cách điền:"), True),
        (_("1. Mỗi trang “Chỉ tiêu”, “Dự án”, “Nhiệm vụ” là một phần báo cáo; chỉ điền vào các ô nền vàng."), False),
        (_("2. Ô nền xám (mã, tên, kỳ, phiên bản) không sửa: cổng dùng chúng để biết số liệu nào được cập nhật."), False),
        (
            _("3. Số nhập như thường lệ (4.086 hoặc 58,37); ngày theo dạng ngày/tháng/năm; trạng thái chọn trong danh sách."),
            False,
        ),
        (_("4. Để trống dòng nào chưa có số liệu: dòng đó được bỏ qua."), False),
        (
            _(
                "5. Tải tệp lên tại mục “Nhập/xuất Excel” của cổng: cổng hiển thị trước các thay đổi và lỗi (nếu có) theo từng dòng; chỉ khi bạn xác nhận, số liệu mới được lưu — lưu tất cả hoặc không lưu gì."
            ),
            False,
        ),
        (
            _("6. Nếu trong lúc bạn điền, số liệu trên cổng đã được người khác sửa, dòng đó bị từ chối: hãy tải mẫu mới."),
            False,
        ),
    ]
    for text, bold in lines:
        sheet.append([text])
        cell = sheet.cell(row=sheet.max_row, column=1)
        cell.font = Font(bold=bold)
        cell.alignment = Alignment(wrap_text=True)


def build_template(unit, period) -> bytes:
    """The .xlsx template of `unit` for `period`, pre-filled with its obligations."""
    obligations = obligations_for(unit, period)
    workbook = Workbook()
    counts = {
        "indicators": len(obligations.indicators),
        "projects": len(obligations.projects),
        "tasks": len(obligations.tasks),
    }
    _instructions(workbook, unit, period, counts)

    lists_sheet = workbook.create_sheet(LISTS_SHEET)
    lists_ranges = {}
    for index, (key, labels) in enumerate(_lists().items(), start=1):
        letter = get_column_letter(index)
        lists_sheet.cell(row=1, column=index, value=key)
        for row, label in enumerate(labels, start=2):
            lists_sheet.cell(row=row, column=index, value=label)
        lists_ranges[key] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(labels) + 1}"
    lists_sheet.sheet_state = "hidden"

    def figure(item, update, model, **key):
        return update if update is not None else model(period=period, unit=unit, **key)

    indicator_rows = [(item, figure(item, item.update, IndicatorValue, indicator=item)) for item in obligations.indicators]
    project_rows = [(item, figure(item, item.update, ProjectUpdate, project=item)) for item in obligations.projects]
    task_rows = [(item, figure(item, item.update, TaskUpdate, task=item)) for item in obligations.tasks]
    for _item, fig in indicator_rows + project_rows + task_rows:
        fig.period = period  # the labels come from the period already loaded

    _write_sheet(workbook, INDICATOR_SHEET, indicator_columns(IndicatorValueResource()), indicator_rows, lists_ranges)
    _write_sheet(workbook, PROJECT_SHEET, project_columns(ProjectUpdateResource()), project_rows, lists_ranges)
    _write_sheet(workbook, TASK_SHEET, task_columns(TaskUpdateResource(), unit), task_rows, lists_ranges)
    workbook.move_sheet(LISTS_SHEET, offset=len(workbook.sheetnames) - 1 - workbook.sheetnames.index(LISTS_SHEET))

    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def template_filename(unit, period) -> str:
    return f"mau-bao-cao-{unit.code}-quy-{period.quarter}-{period.year}.xlsx"
