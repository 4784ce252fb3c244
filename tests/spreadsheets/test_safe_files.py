"""Hostile or malformed files get a clear Vietnamese error — never a 500, never parsed
when they are out of proportion."""

import io
import zipfile

import pytest
from django.test import override_settings

from spreadsheets import files
from spreadsheets.models import SpreadsheetUpload

from .conftest import download_template, set_cell, upload, workbook_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client, ward_officer):
    client.force_login(ward_officer)
    return client


def _error(response) -> str:
    assert response.status_code == 400
    return " ".join(response.context["upload_form"].errors["tep"])


def _zip(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return stream.getvalue()


def test_a_bomb_that_unpacks_out_of_proportion_is_refused_before_parsing(officer_client, period, monkeypatch):
    opened = []
    monkeypatch.setattr("openpyxl.load_workbook", lambda *a, **k: opened.append(1))
    bomb = _zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b"<row>" + b"0" * (60 * 1024 * 1024) + b"</row>",
        }
    )
    assert len(bomb) < 200 * 1024
    message = _error(upload(officer_client, period, bomb))
    assert "giải nén ra" in message and "có thể là tệp độc hại" in message
    assert opened == [] and SpreadsheetUpload.objects.count() == 0


def test_a_highly_compressed_small_bomb_is_refused_by_ratio(officer_client, period):
    bomb = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>", "xl/a.xml": b" " * (5 * 1024 * 1024)})
    assert "bất thường" in _error(upload(officer_client, period, bomb))


def test_an_archive_with_too_many_entries_is_refused(officer_client, period):
    many = _zip({"[Content_Types].xml": b"x", "xl/workbook.xml": b"x", **{f"xl/media/{n}.xml": b"x" for n in range(600)}})
    assert "thành phần" in _error(upload(officer_client, period, many))


@override_settings(SPREADSHEETS_MAX_UPLOAD_BYTES=10_000)
def test_an_oversized_file_is_refused_before_it_is_read(officer_client, period):
    message = _error(upload(officer_client, period, b"PK\x03\x04" + b"0" * 20_000))
    assert "vượt giới hạn" in message and SpreadsheetUpload.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("bao-cao.xls", b"\xd0\xcf\x11\xe0rest", "Lưu thành → Sổ làm việc Excel (.xlsx)"),
        ("bao-cao.pdf", b"%PDF-1.4", "Chỉ nhận tệp .xlsx hoặc .csv"),
        ("bao-cao", b"abc", "Chỉ nhận tệp .xlsx hoặc .csv"),
        ("bao-cao.xlsx", b"just text renamed", "không phải là bảng tính Excel"),
        ("bao-cao.xlsx", b"\xd0\xcf\x11\xe0 encrypted", "đặt mật khẩu"),
        ("bao-cao.xlsx", b"PK\x03\x04 truncated zip", "bị hỏng"),
        ("bao-cao.csv", b"M\xe3 ch\xec ti\xeau;K\xfd\nct;Qu\xfd III/2024", "UTF-8"),
        ("bao-cao.csv", b"\x00\x01binary", "nhị phân"),
        ("bao-cao.csv", "Tên;Tuổi\nAn;3\n".encode(), "Không nhận ra bảng số liệu"),
        ("bao-cao.csv", b"", "rỗng"),
    ],
)
def test_malformed_files_get_a_clear_error(officer_client, period, name, content, expected):
    assert expected in _error(upload(officer_client, period, content, name=name))


def test_a_damaged_workbook_with_valid_zip_is_refused_cleanly(officer_client, period):
    damaged = _zip({"[Content_Types].xml": b"<not xml", "xl/workbook.xml": b"<also not xml"})
    assert "bị hỏng" in _error(upload(officer_client, period, damaged))


def test_xml_entities_are_never_expanded(officer_client, ward_obligations, period):
    """A billion-laughs DTD in a worksheet: refused, or read without expansion."""
    workbook = download_template(officer_client, period)
    set_cell(workbook["Chỉ tiêu"], 2, "Ghi chú", "ENTITY-HERE")
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes(workbook)))
    entries = {item.filename: source.read(item.filename) for item in source.infolist()}
    laughs = b'<!DOCTYPE worksheet [<!ENTITY a "lollollollollollollollollollol">'
    for n in range(8):
        laughs += b"<!ENTITY " + bytes([98 + n]) + b' "' + (b"&" + bytes([97 + n]) + b";") * 10 + b'">'
    laughs += b"]>"
    name = next(name for name, data in entries.items() if b"ENTITY-HERE" in data)
    body = entries[name]
    if body.startswith(b"<?xml"):
        declaration, body = body.split(b"?>", 1)
        body = declaration + b"?>" + laughs + body
    else:
        body = laughs + body
    entries[name] = body.replace(b"ENTITY-HERE", b"&i;")
    try:
        sheets = files.read_xlsx(_zip(entries))
    except files.SpreadsheetFileError:
        return
    cells = [value for sheet in sheets for _number, row in sheet.rows for value in row if isinstance(value, str)]
    assert not any("lollol" in value for value in cells)


def test_the_template_itself_passes_the_checks(officer_client, ward_obligations, period):
    content = workbook_bytes(download_template(officer_client, period))
    assert files.check_upload("mau.xlsx", content) == "xlsx"
