"""Benchmark: import N indicator values from an .xlsx file with full validation, by the
portal's set-wise path and by django-import-export's default row-by-row mode, and print
rows per second for each.

Both paths read the same file through the same safe reader and the same resource
columns and widgets, and both end in the same rules (lock, version, history):

- portal path: IndicatorValueResource as the portal uses it — one query loads every
  figure the file names, field validation and check constraints per row in Python,
  scope / lock / version checks against preloaded rows, then `bulk_write`;
- package default: the same resource with the package's per-row flow — a query to find
  each row's figure, `full_clean()` (field, unique and check constraints in the
  database), a savepoint per row and `ReportedFigure.save()` per row.

Everything runs in one transaction that is rolled back at the end: the database is left
as it was. The deferred foreign-key checks a commit would run are run inside each timed
import (SET CONSTRAINTS ALL IMMEDIATE). Run it on PostgreSQL:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bk_spreadsheets_bench \\
        .venv/bin/python manage.py benchmark_import --rows 10000
"""

import io
import os
import time
from contextlib import contextmanager
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import translation
from import_export import resources
from import_export.instance_loaders import ModelInstanceLoader
from openpyxl import Workbook

from accounts.models import Role, User
from backancity.numbers import format_decimal
from indicators.models import Indicator, IndicatorValue
from indicators.resources import IndicatorValueResource
from periods.models import ChangeSource, FigureChange, ReportingPeriod
from resolutions.models import Field
from spreadsheets.formats import XLSX
from spreadsheets.resources import VERSION_COLUMN, PortalResource
from units.models import OrganisationUnit, UnitKind

QUARTERS = 20  # 2010–2014: years no real data uses
HEADERS = ["Mã chỉ tiêu", "Kỳ báo cáo", "Giá trị", "Loại số liệu", "Nguồn số liệu", "Ghi chú", VERSION_COLUMN]


class RowByRowIndicatorValueResource(IndicatorValueResource):
    """The same columns, the package's default per-row import."""

    class Meta:
        use_bulk = False
        skip_diff = False
        store_instance = False
        instance_loader_class = ModelInstanceLoader

    skip_row = resources.Resource.skip_row
    validate_instance = PortalResource.validate_instance  # the package's full_clean()
    save_instance = resources.Resource.save_instance
    after_import = resources.ModelResource.after_import

    def import_instance(self, instance, row, **kwargs):
        try:
            resources.Resource.import_instance(self, instance, row, **kwargs)  # every field, every row
        finally:
            self.assign_unit(instance)
        if instance.pk is None:
            instance.version = 0  # save() numbers a new figure itself

    def do_instance_save(self, instance, is_create):
        instance.save(actor=self.user, source=ChangeSource.IMPORT)


