"""Backup and restore of the whole portal: every row (as a Django fixture with natural
keys, so it loads into any empty installation, SQLite or PostgreSQL) and every stored
file under MEDIA_ROOT (the issued PDF reports), with a manifest of row counts and
SHA-256 checksums that the restore verifies."""

import hashlib
import io
import json
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

FORMAT_VERSION = 1
# Rebuilt by `migrate` (content types, permissions) or short-lived (sessions, lock-out
# counters): never carried over.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes.accessattempt"]


class BackupError(Exception):
    pass


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def backed_up_models():
    excluded_apps = {label for label in EXCLUDED if "." not in label}
    excluded_models = {label for label in EXCLUDED if "." in label}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label in excluded_apps or label in excluded_models or model._meta.proxy or not model._meta.managed:
            continue
        yield model


def row_counts() -> dict[str, int]:
    return {model._meta.label_lower: model._default_manager.count() for model in backed_up_models()}


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def backup_create(*, output: Path) -> dict:
    """Write a .tar.gz backup to `output` (through a temporary file moved into place).
    Returns the manifest."""
    with transaction.atomic():  # one consistent snapshot of every table
        data = io.StringIO()
        call_command(
            "dumpdata",
            natural_foreign=True,
            natural_primary=True,
            exclude=EXCLUDED,
            format="json",
            indent=None,
            stdout=data,
        )
        counts = row_counts()
    data_bytes = data.getvalue().encode()
    root = Path(settings.MEDIA_ROOT)
    files = {str(path.relative_to(root)): _sha256(path.read_bytes()) for path in media_files()}
    manifest = {
        "format": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "database_vendor": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        "rows": counts,
        "data_sha256": _sha256(data_bytes),
        "files": files,
    }
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=output.parent, suffix=".partial", delete=False) as handle:
        partial = Path(handle.name)
    try:
        with tarfile.open(partial, "w:gz") as archive:
            _add_bytes(archive, "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode())
            _add_bytes(archive, "data.json", data_bytes)
            for name in files:
                archive.add(root / name, arcname=f"media/{name}")
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)
    return manifest


def _add_bytes(archive, name, payload: bytes):
    info = tarfile.TarInfo(name)
    info.size = len(payload)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(payload))


def _installation_is_empty() -> bool:
    from accounts.models import User
    from units.models import OrganisationUnit

    return not OrganisationUnit.objects.exists() and not User.objects.exists()


def backup_restore(*, archive_path: Path) -> dict:
    """Restore a backup into an empty, migrated installation; verify every checksum and
    row count. Refuses a non-empty installation. Returns the manifest."""
    if not _installation_is_empty():
        raise BackupError("Cơ sở dữ liệu đích không trống: chỉ khôi phục vào một cài đặt mới (đã migrate, chưa có dữ liệu).")
    with tarfile.open(archive_path, "r:gz") as archive:
        manifest = json.loads(archive.extractfile("manifest.json").read())
        if manifest.get("format") != FORMAT_VERSION:
            raise BackupError(f"Định dạng bản sao lưu không được hỗ trợ: {manifest.get('format')}")
        data_bytes = archive.extractfile("data.json").read()
        if _sha256(data_bytes) != manifest["data_sha256"]:
            raise BackupError("Tệp dữ liệu trong bản sao lưu bị hỏng (sai mã kiểm tra).")
        payloads = {}
        for name, digest in manifest["files"].items():
            member = archive.getmember(f"media/{name}")
            if not member.isfile() or ".." in Path(name).parts or Path(name).is_absolute():
                raise BackupError(f"Tệp không hợp lệ trong bản sao lưu: {name}")
            payload = archive.extractfile(member).read()
            if _sha256(payload) != digest:
                raise BackupError(f"Tệp {name} bị hỏng (sai mã kiểm tra).")
            payloads[name] = payload
    with tempfile.TemporaryDirectory() as scratch:
        fixture = Path(scratch) / "data.json"
        fixture.write_bytes(data_bytes)
        with transaction.atomic():
            call_command("loaddata", str(fixture), verbosity=0)
            restored = row_counts()
            differing = {
                label: (count, restored.get(label)) for label, count in manifest["rows"].items() if restored.get(label) != count
            }
            if differing:
                raise BackupError(f"Số dòng sau khôi phục không khớp: {differing}")
    root = Path(settings.MEDIA_ROOT)
    for name, payload in payloads.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(payload)
    return manifest
