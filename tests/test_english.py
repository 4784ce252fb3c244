"""The portal in English, its second language: a person who switches the language sees
the headings and the menu in English, numbers with English marks (4,086 ; 58.37%) and
dates still day-first (25/10/2022). The data itself (tasks, units, projects) stays in
Vietnamese, and so does the reporting period's label ("Quý III/2024")."""

import html
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def in_english(client, user=None):
    """Switch the language as a person does (the footer's form posts to set_language),
    then sign in if a user is given. The choice lives in the language cookie."""
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    if user is not None:
        client.force_login(user)
    return client


def page_text(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.content.decode())


def assert_english(page, present, absent):
    assert 'lang="en"' in page
    for text in present:
        assert text in page, f"missing English text: {text!r}"
    for text in absent:
        assert text not in page, f"Vietnamese UI text still shown: {text!r}"


# The menu and the footer every signed-in page shares.
MENU_EN = ["Home", "Dashboards", "Excel import/export", "Sign out", "Monitoring the implementation of Resolution 29-NQ/TU"]
MENU_VI = ["Trang chủ", "Bảng điều hành", "Nhập/xuất Excel", "Đăng xuất", "Theo dõi thực hiện Nghị quyết"]


def test_the_sign_in_page_is_in_english_before_signing_in(client):
    page = page_text(in_english(client), reverse("login"))
    assert_english(
        page,
        ["<title>Sign in · Bắc Kạn City</title>", "Username", "Password", "Portal for monitoring the implementation"],
        ["Đăng nhập", "Tên đăng nhập", "Mật khẩu", "Cổng theo dõi"],
    )


def test_the_home_page_is_in_english_with_english_number_marks_and_day_first_dates(client, article_data, leader):
    page = page_text(in_english(client, leader), reverse("home"))
    assert_english(
        page,
        [*MENU_EN, "Reporting status", "Annual review", "Tasks by field", "Projects and works", "Latest figure"],
        [*MENU_VI, "Tình hình báo cáo", "Báo cáo năm", "Nhiệm vụ theo lĩnh vực", "Số liệu mới nhất", "Tổng mức đầu tư"],
    )
    # numbers with English marks: the article's 4.086 business households, 58,37% online
    for number in ["4,086", "2,715", "1,794", "3,171", "58.37%"]:
        assert number in page
    assert "4.086" not in page and "58,37%" not in page
    # dates stay day/month/year; years are never grouped
    assert "issued on 25/10/2022" in page and "10/04/2023" in page
    assert "target year 2030" in page and "2,030" not in page
    # data is not translated
    assert "Đường vào hồ Nặm Cắt" in page


def test_vietnamese_stays_the_default(client, article_data, leader):
    client.force_login(leader)
    page = page_text(client, reverse("home"))
    assert 'lang="vi"' in page and "Trang chủ" in page and "4.086" in page and "58,37%" in page


def test_a_ward_officers_reporting_page_is_in_english(client, ward, ward_officer, period):
    factories.make_task(lead_unit=ward, code="NV-01", content="Chỉnh trang tuyến phố kinh doanh")
    factories.make_project(managing_unit=ward, name="Trường mầm non Sông Cầu", total_investment=18_500_000_000)
    households = factories.make_indicator(responsible_unit=ward, name="Số hộ kinh doanh", unit_of_measure="hộ")
    factories.make_indicator_value(indicator=households, period=period, value="4086")
    url = reverse("reporting:unit_report", args=[period.year, period.quarter, ward.code])
    page = page_text(in_english(client, ward_officer), url)
    assert_english(
        page,
        [
            *MENU_EN,
            "My unit's report",
            "Quarterly reporting",
            "Cut-off date",
            "Due:",
            "Submit report",
            "Implementation status",
            "Difficulties and obstacles",
            "Estimated actual",
            "Lead",
            "18,500 million VND",
        ],
        [*MENU_VI, "Báo cáo của đơn vị", "Chốt số liệu", "Hạn gửi", "Gửi báo cáo", "Tình hình thực hiện", "triệu đồng"],
    )
    # the period's own dates, day-first
    assert "15/09/2024" in page and "20/09/2024" in page
    # what the unit typed stays as typed
    assert "Chỉnh trang tuyến phố kinh doanh" in page and "Phường Sông Cầu" in page


