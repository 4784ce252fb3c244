from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from ops.backup import backup_create


class Command(BaseCommand):
    help = "Sao lưu toàn bộ dữ liệu và các tệp đã lưu (báo cáo PDF) vào một tệp .tar.gz."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="Tệp đích (mặc định: var/backups/backancity-<thời điểm>.tar.gz)")

    def handle(self, *args, output=None, **options):
        output = output or Path("var/backups") / f"backancity-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"
        manifest = backup_create(output=output)
        rows = sum(manifest["rows"].values())
        self.stdout.write(self.style.SUCCESS(f"Đã sao lưu {rows} dòng dữ liệu và {len(manifest['files'])} tệp vào {output}"))
