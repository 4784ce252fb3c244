from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Role
from accounts.permissions import officer_required, role_required
from indicators.resources import IndicatorValueResource
from periods.models import ReportingPeriod
from projects.resources import ProjectUpdateResource
from resolutions.resources import TaskUpdateResource

from . import files, services
from .formats import CSV, XLSX
from .forms import DATASETS, ExportForm, PeriodForm, UploadForm, reporting_periods
from .models import SpreadsheetUpload
from .workbook import build_template, template_filename

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORTS = {
    "chi-tieu": (IndicatorValueResource, "chi-tieu"),
    "du-an": (ProjectUpdateResource, "du-an"),
    "nhiem-vu": (TaskUpdateResource, "nhiem-vu"),
}


def _writable_unit(user):
    """The officer's own unit, which they report for."""
    if user.unit_id is None or not user.can_write_unit(user.unit_id):
        raise PermissionDenied
    return user.unit


def _default_period():
    return ReportingPeriod.objects.current() or reporting_periods().first()


def _attachment(content, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@role_required(Role.OFFICER, Role.LEADER, Role.SECRETARIAT)
def index(request):
    """Officers: download the quarter's template and upload it filled in. Everyone:
    take the figures out in Excel or CSV."""
    return _index_page(request, UploadForm(initial={"ky": _default_period()}, auto_id="upload_%s"))


def _index_page(request, upload_form, status=200):
    initial = {"ky": _default_period()}
    uploads = []
    if request.user.is_officer:
        uploads = list(SpreadsheetUpload.objects.filter(user=request.user).select_related("period").defer("content")[:5])
    context = {
        "template_form": PeriodForm(initial=initial, auto_id="template_%s"),
        "upload_form": upload_form,
        "export_form": ExportForm(initial=initial, auto_id="export_%s"),
        "uploads": uploads,
        "max_upload": files.max_upload_bytes(),
    }
    return render(request, "spreadsheets/index.html", context, status=status)


@require_GET
@officer_required
def template(request):
    unit = _writable_unit(request.user)
    form = PeriodForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn kỳ báo cáo."))
        return redirect("spreadsheets:index")
    period = form.cleaned_data["ky"]
    return _attachment(build_template(unit, period), XLSX_TYPE, template_filename(unit, period))


@require_POST
@officer_required
def upload(request):
    unit = _writable_unit(request.user)
    form = UploadForm(request.POST, request.FILES, auto_id="upload_%s")
    if form.is_valid():
        uploaded = form.cleaned_data["tep"]
        try:
            received = services.upload_receive(
                user=request.user,
                unit=unit,
                period=form.cleaned_data["ky"],
                name=uploaded.name,
                content=uploaded.read(),
                request=request,
            )
        except files.SpreadsheetFileError as exc:
            form.add_error("tep", str(exc))
        else:
            return redirect("spreadsheets:preview", pk=received.pk)
    elif "tep" in form.errors and request.FILES.get("tep") is not None:
        # Refused before it was read (not a spreadsheet, too big): the audit log says so too.
        services.upload_refused(
            user=request.user, name=request.FILES["tep"].name, reason=" ".join(form.errors["tep"]), request=request
        )
    return _index_page(request, form, status=400)


def _own_upload(request, pk):
    return get_object_or_404(SpreadsheetUpload.objects.select_related("unit", "period", "user"), pk=pk, user=request.user)


@require_GET
@officer_required
def preview(request, pk):
    upload = _own_upload(request, pk)
    result = None
    if upload.awaits_confirmation:
        try:
            result = services.upload_preview(upload)
        except files.SpreadsheetFileError as exc:
            messages.error(request, str(exc))
    return render(request, "spreadsheets/preview.html", {"upload": upload, "preview": result})


@require_POST
@officer_required
def confirm(request, pk):
    upload = _own_upload(request, pk)
    try:
        result = services.upload_confirm(
            upload=upload, user=request.user, checksum=request.POST.get("checksum", ""), request=request
        )
    except services.UploadRefused as exc:
        messages.error(request, str(exc))
        return redirect("spreadsheets:preview", pk=upload.pk)
    except files.SpreadsheetFileError as exc:
        messages.error(request, str(exc))
        return redirect("spreadsheets:preview", pk=upload.pk)
    messages.success(
        request,
        _("Đã lưu số liệu từ tệp “%(name)s”: %(created)d số liệu mới, %(updated)d số liệu thay đổi, %(unchanged)d không đổi.")
        % {"name": upload.original_name, "created": result.created, "updated": result.updated, "unchanged": result.unchanged},
    )
    return redirect("spreadsheets:index")


@require_POST
@officer_required
def discard(request, pk):
    upload = _own_upload(request, pk)
    services.upload_discard(upload=upload, user=request.user)
    messages.info(request, _("Đã hủy tệp tải lên; không có số liệu nào thay đổi."))
    return redirect("spreadsheets:index")


@require_GET
@role_required(Role.OFFICER, Role.LEADER, Role.SECRETARIAT)
def export(request):
    """The figures of a quarter as .xlsx or .csv: officers their own unit's, leaders and
    the secretariat every unit's."""
    form = ExportForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn số liệu, kỳ báo cáo và định dạng."))
        return redirect("spreadsheets:index")
    period = form.cleaned_data["ky"]
    resource_class, slug = EXPORTS[form.cleaned_data["bang"]]
    resource = resource_class(user=request.user)
    queryset = resource.get_queryset().filter(period=period)
    scope = "tat-ca"
    if not request.user.sees_all_units:
        queryset = queryset.filter(unit_id=_writable_unit(request.user).pk)
        scope = request.user.unit.code
    dataset = resource.export(queryset=queryset)
    dataset.title = str(DATASETS[form.cleaned_data["bang"]])[:31]
    filename = f"{slug}-{scope}-quy-{period.quarter}-{period.year}"
    if form.cleaned_data["dinh_dang"] == "csv":
        return _attachment(CSV().export_data(dataset).encode("utf-8"), "text/csv; charset=utf-8", f"{filename}.csv")
    return _attachment(XLSX().export_data(dataset), XLSX_TYPE, f"{filename}.xlsx")