def test_the_dashboards_overview_is_in_english(client, article_data, leader, period):
    url = reverse("dashboards:overview") + f"?nam={period.year}&quy={period.quarter}"
    page = page_text(in_english(client, leader), url)
    assert_english(
        page,
        [
            *MENU_EN,
            "Overview of the implementation of Resolution 29-NQ/TU",
            ">Overview<",
            ">Indicators<",
            ">Projects<",
            ">Tasks<",
            ">Units<",
            "Key projects",
            "Overdue tasks",
            "Filters",
            ">Q3<",
            "Due: 20/09/2024.",
        ],
        [*MENU_VI, ">Tổng quan<", "Nhiệm vụ quá hạn", ">Dự án trọng điểm<", "Bộ lọc", ">Quý III<", "Hạn gửi"],
    )


def test_the_annual_review_index_is_in_english(client, article_data, leader):
    page = page_text(in_english(client, leader), reverse("reviews:index"))
    assert_english(
        page,
        [*MENU_EN, "Annual review of the implementation of Resolution 29-NQ/TU", "Versions requested", "View"],
        [*MENU_VI, "Báo cáo năm thực hiện", "Số bản đã yêu cầu", "Bản hoàn thành mới nhất"],
    )


def test_the_excel_page_is_in_english(client, ward, ward_officer, period):
    page = page_text(in_english(client, ward_officer), reverse("spreadsheets:index"))
    assert_english(
        page,
        [*MENU_EN, "1. Download your unit's report template", "Download Excel template", "Upload and preview", "Export figures"],
        [*MENU_VI, "Tải mẫu báo cáo", "Tải mẫu Excel", "Tải lên và xem trước", "Xuất số liệu"],
    )


def test_an_unchanged_figure_keeps_its_value_when_saved_in_english(client, ward, ward_officer, period):
    from indicators.models import IndicatorValue

    households = factories.make_indicator(responsible_unit=ward, name="Số hộ kinh doanh", decimal_places=2)
    factories.make_indicator_value(indicator=households, period=period, value="4086")
    url = reverse("reporting:unit_report", args=[period.year, period.quarter, ward.code])
    page = page_text(in_english(client, ward_officer), url)
    prefix = re.search(r'name="(chi-tieu-\d+)-value" [^>]*value="([^"]*)"', page)
    assert prefix.group(2) == "4,086"
    save = reverse("reporting:row_save", args=[period.year, period.quarter, ward.code, "chi-tieu", households.pk])
    name = prefix.group(1)
    client.post(save, {f"{name}-version": "1", f"{name}-value": prefix.group(2), f"{name}-kind": "estimate"})
    assert IndicatorValue.objects.get(indicator=households).value == 4086


# --- the catalogue itself --------------------------------------------------------------


def _entries(catalogue=CATALOGUE):
    """(flags, msgid, [msgstr…]) for each entry of the English catalogue but the header."""
    text = catalogue.read_text(encoding="utf-8")

    def unquote(lines):
        return (
            "".join(re.findall(r'^"(.*)"$', "\n".join(lines), flags=re.M))
            .encode()
            .decode("unicode_escape")
            .encode("latin-1")
            .decode("utf-8")
        )

    for block in text.split("\n\n"):
        lines = block.strip().splitlines()
        flags = " ".join(line for line in lines if line.startswith("#,"))
        fields, current = {}, None
        for line in lines:
            if line.startswith("#"):
                continue
            match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) (\".*\")$", line)
            if match:
                current = match.group(1)
                fields[current] = [match.group(2)]
            elif current:
                fields[current].append(line)
        if "msgid" not in fields or unquote(fields["msgid"]) == "":
            continue
        yield flags, unquote(fields["msgid"]), [unquote(value) for key, value in fields.items() if key.startswith("msgstr")]


PLACEHOLDER = re.compile(r"%\([A-Za-z_]+\)[sd]|%[sd]|\{[A-Za-z_0-9]*\}|</?[a-z][^>]*>")


