"""Two-factor log-in (TOTP): required for leaders and the secretariat, optional for
officers, codes usable once, the admin site behind it."""

import re
import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent, AuditEventType
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def two_factor_required(settings):
    settings.TWO_FACTOR_REQUIRED = True


def sign_in(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def code_for(device, offset=0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset
    return f"{totp.token():06d}"


def enrol(client, user) -> TOTPDevice:
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("two_factor_setup"), {"code": code_for(device), "next": "/"})
    assert response.status_code == 302, response.content.decode()[:300]
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_a_leader_with_a_password_only_reaches_nothing_but_the_second_step(client, leader):
    sign_in(client, leader)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor_verify"))
    # No device yet: the second step sends them to set one up.
    setup = client.get(response["Location"], follow=True)
    assert "Thiết lập xác thực hai bước" in setup.content.decode()
    assert re.search(r"<svg", setup.content.decode())


def test_the_admin_site_is_behind_the_second_step(client, secretariat):
    sign_in(client, secretariat)
    response = client.get("/quan-tri/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor_verify"))


def test_after_enrolling_the_leader_reaches_the_portal_and_the_admin(client, leader, secretariat):
    sign_in(client, leader)
    enrol(client, leader)
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    sign_in(client, secretariat)
    enrol(client, secretariat)
    assert client.get("/quan-tri/").status_code == 200


def test_the_next_sign_in_asks_for_a_code_and_a_code_works_only_once(client, leader, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the refused replay would otherwise delay the next try
    sign_in(client, leader)
    device = enrol(client, leader)
    client.post(reverse("logout"))
    sign_in(client, leader)
    assert client.get(reverse("home")).status_code == 302
    used = code_for(device)  # the code just used to enrol, in the same 30-second step
    refused = client.post(reverse("two_factor_verify"), {"code": used, "next": "/"})
    assert refused.status_code == 200
    assert "không đúng, đã dùng hoặc đã hết hạn" in refused.content.decode()
    fresh = code_for(device, offset=device.step)  # the next step's code
    assert client.post(reverse("two_factor_verify"), {"code": fresh, "next": "/"}).status_code == 302
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    sign_in(client, leader)
    assert client.post(reverse("two_factor_verify"), {"code": fresh, "next": "/"}).status_code == 200


def test_a_wrong_code_is_refused_and_logged(client, leader):
    from audit.models import AuditEvent, AuditEventType

    sign_in(client, leader)
    enrol(client, leader)
    client.post(reverse("logout"))
    sign_in(client, leader)
    response = client.post(reverse("two_factor_verify"), {"code": "000000", "next": "/"})
    assert response.status_code == 200
    assert AuditEvent.objects.filter(event=AuditEventType.TWO_FACTOR_FAILED, actor=leader).exists()


def test_an_officer_is_not_required_to_use_a_second_factor(client, ward_officer):
    sign_in(client, ward_officer)
    assert client.get(reverse("home")).status_code == 200


def test_an_officer_who_turned_it_on_must_pass_it_at_the_next_sign_in(client, ward_officer):
    sign_in(client, ward_officer)
    enrol(client, ward_officer)
    client.post(reverse("logout"))
    sign_in(client, ward_officer)
    assert client.get(reverse("home")).status_code == 302
    # …and may turn it off again once verified.
    device = TOTPDevice.objects.get(user=ward_officer)
    client.post(reverse("two_factor_verify"), {"code": code_for(device, offset=device.step), "next": "/"})
    client.post(reverse("two_factor_disable"))
    assert not TOTPDevice.objects.filter(user=ward_officer).exists()
    [removed] = AuditEvent.objects.filter(event=AuditEventType.TWO_FACTOR_REMOVED)
    assert removed.actor == ward_officer


def test_a_leader_cannot_turn_off_the_required_second_factor(client, leader):
    sign_in(client, leader)
    enrol(client, leader)
    client.post(reverse("two_factor_disable"))
    assert TOTPDevice.objects.filter(user=leader, confirmed=True).exists()
    assert not AuditEvent.objects.filter(event=AuditEventType.TWO_FACTOR_REMOVED).exists()


def test_an_open_redirect_after_the_second_step_is_refused(client, leader):
    sign_in(client, leader)
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=leader)
    response = client.post(reverse("two_factor_setup"), {"code": code_for(device), "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_repeated_wrong_codes_slow_down_further_attempts(client, leader):
    sign_in(client, leader)
    device = enrol(client, leader)
    client.post(reverse("logout"))
    sign_in(client, leader)
    client.post(reverse("two_factor_verify"), {"code": "000000", "next": "/"})
    # Right after a failure even the right code waits for the back-off to pass.
    response = client.post(reverse("two_factor_verify"), {"code": code_for(device, offset=device.step), "next": "/"})
    assert response.status_code == 200
