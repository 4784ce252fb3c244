"""A person signs in with a real browser and sees the article's data on the home page."""

import pytest

from tests.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_leader_signs_in_and_sees_the_resolution_projects_and_figures(browser_page, article_data, leader):
    page = browser_page
    page.goto(page.base + "/")
    assert "/dang-nhap/" in page.url
    sign_in(page, leader.username)
    assert page.locator("h1").first.inner_text().startswith("Về xây dựng và phát triển thành phố Bắc Kạn")
    body = page.locator("body").inner_text()
    for text in ["4.086", "58,37%", "2.715", "Đường vào hồ Nặm Cắt", "Cụm công nghiệp Sông Cầu", "25/10/2022"]:
        assert text in body
    screenshot(page, "home-leader-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "home-leader-phone")
