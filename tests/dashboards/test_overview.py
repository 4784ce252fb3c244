"""The overview: the headline figures of the period, each linked to its detail."""

import re

import pytest
from django.urls import reverse

from tests.dashboards.helpers import text

pytestmark = pytest.mark.django_db


def figure(html, name):
    match = re.search(rf'<a[^>]*href="([^"]*)"[^>]*data-figure="{name}"[^>]*>(.*?)</a>', html, re.S)
    assert match, name
    return match.group(1).replace("&amp;", "&"), text(match.group(2))


def test_the_headline_figures_match_the_data_and_link_to_their_detail(client, leader, city):
    client.force_login(leader)
    html = client.get(reverse("dashboards:overview")).content.decode()
    assert figure(html, "tasks-on-time") == ("/dieu-hanh/nhiem-vu/?phan_loai=done_on_time", "1")
    assert figure(html, "tasks-overdue") == ("/dieu-hanh/nhiem-vu/?phan_loai=overdue", "1 quá hạn, chưa hoàn thành")
    assert figure(html, "projects-on-schedule") == ("/dieu-hanh/du-an/?trong_diem=1", "1")
    assert figure(html, "projects-late") == ("/dieu-hanh/du-an/?trong_diem=1&tien_do=late", "1 chậm tiến độ hoặc tạm dừng")
    assert figure(html, "indicators-good") == ("/dieu-hanh/chi-tieu/?danh_gia=good", "1")
    assert figure(html, "indicators-bad") == ("/dieu-hanh/chi-tieu/?danh_gia=bad", "1 có nguy cơ không đạt")
    # Q3/2025: the department approved, the ward submitted, the other ward has not sent
    assert figure(html, "units-reported") == ("/dieu-hanh/don-vi/", "2/3")
    assert "Trên tổng số 6 nhiệm vụ" in html
    assert "50% số nhiệm vụ đã đến hạn (4) hoàn thành đúng hạn" not in html  # 1 of 3 due
    assert "33,3% số nhiệm vụ đã đến hạn (3) hoàn thành đúng hạn." in text(html)


def test_the_lists_name_what_needs_attention(client, leader, city):
    client.force_login(leader)
    html = text(client.get(reverse("dashboards:overview")).content.decode())
    assert "NV-01" in html and "quá 457 ngày" in html
    assert "Đường vào hồ Nặm Cắt" in html and "tiến độ 40%, kế hoạch 91,6%" in html
    assert "Tỷ lệ hộ nghèo Mục tiêu 2025: 2% · Có nguy cơ không đạt (dự báo 2,6%)" in html
    assert "Phường Đức Xuân (chưa gửi, quá hạn)" in html


def test_the_overview_of_an_earlier_year_uses_that_years_figures(client, leader, city):
    client.force_login(leader)
    response = client.get(reverse("dashboards:overview") + "?nam=2024")
    data = response.context["data"]
    assert response.context["filters"].period.label == "Quý IV/2024"
    assert data.tasks.overdue == 1  # NV-01, due 30/6/2024
    # NV-03 is due on 31/12/2024, the day the year is judged: still within its deadline then
    assert data.tasks.of("within_deadline") == 3
    assert data.units_reported == 3
