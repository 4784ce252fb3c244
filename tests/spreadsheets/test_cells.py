"""Cells as officials type them and as Excel stores them; files as Excel opens them."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
import tablib

from indicators.models import IndicatorValue, ValueKind
from indicators.resources import IndicatorValueResource
from spreadsheets.formats import CSV, XLSX
from spreadsheets.widgets import ChoiceWidget, DateWidget, DecimalWidget, IntegerWidget, TextWidget, neutralise, restore
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("4.086", Decimal("4086")),
        ("58,37", Decimal("58.37")),
        ("1.234.567,5", Decimal("1234567.5")),
        ("58,37%", Decimal("58.37")),
        (" -12,5 ", Decimal("-12.5")),
        (4086, Decimal("4086")),
        (58.37, Decimal("58.37")),
        (Decimal("0.1"), Decimal("0.1")),
        (None, None),
        ("", None),
        ("   ", None),
    ],
)
def test_numbers_are_read_from_text_and_numeric_cells(cell, expected):
    assert DecimalWidget().clean(cell) == expected


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("abc", "“abc” không phải là một số."),
        ("58.37", "phần thập phân viết như 58,37"),
        ("1,2,3", "không phải là một số"),
    ],
)
def test_a_bad_number_says_so_in_vietnamese(cell, message):
    with pytest.raises(ValueError, match=message):
        DecimalWidget().clean(cell)


def test_a_bad_number_in_a_file_is_a_row_error_not_a_conversion_syntax(ward, period):
    indicator = factories.make_indicator(responsible_unit=ward, code="ct")
    dataset = tablib.Dataset(headers=["Mã chỉ tiêu", "Kỳ báo cáo", "Giá trị", "Phiên bản (không sửa)"])
    dataset.append([indicator.code, period.label, "abc", None])
    result = IndicatorValueResource().import_data(dataset)
    [invalid] = result.invalid_rows
    assert invalid.number == 2 and invalid.error_dict == {"Giá trị": ["“abc” không phải là một số."]}
    [summary] = result.base_errors
    assert str(summary.error) == "Không lưu dòng nào: 1 dòng có lỗi.\nDòng 2, cột “Giá trị”: “abc” không phải là một số."
    assert IndicatorValue.objects.count() == 0


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("07/03/2025", datetime.date(2025, 3, 7)),
        ("7/3/2025", datetime.date(2025, 3, 7)),
        ("2025-03-07", datetime.date(2025, 3, 7)),
        (datetime.datetime(2025, 3, 7), datetime.date(2025, 3, 7)),
        (datetime.date(2025, 3, 7), datetime.date(2025, 3, 7)),
        ("", None),
    ],
)
def test_dates_are_read_day_first_from_text_and_real_date_cells(cell, expected):
    assert DateWidget().clean(cell) == expected


def test_a_bad_date_says_how_to_write_it():
    with pytest.raises(ValueError, match="ngày/tháng/năm, ví dụ 07/03/2025"):
        DateWidget().clean("31/02/2025")


def test_whole_numbers_and_choices():
    assert IntegerWidget().clean("2.030") == 2030 and IntegerWidget().clean(2030.0) == 2030
    with pytest.raises(ValueError, match="phải là số nguyên"):
        IntegerWidget().clean("1,5")
    widget = ChoiceWidget(ValueKind.choices)
    assert widget.clean("  số CHÍNH thức ") == "official" and widget.clean("estimate") == "estimate"
    with pytest.raises(ValueError, match="chọn một trong: Ước thực hiện; Số chính thức"):
        widget.clean("ước tính")


@pytest.mark.parametrize("text", ["=1+1", "==1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_text_that_excel_would_run_is_neutralised_and_restored(text):
    safe = neutralise(text)
    assert safe == "'" + text
    assert neutralise(safe) == safe
    assert restore(safe) == text
    assert TextWidget().clean(safe) == text.strip() or TextWidget().clean(safe) == text


def test_exported_files_neutralise_formulas_but_keep_negative_numbers(ward, period):
    indicator = factories.make_indicator(responsible_unit=ward, code="tang-truong", name='=HYPERLINK("http://x")')
    factories.make_indicator_value(indicator=indicator, period=period, value="-12.5", note="==1+1", source="@SUM(A1)")
    dataset = IndicatorValueResource().export()
    workbook = openpyxl.load_workbook(io.BytesIO(XLSX().export_data(dataset)))
    row = {header.value: cell for header, cell in zip(workbook.active[1], workbook.active[2], strict=True)}
    assert row["Giá trị"].value == Decimal("-12.5") or row["Giá trị"].value == -12.5
    assert row["Giá trị"].data_type == "n"
    assert row["Ghi chú"].value == "'==1+1" and row["Ghi chú"].data_type == "s"
    assert row["Tên chỉ tiêu"].value.startswith("'=")
    assert row["Nguồn số liệu"].value == "'@SUM(A1)"
    assert not any(cell.data_type == "f" for cell in workbook.active[2])
    text = CSV().export_data(dataset)
    record = dict(zip(*list(csv.reader(io.StringIO(text.lstrip("\ufeff")))), strict=True))
    assert record["Giá trị"] == "-12,5"
    assert record["Ghi chú"] == "'==1+1"


def test_csv_export_is_utf8_with_bom_vietnamese_numbers_and_empty_cells_empty(ward, period):
    indicator = factories.make_indicator(responsible_unit=ward, code="ho-kinh-doanh", name="Số hộ kinh doanh")
    factories.make_indicator_value(indicator=indicator, period=period, value="4086")
    data = CSV().export_data(IndicatorValueResource().export()).encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["Tên chỉ tiêu"] == "Số hộ kinh doanh"
    assert record["Giá trị"] == "4.086" and record["Kỳ báo cáo"] == "Quý III/2024"
    assert record["Tử số"] == "" and record["Ghi chú"] == ""
    assert record["Phiên bản (không sửa)"] == "1"


def test_xlsx_export_has_real_numbers_and_dates(ward, period):
    from resolutions.resources import TaskResource

    factories.make_task(lead_unit=ward, code="NV-9", deadline=datetime.date(2025, 12, 31))
    workbook = openpyxl.load_workbook(io.BytesIO(XLSX().export_data(TaskResource().export())))
    row = {header.value: cell for header, cell in zip(workbook.active[1], workbook.active[2], strict=True)}
    assert row["Thời hạn hoàn thành"].value == datetime.datetime(2025, 12, 31)
    assert row["Thời hạn hoàn thành"].number_format == "dd/mm/yyyy"
    assert row["Ngày bắt đầu"].value is None
    assert row["Thứ tự"].data_type == "n"


def test_a_csv_saved_by_excel_with_semicolons_is_read(ward, period, ward_officer):
    indicator = factories.make_indicator(responsible_unit=ward, code="ct")
    content = "Mã chỉ tiêu;Kỳ báo cáo;Giá trị;Ghi chú;Phiên bản (không sửa)\r\nct;Quý III/2024;4.086;Đạt;\r\n".encode()
    dataset = CSV().create_dataset(content)
    result = IndicatorValueResource(user=ward_officer).import_data(dataset)
    assert not result.has_errors() and not result.has_validation_errors()
    assert IndicatorValue.objects.get(indicator=indicator).value == Decimal("4086")
