from django.core.management.base import BaseCommand
from django.utils import translation

from periods.services import periods_ensure_through
from portal import demo, seed


class Command(BaseCommand):
    help = "Nạp dữ liệu thật từ bài viết nguồn, tạo các kỳ báo cáo và (tùy chọn) dữ liệu minh họa cùng tài khoản thử. Chạy lại an toàn."

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="Nạp thêm bộ dữ liệu minh họa và tài khoản thử.")

    def handle(self, *args, **options):
        translation.activate("vi")
        if seed.load_article_data():
            self.stdout.write(self.style.SUCCESS("Đã nạp dữ liệu thật từ bài viết nguồn (fixtures/article_2023.json)."))
        else:
            self.stdout.write("Dữ liệu thật đã có sẵn, không nạp lại.")
        created = periods_ensure_through()
        self.stdout.write(f"Kỳ báo cáo: tạo mới {created}.")
        if not options["demo"]:
            return
        if demo.load_demo_data():
            self.stdout.write(self.style.WARNING("Đã nạp bộ dữ liệu MINH HỌA (không phải số liệu thật)."))
        else:
            self.stdout.write("Dữ liệu minh họa đã có sẵn, không nạp lại.")
        rows = demo.ensure_demo_accounts()
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Tài khoản thử (chỉ dùng trên máy phát triển):"))
        width = max(len(row[0]) for row in rows)
        for username, password, role, unit in rows:
            self.stdout.write(f"  {username.ljust(width)}  mật khẩu: {password}  ·  {role} · {unit}")
        self.stdout.write("")