class Command(BaseCommand):
    help = "Đo tốc độ nhập giá trị chỉ tiêu từ tệp .xlsx (đường đi theo tập của cổng và chế độ mặc định từng dòng của gói)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=10_000, help="số giá trị chỉ tiêu trong tệp (mặc định 10.000)")
        parser.add_argument(
            "--baseline-rows", type=int, default=None, help="số dòng cho chế độ từng dòng của gói (mặc định bằng --rows)"
        )

    def handle(self, *args, rows, baseline_rows, **options):
        translation.activate("vi")
        baseline_rows = baseline_rows or rows
        self.stdout.write(
            f"Cơ sở dữ liệu: {connection.vendor} · {format_decimal(rows)} giá trị chỉ tiêu "
            f"({format_decimal(rows // QUARTERS)} chỉ tiêu × {QUARTERS} quý)"
        )
        with transaction.atomic():
            user = self._setup(rows)
            create_file = self._file(rows, lambda n: n * 7 + 0.25, versions=False)
            started = time.perf_counter()
            XLSX().create_dataset(create_file)
            parse = time.perf_counter() - started
            self.stdout.write(
                f"Tệp .xlsx: {format_decimal(round(len(create_file) / 1024))} KB; kiểm tra và đọc tệp riêng: {parse:.2f} s "
                "(tính cả vào mỗi lần đo bên dưới)"
            )
            measured = []

            start = transaction.savepoint()
            measured.append(self._run("Cổng (theo tập) — tạo mới", IndicatorValueResource, user, create_file, rows, "new"))
            update_file = self._file(rows, lambda n: n * 7 + 1.5, versions=True)
            measured.append(self._run("Cổng (theo tập) — cập nhật", IndicatorValueResource, user, update_file, rows, "update"))
            transaction.savepoint_rollback(start)

            baseline_create = create_file if baseline_rows == rows else self._file(baseline_rows, lambda n: n * 7 + 0.25, False)
            measured.append(
                self._run("Gói, từng dòng — tạo mới", RowByRowIndicatorValueResource, user, baseline_create, baseline_rows, "new")
            )
            baseline_update = self._file(baseline_rows, lambda n: n * 7 + 1.5, versions=True)
            measured.append(
                self._run(
                    "Gói, từng dòng — cập nhật", RowByRowIndicatorValueResource, user, baseline_update, baseline_rows, "update"
                )
            )
            transaction.set_rollback(True)

        self.stdout.write("")
        self.stdout.write(f"{'Đường đi':<30} {'dòng':>7} {'giây':>7} {'dòng/giây':>10} {'truy vấn':>9} {'CPU Python (s)':>15}")
        for label, count, seconds, queries, cpu in measured:
            self.stdout.write(
                f"{label:<30} {count:>7} {seconds:>7.2f} {format_decimal(round(count / seconds)):>10} "
                f"{format_decimal(queries):>9} {cpu:>15.2f}"
            )
        load = ", ".join(f"{value:.1f}".replace(".", ",") for value in os.getloadavg())
        self.stdout.write(f"Tải máy (load average 1/5/15 phút): {load} trên {os.cpu_count()} lõi.")
        portal = measured[0][1] / measured[0][2]
        package = measured[2][1] / measured[2][2]
        self.stdout.write(
            f"Tạo mới: đường đi của cổng nhanh gấp {format_decimal(Decimal(portal / package).quantize(Decimal('0.1')))} lần."
        )

    # -- data -----------------------------------------------------------------------------
    def _setup(self, rows):
        unit = OrganisationUnit.objects.create(code="bench-unit", name="Đơn vị đo tốc độ", kind=UnitKind.DEPARTMENT)
        field = Field.objects.create(code="bench-field", name="Lĩnh vực đo tốc độ")
        user = User.objects.create(username="bench-officer", role=Role.OFFICER, unit=unit)
        Indicator.objects.bulk_create(
            Indicator(code=f"bench-{n:05d}", name=f"Chỉ tiêu đo {n}", unit_of_measure="hộ", responsible_unit=unit, field=field)
            for n in range(rows // QUARTERS)
        )
        self.periods = [ReportingPeriod.ensure(2010 + q // 4, q % 4 + 1) for q in range(QUARTERS)]
        return user

    def _file(self, rows, value_of, versions: bool) -> bytes:
        """An .xlsx like a clerk's: real numeric cells, and every tenth number typed as
        Vietnamese text ("1.234,5")."""
        current = {}
        if versions:
            current = {
                (code, period_id): version
                for code, period_id, version in IndicatorValue.objects.filter(indicator__code__startswith="bench-").values_list(
                    "indicator__code", "period_id", "version"
                )
            }
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Chỉ tiêu")
        sheet.append(HEADERS)
        for n in range(rows):
            code, period = f"bench-{n // QUARTERS:05d}", self.periods[n % QUARTERS]
            value = value_of(n)
            cell = format_decimal(value) if n % 10 == 0 else value
            sheet.append([code, period.label, cell, "Ước thực hiện", "Số liệu đo tốc độ", "", current.get((code, period.pk))])
        stream = io.BytesIO()
        workbook.save(stream)
        return stream.getvalue()

    # -- measuring ------------------------------------------------------------------------------
    @contextmanager
    def _count_queries(self):
        counter = [0]

        def count(execute, sql, params, many, context):
            counter[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            yield counter

    def _run(self, label, resource_class, user, content, rows, expected):
        with self._count_queries() as queries:
            started, cpu = time.perf_counter(), time.process_time()
            dataset = XLSX().create_dataset(content)
            result = resource_class(user=user).import_data(dataset, user=user)
            if connection.vendor == "postgresql":
                # The deferred foreign-key checks (of the figures and of their history
                # rows) run now, as the commit of a real import runs them: the benchmark
                # rolls back, and a rollback would skip them.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        problems = [str(e.error) for e in result.base_errors] + [str(r.error_dict) for r in result.invalid_rows[:3]]
        if problems or result.totals[expected] != rows:
            raise RuntimeError(f"{label}: {result.totals} {problems}")
        changes = FigureChange.objects.filter(source=ChangeSource.IMPORT, changed_by=user).count()
        self.stdout.write(f"  {label}: {format_decimal(rows)} dòng, {seconds:.2f} s (lịch sử: {format_decimal(changes)} dòng)")
        return label, rows, seconds, queries[0], cpu
