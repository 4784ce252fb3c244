"""A real Celery worker on Redis runs a task end to end (CI sets CELERY_BROKER_URL)."""

import os
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection

from periods.models import ReportingPeriod

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def database_url_for_worker() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


@pytest.fixture
def worker_queue(monkeypatch):
    """A worker process of its own on a queue of its own, pointed at the test database.
    The tests' settings run tasks eagerly; here they must go through the broker."""
    from backancity.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", False)
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(("file:", ":memory:")):
        pytest.skip("the in-memory SQLite test database is not visible to another process")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "backancity.settings",
        "SECRET_KEY": "worker-test",
        "DATABASE_URL": database_url_for_worker(),
        "CELERY_BROKER_URL": os.environ["CELERY_BROKER_URL"],
        "CELERY_TASK_DEFAULT_QUEUE": queue,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "backancity", "worker", "-Q", queue, "-c", "1", "--pool", "solo", "-l", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    yield queue
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def test_a_worker_on_redis_creates_the_reporting_periods(worker_queue, monkeypatch):
    from backancity.celery import app
    from periods import tasks
    from periods.tasks import ensure_reporting_periods

    def not_in_this_process(**kwargs):
        raise AssertionError("the task ran in the test process, not in the worker")

    monkeypatch.setattr(tasks, "periods_ensure_through", not_in_this_process)
    assert not ReportingPeriod.objects.exists()
    with app.connection_for_write(os.environ["CELERY_BROKER_URL"]) as broker:
        ensure_reporting_periods.apply_async(queue=worker_queue, connection=broker)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not ReportingPeriod.objects.exists():
        time.sleep(0.5)
    assert ReportingPeriod.objects.filter(year=settings.PORTAL_FIRST_YEAR, quarter=1).exists()
