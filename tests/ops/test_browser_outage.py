"""In Chromium: the database goes away while an officer is typing figures. Saving a row
shows a notice at the top and keeps what was typed; once the database is back, the same
click saves it. A page opened meanwhile is the Vietnamese "try again" page (503).
Screenshots at desktop and phone width go to test-artifacts/screenshots/."""

import pytest
from django.db import utils as db_utils
from django.db.backends import utils as backend_utils

from indicators.models import IndicatorValue
from tests.conftest import screenshot, sign_in
from tests.reporting.conftest import unit_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def database_switch(monkeypatch):
    """The database as every thread sees it (the live server runs in another thread):
    `switch.down = True` makes every statement fail as an unreachable server does."""

    class Switch:
        down = False

    switch = Switch()
    real = backend_utils.CursorWrapper._execute

    def execute(self, sql, params, *ignored):
        if switch.down:
            raise db_utils.OperationalError("could not connect to server: Connection refused")
        return real(self, sql, params, *ignored)

    monkeypatch.setattr(backend_utils.CursorWrapper, "_execute", execute)
    return switch


def test_the_database_going_away_while_an_officer_types(browser_page, database_switch, households, ward, period, ward_officer):
    page = browser_page
    sign_in(page, ward_officer.username)
    page.goto(page.base + unit_url("unit_report", ward, period))
    page.fill(f"#id_chi-tieu-{households.pk}-value", "4.086")

    database_switch.down = True
    page.locator(f"#chi-tieu-{households.pk}").get_by_role("button", name="Lưu").click()
    notice = page.get_by_role("alert").filter(has_text="Chưa lưu được: hệ thống tạm thời gián đoạn")
    notice.wait_for()
    assert page.input_value(f"#id_chi-tieu-{households.pk}-value") == "4.086"  # what was typed is still there
    screenshot(page, "ops-1-save-while-database-down-desktop", full_page=False)

    response = page.goto(page.base + unit_url("unit_report", ward, period))
    assert response.status == 503
    assert "Hệ thống tạm thời gián đoạn, vui lòng thử lại sau ít phút" in page.locator("h1").inner_text()
    screenshot(page, "ops-2-page-while-database-down-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "ops-3-page-while-database-down-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    database_switch.down = False  # the database is back
    assert not IndicatorValue.objects.exists()

    page.get_by_role("link", name="Thử lại").click()
    page.wait_for_load_state("networkidle")
    page.fill(f"#id_chi-tieu-{households.pk}-value", "4.086")
    page.locator(f"#chi-tieu-{households.pk}").get_by_role("button", name="Lưu").click()
    page.locator(f"#chi-tieu-{households.pk} [role=status]").wait_for()  # "✓ Đã lưu"
    assert IndicatorValue.objects.get().value == 4086
