"""The two file formats the portal reads and writes — .xlsx and .csv — as
django-import-export format classes, so the admin, `manage.py import/export` and the
officers' pages all share the same safe reading and the same careful writing.

- Reading goes through `spreadsheets.files` (size, format and zip-bomb checks first).
- An .xlsx export has real numeric and date cells with Vietnamese-friendly number
  formats; a .csv export is UTF-8 with a BOM (so Excel shows Vietnamese correctly), with
  numbers and dates written the Vietnamese way (4.086 ; 58,37 ; 07/03/2025).
- Empty stays empty, and text that Excel would run as a formula is neutralised.
"""

import csv
import datetime
import io
from decimal import Decimal

import tablib
from import_export.formats import base_formats
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from backancity.numbers import format_decimal

from . import files
from .widgets import neutralise

HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
HEADER_FONT = Font(bold=True)
DATE_FORMAT = "dd/mm/yyyy"


def number_format_for(value) -> str | None:
    """The Excel number format of a cell: grouped amounts with only the decimals the
    value has; plain integers (years, order numbers) never grouped; dates dd/mm/yyyy."""
    if isinstance(value, bool):
        return None
    if isinstance(value, datetime.date):
        return DATE_FORMAT
    if isinstance(value, int):
        return "0"
    if isinstance(value, Decimal | float):
        exponent = Decimal(value).normalize().as_tuple().exponent
        places = min(4, max(0, -exponent)) if isinstance(exponent, int) else 0
        return "#,##0" + ("." + "0" * places if places else "")
    return None


def xlsx_cell_value(value):
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None)
    return value


def write_table(worksheet, headers, rows, *, widths: dict | None = None) -> None:
    """Headers in bold on a tinted row, frozen; values typed; columns sized to fit."""
    worksheet.append([str(header) for header in headers])
    for cell in worksheet[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    longest = [len(str(header)) for header in headers]
    for values in rows:
        worksheet.append([xlsx_cell_value(value) for value in values])
        for index, value in enumerate(values):
            if value is not None and index < len(longest):
                longest[index] = max(longest[index], len(format_decimal(value) if isinstance(value, Decimal) else str(value)))
    for row in worksheet.iter_rows(min_row=2):
        for cell in row:
            number_format = number_format_for(cell.value)
            if number_format:
                cell.number_format = number_format
            if isinstance(cell.value, str) and ("\n" in cell.value or len(cell.value) > 60):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, length in enumerate(longest, start=1):
        letter = get_column_letter(index)
        worksheet.column_dimensions[letter].width = (widths or {}).get(index, min(60, max(10, length + 2)))
    worksheet.freeze_panes = "A2"
    if headers:
        worksheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(1, worksheet.max_row)}"


def dataset_from_sheet(sheet: files.Sheet) -> tablib.Dataset:
    dataset = tablib.Dataset(headers=sheet.headers)
    for _number, values in sheet.rows:
        dataset.append(values)
    dataset.title = sheet.title
    # The Excel row number of each data row, for error messages (blank rows are skipped).
    dataset.row_numbers = [number for number, _values in sheet.rows]
    return dataset


class XLSX(base_formats.XLSX):
    def get_title(self):
        return "xlsx"

    def create_dataset(self, in_stream):
        """The first worksheet that has a header row, checked before it is parsed."""
        content = in_stream if isinstance(in_stream, bytes) else in_stream.encode()
        files.check_size(len(content))
        sheets = files.read_xlsx(content)
        if not sheets:
            raise files.SpreadsheetFileError(files._("Tệp không có trang dữ liệu nào."))
        return dataset_from_sheet(sheets[0])

    def export_data(self, dataset, **kwargs):
        workbook = Workbook()
        worksheet = workbook.active
        worksheet.title = (dataset.title or "Dữ liệu")[:31]
        write_table(worksheet, dataset.headers or [], dataset)
        stream = io.BytesIO()
        workbook.save(stream)
        return stream.getvalue()


def csv_cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int):
        return str(value)  # years and codes are never grouped
    if isinstance(value, Decimal | float):
        return format_decimal(Decimal(str(value)))
    return neutralise(str(value))


class CSV(base_formats.CSV):
    def __init__(self, encoding=None, **kwargs):
        super().__init__(encoding=encoding or "utf-8-sig", **kwargs)

    def get_title(self):
        return "csv"

    def create_dataset(self, in_stream, **kwargs):
        content = in_stream if isinstance(in_stream, bytes) else in_stream.encode("utf-8")
        files.check_size(len(content))
        return dataset_from_sheet(files.read_csv(content))

    def export_data(self, dataset, **kwargs):
        """UTF-8 text starting with a BOM: Excel then opens Vietnamese correctly."""
        stream = io.StringIO()
        writer = csv.writer(stream, lineterminator="\r\n")
        if dataset.headers:
            writer.writerow([str(header) for header in dataset.headers])
        for row in dataset:
            writer.writerow([csv_cell_text(value) for value in row])
        return "\ufeff" + stream.getvalue()


FORMATS = [XLSX, CSV]
