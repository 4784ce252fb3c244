"""Signing in, and that a signed-out visitor sees nothing but the sign-in page."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_login_page_is_in_vietnamese(client):
    page = client.get(reverse("login")).content.decode()
    assert "Đăng nhập" in page and "Mật khẩu" in page and "Tên đăng nhập" in page


@pytest.mark.parametrize("path", ["/", "/quan-tri/resolutions/task/"])
def test_a_signed_out_visitor_is_sent_to_the_login_page(client, path, article_data):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_unknown_address_reveals_nothing_to_a_signed_out_visitor(client, article_data):
    response = client.get("/khong-ton-tai/")
    assert response.status_code == 404
    assert "Nặm Cắt" not in response.content.decode()


def test_a_signed_out_visitor_sees_no_data_on_the_login_page(client, article_data):
    page = client.get(reverse("login")).content.decode()
    assert "4.086" not in page and "Nặm Cắt" not in page


def test_an_officer_signs_in_and_reaches_the_home_page(client, ward_officer, article_data):
    response = client.post(reverse("login"), {"username": "canbo.phuong", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Nặm Cắt" in response.content.decode()


def test_a_wrong_password_is_refused_in_vietnamese(client, ward_officer):
    response = client.post(reverse("login"), {"username": "canbo.phuong", "password": "sai-mat-khau"})
    assert response.status_code == 200
    assert "mật khẩu chính xác" in response.content.decode()


def test_signing_out_ends_the_session(client, ward_officer):
    client.force_login(ward_officer)
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_the_language_can_be_switched_to_english(client, ward_officer):
    client.force_login(ward_officer)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("home")).content.decode()
    assert 'lang="en"' in page
