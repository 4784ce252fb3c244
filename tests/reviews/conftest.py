"""Fixtures of the annual review tests: reading a PDF's text, a private media folder,
and a small year of figures built with the factories."""

import datetime
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from indicators.models import IndicatorTarget, ValueType
from periods.models import ReportStatus
from resolutions.models import Field, TaskStatus
from tests import factories


def pdf_text(path: Path) -> str:
    """The PDF's text in drawing order (-raw: justified lines are not reordered), whitespace
    collapsed, so that a sentence wrapped over lines or table cells reads as one."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext không có trên máy (apt-get install poppler-utils)")
    output = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return " ".join(output.split())


def pdf_fonts(path: Path) -> list[str]:
    if not shutil.which("pdffonts"):
        pytest.skip("pdffonts không có trên máy (apt-get install poppler-utils)")
    output = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout
    return [line.split()[0] for line in output.splitlines()[2:] if line.strip()]


@pytest.fixture
def media(settings, tmp_path):
    """A media folder of the test's own, so it can count the files a job leaves."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def catalogue_field(code: str, name: str) -> Field:
    field, _ = Field.objects.get_or_create(code=code, defaults={"name": name, "sort_order": 30})
    return field


@pytest.fixture
def year_2024(db, ward, other_ward, department):
    """Figures for 2024 (and the end of 2023 to compare with): the ward's and the
    department's reports approved, the other ward's only submitted."""
    trade = catalogue_field("thuong-mai-dich-vu-du-lich", "Thương mại – dịch vụ – du lịch")
    digital = catalogue_field("chuyen-doi-so-cai-cach-hanh-chinh", "Chuyển đổi số – cải cách hành chính")
    q4, q4_before = factories.make_period(2024, 4), factories.make_period(2023, 4)

    households = factories.make_indicator(responsible_unit=ward, field=trade, name="Số hộ kinh doanh đang hoạt động")
    IndicatorTarget.objects.create(indicator=households, year=2024, value=Decimal("4000"))
    factories.make_indicator_value(indicator=households, period=q4, value="4086")
    factories.make_indicator_value(indicator=households, period=q4_before, value="3900")

    online = factories.make_indicator(
        responsible_unit=department,
        field=digital,
        name="Tỷ lệ dịch vụ công trực tuyến",
        unit_of_measure="%",
        value_type=ValueType.RATIO,
        decimal_places=2,
    )
    factories.make_indicator_value(indicator=online, period=q4, value="58.37")
    factories.make_indicator_value(indicator=online, period=q4_before, value="55")

    unapproved = factories.make_indicator(responsible_unit=other_ward, field=trade, name="Số chợ 4.0 chưa duyệt")
    factories.make_indicator_value(indicator=unapproved, period=q4, value="777")

    on_time = factories.make_task(
        lead_unit=ward, field=trade, content="Nhiệm vụ xong đúng hạn", deadline=datetime.date(2024, 6, 30)
    )
    factories.make_task_update(
        task=on_time,
        period=q4,
        status=TaskStatus.DONE,
        completed_on=datetime.date(2024, 6, 1),
        narrative="Đã hoàn thành chợ 4.0.",
    )
    factories.make_task(lead_unit=ward, field=trade, content="Nhiệm vụ đã quá hạn", deadline=datetime.date(2024, 9, 30))
    factories.make_task(
        lead_unit=department, field=digital, content="Nhiệm vụ còn trong hạn", deadline=datetime.date(2025, 6, 30)
    )
    recurring = factories.make_task(lead_unit=department, field=digital, content="Nhiệm vụ thường xuyên", is_recurring=True)
    factories.make_task_update(task=recurring, period=q4, status=TaskStatus.RECURRING, narrative="Duy trì thường xuyên.")

    for unit in (ward, department):
        for period in (q4, q4_before):
            factories.set_report_status(unit, period, ReportStatus.APPROVED)
    factories.set_report_status(other_ward, q4, ReportStatus.SUBMITTED)
    return {"q4": q4, "households": households, "online": online}
