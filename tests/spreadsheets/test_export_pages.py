"""Taking the figures out: officers their unit's, leaders and the secretariat all units';
the menu shows the page to each of them."""

import csv
import io

import pytest
from django.urls import reverse

from portal.navigation import menu_for
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_units_figures(ward, other_ward, period):
    for unit, code in ((ward, "mine"), (other_ward, "theirs")):
        indicator = factories.make_indicator(responsible_unit=unit, code=code)
        factories.make_indicator_value(indicator=indicator, period=period, value="4086")


def _codes(response) -> set[str]:
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return {row[0] for row in rows[1:]}


@pytest.mark.parametrize(
    ("persona", "expected"), [("ward_officer", {"mine"}), ("leader", {"mine", "theirs"}), ("secretariat", {"mine", "theirs"})]
)
def test_export_scope_follows_the_role(client, request, two_units_figures, period, persona, expected):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("spreadsheets:export"), {"ky": period.pk, "bang": "chi-tieu", "dinh_dang": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert _codes(response) == expected


def test_a_bad_export_request_is_sent_back_with_a_message(client, leader, period):
    client.force_login(leader)
    response = client.get(reverse("spreadsheets:export"), {"ky": period.pk, "bang": "khong-co", "dinh_dang": "pdf"}, follow=True)
    assert "Hãy chọn số liệu, kỳ báo cáo và định dạng." in response.content.decode()


def test_leaders_see_exports_only(client, leader, period):
    client.force_login(leader)
    body = client.get(reverse("spreadsheets:index")).content.decode()
    assert "Xuất số liệu" in body and "Tải mẫu Excel" not in body and "Tải lên và xem trước" not in body


@pytest.mark.parametrize("persona", ["ward_officer", "leader", "secretariat"])
def test_the_menu_offers_the_page(request, persona):
    labels = [item["label"] for item in menu_for(request.getfixturevalue(persona))]
    assert "Nhập/xuất Excel" in labels
