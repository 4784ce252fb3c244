"""Measure the dashboards at city scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bk_dashboards_bench \\
        .venv/bin/python manage.py benchmark_dashboards

Builds the synthetic data set (dashboards/synthetic.py) into the configured database
unless it is there already, then, for each dashboard page, prints the server time (median
of several requests through Django's test client: middleware, session, permission
checks, queries, template) next to the time of the bare SQL the page ran (the same
statements replayed on a cursor) and the number of queries.

It refuses a database that holds anything else (real data must not be mixed with
synthetic figures) unless --allow-existing-data is given.
"""

import os
import statistics
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from dashboards import synthetic
from indicators.models import Indicator
from projects.models import Project
from resolutions.models import Task
from units.models import OrganisationUnit


class Command(BaseCommand):
    help = "Tạo bộ dữ liệu tổng hợp quy mô thành phố và đo thời gian máy chủ của từng trang bảng điều hành."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=7, help="Số lần đo mỗi trang (lấy trung vị). Mặc định 7.")
        parser.add_argument(
            "--allow-existing-data",
            action="store_true",
            help="Cho phép thêm dữ liệu tổng hợp vào cơ sở dữ liệu đang có dữ liệu khác (không khuyến nghị).",
        )
        parser.add_argument("--build-only", action="store_true", help="Chỉ tạo dữ liệu, không đo.")
        parser.add_argument(
            "--scale",
            choices=sorted(synthetic.SCALES),
            default="city",
            help="Quy mô dữ liệu: city (40 đơn vị, 600 nhiệm vụ, 300 dự án, 200 chỉ tiêu, 12 năm; mặc định) "
            "hoặc small (vài dòng mỗi loại, để kiểm thử).",
        )

    def handle(self, *args, **options):
        translation.activate("vi")
        runs = max(1, options["runs"])
        vendor = connection.vendor
        name = settings.DATABASES["default"]["NAME"]
        self.stdout.write(f"Cơ sở dữ liệu: {vendor} · {name}")
        if settings.DEBUG:
            self.stdout.write(self.style.WARNING("DEBUG đang bật: số đo sẽ chậm hơn thực tế (Django ghi lại mọi truy vấn)."))

        fresh = "django_migrations" not in connection.introspection.table_names()
        if not fresh:
            foreign = synthetic.foreign_data_present()
            if foreign and not options["allow_existing_data"]:
                found = ", ".join(f"{count} {label}" for label, count in foreign.items())
                raise CommandError(
                    f"Cơ sở dữ liệu “{name}” đang có dữ liệu không phải dữ liệu tổng hợp ({found}). "
                    "Hãy trỏ DATABASE_URL tới một cơ sở dữ liệu riêng để đo (ví dụ …/bk_dashboards_bench), "
                    "hoặc thêm --allow-existing-data nếu chắc chắn muốn trộn dữ liệu tổng hợp vào."
                )
        call_command("migrate", interactive=False, verbosity=0)

        if synthetic.synthetic_data_present():
            self.stdout.write("Bộ dữ liệu tổng hợp đã có sẵn, dùng lại.")
        else:
            self.stdout.write("Đang tạo bộ dữ liệu tổng hợp quy mô thành phố…")
            started = time.perf_counter()
            counts = synthetic.build(synthetic.SCALES[options["scale"]])
            self.stdout.write(f"Đã tạo trong {time.perf_counter() - started:.0f} giây:")
            for label, count in counts.items():
                self.stdout.write(f"  {label}: {count:,}".replace(",", "."))
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        if options["build_only"]:
            return
        self._measure(runs)

    def _pages(self):
        unit = OrganisationUnit.objects.filter(code__startswith="th-").order_by("code").first()
        indicator = Indicator.objects.filter(code__startswith="th-").order_by("code").first()
        project = Project.objects.filter(code__startswith="th-", is_key=True).order_by("code").first()
        task = Task.objects.filter(code__startswith="TH-").order_by("code").first()
        return [
            ("Tổng quan", reverse("dashboards:overview")),
            ("Chỉ tiêu", reverse("dashboards:indicators")),
            ("Chỉ tiêu — chi tiết", reverse("dashboards:indicator_detail", args=[indicator.code])),
            ("Dự án", reverse("dashboards:projects")),
            ("Dự án — chi tiết", reverse("dashboards:project_detail", args=[project.code])),
            ("Nhiệm vụ", reverse("dashboards:tasks")),
            ("Nhiệm vụ — quá hạn", reverse("dashboards:tasks") + "?phan_loai=overdue"),
            ("Nhiệm vụ — chi tiết", reverse("dashboards:task_detail", args=[task.pk])),
            ("Đơn vị", reverse("dashboards:units")),
            ("Đơn vị — chi tiết", reverse("dashboards:unit_detail", args=[unit.code])),
            ("Tổng quan — năm trước, một lĩnh vực", reverse("dashboards:overview") + "?nam=2025&linh_vuc=th-linh-vuc-01"),
        ]

    def _measure(self, runs):
        leader = User.objects.get(username=synthetic.LEADER_USERNAME)
        load_before = os.getloadavg()[0]
        rows = []
        with override_settings(ALLOWED_HOSTS=["testserver", *settings.ALLOWED_HOSTS]):
            client = Client()
            client.force_login(leader)
            for label, url in self._pages():
                response = client.get(url)  # warm-up: template compilation, caches
                if response.status_code != 200:
                    raise CommandError(f"{url} trả về mã {response.status_code}.")
                statements = self._statements(client, url)
                server, cpu = [], []
                for _ in range(runs):
                    started, started_cpu = time.perf_counter(), time.process_time()
                    client.get(url)
                    server.append((time.perf_counter() - started) * 1000)
                    cpu.append((time.process_time() - started_cpu) * 1000)
                sql = [self._replay(statements) for _ in range(runs)]
                rows.append(
                    (
                        label,
                        url,
                        len(statements),
                        statistics.median(server),
                        statistics.median(sql),
                        min(server),
                        statistics.median(cpu),
                    )
                )

        self.stdout.write("")
        self.stdout.write(
            f"Trung vị của {runs} lần đo mỗi trang (ms). SQL thuần: chạy lại đúng các câu lệnh của trang trên con trỏ."
        )
        self.stdout.write(
            f"Tải máy (load average 1 phút) lúc bắt đầu / kết thúc đo: {load_before:.2f} / {os.getloadavg()[0]:.2f}"
            f" trên {os.cpu_count()} lõi (máy dùng chung: tải cao làm số đo chậm đi)."
        )
        header = f"{'Trang':<38}{'Truy vấn':>9}{'Máy chủ':>10}{'SQL thuần':>11}{'Còn lại':>9}{'Nhanh nhất':>12}{'CPU Django':>12}"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for label, _url, queries, server, sql, fastest, cpu in rows:
            flag = "" if server < 150 else "  ← quá 150 ms"
            line = f"{label:<38}{queries:>9}{server:>10.1f}{sql:>11.1f}{server - sql:>9.1f}{fastest:>12.1f}{cpu:>12.1f}{flag}"
            self.stdout.write(line.replace(".", ","))
        self.stdout.write("")
        self.stdout.write("Còn lại = máy chủ − SQL thuần: Python (phân loại, tính toán), dựng mẫu trang, middleware.")
        self.stdout.write(
            "CPU Django: thời gian CPU của tiến trình Django cho một yêu cầu (trung vị), không tính thời gian chờ "
            "cơ sở dữ liệu và chờ đến lượt CPU khi máy bận; CPU Django + SQL thuần ≈ thời gian trang khi máy rảnh."
        )
        self.stdout.write("Địa chỉ đã đo:")
        for label, url, *_rest in rows:
            self.stdout.write(f"  {label}: {url}")

    @staticmethod
    def _statements(client, url) -> list:
        """The SQL statements (with their parameters) one request runs."""
        statements = []

        def record(execute, sql, params, many, context):
            statements.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            client.get(url)
        return statements

    @staticmethod
    def _replay(statements) -> float:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                if cursor.description is not None:
                    cursor.fetchall()
        return (time.perf_counter() - started) * 1000
