"""Fault drill: the database is unavailable for a while. Users get a clear Vietnamese
"try again" page (HTTP 503 with Retry-After; for a row saved with htmx, a notice that
leaves the typed figures in place), never a traceback or a bare error page, and a
multi-row write cut off half-way leaves nothing half-saved.

On PostgreSQL the outage is real: the test database stops accepting connections and its
connections are terminated (as a restart or a failover does), and a report submission
has its own connection killed between two of its writes. The in-memory SQLite of the
tests cannot be taken away, so there the driver raises SQLite's own error for a database
held by another writer ("database is locked") at the same points.
"""

import contextlib
from decimal import Decimal

import psycopg2
import pytest
from django.db import close_old_connections, connection
from django.db import utils as db_utils
from django.test import Client

from audit.models import AuditEvent
from indicators.models import IndicatorValue
from periods.models import FigureChange, ReportStatus, UnitReport, UnitReportEvent
from tests.reporting.conftest import unit_url

pytestmark = pytest.mark.django_db(transaction=True)

TRY_AGAIN = "Hệ thống tạm thời gián đoạn, vui lòng thử lại sau ít phút"
NOTHING_SAVED = "không có dữ liệu nào bị lưu dở"


def control_connection():
    """A connection to the server's maintenance database, from which the test database
    can be closed to connections and opened again."""
    db = connection.settings_dict
    return psycopg2.connect(
        dbname="postgres",
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or "127.0.0.1",
        port=db.get("PORT") or 5432,
    )


@contextlib.contextmanager
def database_down():
    """The database refuses every connection, and the open ones are cut, until the end
    of the block."""
    if connection.vendor == "postgresql":
        name = connection.settings_dict["NAME"]
        control = control_connection()
        control.autocommit = True
        try:
            with control.cursor() as cursor:
                cursor.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                    [name],
                )
            yield
        finally:
            with control.cursor() as cursor:
                cursor.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true')
            control.close()
    else:

        def locked(execute, sql, params, many, context):
            raise db_utils.OperationalError("database is locked")

        with connection.execute_wrapper(locked):
            yield


@contextlib.contextmanager
def connection_lost_at(statement_prefix: str):
    """The request's own database connection dies just before it runs the first
    statement starting with `statement_prefix` (a write in the middle of a transaction)."""
    fired = []

    def cut(execute, sql, params, many, context):
        if not fired and sql.lstrip().upper().startswith(statement_prefix.upper()):
            fired.append(sql)
            if connection.vendor == "postgresql":
                pid = connection.connection.get_backend_pid()
                control = control_connection()
                control.autocommit = True
                with control.cursor() as cursor:
                    cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
                control.close()
            else:
                raise db_utils.OperationalError("database is locked")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(cut):
        yield fired


class BrowserClient(Client):
    """A client that gets the response a user's browser would, instead of re-raising the
    request's exception in the test; and, like a real server (the test client skips it),
    drops a broken database connection at the end of each request, so that the next one
    connects afresh."""

    def __init__(self):
        super().__init__(raise_request_exception=False)

    def request(self, **request):
        try:
            return super().request(**request)
        finally:
            close_old_connections()


@pytest.fixture
def browser_client():
    return BrowserClient()


def test_pages_say_try_again_with_503_while_the_database_is_down_and_work_once_it_is_back(browser_client, ward_officer, period):
    browser_client.force_login(ward_officer)
    page = reverse_unit_page(ward_officer, period)
    assert browser_client.get(page).status_code == 200

    with database_down():
        for _ in range(2):  # the connection that was cut, then a new one that is refused
            response = browser_client.get(page)
            assert response.status_code == 503
            assert response["Retry-After"] == "30"
            text = response.content.decode()
            assert TRY_AGAIN in text and NOTHING_SAVED in text
            assert "Traceback" not in text and "OperationalError" not in text
        health = BrowserClient().get("/healthz")  # a monitor: no session
        assert health.status_code == 503 and health.json()["database"] == "OperationalError"

    assert browser_client.get(page).status_code == 200


def test_a_row_saved_while_the_database_is_down_is_not_saved_and_the_officer_is_told_to_save_again(
    browser_client, households, ward, period, ward_officer
):
    browser_client.force_login(ward_officer)
    url = unit_url("row_save", ward, period, "chi-tieu", households.pk)
    data = {f"chi-tieu-{households.pk}-{k}": v for k, v in {"version": 0, "value": "4.086", "kind": "estimate"}.items()}

    with database_down():
        response = browser_client.post(url, data, HTTP_HX_REQUEST="true")
        # htmx swaps nothing on an error status: a notice goes to the top of the page and
        # the row, with what the officer typed, stays as it is.
        assert response.status_code == 200
        assert (response["HX-Retarget"], response["HX-Reswap"]) == ("body", "afterbegin")
        assert "Chưa lưu được: hệ thống tạm thời gián đoạn" in response.content.decode()
        form_page = "http://testserver" + reverse_unit_page(ward_officer, period)
        plain = browser_client.post(url, data, HTTP_REFERER=form_page)
        assert plain.status_code == 503 and TRY_AGAIN in plain.content.decode()
        assert f'href="{form_page}">Thử lại' in plain.content.decode()  # back to the form, not a re-POST

    assert not IndicatorValue.objects.exists() and not FigureChange.objects.exists()
    response = browser_client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Đã lưu" in response.content.decode()
    assert IndicatorValue.objects.get().value == Decimal("4086")


def test_a_report_submission_cut_off_half_way_leaves_nothing_half_saved(browser_client, filled, ward, period, ward_officer):
    report = UnitReport.objects.get(unit=ward, period=period)
    assert report.status == ReportStatus.DRAFT
    browser_client.force_login(ward_officer)
    events, audits = UnitReportEvent.objects.count(), AuditEvent.objects.count()

    # The report row is updated to "submitted" first; the connection dies as the event
    # that records it is written.
    with connection_lost_at(f'INSERT INTO "{UnitReportEvent._meta.db_table}"') as fired:
        response = browser_client.post(unit_url("submit", ward, period))
    assert fired, "the submission never reached its second write"
    assert response.status_code == 503 and TRY_AGAIN in response.content.decode()

    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.submitted_at is None
    assert (UnitReportEvent.objects.count(), AuditEvent.objects.count()) == (events, audits)

    response = browser_client.post(unit_url("submit", ward, period))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert UnitReportEvent.objects.count() == events + 1


def reverse_unit_page(user, period):
    return unit_url("unit_report", user.unit, period)
