"""The indicator table in the report's own columns, and an indicator's page."""

import json
import re

import pytest
from django.urls import reverse

from indicators.models import IndicatorValue
from periods.models import ReportStatus, UnitReport
from tests.dashboards.helpers import cell_text, row_html, text

pytestmark = pytest.mark.django_db

INDICATORS = reverse("dashboards:indicators")


def html_of(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_table_gives_actual_plan_percent_same_period_change_and_targets(client, leader, city):
    row = row_html(html_of(client, leader, INDICATORS), "indicator", "ho-kinh-doanh-test")
    assert cell_text(row, "actual") == "4.400 chính thức"
    assert cell_text(row, "plan") == "4.500"
    assert cell_text(row, "percent-of-plan") == "đạt 97,8%"
    assert cell_text(row, "previous") == "4.150 Quý III/2024"
    assert cell_text(row, "change") == "tăng 6,0%"
    # trend through 2022 (năm gốc) 3.800, 2023 4.086, 2024 4.300: +250 a year
    assert cell_text(row, "target-2025") == "4.500 Xu thế đạt mục tiêu dự báo 4.562"
    assert cell_text(row, "target-2030") == "5.500 Xu thế đạt mục tiêu dự báo 5.812"


def test_a_lower_is_better_indicator_is_judged_the_right_way_round(client, leader, city):
    row = row_html(html_of(client, leader, INDICATORS), "indicator", "ty-le-ho-ngheo-test")
    assert cell_text(row, "actual") == "2,7% tạm tính"  # the ward's Q3 report is not approved yet
    assert cell_text(row, "percent-of-plan") == "đạt 74,1%"  # plan 2% ÷ actual 2,7%
    assert cell_text(row, "change") == "giảm 0,20 điểm %"
    assert 'class="text-success">giảm 0,20 điểm %' in row  # a fall is good news here
    # 3% (2023) → 2,8% (2024): −0,2 a year, so 2,6% in 2025 and 1,6% in 2030: above both targets
    assert cell_text(row, "target-2025") == "2% Có nguy cơ không đạt dự báo 2,6%"
    assert cell_text(row, "target-2030") == "1% Có nguy cơ không đạt dự báo 1,6%"


def test_an_indicator_without_figures_or_targets_says_so(client, leader, city):
    row = row_html(html_of(client, leader, INDICATORS), "indicator", "htx-test")
    assert cell_text(row, "actual") == "chưa báo cáo"
    assert cell_text(row, "target-2030") == "Chưa có mục tiêu"


def test_a_stated_comparison_is_shown_when_last_years_figure_is_unknown(client, leader, city):
    row = row_html(html_of(client, leader, INDICATORS + "?nam=2023"), "indicator", "ho-kinh-doanh-test")
    assert cell_text(row, "actual") == "4.086 chính thức"
    assert cell_text(row, "change") == "Tăng gần 200 hộ so với cùng kỳ năm 2022 (theo nguồn)"


def test_official_figures_only_leaves_out_unapproved_reports(client, leader, city):
    row = row_html(html_of(client, leader, INDICATORS + "?chinh_thuc=1"), "indicator", "ty-le-ho-ngheo-test")
    assert cell_text(row, "actual") == "chưa báo cáo"
    assert cell_text(row, "previous") == "—"


def test_the_assessment_filter_lists_the_indicators_at_risk(client, leader, city):
    client.force_login(leader)
    response = client.get(INDICATORS + "?danh_gia=bad")
    assert [row.indicator.code for row in response.context["page"].object_list] == ["ty-le-ho-ngheo-test"]
    assert response.context["groups"] == {"good": 1, "bad": 1, "unknown": 1}


def test_an_indicators_page_has_its_history_plans_and_a_chart_with_target_lines(client, leader, city):
    html = html_of(client, leader, reverse("dashboards:indicator_detail", args=["ho-kinh-doanh-test"]))
    history = text(re.search(r'<table[^>]*id="indicator-history".*?</table>', html, re.S).group(0))
    assert "Quý III/2025 4.400 Ước thực hiện chính thức" in history
    assert "Quý IV/2023 4.086" in history and "Tăng gần 200 hộ so với cùng kỳ năm 2022" in history
    chart = json.loads(re.search(r'<script id="chart-indicator" type="application/json">(.*?)</script>', html, re.S).group(1))
    assert chart["labels"][:4] == ["2022", "2023", "2024", "2025"]
    assert chart["actual"][:4] == [3800.0, 4086.0, 4300.0, 4400.0]
    assert chart["notes"][0] == "năm gốc" and chart["notes"][3] == "lũy kế đến Quý III/2025"
    assert chart["targets"][chart["labels"].index("2030")] == 5500.0
    assert chart["plan"][chart["labels"].index("2024")] == 4300.0
    assert chart["trend"][chart["labels"].index("2030")] == pytest.approx(5812.0)
    assert "<script>" not in html.replace('<script src="', "")  # no inline code: data only


def test_a_provisional_point_is_flagged_in_the_chart(client, leader, city):
    html = html_of(client, leader, reverse("dashboards:indicator_detail", args=["ty-le-ho-ngheo-test"]))
    chart = json.loads(re.search(r'<script id="chart-indicator" type="application/json">(.*?)</script>', html, re.S).group(1))
    index = chart["labels"].index("2025")
    assert chart["actual"][index] == 2.7 and chart["provisional"][index] is True
    assert chart["provisional"][chart["labels"].index("2024")] is False
    assert chart["percent"] is True


def test_corrections_of_a_value_are_listed_in_vietnamese(client, leader, city):
    value = IndicatorValue.objects.get(indicator=city.indicators["households"], period=city.periods[(2024, 3)])
    value.value = 4160
    UnitReport.objects.filter(unit=city.department, period=value.period).update(status=ReportStatus.DRAFT)
    value.save(actor=leader)
    html = html_of(client, leader, reverse("dashboards:indicator_detail", args=["ho-kinh-doanh-test"]))
    assert "giá trị" in html and "4.150 → 4.160" in html


def test_an_earlier_quarter_is_judged_only_on_what_was_known_then(client, leader, city):
    # At Q3/2024 the 2024 actual (Q4) was not in yet: the trend runs through 2022 and 2023.
    client.force_login(leader)
    response = client.get(reverse("dashboards:indicator_detail", args=["ho-kinh-doanh-test"]) + "?nam=2024&quy=3")
    row = response.context["row"]
    assert set(row.yearly_actuals) == {2022, 2023}
    assert row.outlooks[0].projected == 4658  # 3.800 → 4.086: +286 a year, three years on
    chart = response.context["chart"]
    assert chart["actual"][chart["labels"].index("2024")] == 4150.0
    assert chart["actual"][chart["labels"].index("2025")] is None
