"""The synthetic city and the benchmark command (run small here; the city-scale run and
its figures are in the closing note)."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dashboards import synthetic
from indicators.models import IndicatorValue
from periods.models import FigureChange, ReportStatus, UnitReport
from projects.models import ProjectUpdate
from resolutions.models import TaskUpdate
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_synthetic_city_is_marked_and_its_figures_have_their_history():
    counts = synthetic.build(synthetic.SMALL, today=datetime.date(2025, 11, 15))
    assert synthetic.synthetic_data_present()
    assert synthetic.foreign_data_present() == {}
    assert counts["kỳ báo cáo"] == 12  # 2023–2025, up to the running quarter
    assert counts["chỉ tiêu"] == 12 and counts["nhiệm vụ"] == 24 and counts["dự án"] == 10
    assert counts["giá trị chỉ tiêu"] == 12 * 11  # every indicator, every finished quarter
    figures = [*IndicatorValue.objects.all(), *ProjectUpdate.objects.all(), *TaskUpdate.objects.all()]
    assert {figure.version for figure in figures} == {1}
    # what the first save() of each figure would have written
    assert FigureChange.objects.filter(field="value").count() == IndicatorValue.objects.count()
    assert FigureChange.objects.filter(field="status").count() == TaskUpdate.objects.count()
    # nothing was reported for the running quarter; the last finished one is in review
    assert not IndicatorValue.objects.filter(period__year=2025, period__quarter=4).exists()
    in_review = set(UnitReport.objects.filter(period__year=2025, period__quarter=3).values_list("status", flat=True))
    assert in_review - {ReportStatus.APPROVED}
    assert set(UnitReport.objects.filter(period__year=2024).values_list("status", flat=True)) == {ReportStatus.APPROVED}


def test_the_benchmark_refuses_a_database_with_real_data():
    factories.make_unit(name="Phường Sông Cầu")
    with pytest.raises(CommandError, match="đang có dữ liệu không phải dữ liệu tổng hợp \\(1 đơn vị\\)"):
        call_command("benchmark_dashboards", "--scale", "small", stdout=StringIO())
    assert not synthetic.synthetic_data_present()


def test_the_benchmark_prints_server_and_sql_time_for_every_page():
    out = StringIO()
    call_command("benchmark_dashboards", "--scale", "small", "--runs", "1", stdout=out)
    report = out.getvalue()
    for label in ("Tổng quan", "Chỉ tiêu — chi tiết", "Dự án", "Nhiệm vụ — quá hạn", "Đơn vị — chi tiết"):
        assert f"\n{label} " in report
    assert "Máy chủ" in report and "SQL thuần" in report
