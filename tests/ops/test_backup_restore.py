"""A backup restored into an empty installation has every row and every file back, with
matching checksums."""

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from audit.models import AuditEvent
from indicators.models import IndicatorValue
from ops.backup import backup_create, row_counts
from periods.models import FigureChange
from portal import demo, seed

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_backup_restores_every_row_and_file_into_an_empty_installation(tmp_path, ward_officer):
    seed.load_article_data()
    demo.load_demo_data()
    demo.ensure_demo_accounts()
    from audit.services import audit_record

    audit_record("login", actor=ward_officer)
    pdf = Path(settings.MEDIA_ROOT) / "reviews" / "2023" / "bao-cao-2023-v1.pdf"
    pdf.parent.mkdir(parents=True, exist_ok=True)
    pdf.write_bytes(b"%PDF-1.7 test content \xe1\xba\xa1")
    digest = hashlib.sha256(pdf.read_bytes()).hexdigest()
    before = row_counts()
    values = sorted(IndicatorValue.objects.values_list("indicator__code", "period__year", "period__quarter", "value", "version"))
    archive = tmp_path / "backup.tar.gz"

    manifest = backup_create(output=archive)
    assert manifest["rows"] == before and manifest["files"] == {"reviews/2023/bao-cao-2023-v1.pdf": digest}

    call_command("flush", interactive=False, verbosity=0)
    pdf.unlink()
    assert IndicatorValue.objects.count() == 0

    call_command("restore_portal", str(archive), verbosity=0)
    assert row_counts() == before
    assert (
        sorted(IndicatorValue.objects.values_list("indicator__code", "period__year", "period__quarter", "value", "version"))
        == values
    )
    assert FigureChange.objects.count() == before["periods.figurechange"]
    assert AuditEvent.objects.filter(username=ward_officer.username).exists()
    assert hashlib.sha256(pdf.read_bytes()).hexdigest() == digest


def test_restoring_into_a_non_empty_installation_is_refused(tmp_path, ward_officer):
    archive = tmp_path / "backup.tar.gz"
    backup_create(output=archive)
    with pytest.raises(CommandError, match="không trống"):
        call_command("restore_portal", str(archive), verbosity=0)


def test_a_corrupted_backup_is_refused(tmp_path):
    archive = tmp_path / "backup.tar.gz"
    backup_create(output=archive)
    import tarfile

    with tarfile.open(archive) as original:
        members = {m.name: original.extractfile(m).read() for m in original.getmembers()}
    members["data.json"] = members["data.json"].replace(b"[", b"[ ", 1)
    broken = tmp_path / "broken.tar.gz"
    with tarfile.open(broken, "w:gz") as out:
        import io

        for name, payload in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            out.addfile(info, io.BytesIO(payload))
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(CommandError, match="bị hỏng"):
        call_command("restore_portal", str(broken), verbosity=0)
