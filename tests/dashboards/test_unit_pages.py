"""Units: who has reported each quarter, late or not, and the share of tasks done on time."""

import pytest
from django.urls import reverse

from tests.dashboards.helpers import text

pytestmark = pytest.mark.django_db

UNITS = reverse("dashboards:units")


def get(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response


def cell(html, unit, period_key):
    row = html.split(f'data-unit="{unit.code}"')[1].split("</tr>")[0]
    return text(row.split(f'data-period="{period_key}"')[1].split("</td>")[0].split(">", 1)[1])


def test_the_compliance_table_shows_each_quarters_report_state(client, leader, city):
    html = get(client, leader, UNITS).content.decode()
    assert cell(html, city.department, "2025-3").startswith("đã duyệt")
    assert cell(html, city.ward, "2025-3").startswith("đã gửi, chờ duyệt")
    assert cell(html, city.other_ward, "2025-3") == "chưa gửi, quá hạn"  # due 20/09/2025 has passed
    assert cell(html, city.other_ward, "2025-2").endswith("muộn")  # sent 28/06, due 20/06
    assert "muộn" not in cell(html, city.ward, "2025-2")


def test_each_unit_has_its_count_of_reports_and_its_on_time_share(client, leader, city):
    rows = {row.unit.pk: row for row in get(client, leader, UNITS).context["rows"]}
    assert rows[city.ward.pk].reported_count == 3  # Q1, Q2 approved; Q3 submitted
    assert rows[city.other_ward.pk].reported_count == 2
    department = rows[city.department.pk].tasks
    assert (department.done_on_time, department.due, department.on_time_share) == (1, 2, 50)
    assert rows[city.ward.pk].tasks.overdue == 1


def test_an_earlier_year_shows_its_four_quarters(client, leader, city):
    response = get(client, leader, UNITS + "?nam=2024")
    assert [period.label for period in response.context["periods"]] == [
        "Quý I/2024",
        "Quý II/2024",
        "Quý III/2024",
        "Quý IV/2024",
    ]


def test_a_units_page_gathers_its_reports_tasks_projects_and_indicators(client, leader, city):
    response = get(client, leader, reverse("dashboards:unit_detail", args=[city.department.code]))
    html = text(response.content.decode())
    assert "Quý III/2025 : Đã duyệt" in html
    assert [row.project.code for row in response.context["projects"]] == ["duong-nam-cat-test", "san-van-dong-test"]
    assert {row.indicator.code for row in response.context["indicators"]} == {"ho-kinh-doanh-test", "htx-test"}
    assert response.context["board"].totals.total == 3  # it leads NV-02, NV-03 and NV-06
