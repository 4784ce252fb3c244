"""Saving one row of the unit's page: with htmx the row comes back in place; without
JavaScript a plain POST redirects. Bad numbers, stale forms, locked periods and other
units are refused with a message, and nothing is saved by a refused request."""

from decimal import Decimal

import pytest

from indicators.models import IndicatorValue, ValueKind
from periods.models import FigureChange, ReportStatus, UnitReport
from projects.models import ProjectUpdate
from resolutions.models import TaskUpdate
from tests import factories

from .conftest import signed_in, unit_url

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def post_row(client, ward, period, kind, item, data, *, htmx=False, version=0):
    prefix = f"{kind}-{item.pk}"
    payload = {f"{prefix}-{name}": value for name, value in {"version": version, **data}.items()}
    return client.post(unit_url("row_save", ward, period, kind, item.pk), payload, **(HTMX if htmx else {}))


def test_a_plain_post_saves_the_row_and_redirects_back_to_it(client, obligations, ward, period, ward_officer):
    signed_in(client, ward_officer)
    response = post_row(client, ward, period, "chi-tieu", obligations["households"], {"value": "4.086", "kind": "estimate"})
    assert response.status_code == 302
    assert response["Location"] == unit_url("unit_report", ward, period) + f"#chi-tieu-{obligations['households'].pk}"
    figure = IndicatorValue.objects.get()
    assert (figure.value, figure.unit, figure.updated_by, figure.version) == (Decimal("4086"), ward, ward_officer, 1)
    assert UnitReport.objects.get().status == ReportStatus.DRAFT


def test_an_htmx_save_returns_the_row_and_the_progress(client, obligations, ward, period, ward_officer):
    signed_in(client, ward_officer)
    response = post_row(
        client, ward, period, "du-an", obligations["project"],
        {"progress_percent": "45,5", "phase": "construction", "allocated_capital": "12.000", "disbursed_amount": "8.500,25"},
        htmx=True,
    )  # fmt: skip
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="du-an-{obligations["project"].pk}"' in page and "Đã lưu" in page
    assert 'id="report-progress" hx-swap-oob="true"' in page and "Đã nhập 1/5 mục" in page
    update = ProjectUpdate.objects.get()
    assert update.progress_percent == Decimal("45.5")
    assert (update.allocated_capital, update.disbursed_amount) == (Decimal("12000000000"), Decimal("8500250000"))
    assert 'value="8.500,25"' in page  # shown back as typed, in triệu đồng


def test_a_ratio_is_computed_from_numerator_and_denominator(client, obligations, ward, period, ward_officer):
    signed_in(client, ward_officer)
    data = {"numerator": "5.837", "denominator": "10.000", "kind": "official", "value": "99"}
    response = post_row(client, ward, period, "chi-tieu", obligations["rate"], data, htmx=True)
    figure = IndicatorValue.objects.get()
    assert (figure.value, figure.numerator, figure.denominator) == (Decimal("58.37"), Decimal(5837), Decimal(10000))
    assert "58,37%" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"numerator": "58.37", "denominator": "100"}, "phần thập phân viết như 58,37"),
        ({"numerator": "abc", "denominator": "100"}, "không phải là một số"),
        ({"numerator": "120", "denominator": "100"}, "Tử số không được lớn hơn mẫu số"),
        ({"numerator": "1", "denominator": "0"}, "Mẫu số phải lớn hơn 0"),
        ({"numerator": "", "denominator": "100"}, "Nhập số liệu"),
    ],
)
def test_bad_ratio_input_is_refused_in_vietnamese_and_nothing_is_saved(
    client, obligations, ward, period, ward_officer, data, message
):
    signed_in(client, ward_officer)
    response = post_row(client, ward, period, "chi-tieu", obligations["rate"], {**data, "kind": "estimate"}, htmx=True)
    page = response.content.decode()
    assert message in page
    assert f'value="{data["denominator"]}"' in page  # the user's input stays on screen
    assert not IndicatorValue.objects.exists() and not FigureChange.objects.exists()


