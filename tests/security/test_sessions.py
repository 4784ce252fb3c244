"""Passwords (Argon2, ≥ 12 characters, no common ones) and sessions (new at log-in, ended
at log-out, idle and absolute limits, deactivated users and password changes)."""

import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.middleware import SESSION_STARTED_KEY
from audit.models import AuditEvent, AuditEventType
from backancity import settings as production
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, user, password=PASSWORD):
    response = client.post(reverse("login"), {"username": user.username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]


@override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS)
def test_passwords_are_hashed_with_argon2(ward_officer):
    ward_officer.set_password("mot-mat-khau-du-dai-2026")
    assert ward_officer.password.startswith("argon2$")


@pytest.mark.parametrize("password", ["ngan-qua-11", "password1234", "123456789012", "qwertyuiop123"])
def test_short_common_and_numeric_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_uncommon_password_is_accepted():
    validate_password("sông-cầu-bắc-kạn-2026")


def test_signing_in_starts_a_new_session(client, ward_officer):
    client.get(reverse("login"))
    session = client.session
    session["before"] = "x"
    session.save()
    before = session.session_key
    sign_in(client, ward_officer)
    assert client.session.session_key != before


def test_signing_out_ends_the_session_on_the_server(client, ward_officer):
    sign_in(client, ward_officer)
    key = client.session.session_key
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()


def test_each_request_renews_the_idle_limit(client, ward_officer, settings):
    sign_in(client, ward_officer)
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timezone.timedelta(minutes=1))
    client.get(reverse("home"))
    expiry = Session.objects.get(session_key=key).expire_date
    assert expiry > timezone.now() + timezone.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


def test_an_idle_session_is_over(client, ward_officer):
    sign_in(client, ward_officer)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timezone.timedelta(seconds=1)
    )
    assert client.get(reverse("home")).status_code == 302


def test_a_session_ends_at_the_absolute_limit_however_active(client, ward_officer, settings):
    sign_in(client, ward_officer)
    session = client.session
    session[SESSION_STARTED_KEY] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get(reverse("home")).status_code == 302
    assert AuditEvent.objects.filter(event=AuditEventType.SESSION_EXPIRED).exists()


def test_a_deactivated_user_is_out_on_the_next_request(client, ward_officer):
    sign_in(client, ward_officer)
    assert client.get(reverse("home")).status_code == 200
    ward_officer.is_active = False
    ward_officer.save()
    assert client.get(reverse("home")).status_code == 302


def test_a_password_change_ends_the_users_other_sessions_but_not_this_one(ward_officer):
    laptop, phone = Client(), Client()
    sign_in(laptop, ward_officer)
    sign_in(phone, ward_officer)
    response = laptop.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "mat-khau-moi-song-cau-2026", "new_password2": "mat-khau-moi-song-cau-2026"},
    )
    assert response.status_code == 302
    assert laptop.get(reverse("home")).status_code == 200
    assert phone.get(reverse("home")).status_code == 302
    assert AuditEvent.objects.filter(event=AuditEventType.PASSWORD_CHANGED, actor=ward_officer).exists()


def test_a_weak_new_password_is_refused_in_vietnamese(client, ward_officer):
    sign_in(client, ward_officer)
    response = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": "ngan", "new_password2": "ngan"}
    )
    assert response.status_code == 200
    assert "quá ngắn" in response.content.decode()
