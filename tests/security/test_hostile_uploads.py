"""Hostile input against every import path (point 7): generated .xlsx and .csv files —
hostile cells (NUL bytes, 10 KB strings, decomposed Vietnamese, huge and negative
numbers, exponent notations, HTML, SQL, formulas), hostile file names, broken files —
uploaded, previewed and confirmed by an officer on the portal, and imported by the
secretariat in the admin. After each file: no server error, every stored figure
normalised, no raw markup in a page. Each file runs in a savepoint rolled back after it.
"""

import io
import random
import zipfile

import openpyxl
import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from accounts.models import Role
from indicators.models import IndicatorValue, ValueType
from projects.models import ProjectUpdate
from resolutions.models import TaskUpdate
from spreadsheets.models import SpreadsheetUpload
from spreadsheets.workbook import build_template
from tests import factories
from units.models import UnitKind

from .hostile import (
    PAYLOADS,
    assert_escaped,
    assert_no_server_error,
    assert_normalised,
    examples,
    hostile_date,
    hostile_number,
    hostile_text,
    kept_for_the_module,
    rolled_back,
)

SHEETS = ("Chỉ tiêu", "Dự án", "Nhiệm vụ")


class World:
    def __init__(self):
        self.unit = factories.make_unit(name="Phường Sông Cầu", kind=UnitKind.WARD, code="phuong-tep")
        self.officer = factories.make_user(role=Role.OFFICER, unit=self.unit, username="canbo.tep")
        self.secretariat = factories.make_user(role=Role.SECRETARIAT, username="vanphong.tep", is_staff=True, is_superuser=True)
        self.period = factories.make_period(2024, 3)
        self.indicators = [
            factories.make_indicator(responsible_unit=self.unit, code="ct-so"),
            factories.make_indicator(
                responsible_unit=self.unit, code="ct-ty-le", unit_of_measure="%", value_type=ValueType.RATIO, decimal_places=2
            ),
        ]
        self.project = factories.make_project(managing_unit=self.unit, code="da-tep")
        self.task = factories.make_task(lead_unit=self.unit, code="NV-TEP")
        factories.make_indicator_value(indicator=self.indicators[0], period=self.period, value="100", actor=self.officer)
        self.template = build_template(self.unit, self.period)
        workbook = openpyxl.load_workbook(io.BytesIO(self.template))
        self.rows = {
            title: [list(row) for row in workbook[title].iter_rows(values_only=True) if any(v is not None for v in row)]
            for title in SHEETS
        }
        self.sessions = {}
        for key, user in [("officer", self.officer), ("secretariat", self.secretariat)]:
            client = Client()
            client.force_login(user)
            self.sessions[key] = client.session.session_key

    def client(self, who) -> Client:
        client = Client()
        client.cookies[django_settings.SESSION_COOKIE_NAME] = self.sessions[who]
        return client

    def figures(self):
        return [
            *IndicatorValue.objects.filter(unit=self.unit),
            *ProjectUpdate.objects.filter(unit=self.unit),
            *TaskUpdate.objects.filter(unit=self.unit),
        ]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with kept_for_the_module(django_db_blocker):
        yield World()


# --- files -------------------------------------------------------------------------------------

formulas = st.sampled_from(["=1+1", "=SUM(A1:A9)", '=HYPERLINK("http://127.0.0.1/","x")', "=cmd|' /C calc'!A0", "=1/0"])
cell = st.one_of(
    st.none(),
    hostile_text,
    hostile_number,
    hostile_date,
    formulas,
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False, places=6),
    st.booleans(),
    st.dates(),
)


@st.composite
def sheet_rows(draw, world_rows):
    """A sheet's header and data rows: the template's, with hostile cells put in."""
    header, *rows = world_rows
    rows = [list(row) for row in rows] or [[None] * len(header)]
    rows += [[None] * len(header) for _ in range(draw(st.integers(0, 2)))]
    for row in rows:
        for index in draw(st.lists(st.integers(0, len(header) - 1), max_size=len(header))):
            row[index] = draw(cell)
    if draw(st.booleans()):
        # Now and then a header is hostile too (the key columns then go missing).
        header = list(header)
        header[draw(st.integers(0, len(header) - 1))] = draw(hostile_text)
    return [list(header), *rows]


def _xlsx_value(value):
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)  # XML cannot carry them; the .csv tests do
    if isinstance(value, float) and value != value:
        return "NaN"
    return value


def xlsx_bytes(sheets: dict) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append([_xlsx_value(value) for value in row])
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def _csv_text(value) -> str:
    if value is None:
        return ""
    text = str(value)
    if any(c in text for c in ';,"\n\t'):
        text = '"' + text.replace('"', '""') + '"'
    return text


