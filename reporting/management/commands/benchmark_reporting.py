"""Measure the reporting pages on data of growing size and print the figures: for each
size, the unit's page (as its officer), a row save (htmx) and the leaders' overview —
queries per request and the median time of several requests. Everything it creates is
rolled back at the end; the database is left as it was."""

import statistics
import time
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import connection, reset_queries, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role, User
from indicators.models import Indicator, IndicatorValue
from periods.models import ChangeSource, ReportingPeriod, ReportStatus, UnitReport
from projects.models import Project, ProjectUpdate
from resolutions.models import ActionProgramme, Field, Resolution, Task, TaskUpdate
from units.models import OrganisationUnit, UnitKind


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Đo số truy vấn và thời gian của các trang báo cáo quý với dữ liệu lớn dần (không để lại dữ liệu)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", default="3,30,100", help="số mục mỗi loại của một đơn vị, cách nhau bởi dấu phẩy")
        parser.add_argument("--units", default="5,50", help="số đơn vị trên trang tổng hợp, cách nhau bởi dấu phẩy")
        parser.add_argument("--repeat", type=int, default=5, help="số lần đo mỗi trang")

    def handle(self, *args, rows, units, repeat, **options):
        self.repeat = repeat
        self.stdout.write(f"Cơ sở dữ liệu: {connection.vendor}; mỗi phép đo lấy trung vị của {repeat} lần.")
        try:
            with override_settings(ALLOWED_HOSTS=["*"]), transaction.atomic():
                self._setup()
                self.stdout.write("\nTrang báo cáo của đơn vị (cán bộ), lưu một dòng (htmx)")
                self.stdout.write(
                    f"{'mục/loại':>9} {'tổng mục':>9} {'truy vấn':>9} {'ms':>8} {'lưu: truy vấn':>14} {'lưu: ms':>8}"
                )
                for size in [int(x) for x in rows.split(",")]:
                    self._unit_page(size)
                self.stdout.write("\nTrang tổng hợp tình hình báo cáo (lãnh đạo)")
                self.stdout.write(f"{'đơn vị':>9} {'truy vấn':>9} {'ms':>8}")
                for count in [int(x) for x in units.split(",")]:
                    self._overview(count)
                raise Rollback
        except Rollback:
            self.stdout.write("\nĐã hoàn tác toàn bộ dữ liệu đo.")

    def _setup(self):
        self.period = ReportingPeriod.ensure(2099, 3)
        self.previous = ReportingPeriod.ensure(2099, 2)
        resolution = Resolution.objects.create(
            number="BM-NQ", title="Đo", issuer="Đo", issued_on="2099-01-01", horizon_year=2099, vision_year=2099
        )
        self.programme = ActionProgramme.objects.create(
            number="BM-CTr", title="Đo", issuer="Đo", issued_on="2099-01-02", resolution=resolution
        )
        self.field = Field.objects.create(code="bm-field", name="Lĩnh vực đo")
        self.leader = User.objects.create(username="bm-leader", role=Role.LEADER)
        self.serial = 0

    def _unit(self):
        self.serial += 1
        unit = OrganisationUnit.objects.create(code=f"bm-unit-{self.serial}", name=f"Đơn vị đo {self.serial}", kind=UnitKind.WARD)
        officer = User.objects.create(username=f"bm-officer-{self.serial}", role=Role.OFFICER, unit=unit)
        return unit, officer

    def _fill(self, unit, officer, size):
        """`size` tasks, projects and indicators, each with a figure this period and last."""
        first = None
        for n in range(size):
            task = Task.objects.create(
                programme=self.programme, code=f"BM-{unit.pk}-{n}", field=self.field, content="x", lead_unit=unit
            )
            project = Project.objects.create(code=f"bm-{unit.pk}-{n}", name=f"Dự án {n}", category="other", managing_unit=unit)
            indicator = Indicator.objects.create(
                code=f"bm-{unit.pk}-{n}", name=f"Chỉ tiêu {n}", unit_of_measure="hộ", responsible_unit=unit, field=self.field
            )
            first = first or indicator
            for period in (self.previous, self.period):
                save = {"actor": officer, "source": ChangeSource.SEED}
                TaskUpdate(task=task, period=period, unit=unit, status="in_progress", narrative="x").save(**save)
                ProjectUpdate(project=project, period=period, unit=unit, progress_percent=Decimal(10)).save(**save)
                IndicatorValue(indicator=indicator, period=period, unit=unit, value=Decimal(n)).save(**save)
        return first

    def _measure(self, client, method, url, data=None, **extra):
        timings, queries = [], None
        for _ in range(self.repeat):
            reset_queries()  # with DEBUG on, building the data filled Django's query log
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = getattr(client, method)(url, data or {}, **extra)
                timings.append((time.perf_counter() - started) * 1000)
            if response.status_code not in (200, 302):
                raise RuntimeError(f"{url}: {response.status_code}")
            queries = len(captured.captured_queries)
        return queries, statistics.median(timings)

    def _unit_page(self, size):
        unit, officer = self._unit()
        indicator = self._fill(unit, officer, size)
        client = Client()
        client.force_login(officer)
        page = reverse("reporting:unit_report", args=[self.period.year, self.period.quarter, unit.code])
        queries, ms = self._measure(client, "get", page)
        save_url = reverse(
            "reporting:row_save", args=[self.period.year, self.period.quarter, unit.code, "chi-tieu", indicator.pk]
        )
        prefix = f"chi-tieu-{indicator.pk}"
        save_timings, save_queries = [], None
        for attempt in range(self.repeat):
            version = IndicatorValue.objects.get(indicator=indicator, period=self.period).version
            data = {f"{prefix}-value": str(1000 + attempt), f"{prefix}-kind": "estimate", f"{prefix}-version": str(version)}
            save_queries, ms_save = self._measure_once(client, save_url, data)
            save_timings.append(ms_save)
        self.stdout.write(
            f"{size:>9} {3 * size:>9} {queries:>9} {ms:>8.1f} {save_queries:>14} {statistics.median(save_timings):>8.1f}"
        )

    def _measure_once(self, client, url, data):
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.post(url, data, HTTP_HX_REQUEST="true")
            ms = (time.perf_counter() - started) * 1000
        if "Đã lưu" not in response.content.decode():
            raise RuntimeError("lưu không thành công")
        return len(captured.captured_queries), ms

    def _overview(self, count):
        for _ in range(count):
            unit, officer = self._unit()
            self._fill(unit, officer, 2)
            UnitReport.objects.create(unit=unit, period=self.period, status=ReportStatus.DRAFT)
        client = Client()
        client.force_login(self.leader)
        url = reverse("reporting:overview_period", args=[self.period.year, self.period.quarter])
        queries, ms = self._measure(client, "get", url)
        total = OrganisationUnit.objects.filter(code__startswith="bm-unit-").count()
        self.stdout.write(f"{total:>9} {queries:>9} {ms:>8.1f}")
