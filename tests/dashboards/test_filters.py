"""Year, quarter, field and unit live in the query string; bad values are explained and
ignored; the sub-menu keeps them from page to page."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("dashboards:overview")


def get(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_without_filters_the_latest_quarter_with_figures_is_shown(client, leader, city):
    response = get(client, leader, OVERVIEW)
    assert response.context["filters"].period == city.periods[(2025, 3)]
    assert "lũy kế đến Quý III/2025" in response.content.decode()


def test_a_past_year_alone_shows_its_full_year_figures(client, leader, city):
    response = get(client, leader, OVERVIEW + "?nam=2024")
    assert response.context["filters"].period == city.periods[(2024, 4)]
    assert "số liệu cả năm 2024" in response.content.decode()


def test_a_year_and_quarter_show_that_quarter(client, leader, city):
    response = get(client, leader, OVERVIEW + "?nam=2024&quy=2")
    assert response.context["filters"].period == city.periods[(2024, 2)]
    assert "lũy kế đến Quý II/2024" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?nam=1999", "Chưa có kỳ báo cáo nào của năm “1999”; đang hiển thị năm mới nhất."),
        ("?nam=abc", "Chưa có kỳ báo cáo nào của năm “abc”; đang hiển thị năm mới nhất."),
        ("?quy=7", "Quý “7” không hợp lệ: chọn từ Quý I đến Quý IV."),
        ("?linh_vuc=khong-co", "Không có lĩnh vực “khong-co”; đang hiển thị tất cả lĩnh vực."),
        ("?don_vi=khong-co", "Không có đơn vị “khong-co”; đang hiển thị tất cả đơn vị."),
    ],
)
def test_a_bad_filter_is_explained_in_vietnamese_and_ignored(client, leader, city, query, message):
    response = get(client, leader, OVERVIEW + query)
    assert message in response.content.decode()
    assert response.context["filters"].period == city.periods[(2025, 3)]


def test_a_quarter_without_a_period_falls_back_to_the_year(client, leader, city):
    response = get(client, leader, OVERVIEW + "?nam=2023&quy=2")
    assert "Chưa có kỳ báo cáo Quý II/2023." in response.content.decode()
    assert response.context["filters"].period == city.periods[(2023, 4)]


def test_field_and_unit_filters_narrow_the_figures(client, leader, city):
    response = get(client, leader, reverse("dashboards:tasks") + f"?linh_vuc={city.fields['digital'].code}")
    codes = {task.code for task in response.context["board"].tasks}
    assert codes == {"NV-02", "NV-04", "NV-06"}
    response = get(client, leader, reverse("dashboards:tasks") + f"?don_vi={city.ward.code}")
    codes = {task.code for task in response.context["board"].tasks}
    assert codes == {"NV-01", "NV-02", "NV-04"}  # led by the ward, or supported (NV-02)


def test_the_sub_menu_and_drill_down_links_keep_the_filters(client, leader, city):
    field = city.fields["trade"].code
    html = get(client, leader, OVERVIEW + f"?nam=2025&quy=3&linh_vuc={field}").content.decode()
    assert f'href="/dieu-hanh/nhiem-vu/?nam=2025&amp;quy=3&amp;linh_vuc={field}"' in html
    assert f'href="/dieu-hanh/nhiem-vu/?nam=2025&amp;quy=3&amp;linh_vuc={field}&amp;phan_loai=overdue"' in html


def test_without_any_reporting_period_the_page_says_so(client, leader, db):
    html = get(client, leader, OVERVIEW).content.decode()
    assert "Chưa có kỳ báo cáo nào." in html
