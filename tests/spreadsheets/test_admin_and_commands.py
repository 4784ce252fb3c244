"""The secretariat's admin import/export and the package's `manage.py import/export`
with the portal's resources: own permissions, Vietnamese headers, all or nothing."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Role
from indicators.models import Indicator, IndicatorValue
from periods.models import ChangeSource, FigureChange
from spreadsheets.formats import CSV
from spreadsheets.permissions import import_export_models
from tests import factories
from units.models import OrganisationUnit, UnitKind
from units.resources import UnitResource

from .conftest import workbook_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    """A staff member of the secretariat who may edit units but has no import/export right."""
    user = factories.make_user(role=Role.SECRETARIAT, username="nhanvien", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_organisationunit", "change_organisationunit", "add_organisationunit"])
    )
    return user


def _units_file(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Mã đơn vị cấp trên", "Ngừng hoạt động từ"])
    for row in rows:
        sheet.append(row)
    return workbook_bytes(workbook)


def test_every_import_export_admin_has_its_own_permissions():
    for model in import_export_models():
        name = model._meta.model_name
        assert Permission.objects.filter(codename=f"import_{name}").exists(), name
        assert Permission.objects.filter(codename=f"export_{name}").exists(), name


def test_admin_access_alone_does_not_allow_import_or_export(client, staff):
    client.force_login(staff)
    assert client.get(reverse("admin:units_organisationunit_changelist")).status_code == 200
    assert client.get(reverse("admin:units_organisationunit_import")).status_code == 403
    assert client.get(reverse("admin:units_organisationunit_export")).status_code == 403
    response = client.post(
        reverse("admin:units_organisationunit_import"),
        {
            "format": "0",
            "resource": "0",
            "import_file": SimpleUploadedFile("u.xlsx", _units_file([["x", "X", "Phường", "", ""]])),
        },
    )
    assert response.status_code == 403 and not OrganisationUnit.objects.filter(code="x").exists()


def test_with_the_permissions_the_admin_imports_all_or_nothing(client, staff):
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["import_organisationunit", "export_organisationunit"]))
    client.force_login(staff)
    good = ["phuong-moi", "Phường Mới", "Phường", "", ""]
    bad = ["xa-hong", "Xã Hỏng", "Xã", "khong-co-ma-nay", "31/02/2024"]
    response = client.post(
        reverse("admin:units_organisationunit_import"),
        {"format": "0", "resource": "0", "import_file": SimpleUploadedFile("u.xlsx", _units_file([good, bad]))},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Không tìm thấy đơn vị cấp trên có mã “khong-co-ma-nay”." in body
    assert "ngày/tháng/năm" in body
    assert "confirm_form" not in response.context or response.context.get("confirm_form") is None
    assert not OrganisationUnit.objects.filter(code__in=["phuong-moi", "xa-hong"]).exists()

    response = client.post(
        reverse("admin:units_organisationunit_import"),
        {"format": "0", "resource": "0", "import_file": SimpleUploadedFile("u.xlsx", _units_file([good]))},
    )
    confirm = response.context["confirm_form"]
    done = client.post(reverse("admin:units_organisationunit_process_import"), confirm.initial)
    assert done.status_code == 302
    assert OrganisationUnit.objects.get(code="phuong-moi").kind == UnitKind.WARD

    exported = client.post(reverse("admin:units_organisationunit_export"), {"format": "0", "resource": "0", "export_items": []})
    exported = client.post(
        reverse("admin:units_organisationunit_export"),
        {"format": "0", "resource": "0", **{f"unitresource_{name}": "on" for name in UnitResource.Meta.fields}},
    )
    assert exported.status_code == 200
    headers = [cell.value for cell in openpyxl.load_workbook(io.BytesIO(exported.content)).active[1]]
    assert headers[:3] == ["Mã đơn vị", "Tên đơn vị", "Tên ngắn"]


def test_admin_import_of_figures_goes_through_the_gate(client, secretariat, ward, period):
    indicator = factories.make_indicator(responsible_unit=ward, code="ho-kd")
    client.force_login(secretariat)
    content = CSV().export_data(_figures_dataset([[indicator.code, period.label, "4.086", ""]])).encode()
    response = client.post(
        reverse("admin:indicators_indicatorvalue_import"),
        {"format": "1", "resource": "0", "import_file": SimpleUploadedFile("v.csv", content)},
    )
    done = client.post(reverse("admin:indicators_indicatorvalue_process_import"), response.context["confirm_form"].initial)
    assert done.status_code == 302
    figure = IndicatorValue.objects.get()
    assert figure.value == Decimal("4086") and figure.unit == ward
    assert FigureChange.objects.filter(object_id=figure.pk, source=ChangeSource.IMPORT, changed_by=secretariat).exists()


def _figures_dataset(rows):
    import tablib

    dataset = tablib.Dataset(headers=["Mã chỉ tiêu", "Kỳ báo cáo", "Giá trị", "Phiên bản (không sửa)"])
    for row in rows:
        dataset.append(row)
    return dataset


# --- manage.py import / export ------------------------------------------------------------


def test_manage_py_export_and_import_round_trip_with_the_resources(tmp_path, ward, period, capsysbinary):
    indicator = factories.make_indicator(responsible_unit=ward, code="ho-kd", name="Số hộ kinh doanh")
    factories.make_indicator_value(indicator=indicator, period=period, value="4000")
    call_command("export", "spreadsheets.formats.XLSX", "indicators.resources.IndicatorValueResource")
    content = capsysbinary.readouterr().out
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    headers = [cell.value for cell in workbook.active[1]]
    workbook.active.cell(row=2, column=headers.index("Giá trị") + 1, value=4086)
    path = tmp_path / "chi-tieu.xlsx"
    path.write_bytes(workbook_bytes(workbook))
    call_command(
        "import", "indicators.resources.IndicatorValueResource", str(path), "--no-input", "--format", "spreadsheets.formats.XLSX"
    )
    figure = IndicatorValue.objects.get()
    assert figure.value == Decimal("4086") and figure.version == 2
    assert figure.changes.filter(field="value", source=ChangeSource.IMPORT).exists()


def test_manage_py_export_csv_has_a_bom_and_vietnamese_headers(ward, capsysbinary):
    factories.make_indicator(responsible_unit=ward, code="ho-kd", name="Số hộ kinh doanh")
    call_command("export", "spreadsheets.formats.CSV", "indicators.resources.IndicatorResource")
    content = capsysbinary.readouterr().out
    assert content.startswith("\ufeffMã chỉ tiêu,Tên chỉ tiêu".encode())
    assert "Số hộ kinh doanh".encode() in content


def test_manage_py_import_rolls_back_everything_on_one_bad_row(tmp_path, ward):
    field = factories.make_field(name="Thương mại")
    path = tmp_path / "chi-tieu.csv"
    path.write_text(
        "\ufeffMã chỉ tiêu,Tên chỉ tiêu,Đơn vị tính,Đơn vị chịu trách nhiệm (mã),Lĩnh vực,Năm gốc,Giá trị năm gốc\n"
        f'moi-1,Chỉ tiêu mới,hộ,{ward.code},{field.name},2022,"3.900"\n'
        f"moi-2,Chỉ tiêu hỏng,hộ,{ward.code},{field.name},2022,abc\n",
        encoding="utf-8",
    )
    with pytest.raises(SystemExit):
        call_command(
            "import", "indicators.resources.IndicatorResource", str(path), "--no-input", "--format", "spreadsheets.formats.CSV"
        )
    assert not Indicator.objects.filter(code__startswith="moi-").exists()


def test_manage_py_import_reads_our_csv_by_its_file_name(tmp_path, ward):
    field = factories.make_field(name="Nông nghiệp")
    path = tmp_path / "chi-tieu.csv"
    path.write_text(
        "\ufeffMã chỉ tiêu,Tên chỉ tiêu,Đơn vị tính,Đơn vị chịu trách nhiệm (mã),Lĩnh vực\n"
        f"moi-3,Chỉ tiêu mới,ha,{ward.code},{field.name}\n",
        encoding="utf-8",
    )
    call_command("import", "indicators.resources.IndicatorResource", str(path), "--no-input")
    assert Indicator.objects.get(code="moi-3").field == field


def test_the_benchmark_command_runs(capsys, db):
    call_command("benchmark_import", "--rows", "40", "--baseline-rows", "20")
    out = capsys.readouterr().out
    assert "dòng/giây" in out and "Cổng (theo tập) — tạo mới" in out and "Gói, từng dòng — cập nhật" in out
