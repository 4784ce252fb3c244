"""One test for each server error the authorisation matrix and the hostile-input tests
found, so that none comes back."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from periods.models import ReportStatus, UnitReport
from reviews.models import PartNarrative, ReviewPart
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_narratives_page_lists_a_part_loaded_from_the_source(client, secretariat):
    """A narrative with no author (loaded from the published article) broke the page:
    a template filter's argument looked up `updated_by.username` on None."""
    PartNarrative.objects.create(year=2024, part=ReviewPart.TRADE, text="Nội dung đã công bố.", version=1)
    client.force_login(secretariat)
    response = client.get(reverse("reviews:narratives", args=[2024]))
    assert response.status_code == 200
    assert "nạp sẵn từ nguồn" in response.content.decode()


@pytest.mark.parametrize("reason", ["\x08", "\x07\x1b", "\x00"])
def test_a_reason_of_control_characters_only_is_no_reason(client, leader, ward, period, reason):
    """It passed the form, was emptied when stored, and broke the rule that a returned
    report says why (an integrity error)."""
    factories.set_report_status(ward, period, ReportStatus.SUBMITTED)
    client.force_login(leader)
    response = client.post(reverse("reporting:return", args=[period.year, period.quarter, ward.code]), {"reason": reason})
    assert response.status_code == 302
    assert UnitReport.objects.get(unit=ward, period=period).status == ReportStatus.SUBMITTED
    page = client.get(response["Location"])
    assert "phải nêu lý do" in page.content.decode()


@pytest.mark.parametrize("target", ["0", "bao-cao", "home", "/" + "a" * 3000, "/x\ny"])
def test_a_next_that_is_not_a_path_sends_back_to_the_unit_page(client, leader, ward, period, target):
    """`next=0` passed Django's host check and `redirect()` took it for a view name."""
    factories.set_report_status(ward, period, ReportStatus.APPROVED)
    client.force_login(leader)
    url = reverse("reporting:reopen", args=[period.year, period.quarter, ward.code])
    response = client.post(url, {"reason": "Cần sửa.", "next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:unit_report", args=[period.year, period.quarter, ward.code])


def test_the_two_factor_pages_carry_next_safely(client, ward_officer):
    client.force_login(ward_officer)
    response = client.get(reverse("two_factor_verify"), {"next": "0"})
    assert response["Location"] == f"{reverse('two_factor_setup')}?next=%2F"
    response = client.get(reverse("two_factor_verify"), {"next": "/dieu-hanh/?nam=2024&quy=3"})
    assert response["Location"] == f"{reverse('two_factor_setup')}?next=%2Fdieu-hanh%2F%3Fnam%3D2024%26quy%3D3"


def test_the_second_step_keeps_the_whole_address_asked_for(client, leader, settings):
    settings.TWO_FACTOR_REQUIRED = True
    client.force_login(leader)
    response = client.get(reverse("dashboards:tasks"), {"nam": "2024", "quy": "3"})
    assert response["Location"] == f"{reverse('two_factor_verify')}?next=%2Fdieu-hanh%2Fnhiem-vu%2F%3Fnam%3D2024%26quy%3D3"


def test_a_username_longer_than_any_account_is_refused_by_the_form(client, settings):
    """Django's sign-in form shows the maximum length but does not check it; the
    lock-out then failed to store a 10 KB username (PostgreSQL: value too long)."""
    settings.AXES_ENABLED = True
    response = client.post(reverse("login"), {"username": "x" * 10_000, "password": "mat-khau-bat-ky-2026"})
    assert response.status_code == 200
    assert "Tên đăng nhập dài tối đa 150 ký tự." in response.content.decode()
    assert not AccessAttempt.objects.exists()
