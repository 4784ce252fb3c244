"""Imports and annual-review versions leave their trace in the audit log: a confirmed
import, a refused file (also when the import it belonged to rolled back), a review asked
for and a review issued."""

import datetime

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent, AuditEventType
from indicators.models import IndicatorValue
from periods.models import ReportStatus
from reviews.models import JobStatus, ReviewJob
from spreadsheets.formats import CSV
from spreadsheets.models import SpreadsheetUpload, UploadStatus
from tests import factories

pytestmark = pytest.mark.django_db


def events(event):
    return list(AuditEvent.objects.filter(event=event).order_by("pk"))


def workbook_bytes(workbook) -> bytes:
    import io

    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


@pytest.fixture
def indicator(ward, period):
    return factories.make_indicator(responsible_unit=ward, code="ho-kinh-doanh", name="Số hộ kinh doanh")


def filled_template(client, period, value) -> bytes:
    import io

    response = client.get(reverse("spreadsheets:template"), {"ky": period.pk})
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook["Chỉ tiêu"]
    column = [cell.value for cell in sheet[1]].index("Giá trị") + 1
    sheet.cell(row=2, column=column, value=value)
    return workbook_bytes(workbook)


def upload(client, period, content, name="bao-cao.xlsx"):
    return client.post(reverse("spreadsheets:upload"), {"ky": period.pk, "tep": SimpleUploadedFile(name, content)})


# --- the officers' Excel import -----------------------------------------------------------


def test_a_confirmed_import_is_logged_with_what_it_changed(client, ward_officer, indicator, period):
    client.force_login(ward_officer)
    assert upload(client, period, filled_template(client, period, 4086)).status_code == 302
    received = SpreadsheetUpload.objects.get()
    assert events(AuditEventType.IMPORT_CONFIRMED) == []  # a preview imports nothing
    response = client.post(
        reverse("spreadsheets:confirm", args=[received.pk]), {"checksum": received.sha256}, REMOTE_ADDR="10.1.2.3"
    )
    assert response.status_code == 302
    [event] = events(AuditEventType.IMPORT_CONFIRMED)
    assert (event.actor, event.target, event.ip_address) == (ward_officer, "bao-cao.xlsx", "10.1.2.3")
    assert event.detail["created"] == "1" and event.detail["unit"] == ward_officer.unit.code
    assert event.detail["sha256"] == received.sha256 and event.detail["period"] == period.label


@pytest.mark.parametrize(
    "name, content",
    [
        ("bao-cao.xls", b"\xd0\xcf\x11\xe0 an old Excel file"),  # refused by the form, before it is read
        ("bao-cao.xlsx", b"PK\x03\x04 not really a zip"),  # refused by the safe reader
        ("bao-cao.csv", "Cột lạ;Khác\n1;2\n".encode()),  # no figure sheet in it
    ],
)
def test_a_refused_file_is_logged(client, ward_officer, indicator, period, name, content):
    client.force_login(ward_officer)
    response = upload(client, period, content, name=name)
    assert response.status_code == 400
    assert not SpreadsheetUpload.objects.exists()
    [event] = events(AuditEventType.IMPORT_REFUSED)
    assert (event.actor, event.target) == (ward_officer, name)
    assert event.detail["reason"]


def test_a_confirmation_refused_is_logged_though_the_import_rolled_back(client, ward_officer, ward, indicator, period):
    client.force_login(ward_officer)
    upload(client, period, filled_template(client, period, 4086))
    received = SpreadsheetUpload.objects.get()
    # Meanwhile the unit's report was approved: its figures are locked.
    factories.set_report_status(ward, period, ReportStatus.APPROVED)
    response = client.post(reverse("spreadsheets:confirm", args=[received.pk]), {"checksum": received.sha256})
    assert response.status_code == 302
    assert not IndicatorValue.objects.exists()
    received.refresh_from_db()
    assert received.status == UploadStatus.PREVIEWED
    [event] = events(AuditEventType.IMPORT_REFUSED)
    assert event.actor == ward_officer and int(event.detail["errors"]) >= 1
    assert events(AuditEventType.IMPORT_CONFIRMED) == []


def test_a_forged_checksum_is_refused_and_logged(client, ward_officer, indicator, period):
    client.force_login(ward_officer)
    upload(client, period, filled_template(client, period, 4086))
    received = SpreadsheetUpload.objects.get()
    client.post(reverse("spreadsheets:confirm", args=[received.pk]), {"checksum": "0" * 64})
    [event] = events(AuditEventType.IMPORT_REFUSED)
    assert "đã thay đổi" in event.detail["reason"]


# --- the secretariat's admin import ---------------------------------------------------------


def _figures_csv(indicator, period, value) -> bytes:
    import tablib

    dataset = tablib.Dataset(headers=["Mã chỉ tiêu", "Kỳ báo cáo", "Giá trị", "Phiên bản (không sửa)"])
    dataset.append([indicator.code, period.label, value, ""])
    return CSV().export_data(dataset).encode()


