"""Log-in lock-out per username and address (django-axes), real client address behind a
proxy, and every attempt logged."""

import pytest
from axes.models import AccessAttempt
from django.test import override_settings
from django.urls import reverse

from audit.models import AuditEvent, AuditEventType
from tests.factories import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("axes_on")]

LIMIT = 5


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = LIMIT


def attempt(client, username, password, ip="10.0.0.1", **headers):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip, **headers)


def test_five_wrong_passwords_lock_that_username_from_that_address(client, ward_officer):
    for _ in range(LIMIT - 1):
        assert attempt(client, ward_officer.username, "sai-mat-khau-123").status_code == 200
    locked = attempt(client, ward_officer.username, "sai-mat-khau-123")
    assert locked.status_code == 429
    assert "Tạm khóa đăng nhập" in locked.content.decode()
    # Even the right password is refused while the lock holds.
    assert attempt(client, ward_officer.username, PASSWORD).status_code == 429


def test_one_persons_typos_do_not_lock_out_the_office_behind_the_same_address(client, ward_officer, other_ward_officer):
    for _ in range(LIMIT):
        attempt(client, ward_officer.username, "sai-mat-khau-123")
    response = attempt(client, other_ward_officer.username, PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_the_same_username_from_another_address_is_not_locked(client, ward_officer):
    for _ in range(LIMIT):
        attempt(client, ward_officer.username, "sai-mat-khau-123", ip="10.0.0.1")
    assert attempt(client, ward_officer.username, PASSWORD, ip="10.0.0.2").status_code == 302


def test_every_attempt_is_logged_with_its_address(client, ward_officer):
    attempt(client, ward_officer.username, "sai-mat-khau-123", ip="10.0.0.7")
    attempt(client, ward_officer.username, PASSWORD, ip="10.0.0.7")
    events = list(AuditEvent.objects.order_by("pk").values_list("event", "username", "ip_address"))
    assert events == [
        (AuditEventType.LOGIN_FAILED, ward_officer.username, "10.0.0.7"),
        (AuditEventType.LOGIN, ward_officer.username, "10.0.0.7"),
    ]


def test_a_lock_out_is_logged(client, ward_officer):
    for _ in range(LIMIT):
        attempt(client, ward_officer.username, "sai-mat-khau-123")
    assert AuditEvent.objects.filter(event=AuditEventType.LOCKED_OUT, username=ward_officer.username).exists()


def test_without_a_trusted_proxy_a_forged_forwarded_for_header_is_ignored(client, ward_officer):
    for n in range(LIMIT):
        attempt(client, ward_officer.username, "sai-mat-khau-123", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.0.0.1"}
    assert attempt(client, ward_officer.username, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_trusted_proxy_the_client_address_is_the_one_the_proxy_appended(client, ward_officer):
    # The client forged "203.0.113.5"; the proxy (REMOTE_ADDR 10.0.0.1) appended the real one.
    attempt(client, ward_officer.username, "sai-mat-khau-123", HTTP_X_FORWARDED_FOR="203.0.113.5, 198.51.100.7")
    assert AuditEvent.objects.get().ip_address == "198.51.100.7"
    assert AccessAttempt.objects.get().ip_address == "198.51.100.7"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_each_client_is_locked_separately(client, ward_officer):
    for _ in range(LIMIT):
        attempt(client, ward_officer.username, "sai-mat-khau-123", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert attempt(client, ward_officer.username, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429
    assert attempt(client, ward_officer.username, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 302
