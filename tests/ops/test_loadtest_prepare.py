"""The load test's preparation (`manage.py loadtest_prepare`, run by loadtest/run.py):
synthetic data, the article's data, and accounts that can really sign in — officers
with rows they may save this quarter, leaders and the secretariat with TOTP keys whose
codes the devices accept."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from periods.models import ReportingPeriod
from reporting.selectors import obligations_for
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_preparation_writes_accounts_that_work(tmp_path):
    plan_file = tmp_path / "plan.json"
    call_command(
        "loadtest_prepare", output=str(plan_file), scale="small", officers=2, leaders=2, secretariat=1, stdout=io.StringIO()
    )
    plan = json.loads(plan_file.read_text())
    period = ReportingPeriod.objects.current()
    assert (plan["period"]["year"], plan["period"]["quarter"]) == (period.year, period.quarter)
    assert len(plan["officers"]) == 2 and len(plan["leaders"]) == 2 and len(plan["secretariat"]) == 1

    for officer in plan["officers"]:
        user = User.objects.get(username=officer["username"])
        assert user.check_password(officer["password"]) and user.unit.code == officer["unit"]
        reportable = {indicator.pk for indicator in obligations_for(user.unit, period).indicators}
        assert set(officer["indicators"]) <= reportable and len(officer["indicators"]) >= 2

    for account in plan["leaders"] + plan["secretariat"]:
        device = TOTPDevice.objects.get(user__username=account["username"], confirmed=True)
        code = totp(bytes.fromhex(account["totp_key"]), step=30, t0=0, digits=6)
        assert device.verify_token(f"{code:06d}")
    assert plan["dashboards"]["indicators"] and plan["dashboards"]["units"]
    assert 2023 in plan["review_years"]


def test_the_preparation_refuses_a_database_with_other_data(tmp_path, ward):
    factories.make_user(unit=ward)
    with pytest.raises(CommandError, match="đã có dữ liệu"):
        call_command("loadtest_prepare", output=str(tmp_path / "plan.json"), scale="small")
