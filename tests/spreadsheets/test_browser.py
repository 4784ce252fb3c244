"""An officer, in a real browser: downloads the quarter's template, fills it in Excel
(openpyxl here), uploads it, reads the preview and confirms."""

import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from indicators.models import IndicatorValue
from tests.conftest import screenshot, sign_in

from .conftest import set_cell, workbook_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_downloads_fills_uploads_previews_and_confirms(browser_page, ward_obligations, ward_officer, period, tmp_path):
    from tests import factories

    factories.make_indicator_value(indicator=ward_obligations["indicators"][0], period=period, value="4000")
    page = browser_page
    sign_in(page, ward_officer.username)
    page.click("text=Nhập/xuất Excel")
    page.wait_for_url("**/excel/")
    page.select_option("#template_ky", label=period.label)
    screenshot(page, "excel-index-desktop")
    with page.expect_download() as download_info:
        page.click("text=Tải mẫu Excel")
    download = download_info.value
    assert download.suggested_filename == f"mau-bao-cao-{ward_officer.unit.code}-quy-3-2024.xlsx"
    workbook = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))

    set_cell(workbook["Chỉ tiêu"], 2, "Giá trị", 4086)
    set_cell(workbook["Chỉ tiêu"], 3, "Giá trị", "58,37")
    set_cell(workbook["Dự án"], 2, "Tiến độ (%)", 45)
    set_cell(workbook["Nhiệm vụ"], 2, "Tình hình thực hiện", "Đang thực hiện")
    filled = tmp_path / "bao-cao-quy-3.xlsx"
    filled.write_bytes(workbook_bytes(workbook))

    page.select_option("#upload_ky", label=period.label)
    page.set_input_files("#upload_tep", str(filled))
    page.click("text=Tải lên và xem trước")
    page.wait_for_selector("#thay-doi")
    body = page.locator("main").inner_text()
    assert "4.000" in body and "4.086" in body and "58,37" in body
    assert "Xác nhận lưu 4 số liệu" in body
    screenshot(page, "excel-preview-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "excel-preview-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.click("text=Xác nhận lưu 4 số liệu")
    page.wait_for_url("**/excel/")
    assert "Đã lưu số liệu từ tệp “bao-cao-quy-3.xlsx”: 3 số liệu mới, 1 số liệu thay đổi" in page.locator("main").inner_text()
    screenshot(page, "excel-confirmed-desktop")
    assert IndicatorValue.objects.get(indicator=ward_obligations["indicators"][0]).value == Decimal("4086")


def test_an_officer_sees_row_errors_in_vietnamese(browser_page, ward_obligations, ward_officer, period, tmp_path):
    page = browser_page
    sign_in(page, ward_officer.username)
    page.goto(page.base + "/excel/")
    with page.expect_download() as download_info:
        page.click("text=Tải mẫu Excel")
    workbook = openpyxl.load_workbook(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    set_cell(workbook["Chỉ tiêu"], 2, "Giá trị", "abc")
    set_cell(workbook["Chỉ tiêu"], 3, "Giá trị", 12)
    set_cell(workbook["Nhiệm vụ"], 2, "Tình hình thực hiện", "Xong rồi")
    filled = tmp_path / "loi.xlsx"
    filled.write_bytes(workbook_bytes(workbook))
    page.set_input_files("#upload_tep", str(filled))
    page.click("text=Tải lên và xem trước")
    page.wait_for_selector("#loi")
    errors = page.locator("#loi").inner_text()
    assert "“abc” không phải là một số." in errors and "“Xong rồi” không có trong danh sách" in errors
    assert page.locator("text=Xác nhận lưu").count() == 0
    screenshot(page, "excel-errors-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "excel-errors-phone")
    assert IndicatorValue.objects.count() == 0
