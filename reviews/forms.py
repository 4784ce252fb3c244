import datetime
import re

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from .compose import IssueDetails
from .models import NARRATIVE_MAX_LENGTH

_DOCUMENT_NUMBER = re.compile(r"^\d{1,6}$")


class ReviewRequestForm(forms.Form):
    """What the secretariat decides when it asks for a version of the review."""

    document_number = forms.CharField(
        label=_("Số văn bản"),
        max_length=6,
        required=False,
        help_text=_("Phần số đứng trước “-BC/TU”, ví dụ 45. Để trống khi văn bản chưa lấy số."),
    )
    report_date = forms.DateField(label=_("Ngày báo cáo"), help_text=_("Nhập theo dạng dd/mm/yyyy, ví dụ 20/12/2023."))
    signer_position = forms.CharField(label=_("Chức vụ người ký"), max_length=100, required=False, initial="Bí thư")
    signer_name = forms.CharField(label=_("Họ tên người ký"), max_length=120, required=False)

    def __init__(self, *args, year: int, **kwargs):
        self.year = year
        super().__init__(*args, **kwargs)
        self.fields["report_date"].initial = timezone.localdate()
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"

    def clean_document_number(self):
        number = self.cleaned_data["document_number"].strip()
        if number and not _DOCUMENT_NUMBER.match(number):
            raise forms.ValidationError(_("Số văn bản chỉ gồm chữ số, ví dụ 45."))
        return number

    def clean_report_date(self):
        day = self.cleaned_data["report_date"]
        earliest = datetime.date(self.year, 1, 1)
        latest = timezone.localdate() + datetime.timedelta(days=31)
        if not earliest <= day <= latest:
            raise forms.ValidationError(
                _("Ngày báo cáo năm %(year)s phải từ %(earliest)s đến %(latest)s.")
                % {
                    "year": self.year,
                    "earliest": formats.date_format(earliest, "SHORT_DATE_FORMAT"),
                    "latest": formats.date_format(latest, "SHORT_DATE_FORMAT"),
                }
            )
        return day

    def details(self) -> IssueDetails:
        data = self.cleaned_data
        return IssueDetails(
            report_date=data["report_date"],
            number=data["document_number"],
            signer_position=data["signer_position"],
            signer_name=data["signer_name"],
        )


class NarrativeForm(forms.Form):
    text = forms.CharField(
        label=_("Nội dung"),
        required=False,
        strip=False,
        max_length=NARRATIVE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 16, "class": "form-control"}),
        help_text=_("Mỗi dòng là một đoạn văn. Để trống để dùng nội dung tổng hợp tự động từ báo cáo của các đơn vị."),
        error_messages={
            "max_length": _("Nội dung dài tối đa %(limit_value)s ký tự (hiện có %(show_value)s)."),
        },
    )
    include_figures = forms.BooleanField(
        label=_("In kèm các câu số liệu tự động sau nội dung này"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
        help_text=_("Bỏ chọn khi nội dung đã nêu đủ số liệu, để báo cáo không lặp lại."),
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
