"""Projects: progress against a time-proportional plan, disbursement, late ones first."""

import json
import re

import pytest
from django.urls import reverse

from tests.dashboards.helpers import cell_text, row_html, text

pytestmark = pytest.mark.django_db

PROJECTS = reverse("dashboards:projects")


def get(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_the_table_shows_progress_schedule_and_disbursement(client, leader, city):
    html = get(client, leader, PROJECTS).content.decode()
    row = row_html(html, "project", "duong-nam-cat-test")
    # 1/1/2023 → 31/12/2025: on 30/9/2025, 91,6% of the time has passed; 40% is late
    assert cell_text(row, "progress") == "40% kế hoạch 91,6%"
    assert "Chậm tiến độ" in text(row)
    assert cell_text(row, "allocated") == "50.000"
    assert cell_text(row, "disbursed") == "30.000 60% vốn bố trí"
    assert "Vướng mắc giải phóng mặt bằng 12 hộ" in row
    assert "Đúng tiến độ" in text(row_html(html, "project", "san-van-dong-test"))
    assert "Đã hoàn thành" in text(row_html(html, "project", "truong-mam-non-test"))


def test_late_projects_come_first_and_can_be_listed_alone(client, leader, city):
    rows = get(client, leader, PROJECTS).context["page"].object_list
    assert [row.project.code for row in rows] == ["duong-nam-cat-test", "san-van-dong-test", "truong-mam-non-test"]
    rows = get(client, leader, PROJECTS + "?trong_diem=1&tien_do=late").context["page"].object_list
    assert [row.project.code for row in rows] == ["duong-nam-cat-test"]


def test_an_earlier_quarter_shows_the_update_of_that_time(client, leader, city):
    html = get(client, leader, PROJECTS + "?nam=2025&quy=2").content.decode()
    row = row_html(html, "project", "duong-nam-cat-test")
    assert cell_text(row, "progress").startswith("35%")
    assert cell_text(row, "allocated") == "40.000"


def test_the_progress_chart_marks_provisional_bars(client, leader, city):
    from periods.models import ReportStatus
    from tests import factories

    factories.set_report_status(city.department, city.periods[(2025, 3)], ReportStatus.SUBMITTED)
    html = get(client, leader, PROJECTS).content.decode()
    chart = json.loads(re.search(r'<script id="chart-projects" type="application/json">(.*?)</script>', html, re.S).group(1))
    assert chart["labels"] == ["Đường vào hồ Nặm Cắt", "Sân vận động tỉnh"]  # the key projects
    assert chart["progress"] == [40.0, 45.0]
    assert chart["provisional"] == [True, True]
    assert chart["late"] == [True, False]


def test_a_projects_page_lists_its_quarterly_updates(client, leader, city):
    html = get(client, leader, reverse("dashboards:project_detail", args=["duong-nam-cat-test"])).content.decode()
    history = text(re.search(r'<table[^>]*id="project-history".*?</table>', html, re.S).group(0))
    assert "Quý III/2025 chính thức 40% Thi công 50.000 30.000" in history
    assert "Quý II/2025 chính thức 35%" in history
    assert history.index("Quý III/2025") < history.index("Quý II/2025")
    chart = json.loads(re.search(r'<script id="chart-project" type="application/json">(.*?)</script>', html, re.S).group(1))
    assert chart["labels"] == ["Quý II/2025", "Quý III/2025"]
    assert chart["progress"] == [35.0, 40.0]
    assert chart["disbursed"] == [50.0, 60.0]
