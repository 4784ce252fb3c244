"""An officer downloads the quarter's template, fills it, uploads it, previews and
confirms: permissions, locks, versions, all-or-nothing and history."""

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import IndicatorValue
from periods.models import ChangeSource, FigureChange, ReportStatus
from projects.models import ProjectUpdate
from resolutions.models import TaskUpdate
from spreadsheets.models import SpreadsheetUpload, UploadStatus
from tests import factories

from .conftest import download_template, set_cell, upload, workbook_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client, ward_officer):
    client.force_login(ward_officer)
    return client


def _preview(client, response):
    assert response.status_code == 302, response.content.decode()[:3000]
    return client.get(response["Location"])


def _upload_id(response) -> int:
    return int(response["Location"].rstrip("/").split("/")[-1])


def test_the_template_holds_the_units_rows_with_versions_and_lists(officer_client, ward_obligations, period):
    factories.make_indicator_value(indicator=ward_obligations["indicators"][0], period=period, value="4086")
    workbook = download_template(officer_client, period)
    assert workbook.sheetnames[:4] == ["Hướng dẫn", "Chỉ tiêu", "Dự án", "Nhiệm vụ"]
    indicators = workbook["Chỉ tiêu"]
    rows = list(indicators.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == ["ct-1", "ct-2", "ct-3"]
    headers = [cell.value for cell in indicators[1]]
    value, version = headers.index("Giá trị"), headers.index("Phiên bản (không sửa)")
    assert rows[0][value] == 4086 and rows[0][version] == 1
    assert rows[1][value] is None and rows[1][version] is None
    assert indicators.cell(row=2, column=value + 1).number_format == "#,##0"
    tasks = workbook["Nhiệm vụ"]
    assert [row[1] for row in tasks.iter_rows(min_row=2, values_only=True)] == ["NV-1", "NV-2"]
    assert any("Danh mục" in str(v.formula1) for v in tasks.data_validations.dataValidation)
    assert workbook["Danh mục"].sheet_state == "hidden"
    assert indicators.protection.sheet is True
    assert indicators.cell(row=2, column=value + 1).protection.locked is False
    assert indicators.cell(row=2, column=1).protection.locked is True


def test_a_good_file_is_previewed_then_saved_with_history(officer_client, ward_obligations, period, ward_officer):
    existing = factories.make_indicator_value(indicator=ward_obligations["indicators"][0], period=period, value="4000")
    workbook = download_template(officer_client, period)
    sheet = workbook["Chỉ tiêu"]
    set_cell(sheet, 2, "Giá trị", 4086)  # a real numeric cell
    set_cell(sheet, 3, "Giá trị", "58,37")  # Vietnamese text
    set_cell(sheet, 3, "Loại số liệu", "Số chính thức")
    set_cell(workbook["Dự án"], 2, "Tiến độ (%)", 45)
    set_cell(workbook["Dự án"], 2, "Giai đoạn", "Thi công")
    set_cell(workbook["Nhiệm vụ"], 2, "Tình hình thực hiện", "Đã hoàn thành")
    set_cell(workbook["Nhiệm vụ"], 2, "Ngày hoàn thành", "15/08/2024")

    response = upload(officer_client, period, workbook_bytes(workbook))
    page = _preview(officer_client, response)
    body = page.content.decode()
    assert page.status_code == 200
    assert "4.000" in body and "4.086" in body and "58,37" in body and "Thi công" in body
    assert page.context["preview"].created == 3 and page.context["preview"].updated == 1
    assert page.context["preview"].unchanged == 0 and page.context["preview"].blank == 2
    assert IndicatorValue.objects.count() == 1  # nothing saved by the preview

    upload_row = SpreadsheetUpload.objects.get()
    done = officer_client.post(reverse("spreadsheets:confirm", args=[upload_row.pk]), {"checksum": upload_row.sha256})
    assert done.status_code == 302
    existing.refresh_from_db()
    assert existing.value == Decimal("4086") and existing.version == 2
    assert IndicatorValue.objects.get(indicator=ward_obligations["indicators"][1]).value == Decimal("58.37")
    assert ProjectUpdate.objects.get().progress_percent == Decimal("45")
    task_update = TaskUpdate.objects.get()
    assert task_update.status == "done" and task_update.completed_on.isoformat() == "2024-08-15"
    change = FigureChange.objects.get(object_id=existing.pk, field="value", version=2)
    assert (change.old_value, change.new_value, change.source, change.changed_by) == (
        "4000",
        "4086",
        ChangeSource.IMPORT,
        ward_officer,
    )
    upload_row.refresh_from_db()
    assert upload_row.status == UploadStatus.CONFIRMED and upload_row.created_count == 3 and upload_row.updated_count == 1


def test_one_bad_row_among_many_saves_nothing_and_names_the_row(officer_client, ward, period, ward_officer):
    for n in range(1, 31):
        factories.make_indicator(responsible_unit=ward, code=f"nhieu-{n:02d}", sort_order=n)
    workbook = download_template(officer_client, period)
    sheet = workbook["Chỉ tiêu"]
    for row in range(2, 32):
        set_cell(sheet, row, "Giá trị", row * 10)
    set_cell(sheet, 17, "Giá trị", "abc")
    response = upload(officer_client, period, workbook_bytes(workbook))
    page = _preview(officer_client, response)
    errors = page.context["preview"].errors
    assert [(e.sheet, e.row, e.column) for e in errors] == [("Chỉ tiêu", 17, "Giá trị")]
    assert errors[0].message == "“abc” không phải là một số."
    assert "ConversionSyntax" not in page.content.decode()
    assert "Xác nhận lưu" not in page.content.decode()
    # Confirming anyway (a forged POST) saves nothing either.
    upload_row = SpreadsheetUpload.objects.get()
    officer_client.post(reverse("spreadsheets:confirm", args=[upload_row.pk]), {"checksum": upload_row.sha256})
    assert IndicatorValue.objects.count() == 0 and FigureChange.objects.count() == 0
    upload_row.refresh_from_db()
    assert upload_row.status == UploadStatus.PREVIEWED


def test_rows_of_another_unit_are_refused(officer_client, ward_obligations, other_ward, period):
    foreign = factories.make_indicator(responsible_unit=other_ward, code="ct-khac", name="Chỉ tiêu phường khác")
    workbook = download_template(officer_client, period)
    sheet = workbook["Chỉ tiêu"]
    sheet.protection.sheet = False
    set_cell(sheet, 2, "Giá trị", 1)
    sheet.cell(row=5, column=1, value=foreign.code)
    set_cell(sheet, 5, "Kỳ báo cáo", period.label)
    set_cell(sheet, 5, "Giá trị", 99)
    page = _preview(officer_client, upload(officer_client, period, workbook_bytes(workbook)))
    messages = [e.message for e in page.context["preview"].errors]
    assert messages == ["Số liệu này do Phường Đức Xuân báo cáo; bạn chỉ nhập được số liệu của Phường Sông Cầu."]
    assert page.context["preview"].errors[0].row == 5


def test_a_file_for_another_quarter_is_refused_row_by_row(officer_client, ward_obligations, period):
    other = factories.make_period(2024, 2)
    workbook = download_template(officer_client, other)
    set_cell(workbook["Chỉ tiêu"], 2, "Giá trị", 5)
    page = _preview(officer_client, upload(officer_client, period, workbook_bytes(workbook)))
    assert page.context["preview"].errors[0].message == "Dòng này thuộc Quý II/2024, nhưng tệp đang được nhập cho Quý III/2024."


@pytest.mark.parametrize("status", [ReportStatus.SUBMITTED, ReportStatus.APPROVED])
def test_a_locked_period_refuses_the_import(officer_client, ward_obligations, ward, period, status):
    workbook = download_template(officer_client, period)
    set_cell(workbook["Chỉ tiêu"], 2, "Giá trị", 7)
    factories.set_report_status(ward, period, status)
    page = _preview(officer_client, upload(officer_client, period, workbook_bytes(workbook)))
    [error] = page.context["preview"].errors
    assert "Quý III/2024" in error.message and "Phường Sông Cầu" in error.message
    assert IndicatorValue.objects.count() == 0


def test_a_lock_between_preview_and_confirm_still_saves_nothing(officer_client, ward_obligations, ward, period):
    workbook = download_template(officer_client, period)
    set_cell(workbook["Chỉ tiêu"], 2, "Giá trị", 7)
    set_cell(workbook["Chỉ tiêu"], 3, "Giá trị", 8)
    _preview(officer_client, upload(officer_client, period, workbook_bytes(workbook)))
    factories.set_report_status(ward, period, ReportStatus.SUBMITTED)
    upload_row = SpreadsheetUpload.objects.get()
    response = officer_client.post(
        reverse("spreadsheets:confirm", args=[upload_row.pk]), {"checksum": upload_row.sha256}, follow=True
    )
    assert "Không lưu được" in response.content.decode()
    assert IndicatorValue.objects.count() == 0


def test_a_figure_changed_on_the_portal_after_download_is_refused_as_stale(
    officer_client, ward_obligations, period, other_ward_officer, ward_officer
):
    figure = factories.make_indicator_value(indicator=ward_obligations["indicators"][0], period=period, value="100")
    workbook = download_template(officer_client, period)
    figure.value = Decimal("150")
    figure.save(actor=ward_officer)  # a colleague types a new figure on the portal
    set_cell(workbook["Chỉ tiêu"], 2, "Giá trị", 120)
    set_cell(workbook["Chỉ tiêu"], 3, "Giá trị", 5)
    page = _preview(officer_client, upload(officer_client, period, workbook_bytes(workbook)))
    [error] = page.context["preview"].errors
    assert error.row == 2 and "giá trị hiện tại: 150" in error.message
    figure.refresh_from_db()
    assert figure.value == Decimal("150")


def test_the_confirmed_file_must_be_the_previewed_one(officer_client, ward_obligations, period):
    workbook = download_template(officer_client, period)
    set_cell(workbook["Chỉ tiêu"], 2, "Giá trị", 7)
    _preview(officer_client, upload(officer_client, period, workbook_bytes(workbook)))
    upload_row = SpreadsheetUpload.objects.get()
    response = officer_client.post(reverse("spreadsheets:confirm", args=[upload_row.pk]), {"checksum": "0" * 64}, follow=True)
    assert "Tệp đã thay đổi so với bản bạn xem trước" in response.content.decode()
    SpreadsheetUpload.objects.filter(pk=upload_row.pk).update(content=b"PK tampered")
    response = officer_client.post(
        reverse("spreadsheets:confirm", args=[upload_row.pk]), {"checksum": upload_row.sha256}, follow=True
    )
    assert "Tệp đã thay đổi so với bản bạn xem trước" in response.content.decode()
    assert IndicatorValue.objects.count() == 0


def test_confirming_twice_saves_once(officer_client, ward_obligations, period):
    workbook = download_template(officer_client, period)
    set_cell(workbook["Chỉ tiêu"], 2, "Giá trị", 7)
    _preview(officer_client, upload(officer_client, period, workbook_bytes(workbook)))
    upload_row = SpreadsheetUpload.objects.get()
    url = reverse("spreadsheets:confirm", args=[upload_row.pk])
    officer_client.post(url, {"checksum": upload_row.sha256})
    response = officer_client.post(url, {"checksum": upload_row.sha256}, follow=True)
    assert "Tệp này đã được xử lý" in response.content.decode()
    assert FigureChange.objects.filter(field="value").count() == 1


# --- permissions: each view refuses, and nothing is saved or shown --------------------


@pytest.mark.parametrize("persona", ["leader", "secretariat"])
def test_only_officers_download_templates_and_upload(client, request, persona, ward_obligations, period):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("spreadsheets:template"), {"ky": period.pk}).status_code == 403
    assert upload(client, period, b"PK\x03\x04").status_code == 403
    assert SpreadsheetUpload.objects.count() == 0


