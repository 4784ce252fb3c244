"""Production settings pass Django's deployment checklist; headers and error pages."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import path, reverse

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "pro-7x!Vq2#m9Lk$Wz4@Rt8^Hn1&Bd6*Jc3(Fp5)Ys0_Ge-Ua+Xo=Ni",
    "ALLOWED_HOSTS": "backancity.example.vn",
    "DJANGO_SETTINGS_MODULE": "backancity.settings",
}


def run_python(*args, env):
    leaked = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if k not in leaked}
    return subprocess.run([sys.executable, *args], cwd=settings.BASE_DIR, env={**clean, **env}, capture_output=True, text=True)


def run_manage(*args, env):
    return run_python("manage.py", *args, env=env)


def test_the_production_settings_pass_check_deploy_at_warning_level():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_without_allowed_hosts_the_deployment_check_fails():
    env = {**PRODUCTION_ENV, "ALLOWED_HOSTS": ""}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "security.W020" in result.stdout + result.stderr


@pytest.mark.parametrize(
    "start",
    [
        "import backancity.wsgi",  # gunicorn, runserver
        "import backancity.asgi",
        "import backancity; from celery.signals import worker_init; worker_init.send(sender=None)",
        "import backancity; from celery.signals import beat_init; beat_init.send(sender=None)",
    ],
)
def test_without_a_secret_key_production_refuses_to_start(start):
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = run_python("-c", start, env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_commands_that_sign_nothing_run_without_a_secret_key():
    """A newcomer's `manage.py makemigrations --check` or `migrate` needs no key (it used
    to end in a confusing AppRegistryNotReady)."""
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = run_manage("makemigrations", "--check", "--dry-run", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout
    deploy = run_manage("check", "--deploy", env=env)
    assert "security.W009" in deploy.stdout + deploy.stderr


@pytest.mark.django_db
def test_pages_carry_the_security_headers(client, leader):
    client.force_login(leader)
    response = client.get(reverse("home"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    csp = response["Content-Security-Policy"]
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ]:
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


@pytest.mark.django_db
def test_the_session_and_csrf_cookies_are_http_only_and_secure_in_production(client, leader):
    from backancity import settings as production

    assert production.SESSION_COOKIE_HTTPONLY and production.CSRF_COOKIE_HTTPONLY
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT)"
    )
    result = run_python("-c", code, env=PRODUCTION_ENV)
    assert result.stdout.split() == ["True", "True", "31536000", "True"], result.stderr


def broken_view(request):
    raise RuntimeError("secret internal detail")


urlpatterns = [path("broken/", broken_view)]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_a_server_error_shows_a_generic_page_without_traceback(client, leader):
    client.raise_request_exception = False
    client.force_login(leader)
    response = client.get("/broken/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Hệ thống đang gặp sự cố" in body
    assert "secret internal detail" not in body and "Traceback" not in body
