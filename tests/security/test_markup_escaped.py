"""A stored `<script>` / `<img onerror>` payload is shown as text everywhere it is shown:
the reporting page, the history, the overview, every dashboard, the annual review's
pages and its PDF. It is typed where people type — a unit's narrative, note, source,
obstacles, a return reason, the secretariat's narrative and signer — and put into the
catalogue's names too (the admin and imports write those)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from indicators.models import ValueType
from periods.models import ReportStatus
from reviews.compose import IssueDetails, compose_review
from reviews.models import PartNarrative, ReviewJob, ReviewPart
from reviews.rendering import render_html, render_pdf
from tests import factories

from .test_safe_pdf import pdf_text

PAYLOAD = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
RAW = ["<script>alert", "<img src=x"]
ESCAPED = "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"

pytestmark = pytest.mark.django_db


@pytest.fixture
def hostile(ward, ward_officer, leader, secretariat):
    ward.name = f"Phường {PAYLOAD}"
    ward.save()
    q3, q4 = factories.make_period(2024, 3), factories.make_period(2024, 4)
    task = factories.make_task(lead_unit=ward, code="NV-X", content=f"Nhiệm vụ {PAYLOAD}")
    project = factories.make_project(managing_unit=ward, code="du-an-x", name=f"Dự án {PAYLOAD}")
    indicator = factories.make_indicator(responsible_unit=ward, code="chi-tieu-x", name=f"Chỉ tiêu {PAYLOAD}")
    ratio = factories.make_indicator(
        responsible_unit=ward, code="ty-le-x", name=f"Tỷ lệ {PAYLOAD}", value_type=ValueType.RATIO, unit_of_measure="%"
    )
    for period in (q3, q4):
        factories.make_task_update(task=task, period=period, narrative=f"Kết quả {PAYLOAD}", actor=ward_officer)
        factories.make_project_update(
            project=project, period=period, progress_percent=40, obstacles=PAYLOAD, narrative=PAYLOAD, actor=ward_officer
        )
        factories.make_indicator_value(
            indicator=indicator, period=period, value="4086", note=PAYLOAD, source=PAYLOAD, actor=ward_officer
        )
        factories.make_indicator_value(
            indicator=ratio, period=period, value="0", numerator=5, denominator=10, note=PAYLOAD, actor=ward_officer
        )
    # The history has an old and a new value with the payload in both.
    figure = indicator.values.get(period=q3)
    figure.note = f"{PAYLOAD} (sửa)"
    figure.save(actor=ward_officer)
    factories.set_report_status(ward, q3, ReportStatus.RETURNED, return_reason=f"Lý do {PAYLOAD}")
    factories.set_report_status(ward, q4, ReportStatus.APPROVED)
    for part in ReviewPart:
        PartNarrative.objects.create(year=2024, part=part, text=f"Nội dung {PAYLOAD}", version=1, updated_by=secretariat)
    ReviewJob.objects.create(
        year=2024,
        version=1,
        report_date=datetime.date(2024, 12, 20),
        requested_by=secretariat,
        signer_name=PAYLOAD[:120],
        failure_reason=f"Lỗi {PAYLOAD}",
        status="failed",
    )
    return {"ward": ward, "task": task, "project": project, "indicator": indicator, "q3": q3, "q4": q4}


def assert_shown_escaped(client, url, *, expect_escaped=True, htmx=False):
    response = client.get(url, HTTP_HX_REQUEST="true") if htmx else client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    body = response.content.decode()
    for raw in RAW:
        assert raw not in body, f"raw markup in {url}"
    if expect_escaped:
        assert "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;" in body, f"payload not shown (escaped) in {url}"
    return body


def test_the_reporting_pages_and_the_history_show_the_payload_as_text(client, hostile, ward_officer, leader):
    ward, q3 = hostile["ward"], hostile["q3"]
    client.force_login(ward_officer)
    unit_page = reverse("reporting:unit_report", args=[2024, 3, ward.code])
    body = assert_shown_escaped(client, unit_page)
    assert ESCAPED in body  # the whole payload, in a textarea or as text
    history = reverse("reporting:row_history", args=[2024, 3, ward.code, "chi-tieu", hostile["indicator"].pk])
    assert_shown_escaped(client, history)
    assert_shown_escaped(client, history, htmx=True)
    task_history = reverse("reporting:row_history", args=[2024, 3, ward.code, "nhiem-vu", hostile["task"].pk])
    assert_shown_escaped(client, task_history)
    leader_client = Client()
    leader_client.force_login(leader)
    assert_shown_escaped(leader_client, reverse("reporting:overview_period", args=[2024, 3]))
    assert_shown_escaped(leader_client, reverse("reporting:unit_report", args=[2024, 4, ward.code]))
    assert q3.pk


@pytest.mark.parametrize(
    "name, args",
    [
        ("dashboards:overview", []),
        ("dashboards:indicators", []),
        ("dashboards:indicator_detail", ["chi-tieu-x"]),
        ("dashboards:projects", []),
        ("dashboards:project_detail", ["du-an-x"]),
        ("dashboards:tasks", []),
        ("dashboards:task_detail", None),
        ("dashboards:units", []),
        ("dashboards:unit_detail", None),
    ],
)
def test_the_dashboards_show_the_payload_as_text(client, hostile, leader, name, args):
    client.force_login(leader)
    if args is None:
        args = [hostile["task"].pk] if name == "dashboards:task_detail" else [hostile["ward"].code]
    body = assert_shown_escaped(client, reverse(name, args=args) + "?nam=2024&quy=4")
    # Chart data goes to the page as JSON: "<" is written as \u003C there.
    assert "<script>alert" not in body.replace("&lt;", "")


def test_the_annual_review_pages_show_the_payload_as_text(client, hostile, secretariat):
    client.force_login(secretariat)
    assert_shown_escaped(client, reverse("reviews:year", args=[2024]))
    assert_shown_escaped(client, reverse("reviews:narratives", args=[2024]), expect_escaped=False)
    body = assert_shown_escaped(client, reverse("reviews:narrative_edit", args=[2024, "trade"]))
    assert ESCAPED in body


def test_the_pdf_prints_the_payload_as_text(hostile, tmp_path):
    content = compose_review(
        2024, details=IssueDetails(report_date=datetime.date(2024, 12, 20), signer_name=PAYLOAD[:120], signer_position=PAYLOAD)
    )
    html = render_html(content)
    for raw in RAW:
        assert raw not in html
    assert ESCAPED in html
    path = tmp_path / "bao-cao.pdf"
    render_pdf(content, path)
    text = pdf_text(path)
    assert '<script>alert("xss")</script>' in text