def test_a_bad_number_without_javascript_renders_the_page_with_the_error(client, obligations, ward, period, ward_officer):
    signed_in(client, ward_officer)
    response = post_row(
        client, ward, period, "du-an", obligations["project"], {"progress_percent": "120", "phase": "construction"}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Chưa lưu được" in page and "Giá trị không được lớn hơn 100" in page and 'value="120"' in page
    assert "Báo cáo Quý III/2024 — Phường Sông Cầu" in page  # the whole page, the other rows too
    assert not ProjectUpdate.objects.exists()


def test_disbursement_above_allocation_is_refused(client, obligations, ward, period, ward_officer):
    signed_in(client, ward_officer)
    data = {"phase": "construction", "allocated_capital": "100", "disbursed_amount": "150"}
    response = post_row(client, ward, period, "du-an", obligations["project"], data, htmx=True)
    assert "Số giải ngân không được vượt vốn đã bố trí" in response.content.decode()
    assert not ProjectUpdate.objects.exists()


def test_a_done_task_needs_its_completion_date(client, obligations, ward, period, ward_officer):
    signed_in(client, ward_officer)
    task = obligations["led"]
    response = post_row(client, ward, period, "nhiem-vu", task, {"status": "done", "narrative": "Xong"}, htmx=True)
    assert "nhập ngày hoàn thành" in response.content.decode()
    assert not TaskUpdate.objects.exists()
    post_row(client, ward, period, "nhiem-vu", task, {"status": "done", "narrative": "Xong", "completed_on": "05/09/2024"})
    update = TaskUpdate.objects.get()
    assert (update.status, str(update.completed_on), update.unit) == ("done", "2024-09-05", ward)


def test_a_supporting_unit_reports_its_own_part_of_a_task(client, obligations, ward, period, ward_officer):
    signed_in(client, ward_officer)
    task = obligations["supported"]
    post_row(client, ward, period, "nhiem-vu", task, {"status": "recurring", "narrative": "Phối hợp tổ chức"})
    assert TaskUpdate.objects.get(task=task).unit == ward


def test_recurring_is_not_offered_for_a_task_with_a_deadline(client, obligations, ward, period, ward_officer):
    signed_in(client, ward_officer)
    response = post_row(
        client, ward, period, "nhiem-vu", obligations["led"], {"status": "recurring", "narrative": "x"}, htmx=True
    )
    assert "hợp lệ" in response.content.decode()
    assert not TaskUpdate.objects.exists()


def test_a_stale_form_is_refused_with_the_current_value_and_keeps_the_input(client, obligations, ward, period, ward_officer):
    figure = factories.make_indicator_value(indicator=obligations["households"], period=period, value="4000")
    colleague = factories.make_user(unit=ward, last_name="Đồng nghiệp")
    figure.value = Decimal("4086")
    figure.save(actor=colleague)  # saved by a colleague after our form was loaded at version 1
    signed_in(client, ward_officer)
    data = {"value": "4.100", "kind": "estimate"}
    response = post_row(client, ward, period, "chi-tieu", obligations["households"], data, htmx=True, version=1)
    page = response.content.decode()
    assert "vừa được Đồng nghiệp cập nhật" in page and "giá trị hiện tại: 4.086" in page
    assert 'value="4.100"' in page  # the user's input is kept
    assert f'name="chi-tieu-{obligations["households"].pk}-version" value="2"' in page  # a second save is deliberate
    assert IndicatorValue.objects.get().value == Decimal("4086")
    # Having seen the current value, the user saves again: now it applies.
    post_row(client, ward, period, "chi-tieu", obligations["households"], data, version=2)
    assert IndicatorValue.objects.get().value == Decimal("4100")


def test_creating_a_row_someone_else_just_created_is_refused_as_stale(client, obligations, ward, period, ward_officer):
    factories.make_indicator_value(indicator=obligations["households"], period=period, value="4086")
    signed_in(client, ward_officer)
    response = post_row(
        client, ward, period, "chi-tieu", obligations["households"], {"value": "1", "kind": "estimate"}, htmx=True
    )
    assert "giá trị hiện tại: 4.086" in response.content.decode()
    assert IndicatorValue.objects.get().value == Decimal("4086")


@pytest.mark.parametrize("status", [ReportStatus.SUBMITTED, ReportStatus.APPROVED])
def test_a_locked_period_refuses_the_save(client, obligations, ward, period, ward_officer, status):
    figure = factories.make_indicator_value(indicator=obligations["households"], period=period, value="4086")
    factories.set_report_status(ward, period, status)
    signed_in(client, ward_officer)
    response = post_row(
        client, ward, period, "chi-tieu", obligations["households"], {"value": "1", "kind": "estimate"}, htmx=True, version=1
    )
    assert "Báo cáo Quý III/2024 của Phường Sông Cầu đã" in response.content.decode()
    figure.refresh_from_db()
    assert (figure.value, figure.version) == (Decimal("4086"), 1)


@pytest.mark.parametrize("persona", ["other_ward_officer", "leader", "secretariat"])
def test_only_the_units_officer_may_save(client, obligations, ward, period, persona, request):
    signed_in(client, request.getfixturevalue(persona))
    response = post_row(client, ward, period, "chi-tieu", obligations["households"], {"value": "1", "kind": "estimate"})
    assert response.status_code == 403
    assert not IndicatorValue.objects.exists() and not UnitReport.objects.exists()


def test_a_row_the_unit_does_not_answer_for_is_not_found(client, ward, other_ward, period, ward_officer):
    foreign = factories.make_indicator(responsible_unit=other_ward)
    signed_in(client, ward_officer)
    response = post_row(client, ward, period, "chi-tieu", foreign, {"value": "1", "kind": "estimate"})
    assert response.status_code == 404
    assert not IndicatorValue.objects.exists()


def test_the_row_history_shows_who_when_and_old_to_new_in_vietnamese(client, obligations, ward, period, ward_officer):
    signed_in(client, ward_officer)
    households = obligations["households"]
    post_row(client, ward, period, "chi-tieu", households, {"value": "4.000", "kind": "estimate", "source": "Ước tính"})
    post_row(
        client,
        ward,
        period,
        "chi-tieu",
        households,
        {"value": "4.086", "kind": "official", "source": "Chi cục Thống kê"},
        version=1,
    )
    url = unit_url("row_history", ward, period, "chi-tieu", households.pk)
    page = client.get(url, **HTMX).content.decode()
    assert "Cán bộ phường" in page and "Nhập trên cổng" in page
    assert "4.000" in page and "4.086" in page  # an estimate replaced by the official figure keeps both
    assert "Ước thực hiện" in page and "Số chính thức" in page  # choices by their label
    assert page.index("phiên bản 2") < page.index("phiên bản 1")  # newest first
    full = client.get(url).content.decode()
    assert "Lịch sử thay đổi" in full and "<html" in full  # without JavaScript: a page of its own


def test_project_history_shows_amounts_in_million_dong(client, obligations, ward, period, ward_officer):
    signed_in(client, ward_officer)
    data = {"phase": "construction", "allocated_capital": "12.000", "disbursed_amount": "8.500"}
    post_row(client, ward, period, "du-an", obligations["project"], data)
    page = client.get(unit_url("row_history", ward, period, "du-an", obligations["project"].pk), **HTMX).content.decode()
    assert "12.000 triệu đồng" in page and "8.500 triệu đồng" in page and "Thi công" in page


def test_another_units_officer_cannot_read_the_history(client, obligations, ward, period, other_ward_officer):
    factories.make_indicator_value(indicator=obligations["households"], period=period, value="4086")
    signed_in(client, other_ward_officer)
    response = client.get(unit_url("row_history", ward, period, "chi-tieu", obligations["households"].pk))
    assert response.status_code == 403
    assert "4.086" not in response.content.decode()


def test_an_estimate_then_the_official_figure(client, obligations, ward, period, ward_officer):
    signed_in(client, ward_officer)
    households = obligations["households"]
    post_row(client, ward, period, "chi-tieu", households, {"value": "4.000", "kind": "estimate"})
    post_row(client, ward, period, "chi-tieu", households, {"value": "4.086", "kind": "official"}, version=1)
    figure = IndicatorValue.objects.get()
    assert (figure.value, figure.kind, figure.version) == (Decimal("4086"), ValueKind.OFFICIAL, 2)
    values = list(figure.changes.filter(field="value").order_by("version").values_list("old_value", "new_value"))
    assert values == [(None, "4000"), ("4000", "4086")]


def test_the_last_missing_row_brings_the_submit_button_without_a_reload(client, obligations, ward, period, ward_officer):
    factories.make_task_update(task=obligations["led"], period=period, unit=ward)
    factories.make_task_update(task=obligations["supported"], period=period, unit=ward, status="recurring")
    factories.make_project_update(project=obligations["project"], period=period, phase="construction")
    factories.make_indicator_value(indicator=obligations["rate"], period=period, value="0", numerator=1, denominator=2)
    signed_in(client, ward_officer)
    data = {"value": "4.086", "kind": "estimate"}
    page = post_row(client, ward, period, "chi-tieu", obligations["households"], data, htmx=True).content.decode()
    assert "Đã nhập 5/5 mục" in page and unit_url("submit", ward, period) in page and "Gửi báo cáo" in page