def _admin_preview(client, content):
    return client.post(
        reverse("admin:indicators_indicatorvalue_import"),
        {"format": "1", "resource": "0", "import_file": SimpleUploadedFile("chi-tieu.csv", content)},
    )


def test_an_admin_import_confirmed_is_logged(client, secretariat, indicator, period):
    client.force_login(secretariat)
    preview = _admin_preview(client, _figures_csv(indicator, period, "4.086"))
    assert events(AuditEventType.IMPORT_REFUSED) == []
    done = client.post(reverse("admin:indicators_indicatorvalue_process_import"), preview.context["confirm_form"].initial)
    assert done.status_code == 302 and IndicatorValue.objects.get().value == 4086
    [event] = events(AuditEventType.IMPORT_CONFIRMED)
    assert (event.actor, event.target) == (secretariat, "chi-tieu.csv")
    assert event.detail["model"] == "indicators.IndicatorValue" and event.detail["new"] == "1"


def test_an_admin_file_with_bad_rows_is_refused_and_logged(client, secretariat, indicator, period):
    client.force_login(secretariat)
    preview = _admin_preview(client, _figures_csv(indicator, period, "bốn nghìn"))
    assert preview.status_code == 200 and preview.context.get("confirm_form") is None
    [event] = events(AuditEventType.IMPORT_REFUSED)
    assert (event.actor, event.target, event.detail["step"]) == (secretariat, "chi-tieu.csv", "preview")


def test_an_admin_import_refused_at_confirmation_is_logged(client, secretariat, ward, indicator, period):
    client.force_login(secretariat)
    preview = _admin_preview(client, _figures_csv(indicator, period, "4.086"))
    factories.set_report_status(ward, period, ReportStatus.APPROVED)  # locked in between
    client.post(reverse("admin:indicators_indicatorvalue_process_import"), preview.context["confirm_form"].initial)
    assert not IndicatorValue.objects.exists()
    [event] = events(AuditEventType.IMPORT_REFUSED)
    assert event.detail["step"] == "confirm"
    assert events(AuditEventType.IMPORT_CONFIRMED) == []


# --- the annual review --------------------------------------------------------------------


def test_a_review_requested_and_issued_is_logged(client, secretariat, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reviews:request", args=[2024]),
            {"document_number": "45", "report_date": "20/12/2024", "signer_position": "Bí thư"},
            REMOTE_ADDR="10.9.8.7",
        )
    assert response.status_code == 302
    job = ReviewJob.objects.get()
    assert job.status == JobStatus.DONE, job.failure_reason
    [requested] = events(AuditEventType.REVIEW_REQUESTED)
    assert (requested.actor, requested.ip_address, requested.target) == (secretariat, "10.9.8.7", str(job))
    assert requested.detail["number"] == "45" and requested.detail["report_date"] == "2024-12-20"
    [issued] = events(AuditEventType.REVIEW_ISSUED)
    assert (issued.actor, issued.target) == (secretariat, str(job))
    assert issued.detail["sha256"] == job.pdf_sha256 and issued.detail["pages"] == str(job.page_count)
    assert issued.pk > requested.pk

    # Running the finished job again (a redelivered message) issues nothing new.
    from reviews.services import review_job_run

    review_job_run(job_id=job.pk)
    assert len(events(AuditEventType.REVIEW_ISSUED)) == 1


def test_a_failed_render_issues_nothing(secretariat, settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    from reviews import services
    from reviews.compose import IssueDetails

    settings.MEDIA_ROOT = tmp_path

    def broken(*args, **kwargs):
        raise RuntimeError("hỏng")

    monkeypatch.setattr(services, "render_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.review_job_request(
            year=2024, actor=secretariat, details=IssueDetails(report_date=datetime.date(2024, 12, 20))
        )
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert len(events(AuditEventType.REVIEW_REQUESTED)) == 1
    assert events(AuditEventType.REVIEW_ISSUED) == []


def test_a_password_set_in_the_admin_is_logged(client, secretariat, ward_officer):
    client.force_login(secretariat)
    url = reverse("admin:auth_user_password_change", args=[ward_officer.pk])
    refused = client.post(url, {"usable_password": "true", "password1": "Mat-khau-moi-2026!", "password2": "khac-han"})
    assert refused.status_code == 200
    assert events(AuditEventType.PASSWORD_SET_BY_ADMIN) == []
    response = client.post(url, {"usable_password": "true", "password1": "Mat-khau-moi-2026!", "password2": "Mat-khau-moi-2026!"})
    assert response.status_code == 302
    [event] = events(AuditEventType.PASSWORD_SET_BY_ADMIN)
    assert (event.actor, event.target, event.detail) == (secretariat, ward_officer.username, {"user": str(ward_officer.pk)})
