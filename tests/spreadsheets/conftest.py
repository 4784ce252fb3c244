import io

import openpyxl
import pytest
from django.urls import reverse

from tests import factories


@pytest.fixture
def indicators(ward, period):
    """Three indicators the ward answers for."""
    return [
        factories.make_indicator(responsible_unit=ward, code=f"ct-{n}", name=f"Chỉ tiêu {n}", sort_order=n) for n in range(1, 4)
    ]


@pytest.fixture
def ward_obligations(ward, department, period, indicators):
    """What the ward reports in Quý III/2024: three indicators, a project, a task it
    leads and one it supports."""
    project = factories.make_project(managing_unit=ward, code="du-an-1", name="Đường vào hồ Nặm Cắt")
    led = factories.make_task(lead_unit=ward, code="NV-1", content="Chỉnh trang tuyến phố")
    supported = factories.make_task(lead_unit=department, supporting=[ward], code="NV-2", content="Phát triển kinh tế đêm")
    return {"indicators": indicators, "project": project, "tasks": [led, supported]}


def download_template(client, period) -> openpyxl.Workbook:
    response = client.get(reverse("spreadsheets:template"), {"ky": period.pk})
    assert response.status_code == 200, response.content[:500]
    return openpyxl.load_workbook(io.BytesIO(response.content))


def column(sheet, header) -> int:
    for cell in sheet[1]:
        if cell.value == header:
            return cell.column
    raise KeyError(header)


def set_cell(sheet, row: int, header: str, value):
    sheet.cell(row=row, column=column(sheet, header), value=value)


def workbook_bytes(workbook) -> bytes:
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def upload(client, period, content: bytes, name="bao-cao.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("spreadsheets:upload"), {"ky": period.pk, "tep": SimpleUploadedFile(name, content)})