def test_another_users_upload_is_not_found(officer_client, client, ward_obligations, period, other_ward_officer):
    workbook = download_template(officer_client, period)
    set_cell(workbook["Chỉ tiêu"], 2, "Giá trị", 7)
    _preview(officer_client, upload(officer_client, period, workbook_bytes(workbook)))
    upload_row = SpreadsheetUpload.objects.get()
    client.force_login(other_ward_officer)
    assert client.get(reverse("spreadsheets:preview", args=[upload_row.pk])).status_code == 404
    assert client.post(reverse("spreadsheets:confirm", args=[upload_row.pk]), {"checksum": upload_row.sha256}).status_code == 404
    assert client.post(reverse("spreadsheets:discard", args=[upload_row.pk])).status_code == 404
    assert IndicatorValue.objects.count() == 0


def test_anonymous_visitors_are_sent_to_sign_in(client, period):
    for name in ("spreadsheets:index", "spreadsheets:template", "spreadsheets:export"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_discarding_an_upload_drops_its_content(officer_client, ward_obligations, period):
    workbook = download_template(officer_client, period)
    set_cell(workbook["Chỉ tiêu"], 2, "Giá trị", 7)
    response = upload(officer_client, period, workbook_bytes(workbook))
    officer_client.post(reverse("spreadsheets:discard", args=[_upload_id(response)]))
    upload_row = SpreadsheetUpload.objects.get()
    assert upload_row.status == UploadStatus.DISCARDED and bytes(upload_row.content) == b""
