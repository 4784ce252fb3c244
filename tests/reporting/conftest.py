"""What the ward (Phường Sông Cầu) must report in Quý III/2024: a task it leads, a task it
supports, a project it manages, an indicator typed as a number and one typed as a ratio."""

import datetime

import pytest
from django.urls import reverse

from indicators.models import ValueType
from tests import factories


@pytest.fixture
def led_task(ward):
    return factories.make_task(
        lead_unit=ward, code="NV-01", content="Chỉnh trang tuyến phố kinh doanh", deadline=datetime.date(2024, 12, 31)
    )


@pytest.fixture
def supported_task(ward, department):
    return factories.make_task(
        lead_unit=department, supporting=[ward], code="NV-02", content="Phát triển kinh tế đêm", is_recurring=True
    )


@pytest.fixture
def project(ward):
    return factories.make_project(
        managing_unit=ward, name="Trường mầm non Sông Cầu", total_investment=18_500_000_000, start_year=2024, end_year=2025
    )


@pytest.fixture
def households(ward):
    return factories.make_indicator(responsible_unit=ward, name="Số hộ kinh doanh", unit_of_measure="hộ")


@pytest.fixture
def online_rate(ward):
    return factories.make_indicator(
        responsible_unit=ward,
        name="Tỷ lệ hồ sơ trực tuyến",
        unit_of_measure="%",
        value_type=ValueType.RATIO,
        numerator_label="Số hồ sơ trực tuyến",
        denominator_label="Tổng số hồ sơ",
        decimal_places=2,
    )


@pytest.fixture
def obligations(led_task, supported_task, project, households, online_rate):
    return {"led": led_task, "supported": supported_task, "project": project, "households": households, "rate": online_rate}


def fill_everything(obligations, period, unit, actor=None):
    """Every row of the ward's report entered (as if typed), so it can be submitted."""
    factories.make_task_update(task=obligations["led"], period=period, unit=unit, actor=actor)
    factories.make_task_update(task=obligations["supported"], period=period, unit=unit, status="recurring", actor=actor)
    factories.make_project_update(project=obligations["project"], period=period, progress_percent=40, phase="construction")
    factories.make_indicator_value(indicator=obligations["households"], period=period, value="4086", actor=actor)
    factories.make_indicator_value(
        indicator=obligations["rate"], period=period, value="0", numerator=5837, denominator=10000, actor=actor
    )


@pytest.fixture
def filled(obligations, period, ward, ward_officer):
    fill_everything(obligations, period, ward, ward_officer)
    return obligations


def unit_url(name, unit, period, *extra):
    return reverse(f"reporting:{name}", args=[period.year, period.quarter, unit.code, *extra])


def signed_in(client, user):
    client.force_login(user)
    return client
