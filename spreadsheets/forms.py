from django import forms
from django.utils.translation import gettext_lazy as _

from periods.models import ReportingPeriod

from . import files


class PeriodField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.label


def reporting_periods():
    """Quarters up to the current one, latest first."""
    current = ReportingPeriod.objects.current()
    periods = ReportingPeriod.objects.order_by("-year", "-quarter")
    if current is not None:
        periods = periods.up_to(current.year, current.quarter)
    return periods


class PeriodForm(forms.Form):
    ky = PeriodField(
        label=_("Kỳ báo cáo"),
        queryset=ReportingPeriod.objects.none(),
        empty_label=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ky"].queryset = reporting_periods()


class UploadForm(PeriodForm):
    tep = forms.FileField(
        label=_("Tệp đã điền (.xlsx hoặc .csv)"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx,.csv"}),
    )

    def clean_tep(self):
        uploaded = self.cleaned_data["tep"]
        try:
            files.file_kind(uploaded.name)
            # Refused before the body is read into memory.
            files.check_size(uploaded.size)
        except files.SpreadsheetFileError as exc:
            raise forms.ValidationError(str(exc)) from None
        return uploaded


DATASETS = {
    "chi-tieu": _("Giá trị chỉ tiêu"),
    "du-an": _("Cập nhật dự án"),
    "nhiem-vu": _("Cập nhật nhiệm vụ"),
}


class ExportForm(PeriodForm):
    bang = forms.ChoiceField(
        label=_("Số liệu"), choices=list(DATASETS.items()), widget=forms.Select(attrs={"class": "form-select"})
    )
    dinh_dang = forms.ChoiceField(
        label=_("Định dạng"),
        choices=[("xlsx", "Excel (.xlsx)"), ("csv", "CSV (.csv)")],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
