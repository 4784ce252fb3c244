import datetime
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from backancity.numbers import format_decimal
from reviews.compose import IssueDetails, compose_review, content_sha256
from reviews.rendering import render_pdf


def _date(text: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError as exc:
        raise CommandError(f"Ngày “{text}” không hợp lệ: nhập theo dạng dd/mm/yyyy, ví dụ 20/12/2023.") from exc


class Command(BaseCommand):
    help = (
        "Dựng báo cáo năm thực hiện nghị quyết ra tệp PDF, bằng đúng mã của công việc nền "
        "(tổng hợp + dựng PDF) nhưng chạy trực tiếp, không qua Celery."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="Năm báo cáo, ví dụ 2023.")
        parser.add_argument("--output", required=True, help="Tệp PDF cần ghi, ví dụ review-2023.pdf.")
        parser.add_argument("--number", default="", help="Số văn bản (phần trước “-BC/TU”); để trống nếu chưa có số.")
        parser.add_argument("--date", default="", help="Ngày báo cáo dd/mm/yyyy; mặc định hôm nay.")
        parser.add_argument("--signer-position", default="", help="Chức vụ người ký, ví dụ “Bí thư”.")
        parser.add_argument("--signer-name", default="", help="Họ tên người ký.")

    def handle(self, *args, **options):
        translation.activate("vi")
        year = options["year"]
        today = timezone.localdate()
        if not settings.PORTAL_FIRST_YEAR <= year <= today.year:
            raise CommandError(f"Năm phải từ {settings.PORTAL_FIRST_YEAR} đến {today.year}.")
        details = IssueDetails(
            report_date=_date(options["date"]) if options["date"] else today,
            number=options["number"],
            signer_position=options["signer_position"],
            signer_name=options["signer_name"],
        )
        started = time.perf_counter()
        content = compose_review(year, details=details)
        composed = time.perf_counter() - started
        output = Path(options["output"]).resolve()
        result = render_pdf(content, output)
        self.stdout.write(self.style.SUCCESS(f"Đã ghi {output}: {result.pages} trang, {format_decimal(result.size)} byte."))
        self.stdout.write(f"SHA-256 tệp: {result.sha256}")
        self.stdout.write(f"Mã băm nội dung: {content_sha256(content)}")
        self.stdout.write(
            f"Tổng hợp {composed:.2f} s; dựng PDF {result.template_seconds + result.weasyprint_seconds:.2f} s "
            f"(WeasyPrint {result.weasyprint_seconds:.2f} s)."
        )
