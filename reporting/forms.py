"""Entry forms of the unit's reporting page: they turn typed text into domain values with
Vietnamese messages. Each carries the `version` of the figure the user loaded, so that a
stale save is refused by ReportedFigure.save instead of overwriting someone's work."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from backancity.numbers import NumberFormatError, format_decimal, parse_decimal
from backancity.text import normalise_text
from indicators.models import IndicatorValue, ValueKind
from projects.models import Phase, ProjectUpdate
from resolutions.models import TaskStatus, TaskUpdate

MILLION = Decimal(1_000_000)


class VietnameseDecimalField(forms.Field):
    """A number typed the Vietnamese way ("1.234,5"), read by `parse_decimal`.

    `scale` converts the typed unit to the stored one (amounts typed in triệu đồng are
    stored in đồng)."""

    widget = forms.TextInput

    def __init__(
        self, *, max_digits, decimal_places, min_value=None, max_value=None, scale=Decimal(1), typed_places=None, **kwargs
    ):
        self.max_digits, self.decimal_places = max_digits, decimal_places
        self.typed_places = decimal_places if typed_places is None else typed_places
        self.min_value, self.max_value, self.scale = min_value, max_value, scale
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "decimal", "autocomplete": "off"}

    def to_python(self, value):
        try:
            number = parse_decimal(value)
        except NumberFormatError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None
        if number is None:
            return None
        typed_places = self.typed_places
        if -number.normalize().as_tuple().exponent > typed_places:
            raise forms.ValidationError(
                gettext("Tối đa %(places)s chữ số sau dấu phẩy.") % {"places": typed_places}
                if typed_places
                else gettext("Nhập số nguyên, không có phần thập phân."),
                code="decimal_places",
            )
        if self.min_value is not None and number < self.min_value:
            raise forms.ValidationError(
                gettext("Giá trị không được nhỏ hơn %(min)s.") % {"min": format_decimal(self.min_value)}, code="min_value"
            )
        if self.max_value is not None and number > self.max_value:
            raise forms.ValidationError(
                gettext("Giá trị không được lớn hơn %(max)s.") % {"max": format_decimal(self.max_value)}, code="max_value"
            )
        stored = number * self.scale
        whole_digits = len(str(int(abs(stored)))) if stored else 1
        if whole_digits > self.max_digits - self.decimal_places:
            raise forms.ValidationError(gettext("Số quá lớn."), code="max_digits")
        return stored.quantize(Decimal(1).scaleb(-self.decimal_places))

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format_decimal(value / self.scale)
        return value


class FigureForm(forms.ModelForm):
    """Common part: the hidden version and the stale-save handling."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            css = "form-select form-select-sm" if isinstance(widget, forms.Select) else "form-control form-control-sm"
            widget.attrs["class"] = css

    def add_error(self, field, error):
        # Every error goes through here (field cleaning too): mark the widget for Bootstrap.
        super().add_error(field, error)
        if field in self.fields and "is-invalid" not in self.fields[field].widget.attrs.get("class", ""):
            self.fields[field].widget.attrs["class"] = self.fields[field].widget.attrs.get("class", "") + " is-invalid"

    def clean_version(self):
        return self.cleaned_data.get("version") or 0

    def show_current(self, current):
        """After a refused stale save: keep what the user typed, but let their next save
        apply to the version they have now been shown."""
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = str(current.version)


class TaskUpdateForm(FigureForm):
    completed_on = forms.DateField(
        label=_("Ngày hoàn thành"),
        required=False,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off"}),
    )

    class Meta:
        model = TaskUpdate
        fields = ["status", "narrative", "completed_on", "version"]
        labels = {"status": _("Tình hình thực hiện"), "narrative": _("Kết quả thực hiện")}
        widgets = {"narrative": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, task, period, **kwargs):
        self.task, self.period = task, period
        super().__init__(*args, **kwargs)
        choices = [("", _("— Chọn —"))] + [
            (value, label) for value, label in TaskStatus.choices if task.is_recurring or value != TaskStatus.RECURRING
        ]
        self.fields["status"].choices = choices
        self.fields["narrative"].required = True
        self.fields["narrative"].error_messages["required"] = _("Nêu kết quả thực hiện (hoặc lý do chưa thực hiện).")
        self.fields["status"].error_messages["required"] = _("Chọn tình hình thực hiện.")

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        done = status in (TaskStatus.DONE, TaskStatus.DONE_LATE)
        if not done:
            cleaned["completed_on"] = None
        elif cleaned.get("completed_on") is None and "completed_on" not in self.errors:
            self.add_error("completed_on", gettext("Nhiệm vụ đã hoàn thành: nhập ngày hoàn thành (dd/mm/yyyy)."))
        elif cleaned.get("completed_on") and cleaned["completed_on"] > self.period.end_date:
            self.add_error(
                "completed_on",
                gettext("Ngày hoàn thành không được sau ngày cuối kỳ báo cáo (%(end)s).")
                % {"end": self.period.end_date.strftime("%d/%m/%Y")},
            )
        return cleaned


