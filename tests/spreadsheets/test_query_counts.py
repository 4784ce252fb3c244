"""Every page of the spreadsheets app runs a fixed number of queries, whatever the
number of rows a unit reports."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from spreadsheets.models import SpreadsheetUpload
from tests import factories

from .conftest import download_template, set_cell, upload, workbook_bytes

pytestmark = pytest.mark.django_db


def _grow(ward, department, period, size, offset):
    for n in range(size):
        indicator = factories.make_indicator(responsible_unit=ward, code=f"q-{offset}-{n}")
        factories.make_indicator_value(indicator=indicator, period=period, value=str(n + 1))
        project = factories.make_project(managing_unit=ward, code=f"q-du-an-{offset}-{n}")
        factories.make_project_update(project=project, period=period)
        factories.make_task(lead_unit=ward, code=f"Q-{offset}-{n}")
        factories.make_task(lead_unit=department, supporting=[ward], code=f"QS-{offset}-{n}")


def _count(request_call) -> int:
    with CaptureQueriesContext(connection) as context:
        response = request_call()
    assert response.status_code in (200, 302), response.status_code
    return len(context.captured_queries)


@pytest.fixture
def officer_client(client, ward_officer):
    client.force_login(ward_officer)
    return client


def _page_counts(client, period):
    counts = {}
    counts["index"] = _count(lambda: client.get(reverse("spreadsheets:index")))
    counts["template"] = _count(lambda: client.get(reverse("spreadsheets:template"), {"ky": period.pk}))
    counts["export"] = _count(
        lambda: client.get(reverse("spreadsheets:export"), {"ky": period.pk, "bang": "chi-tieu", "dinh_dang": "xlsx"})
    )
    workbook = download_template(client, period)
    for row in range(2, workbook["Chỉ tiêu"].max_row + 1):
        set_cell(workbook["Chỉ tiêu"], row, "Giá trị", row * 3)
    content = workbook_bytes(workbook)
    counts["upload"] = _count(lambda: upload(client, period, content))
    latest = SpreadsheetUpload.objects.latest("pk")
    counts["preview"] = _count(lambda: client.get(reverse("spreadsheets:preview", args=[latest.pk])))
    counts["confirm"] = _count(
        lambda: client.post(reverse("spreadsheets:confirm", args=[latest.pk]), {"checksum": latest.sha256})
    )
    return counts


def test_page_queries_do_not_grow_with_the_units_rows(officer_client, ward, department, period):
    _grow(ward, department, period, 2, 0)
    small = _page_counts(officer_client, period)
    _grow(ward, department, period, 12, 1)
    large = _page_counts(officer_client, period)
    assert large == small
