"""The health endpoint checks the database and the broker, and says nothing else."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_health_is_ok_without_signing_in_and_without_a_broker(client, settings):
    settings.CELERY_BROKER_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok" and response.json()["database"] == "ok"


@pytest.mark.django_db
def test_an_unreachable_broker_makes_health_fail(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] != "ok"


@pytest.mark.django_db
def test_an_unreachable_database_makes_health_fail(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise connection.Database.OperationalError("down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "OperationalError"