@st.composite
def csv_bytes(draw, world):
    rows = draw(sheet_rows(world.rows[draw(st.sampled_from(SHEETS))]))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    text = "\n".join(delimiter.join(_csv_text(value) for value in row) for row in rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1258", "latin-1"]))
    content = text.encode(encoding, errors="replace")
    if draw(st.booleans()):
        # Raw bytes into the middle: NUL, a stray byte, an unclosed quote.
        at = draw(st.integers(0, len(content)))
        content = content[:at] + draw(st.sampled_from([b"\x00", b"\xff\xfe", b'"', b"\r", b"\x00\x00\x00"])) + content[at:]
    return content


hostile_name = st.one_of(st.sampled_from(["bao-cao", "../../etc/passwd", "báo cáo quý"]), hostile_text.map(lambda t: t[:80]))


@st.composite
def broken_file(draw, world):
    """Something that is not a good spreadsheet, under a spreadsheet's name."""
    kind = draw(st.sampled_from(["truncated", "random", "zip-junk", "zip-missing-part", "csv-quotes", "empty", "old-excel"]))
    if kind == "truncated":
        return "bao-cao.xlsx", world.template[: draw(st.integers(0, len(world.template) - 1))]
    if kind == "random":
        return draw(st.sampled_from(["x.xlsx", "x.csv"])), draw(st.binary(min_size=1, max_size=2000))
    if kind == "zip-junk":
        return "bao-cao.xlsx", b"PK\x03\x04" + draw(st.binary(max_size=500))
    if kind == "zip-missing-part":
        stream = io.BytesIO()
        with zipfile.ZipFile(world_template_stream(world)) as source, zipfile.ZipFile(stream, "w") as target:
            drop = draw(
                st.sampled_from(["xl/workbook.xml", "xl/sharedStrings.xml", "xl/worksheets/sheet2.xml", "[Content_Types].xml"])
            )
            for item in source.infolist():
                if item.filename != drop:
                    target.writestr(item, source.read(item.filename))
        return "bao-cao.xlsx", stream.getvalue()
    if kind == "csv-quotes":
        return "bao-cao.csv", ('Mã chỉ tiêu,Kỳ báo cáo,Giá trị\n"ct-so,Quý III/2024,' + "1" * draw(st.integers(0, 50))).encode()
    if kind == "empty":
        return draw(st.sampled_from(["x.xlsx", "x.csv"])), b""
    return "bao-cao.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + draw(st.binary(max_size=200))


def world_template_stream(world):
    return io.BytesIO(world.template)


# --- the officer's upload, preview and confirmation ---------------------------------------------


def upload_preview_confirm(world, name: str, content: bytes):
    client = world.client("officer")
    response = client.post(reverse("spreadsheets:upload"), {"ky": world.period.pk, "tep": SimpleUploadedFile(name, content)})
    assert_no_server_error(response)
    assert_escaped(response)
    assert response.status_code in (302, 400)
    event("refused at the upload" if response.status_code == 400 else "previewed")
    if response.status_code == 302:
        upload = SpreadsheetUpload.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
        assert_normalised(upload)
        preview = client.get(response["Location"])
        assert_no_server_error(preview)
        assert_escaped(preview)
        confirm = client.post(reverse("spreadsheets:confirm", args=[upload.pk]), {"checksum": upload.sha256})
        assert_no_server_error(confirm)
        assert confirm.status_code == 302
        event("saved" if confirm["Location"] == reverse("spreadsheets:index") else "refused at confirmation")
        assert_escaped(client.get(confirm["Location"]))
    for figure in world.figures():
        assert_normalised(figure)


@hypothesis_settings(max_examples=examples(110))
@given(data=st.data())
def test_generated_xlsx_files(world, db, data):
    PAYLOADS["Excel upload: generated .xlsx"] += 1
    titles = data.draw(st.lists(st.sampled_from(SHEETS), min_size=1, max_size=3, unique=True))
    sheets = {title: data.draw(sheet_rows(world.rows[title])) for title in titles}
    name = data.draw(hostile_name) + ".xlsx"
    with rolled_back():
        upload_preview_confirm(world, name, xlsx_bytes(sheets))


@hypothesis_settings(max_examples=examples(150))
@given(data=st.data())
def test_generated_csv_files(world, db, data):
    PAYLOADS["Excel upload: generated .csv"] += 1
    content = data.draw(csv_bytes(world))
    name = data.draw(hostile_name) + ".csv"
    with rolled_back():
        upload_preview_confirm(world, name, content)


@hypothesis_settings(max_examples=examples(90))
@given(data=st.data())
def test_broken_files(world, db, data):
    PAYLOADS["Excel upload: broken files"] += 1
    name, content = data.draw(broken_file(world))
    with rolled_back():
        upload_preview_confirm(world, name, content)


# --- the secretariat's admin import ---------------------------------------------------------------


@hypothesis_settings(max_examples=examples(80))
@given(data=st.data(), as_csv=st.booleans())
def test_admin_imports(world, db, data, as_csv):
    PAYLOADS["admin import: generated .xlsx/.csv"] += 1
    if as_csv:
        name, content, file_format = "chi-tieu.csv", data.draw(csv_bytes(world)), "1"
    else:
        rows = data.draw(sheet_rows(world.rows["Chỉ tiêu"]))
        name, content, file_format = "chi-tieu.xlsx", xlsx_bytes({"Chỉ tiêu": rows}), "0"
    client = world.client("secretariat")
    with rolled_back():
        response = client.post(
            reverse("admin:indicators_indicatorvalue_import"),
            {"format": file_format, "resource": "0", "import_file": SimpleUploadedFile(name, content)},
        )
        assert_no_server_error(response)
        assert_escaped(response)
        confirm = response.context.get("confirm_form") if response.context else None
        if confirm is not None:
            done = client.post(reverse("admin:indicators_indicatorvalue_process_import"), confirm.initial)
            assert_no_server_error(done)
        for figure in world.figures():
            assert_normalised(figure)


def test_the_generators_make_files_the_portal_accepts(world, db):
    """The generated files are not all refused at the door: unchanged, the template's rows
    make a file the portal previews and confirms."""
    random.seed(0)
    with rolled_back():
        client = world.client("officer")
        response = client.post(
            reverse("spreadsheets:upload"),
            {"ky": world.period.pk, "tep": SimpleUploadedFile("mau.xlsx", xlsx_bytes(world.rows))},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
