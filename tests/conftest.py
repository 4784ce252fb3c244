import os
import shutil

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
    them (REQUIRE_BROWSER_TESTS / REQUIRE_WORKER_TESTS): then a missing tool fails."""
    has_chromium = shutil.which("chromium") or os.path.exists("/usr/bin/chromium")
    has_broker = bool(os.environ.get("CELERY_BROKER_URL"))
    for item in items:
        if "browser" in item.keywords and not has_chromium and not _required("REQUIRE_BROWSER_TESTS"):
            item.add_marker(pytest.mark.skip(reason="Chromium không có trên máy (apt-get install chromium)"))
        if "worker" in item.keywords and not has_broker and not _required("REQUIRE_WORKER_TESTS"):
            item.add_marker(pytest.mark.skip(reason="Không có CELERY_BROKER_URL: bỏ qua kiểm thử worker thật"))
