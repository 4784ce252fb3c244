import statistics
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone, translation

from backancity.numbers import format_decimal
from reviews.compose import IssueDetails, compose_review
from reviews.rendering import render_pdf
from reviews.synthetic import Scale, build_synthetic_year


class _RollBack(Exception):
    pass


class _QueryCounter:
    """Counts queries without Django's debug log (capped, and absent with DEBUG off)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class Command(BaseCommand):
    help = (
        "Đo thời gian tổng hợp và dựng PDF báo cáo năm: năm 2023 với dữ liệu thật, và một năm giả lập quy mô "
        "thành phố. Dữ liệu giả lập được tạo trong một giao dịch rồi hủy bỏ: cơ sở dữ liệu không thay đổi."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=3, help="Số lần đo mỗi trường hợp (lấy trung vị).")
        parser.add_argument("--units", type=int, default=Scale.units)
        parser.add_argument("--tasks", type=int, default=Scale.tasks)
        parser.add_argument("--projects", type=int, default=Scale.projects)
        parser.add_argument("--indicators", type=int, default=Scale.indicators)
        parser.add_argument(
            "--synthetic-year", type=int, default=2015, help="Năm dùng cho dữ liệu giả lập (một năm không có dữ liệu thật)."
        )

    def handle(self, *args, **options):
        translation.activate("vi")
        repeat = max(1, options["repeat"])
        scale = Scale(
            units=options["units"], tasks=options["tasks"], projects=options["projects"], indicators=options["indicators"]
        )
        self.stdout.write(f"Cơ sở dữ liệu: {connection.vendor}; lặp {repeat} lần, lấy trung vị.")
        try:
            with transaction.atomic():
                from portal import seed

                if not seed.article_data_loaded():
                    seed.load_article_data()
                self._measure("Năm 2023 (dữ liệu thật)", 2023, repeat)
                started = time.perf_counter()
                counts = build_synthetic_year(options["synthetic_year"], scale)
                built = time.perf_counter() - started
                self.stdout.write(
                    f"\nDữ liệu giả lập năm {options['synthetic_year']} (tạo trong {built:.1f} s, sẽ hủy): "
                    + ", ".join(f"{name} {format_decimal(n)}" for name, n in counts.items())
                )
                self._measure(f"Năm {options['synthetic_year']} (giả lập quy mô thành phố)", options["synthetic_year"], repeat)
                raise _RollBack
        except _RollBack:
            self.stdout.write("\nĐã hủy dữ liệu giả lập (rollback).")

    def _measure(self, title: str, year: int, repeat: int):
        details = IssueDetails(report_date=timezone.localdate(), number="1")
        rows = []
        for _ in range(repeat):
            queries = _QueryCounter()
            with connection.execute_wrapper(queries):
                started = time.perf_counter()
                content = compose_review(year, details=details)
                composed = time.perf_counter() - started
            with tempfile.TemporaryDirectory() as directory:
                result = render_pdf(content, Path(directory) / "benchmark.pdf")
            rows.append((composed, result, queries.count))
        compose = statistics.median(r[0] for r in rows)
        template = statistics.median(r[1].template_seconds for r in rows)
        layout = statistics.median(r[1].layout_seconds for r in rows)
        write = statistics.median(r[1].write_seconds for r in rows)
        total = compose + template + layout + write
        result = rows[-1][1]
        self.stdout.write(
            f"\n{title}: {result.pages} trang, {format_decimal(result.size)} byte, {rows[-1][2]} truy vấn khi tổng hợp"
        )
        self.stdout.write(f"  tổng hợp nội dung (truy vấn + câu chữ) {compose * 1000:9.0f} ms")
        self.stdout.write(f"  mẫu HTML + biểu đồ SVG                {template * 1000:9.0f} ms")
        self.stdout.write(f"  WeasyPrint: dàn trang                 {layout * 1000:9.0f} ms")
        self.stdout.write(f"  WeasyPrint: ghi PDF                   {write * 1000:9.0f} ms")
        self.stdout.write(f"  tổng                                  {total * 1000:9.0f} ms")
        self.stdout.write(f"  phần của WeasyPrint                   {100 * (layout + write) / total:8.1f} %")
        if settings.DEBUG:
            self.stdout.write(self.style.WARNING("  (DEBUG=1: Django ghi lại mọi truy vấn, số đo chậm hơn thực tế)"))
