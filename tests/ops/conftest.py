"""Fixtures of the operations tests: a private media folder, private Redis servers and
real Celery workers for the fault drills (tests/workers.py), whose logs are printed
when a drill fails."""

import os

import pytest

# The ward's quarterly obligations, as the reporting tests build them.
from tests.reporting.conftest import filled, households, led_task, obligations, online_rate, project, supported_task  # noqa: F401

# A small year of approved figures, as the annual review tests build it.
from tests.reviews.conftest import year_2024  # noqa: F401
from tests.workers import RedisServer, Worker, database_shared_with_other_processes


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture
def media(settings, tmp_path):
    """A media folder of the test's own, so it can count the files a job leaves."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def drill_logs(tmp_path):
    path = tmp_path / "logs"
    path.mkdir()
    return path


@pytest.fixture
def redis_server(drill_logs):
    """A Redis of the drill's own on a free port, which the drill may stop and start."""
    if not os.environ.get("CELERY_BROKER_URL") and not os.environ.get("REQUIRE_WORKER_TESTS"):
        pytest.skip("no broker configured")
    server = RedisServer(drill_logs)
    yield server
    server.stop()


@pytest.fixture
def start_worker(request, media, drill_logs, monkeypatch):
    """Start real workers (tests/workers.Worker) pointed at the test database and
    `media`; all are stopped at the end, and their logs printed if the test failed. The
    review job must then never run in the test process itself."""
    if not database_shared_with_other_processes():
        pytest.skip("the in-memory SQLite test database is not visible to another process")
    from reviews import tasks

    def not_here(**kwargs):
        raise AssertionError("the job ran in the test process, not in a worker")

    monkeypatch.setattr(tasks, "review_job_run", not_here)
    started = []

    def start(**kwargs):
        worker = Worker(media=media, log_dir=drill_logs, **kwargs)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        for worker in started:
            print(worker.log_text())