def test_every_message_is_translated_and_keeps_its_placeholders():
    entries = list(_entries())
    assert len(entries) > 900
    for flags, msgid, translations in entries:
        assert "fuzzy" not in flags, msgid
        for msgstr in translations:
            assert msgstr.strip(), f"untranslated: {msgid!r}"
            if "python-format" in flags:
                assert set(PLACEHOLDER.findall(msgstr)) == set(PLACEHOLDER.findall(msgid)), msgid


@pytest.mark.gettext
def test_the_english_catalogue_has_every_message_the_code_marks(tmp_path, settings, monkeypatch):
    """`make messages` ran after the last change to a string shown to users: extracting
    the messages again finds none that the committed catalogue lacks or no longer needs."""
    locale = tmp_path / "locale"
    shutil.copytree(CATALOGUE.parents[2], locale)
    settings.LOCALE_PATHS = [locale]
    monkeypatch.chdir(settings.BASE_DIR)
    call_command("makemessages", locale=["en"], ignore_patterns=[".venv", "var", "test-artifacts"], verbosity=0)
    fresh = {msgid for _flags, msgid, _translations in _entries(locale / "en" / "LC_MESSAGES" / "django.po")}
    committed = {msgid for _flags, msgid, _translations in _entries()}
    assert sorted(fresh - committed) == [], "run `make messages` and translate the new messages"
    assert sorted(committed - fresh) == [], "run `make messages`: these messages are no longer used"


# --- in a real browser ---------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_leader_switches_to_english_in_the_browser(browser_page, article_data, leader, ward, ward_officer, period):
    """The footer's "English" button, then the pages a leader and an officer use most;
    the screenshots (test-artifacts/screenshots/en-*.png) are for a person to read."""
    from tests.conftest import screenshot, sign_in

    page = browser_page
    page.goto(page.base + reverse("login"))
    page.click("footer button[value=en]")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").first.inner_text() == "Sign in"
    screenshot(page, "en-sign-in")
    sign_in(page, leader.username)
    nav = page.locator("nav.navbar").inner_text()
    for label in ["Home", "Reporting status", "Dashboards", "Annual review", "Excel import/export", "Sign out"]:
        assert label in nav
    assert "4,086" in page.locator("#indicators").inner_text()
    screenshot(page, "en-home")
    page.goto(page.base + reverse("dashboards:overview") + f"?nam={period.year}&quy={period.quarter}")
    assert page.locator("h1").first.inner_text() == "Overview of the implementation of Resolution 29-NQ/TU"
    screenshot(page, "en-dashboards-overview")
    page.goto(page.base + reverse("dashboards:indicators") + "?nam=2023&quy=4")
    screenshot(page, "en-dashboards-indicators")
    for name in ["projects", "tasks", "units"]:
        page.goto(page.base + reverse(f"dashboards:{name}") + "?nam=2023&quy=4")
        screenshot(page, f"en-dashboards-{name}")
    page.goto(page.base + reverse("reporting:overview_period", args=[period.year, period.quarter]))
    screenshot(page, "en-reporting-overview")
    page.goto(page.base + reverse("reviews:year", args=[2023]))
    screenshot(page, "en-annual-review-2023")
    factories.make_task(lead_unit=ward, code="NV-01", content="Chỉnh trang tuyến phố kinh doanh")
    households = factories.make_indicator(responsible_unit=ward, name="Số hộ kinh doanh", unit_of_measure="hộ")
    factories.make_indicator_value(indicator=households, period=period, value="4086")
    page.context.clear_cookies()
    page.goto(page.base + reverse("login"))
    page.click("footer button[value=en]")
    sign_in(page, ward_officer.username)
    page.goto(page.base + reverse("reporting:unit_report", args=[period.year, period.quarter, ward.code]))
    assert "Cut-off date" in page.locator("body").inner_text()
    screenshot(page, "en-unit-report")
    page.goto(page.base + reverse("spreadsheets:index"))
    screenshot(page, "en-excel")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base + reverse("reporting:unit_report", args=[period.year, period.quarter, ward.code]))
    screenshot(page, "en-unit-report-phone")
