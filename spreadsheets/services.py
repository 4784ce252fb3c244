"""An officer's upload: receive the file, preview what it would change, confirm it.

receive   → the file passes the safety checks and is parsed once, then stored with its
            SHA-256, tied to the user, their unit and the quarter;
preview   → every sheet is matched to its resource by its key columns and run as a dry
            run: created and changed rows (old → new), unchanged rows counted, errors by
            sheet, row and column;
confirm   → the stored bytes (checksum verified: the file confirmed is the file
            previewed) are imported for real, every sheet in one transaction; any error
            and nothing is saved.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEventType
from audit.services import audit_record
from indicators.resources import IndicatorValueResource
from projects.resources import ProjectUpdateResource
from resolutions.resources import TaskUpdateResource

from . import files
from .formats import dataset_from_sheet
from .models import SpreadsheetUpload, UploadStatus
from .resources import column_key

FIGURE_RESOURCES = (IndicatorValueResource, ProjectUpdateResource, TaskUpdateResource)


class UploadRefused(Exception):
    """The upload cannot be confirmed; `str()` says why, in Vietnamese."""

    def __init__(self, message, preview=None):
        super().__init__(message)
        self.preview = preview


@dataclass
class RowError:
    sheet: str
    row: int | None
    column: str
    message: str


@dataclass
class RowChange:
    sheet: str
    row: int
    label: str
    is_new: bool
    changes: list  # [(column, old, new)]


@dataclass
class SheetSummary:
    title: str
    name: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    blank: int = 0


@dataclass
class Preview:
    sheets: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    @property
    def created(self) -> int:
        return sum(sheet.created for sheet in self.sheets)

    @property
    def updated(self) -> int:
        return sum(sheet.updated for sheet in self.sheets)

    @property
    def unchanged(self) -> int:
        return sum(sheet.unchanged for sheet in self.sheets)

    @property
    def blank(self) -> int:
        return sum(sheet.blank for sheet in self.sheets)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def has_changes(self) -> bool:
        return bool(self.created or self.updated)


def resource_for(headers) -> type | None:
    """The figure resource whose key columns the sheet has."""
    present = {column_key(header) for header in headers}
    for resource_class in FIGURE_RESOURCES:
        resource = resource_class()
        if all(column_key(column) in present for column in resource.required_columns()):
            return resource_class
    return None


def _figure_sheets(sheets) -> list:
    matched = [(sheet, resource_for(sheet.headers)) for sheet in sheets]
    matched = [(sheet, resource_class) for sheet, resource_class in matched if resource_class is not None]
    if not matched:
        raise files.SpreadsheetFileError(
            _(
                "Không nhận ra bảng số liệu nào trong tệp: cần các cột như “Mã chỉ tiêu”, “Mã dự án” hoặc “Mã nhiệm vụ” và “Kỳ báo cáo”. Hãy dùng tệp mẫu tải từ cổng."
            )
        )
    return matched


def upload_refused(*, user, name: str, reason: str, request=None, **detail) -> None:
    """Note in the audit log that a file was refused (nothing was imported)."""
    audit_record(AuditEventType.IMPORT_REFUSED, request=request, actor=user, target=name, reason=reason, **detail)


def upload_receive(*, user, unit, period, name: str, content: bytes, request=None) -> SpreadsheetUpload:
    if not user.can_write_unit(unit.pk):
        raise PermissionDenied
    try:
        kind = files.check_upload(name, content)
        _figure_sheets(files.read_xlsx(content, checked=True) if kind == files.XLSX else [files.read_csv(content)])
    except files.SpreadsheetFileError as exc:
        upload_refused(user=user, name=name, reason=str(exc), request=request, unit=unit.code, period=period.label)
        raise
    return SpreadsheetUpload.objects.create(
        user=user,
        unit=unit,
        period=period,
        original_name=name[:255],
        file_format=kind,
        content=content,
        size=len(content),
        sha256=SpreadsheetUpload.checksum(content),
    )


def _run(upload: SpreadsheetUpload, *, dry_run: bool) -> Preview:
    content = bytes(upload.content)
    sheets = files.read_xlsx(content) if upload.file_format == files.XLSX else [files.read_csv(content)]
    preview = Preview()
    for sheet, resource_class in _figure_sheets(sheets):
        resource = resource_class(user=upload.user, unit=upload.unit, period=upload.period)
        dataset = dataset_from_sheet(sheet)
        result = resource.import_data(dataset, dry_run=dry_run, user=upload.user)
        summary = SheetSummary(title=sheet.title, name=resource.get_display_name())
        preview.sheets.append(summary)
        for error in result.base_errors:
            preview.errors.append(RowError(sheet.title, None, "", str(error.error)))
        for row in result.rows:
            number = getattr(row, "number", None)
            if row.import_type == row.IMPORT_TYPE_SKIP:
                if getattr(row.instance, "_blank", False):
                    summary.blank += 1
                else:
                    summary.unchanged += 1
            elif row.import_type in (row.IMPORT_TYPE_NEW, row.IMPORT_TYPE_UPDATE):
                is_new = row.import_type == row.IMPORT_TYPE_NEW
                if is_new:
                    summary.created += 1
                else:
                    summary.updated += 1
                preview.changes.append(
                    RowChange(sheet.title, number, row.object_repr or "", is_new, resource.changes_of(row.instance))
                )
            for error in row.errors:
                preview.errors.append(RowError(sheet.title, number, "", str(error.error)))
        for invalid in result.invalid_rows:
            for column, messages in invalid.error_dict.items():
                for message in messages:
                    preview.errors.append(
                        RowError(sheet.title, invalid.number, "" if column == NON_FIELD_ERRORS else column, message)
                    )
    preview.errors.sort(key=lambda error: (error.sheet, error.row or 0))
    return preview


def upload_preview(upload: SpreadsheetUpload) -> Preview:
    """What confirming would do now: a dry run, nothing written."""
    return _run(upload, dry_run=True)


def upload_confirm(*, upload: SpreadsheetUpload, user, checksum: str, request=None) -> Preview:
    """Import the previewed file for real: everything or nothing. Either way the audit
    log says so (a refusal is recorded outside the transaction that rolled back)."""
    if upload.user_id != user.pk or not user.can_write_unit(upload.unit_id):
        raise PermissionDenied
    try:
        return _upload_confirm(upload=upload, user=user, checksum=checksum, request=request)
    except (UploadRefused, files.SpreadsheetFileError) as exc:
        upload_refused(
            user=user,
            name=upload.original_name,
            reason=str(exc),
            request=request,
            upload=upload.pk,
            errors=len(exc.preview.errors) if getattr(exc, "preview", None) else 0,
        )
        raise


def _upload_confirm(*, upload: SpreadsheetUpload, user, checksum: str, request) -> Preview:
    with transaction.atomic():
        upload = SpreadsheetUpload.objects.select_for_update().select_related("user", "unit", "period").get(pk=upload.pk)
        if upload.status != UploadStatus.PREVIEWED:
            raise UploadRefused(_("Tệp này đã được xử lý (%(status)s).") % {"status": upload.get_status_display()})
        if upload.is_expired:
            raise UploadRefused(_("Tệp tải lên đã quá hạn xác nhận; hãy tải lên lại."))
        if checksum != upload.sha256 or SpreadsheetUpload.checksum(bytes(upload.content)) != upload.sha256:
            raise UploadRefused(_("Tệp đã thay đổi so với bản bạn xem trước; hãy tải lên lại."))
        preview = _run(upload, dry_run=False)
        if not preview.is_valid:
            raise UploadRefused(_("Không lưu được: tệp có lỗi, chưa có số liệu nào được lưu."), preview)
        upload.status = UploadStatus.CONFIRMED
        upload.confirmed_at = timezone.now()
        upload.created_count = preview.created
        upload.updated_count = preview.updated
        upload.save(update_fields=["status", "confirmed_at", "created_count", "updated_count"])
        audit_record(
            AuditEventType.IMPORT_CONFIRMED,
            request=request,
            actor=user,
            target=upload.original_name,
            upload=upload.pk,
            unit=upload.unit.code,
            period=upload.period.label,
            sha256=upload.sha256,
            created=preview.created,
            updated=preview.updated,
        )
    return preview


def upload_discard(*, upload: SpreadsheetUpload, user) -> None:
    if upload.user_id != user.pk:
        raise PermissionDenied
    if upload.status == UploadStatus.PREVIEWED:
        upload.status = UploadStatus.DISCARDED
        upload.content = b""
        upload.save(update_fields=["status", "content"])


def uploads_discard_stale() -> int:
    """Drop the content of uploads never confirmed in time (a periodic task)."""
    from django.conf import settings

    limit = timezone.now() - datetime.timedelta(hours=settings.SPREADSHEETS_UPLOAD_HOURS)
    return SpreadsheetUpload.objects.filter(status=UploadStatus.PREVIEWED, created_at__lt=limit).update(
        status=UploadStatus.DISCARDED, content=b""
    )
