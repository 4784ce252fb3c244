"""Export → edit in a spreadsheet → import changes exactly the edited figures."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from indicators.models import IndicatorValue, ValueKind
from periods.models import FigureChange
from projects.models import Phase, ProjectUpdate
from resolutions.models import TaskStatus, TaskUpdate
from spreadsheets.formats import CSV, XLSX
from spreadsheets.models import SpreadsheetUpload
from tests import factories

from .conftest import set_cell, upload, workbook_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(ward, other_ward, period, ward_officer):
    values = []
    for n in range(1, 9):
        indicator = factories.make_indicator(responsible_unit=ward, code=f"rt-{n}", sort_order=n, decimal_places=2)
        values.append(
            factories.make_indicator_value(
                indicator=indicator,
                period=period,
                value=f"{n * 1000}.25",
                note=("=> đạt kế hoạch" if n == 3 else ""),
                kind=ValueKind.OFFICIAL,
                actor=ward_officer,
            )
        )
    other = factories.make_indicator(responsible_unit=other_ward, code="rt-khac")
    factories.make_indicator_value(indicator=other, period=period, value="5")
    project = factories.make_project(managing_unit=ward, code="rt-du-an")
    factories.make_project_update(project=project, period=period, progress_percent=Decimal("40"), phase=Phase.CONSTRUCTION)
    task = factories.make_task(lead_unit=ward, code="RT-1")
    factories.make_task_update(task=task, period=period, status=TaskStatus.IN_PROGRESS, narrative="Đang làm\n- bước 1")
    return values


def _snapshot():
    return {
        "values": dict(IndicatorValue.objects.values_list("indicator__code", "value")),
        "versions": dict(IndicatorValue.objects.values_list("indicator__code", "version")),
        "notes": dict(IndicatorValue.objects.values_list("indicator__code", "note")),
        "history": FigureChange.objects.count(),
    }


def _confirm(client):
    upload_row = SpreadsheetUpload.objects.latest("pk")
    response = client.post(reverse("spreadsheets:confirm", args=[upload_row.pk]), {"checksum": upload_row.sha256})
    assert response.status_code == 302


def test_xlsx_round_trip_through_the_officer_pages(client, ward_officer, figures, period):
    client.force_login(ward_officer)
    exported = client.get(reverse("spreadsheets:export"), {"ky": period.pk, "bang": "chi-tieu", "dinh_dang": "xlsx"})
    assert exported.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(exported.content))
    sheet = workbook.active
    codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "rt-khac" not in codes  # an officer exports only their own unit
    before = _snapshot()
    set_cell(sheet, codes.index("rt-2") + 2, "Giá trị", 2500.5)
    set_cell(sheet, codes.index("rt-5") + 2, "Giá trị", "6.000,75")
    response = upload(client, period, workbook_bytes(workbook), name="xuat.xlsx")
    preview = client.get(response["Location"]).context["preview"]
    assert preview.errors == [] and preview.updated == 2 and preview.unchanged == 6
    _confirm(client)
    after = _snapshot()
    changed = {code for code in after["values"] if after["values"][code] != before["values"][code]}
    assert changed == {"rt-2", "rt-5"}
    assert after["values"]["rt-2"] == Decimal("2500.5") and after["values"]["rt-5"] == Decimal("6000.75")
    assert {code for code in after["versions"] if after["versions"][code] != before["versions"][code]} == {"rt-2", "rt-5"}
    assert after["notes"] == before["notes"]  # "=> đạt kế hoạch" survived the neutralising quote
    assert after["history"] == before["history"] + 2


def test_csv_round_trip_through_the_officer_pages(client, ward_officer, figures, period):
    client.force_login(ward_officer)
    exported = client.get(reverse("spreadsheets:export"), {"ky": period.pk, "bang": "chi-tieu", "dinh_dang": "csv"})
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    headers, data = rows[0], rows[1:]
    value, note = headers.index("Giá trị"), headers.index("Ghi chú")
    before = _snapshot()
    data[0][value] = "1.111,25"
    data[3][note] = "Sửa ghi chú"
    stream = io.StringIO()
    csv.writer(stream).writerows([headers, *data])
    response = upload(client, period, ("\ufeff" + stream.getvalue()).encode(), name="xuat.csv")
    preview = client.get(response["Location"]).context["preview"]
    assert preview.errors == [] and preview.updated == 2
    _confirm(client)
    after = _snapshot()
    assert {code for code in after["values"] if after["values"][code] != before["values"][code]} == {"rt-1"}
    assert {code for code in after["notes"] if after["notes"][code] != before["notes"][code]} == {"rt-4"}


@pytest.mark.parametrize("file_format", [XLSX, CSV])
def test_an_untouched_export_imports_as_all_unchanged(figures, period, ward_officer, file_format):
    from indicators.resources import IndicatorValueResource
    from projects.resources import ProjectUpdateResource
    from resolutions.resources import TaskUpdateResource

    before = _snapshot()
    for resource_class in (IndicatorValueResource, ProjectUpdateResource, TaskUpdateResource):
        data = file_format().export_data(resource_class().export())
        dataset = file_format().create_dataset(data if isinstance(data, bytes) else data.encode())
        result = resource_class(user=ward_officer).import_data(dataset)
        assert not result.has_errors() and not result.has_validation_errors()
        assert {row.import_type for row in result.rows} == {"skip"}
    assert _snapshot() == before


def test_task_and_project_updates_round_trip(figures, period, ward_officer):
    from projects.resources import ProjectUpdateResource
    from resolutions.resources import TaskUpdateResource

    workbook = openpyxl.load_workbook(io.BytesIO(XLSX().export_data(TaskUpdateResource().export())))
    set_cell(workbook.active, 2, "Tình hình thực hiện", "Đã hoàn thành")
    set_cell(workbook.active, 2, "Ngày hoàn thành", datetime.datetime(2024, 9, 1))
    result = TaskUpdateResource(user=ward_officer).import_data(XLSX().create_dataset(workbook_bytes(workbook)))
    assert result.totals["update"] == 1 and not result.has_validation_errors()
    update = TaskUpdate.objects.get()
    assert (
        update.status == "done" and update.completed_on == datetime.date(2024, 9, 1) and update.narrative == "Đang làm\n- bước 1"
    )

    workbook = openpyxl.load_workbook(io.BytesIO(XLSX().export_data(ProjectUpdateResource().export())))
    set_cell(workbook.active, 2, "Tiến độ (%)", 55)
    result = ProjectUpdateResource(user=ward_officer).import_data(XLSX().create_dataset(workbook_bytes(workbook)))
    assert result.totals["update"] == 1
    assert ProjectUpdate.objects.get().progress_percent == Decimal("55")
    assert ProjectUpdate.objects.get().phase == Phase.CONSTRUCTION
