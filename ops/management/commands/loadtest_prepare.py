"""Prepare a database for the load test (loadtest/run.py): the city-scale synthetic data
set (dashboards/synthetic.py), the article's real data (so that the annual review has
something to print), and the load test's own accounts, written to a JSON file that the
Locust users read:

- officers, one per synthetic unit, each with the indicators their unit reports on in
  the running quarter (which has no figures yet: the last afternoon before the cut-off);
- leaders and the secretariat, each with a TOTP device whose key is in the file, so that
  the load test passes the two-factor log-in production requires.

Only for a database of its own: it refuses one that holds anything but this data.
"""

import json
import secrets
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role, User
from dashboards import synthetic
from indicators.models import Indicator, ValueType
from periods.models import ReportingPeriod
from portal import seed
from projects.models import Project
from units.models import OrganisationUnit

USERNAME_PREFIX = "lt."


class Command(BaseCommand):
    help = "Chuẩn bị cơ sở dữ liệu và tài khoản cho bài thử tải (chỉ dùng cho cơ sở dữ liệu riêng của bài thử tải)."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="Tệp JSON ghi tài khoản và các dòng số liệu cho Locust.")
        parser.add_argument("--officers", type=int, default=40, help="Số cán bộ nhập liệu (mỗi người một đơn vị).")
        parser.add_argument("--leaders", type=int, default=20, help="Số lãnh đạo xem bảng điều hành.")
        parser.add_argument("--secretariat", type=int, default=2, help="Số cán bộ văn phòng yêu cầu báo cáo năm (PDF).")
        parser.add_argument("--scale", choices=sorted(synthetic.SCALES), default="city")

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        if not synthetic.synthetic_data_present():
            if OrganisationUnit.objects.exists():
                raise CommandError(
                    f"Cơ sở dữ liệu “{connection.settings_dict['NAME']}” đã có dữ liệu: bài thử tải chỉ chạy trên cơ sở dữ liệu riêng."
                )
            seed.load_article_data()  # first: its fixture brings its own reporting periods
            self.stdout.write("Đang tạo bộ dữ liệu tổng hợp quy mô thành phố…")
            counts = synthetic.build(synthetic.SCALES[options["scale"]])
            self.stdout.write(", ".join(f"{count} {label}" for label, count in counts.items()))

        period = ReportingPeriod.objects.current()
        password = secrets.token_urlsafe(18)
        with transaction.atomic():
            User.objects.filter(username__startswith=USERNAME_PREFIX).delete()
            officers = self._officers(options["officers"], period, password)
            leaders = [self._with_device(f"lanhdao.{n:02}", Role.LEADER, password) for n in range(1, options["leaders"] + 1)]
            secretariat = [
                self._with_device(f"vanphong.{n:02}", Role.SECRETARIAT, password) for n in range(1, options["secretariat"] + 1)
            ]
        plan = {
            "period": {"year": period.year, "quarter": period.quarter, "label": period.label},
            "officers": officers,
            "leaders": leaders,
            "secretariat": secretariat,
            "dashboards": {
                "indicators": list(
                    Indicator.objects.filter(code__startswith="th-").order_by("code").values_list("code", flat=True)[:40]
                ),
                "projects": list(
                    Project.objects.filter(code__startswith="th-").order_by("code").values_list("code", flat=True)[:40]
                ),
                "units": list(
                    OrganisationUnit.objects.filter(code__startswith="th-").order_by("code").values_list("code", flat=True)
                ),
            },
            "review_years": [2023, period.year - 1],
        }
        Path(options["output"]).write_text(json.dumps(plan, ensure_ascii=False, indent=1))
        self.stdout.write(
            f"{len(officers)} cán bộ, {len(leaders)} lãnh đạo, {len(secretariat)} văn phòng; kỳ nhập liệu {period.label}."
        )

    def _officers(self, count, period, password) -> list[dict]:
        """One officer per unit that reports plain-number indicators this quarter."""
        officers = []
        units = OrganisationUnit.objects.filter(code__startswith="th-").order_by("code")
        for unit in units:
            indicators = list(
                Indicator.objects.filter(responsible_unit=unit, value_type=ValueType.NUMBER)
                .order_by("code")
                .values_list("pk", flat=True)[:8]
            )
            if len(indicators) < 2:
                continue
            user = self._user(f"canbo.{unit.code.removeprefix('th-')}", Role.OFFICER, password, unit=unit)
            officers.append({**user, "unit": unit.code, "indicators": indicators})
            if len(officers) == count:
                break
        if len(officers) < count:
            self.stdout.write(self.style.WARNING(f"Chỉ có {len(officers)} đơn vị có chỉ tiêu để nhập: {len(officers)} cán bộ."))
        return officers

    def _user(self, name, role, password, **extra) -> dict:
        username = f"{USERNAME_PREFIX}{name}"
        user = User(username=username, role=role, last_name=f"Thử tải {name}", **extra)
        user.set_password(password)
        user.save()
        self._last = user
        return {"username": username, "password": password}

    def _with_device(self, name, role, password) -> dict:
        account = self._user(name, role, password)
        device = TOTPDevice.objects.create(user=self._last, name="Thử tải", confirmed=True)
        return {**account, "totp_key": device.key}