class ProjectUpdateForm(FigureForm):
    progress_percent = VietnameseDecimalField(
        label=_("Tiến độ lũy kế (%)"),
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
    )
    allocated_capital = VietnameseDecimalField(
        label=_("Vốn đã bố trí lũy kế (triệu đồng)"),
        required=False,
        max_digits=18,
        decimal_places=0,
        min_value=Decimal(0),
        scale=MILLION,
        typed_places=6,
    )
    disbursed_amount = VietnameseDecimalField(
        label=_("Giải ngân lũy kế (triệu đồng)"),
        required=False,
        max_digits=18,
        decimal_places=0,
        min_value=Decimal(0),
        scale=MILLION,
        typed_places=6,
    )

    class Meta:
        model = ProjectUpdate
        fields = [
            "progress_percent",
            "phase",
            "allocated_capital",
            "disbursed_amount",
            "narrative",
            "obstacles",
            "recommendations",
            "version",
        ]
        labels = {
            "phase": _("Giai đoạn"),
            "narrative": _("Kết quả thực hiện"),
            "obstacles": _("Khó khăn, vướng mắc"),
            "recommendations": _("Kiến nghị, đề xuất"),
        }
        widgets = {
            "narrative": forms.Textarea(attrs={"rows": 2}),
            "obstacles": forms.Textarea(attrs={"rows": 2}),
            "recommendations": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, project, period, **kwargs):
        self.project, self.period = project, period
        super().__init__(*args, **kwargs)
        self.fields["phase"].required = True
        self.fields["phase"].choices = [("", _("— Chọn —")), *Phase.choices]
        self.fields["phase"].error_messages["required"] = _("Chọn giai đoạn của dự án.")


class IndicatorValueForm(FigureForm):
    """A number, or for a ratio indicator its numerator and denominator: the ratio itself
    is computed (IndicatorValue.save), never typed."""

    value = VietnameseDecimalField(label=_("Giá trị"), max_digits=20, decimal_places=4)
    numerator = VietnameseDecimalField(label=_("Tử số"), max_digits=20, decimal_places=4, min_value=Decimal(0))
    denominator = VietnameseDecimalField(label=_("Mẫu số"), max_digits=20, decimal_places=4, min_value=Decimal(0))

    class Meta:
        model = IndicatorValue
        fields = ["value", "numerator", "denominator", "kind", "note", "source", "version"]
        labels = {"kind": _("Loại số liệu"), "note": _("Ghi chú"), "source": _("Nguồn số liệu")}
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, indicator, period, **kwargs):
        self.indicator, self.period = indicator, period
        super().__init__(*args, **kwargs)
        if indicator.is_ratio:
            del self.fields["value"]
            if indicator.numerator_label:
                self.fields["numerator"].label = gettext("Tử số: %(label)s") % {"label": indicator.numerator_label}
            if indicator.denominator_label:
                self.fields["denominator"].label = gettext("Mẫu số: %(label)s") % {"label": indicator.denominator_label}
        else:
            del self.fields["numerator"], self.fields["denominator"]
            self.fields["value"].label = gettext("Giá trị (%(uom)s)") % {"uom": indicator.unit_of_measure}
        for name in ("value", "numerator", "denominator"):
            if name in self.fields:
                self.fields[name].error_messages["required"] = _("Nhập số liệu.")
        self.fields["kind"].choices = ValueKind.choices

    def clean(self):
        cleaned = super().clean()
        if self.indicator.is_ratio:
            numerator, denominator = cleaned.get("numerator"), cleaned.get("denominator")
            if denominator is not None and denominator <= 0:
                self.add_error("denominator", gettext("Mẫu số phải lớn hơn 0."))
            elif numerator is not None and denominator is not None and numerator > denominator:
                self.add_error("numerator", gettext("Tử số không được lớn hơn mẫu số (tỷ lệ không quá 100%)."))
            elif numerator is not None and denominator is not None:
                # The model computes it again on save; set here so that validation of the
                # instance sees a value.
                self.instance.value = IndicatorValue.ratio_of(numerator, denominator)
        else:
            self.instance.numerator = self.instance.denominator = None
        return cleaned


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Nêu lý do.")},
    )

    def clean_reason(self):
        # As it will be stored: a "reason" of control characters only is no reason (and
        # would break the rule that a returned report says why).
        reason = normalise_text(self.cleaned_data["reason"]).strip()
        if not reason:
            raise forms.ValidationError(self.fields["reason"].error_messages["required"], code="required")
        return reason
