from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Khôi phục một bản sao lưu vào cài đặt mới (đã migrate, chưa có dữ liệu); kiểm tra số dòng và mã kiểm tra của từng tệp."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive, **options):
        try:
            manifest = backup_restore(archive_path=archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["rows"].values())
        self.stdout.write(
            self.style.SUCCESS(f"Đã khôi phục {rows} dòng dữ liệu và {len(manifest['files'])} tệp; mọi mã kiểm tra khớp.")
        )
