import os
import shutil
from pathlib import Path

import pytest
from django.utils import translation

from accounts.models import Role
from portal import seed
from units.models import UnitKind

from . import factories


@pytest.fixture(autouse=True)
def vietnamese():
    """Code outside a request (models' messages, services) runs in Vietnamese, as the
    portal's tasks and commands do."""
    with translation.override("vi"):
        yield


@pytest.fixture
def ward():
    return factories.make_unit(name="Phường Sông Cầu", kind=UnitKind.WARD, code="phuong-song-cau-test")


@pytest.fixture
def other_ward():
    return factories.make_unit(name="Phường Đức Xuân", kind=UnitKind.WARD, code="phuong-duc-xuan-test")


@pytest.fixture
def department():
    return factories.make_unit(name="Phòng Kinh tế", kind=UnitKind.DEPARTMENT, code="phong-kinh-te-test")


@pytest.fixture
def ward_officer(ward):
    return factories.make_user(role=Role.OFFICER, unit=ward, username="canbo.phuong", last_name="Cán bộ phường")


@pytest.fixture
def other_ward_officer(other_ward):
    return factories.make_user(role=Role.OFFICER, unit=other_ward, username="canbo.phuongkhac", last_name="Cán bộ phường khác")


@pytest.fixture
def department_officer(department):
    return factories.make_user(role=Role.OFFICER, unit=department, username="canbo.phong", last_name="Cán bộ phòng")


@pytest.fixture
def leader():
    return factories.make_user(role=Role.LEADER, username="lanhdao", last_name="Lãnh đạo")


@pytest.fixture
def secretariat():
    return factories.make_user(
        role=Role.SECRETARIAT, username="vanphong", last_name="Văn phòng", is_staff=True, is_superuser=True
    )


@pytest.fixture
def period():
    return factories.make_period(2024, 3)


@pytest.fixture
def article_data(db):
    """The real data of the source article, as `make run` loads it."""
    seed.load_article_data()


def _required(variable: str) -> bool:
    return os.environ.get(variable, "") not in ("", "0")


def pytest_collection_modifyitems(config, items):
    """Browser and worker tests skip where their tools are missing, unless CI demands
    them (REQUIRE_BROWSER_TESTS / REQUIRE_WORKER_TESTS / REQUIRE_GETTEXT_TESTS): then a
    missing tool fails."""
    has_chromium = shutil.which("chromium") or os.path.exists("/usr/bin/chromium")
    has_broker = bool(os.environ.get("CELERY_BROKER_URL"))
    has_gettext = bool(shutil.which("xgettext"))
    for item in items:
        if "gettext" in item.keywords and not has_gettext and not _required("REQUIRE_GETTEXT_TESTS"):
            item.add_marker(pytest.mark.skip(reason="Không có xgettext (apt-get install gettext)"))
        if "browser" in item.keywords and not has_chromium and not _required("REQUIRE_BROWSER_TESTS"):
            item.add_marker(pytest.mark.skip(reason="Chromium không có trên máy (apt-get install chromium)"))
        if "worker" in item.keywords and not has_broker and not _required("REQUIRE_WORKER_TESTS"):
            item.add_marker(pytest.mark.skip(reason="Không có CELERY_BROKER_URL: bỏ qua kiểm thử worker thật"))


# --- Browser tests -----------------------------------------------------------------------
# Playwright drives Debian's Chromium (never a downloaded browser). Screenshots go to
# test-artifacts/screenshots/ so a person can look at them after the run.

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def chromium():
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium, live_server):
    """A fresh browser context (its own cookies) on the live test server, Vietnamese
    locale; `page.base` is the server's address."""
    context = chromium.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base = live_server.url
    # Anything the Content Security Policy blocked (an inline script or style, eval)
    # would silently break a page in production: fail the test instead.
    violations = []
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.log('Content Security Policy violated: '"
        " + e.violatedDirective + ' by ' + (e.target && e.target.outerHTML ? e.target.outerHTML.slice(0, 200) : e.target)))"
    )
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    yield page
    context.close()
    assert not violations, f"CSP violations: {violations}"


def sign_in(page, username: str, password: str = factories.PASSWORD):
    page.goto(f"{page.base}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def screenshot(page, name: str, *, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
