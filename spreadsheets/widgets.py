"""Widgets that read and write cells the way Vietnamese officials type them.

Every widget here accepts both what a clerk types into a text cell ("4.086", "58,37",
"07/03/2025", "Đang thực hiện") and what Excel stores in a real cell (numbers, dates),
and raises `ValueError` with a Vietnamese message — django-import-export turns a
`ValueError` into a row-level validation error, while any other exception (such as
`decimal.InvalidOperation`) would surface as a raw traceback.

On export they hand out native values (Decimal, int, date) so that an .xlsx gets real
numeric and date cells; the CSV format in `spreadsheets.formats` writes them the
Vietnamese way. Text is neutralised against formula injection on the way out.
"""

import datetime
import re
from decimal import Decimal

from django.utils.translation import gettext as _
from import_export import widgets

from backancity.numbers import VIETNAMESE, NumberFormatError, parse_decimal

# A cell that starts with one of these is read as a formula (or DDE command) by Excel,
# LibreOffice or Google Sheets: "=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", and the
# same hidden behind a leading tab or carriage return.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISER = "'"


def neutralise(text: str) -> str:
    """A text cell that cannot run as a formula: prefixed with a single quote. Applying
    it twice changes nothing, so every export layer may call it."""
    if text and text.startswith(FORMULA_TRIGGERS):
        return NEUTRALISER + text
    return text


def restore(text: str) -> str:
    """The inverse of `neutralise`, for text read back from a file we exported, so that
    a note starting with "=>" survives a round trip unchanged."""
    if len(text) > 1 and text.startswith(NEUTRALISER) and text[1:].startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


def is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


class TextWidget(widgets.CharWidget):
    """Free text: trimmed, empty stays empty, formula prefixes removed on import."""

    def __init__(self, *, max_length: int | None = None, **kwargs):
        self.max_length = max_length
        super().__init__(coerce_to_string=True, allow_blank=True)

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a code typed as 12 comes back from Excel as 12.0
        if isinstance(value, datetime.datetime | datetime.date):
            value = value.strftime("%d/%m/%Y")
        text = restore(str(value).strip())
        if self.max_length and len(text) > self.max_length:
            raise ValueError(
                _("Nội dung dài %(length)d ký tự, vượt quá giới hạn %(max)d ký tự.")
                % {"length": len(text), "max": self.max_length}
            )
        return text

    def render(self, value, obj=None, **kwargs):
        return neutralise("" if value is None else str(value))


class DecimalWidget(widgets.DecimalWidget):
    """A number in a real numeric cell or typed the Vietnamese way ("4.086", "58,37",
    "58,37%"). The strict parser refuses "58.37", which could be either."""

    def __init__(self, *, max_digits: int | None = None, decimal_places: int | None = None, **kwargs):
        self.max_digits = max_digits
        self.decimal_places = decimal_places
        super().__init__(coerce_to_string=False)

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            raise ValueError(_("“%(text)s” không phải là một số.") % {"text": value})
        if isinstance(value, float):
            # Excel stores 58.37 as the nearest binary fraction; 15 significant digits is
            # what Excel itself shows and keeps.
            return Decimal(format(value, ".15g"))
        if isinstance(value, datetime.date):
            raise ValueError(_("Ô này cần một số, không phải ngày tháng."))
        if isinstance(value, str):
            value = restore(value.strip())
        try:
            return parse_decimal(value, marks=VIETNAMESE)  # the file's marks, whatever the page's language
        except NumberFormatError as exc:
            raise ValueError(str(exc)) from None

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return None
        return Decimal(value).normalize() + 0  # drop trailing zeros, never "4E+3"


class IntegerWidget(DecimalWidget):
    """Whole numbers: years, order numbers. Exported as plain integers, never grouped."""

    def clean(self, value, row=None, **kwargs):
        number = super().clean(value, row, **kwargs)
        if number is None:
            return None
        if number != number.to_integral_value():
            raise ValueError(_("“%(text)s” phải là số nguyên.") % {"text": value})
        return int(number)

    def render(self, value, obj=None, **kwargs):
        return None if value is None else int(value)


class DateWidget(widgets.DateWidget):
    """A real date cell, or text typed as dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy, ISO)."""

    INPUT_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%y")

    def __init__(self, **kwargs):
        super().__init__(format="%d/%m/%Y", coerce_to_string=False)

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            raise ValueError(
                _("“%(text)s” không phải là ngày; hãy nhập theo dạng ngày/tháng/năm, ví dụ 07/03/2025.") % {"text": value}
            )
        text = str(value).strip()
        for pattern in self.INPUT_FORMATS:
            try:
                return datetime.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise ValueError(
            _("“%(text)s” không phải là ngày; hãy nhập theo dạng ngày/tháng/năm, ví dụ 07/03/2025.") % {"text": text}
        )

    def render(self, value, obj=None, **kwargs):
        return value or None


class ChoiceWidget(widgets.Widget):
    """A TextChoices field: exported as its Vietnamese label ("Đang thực hiện"); read
    back from the label or the stored key, ignoring case and extra spaces."""

    def __init__(self, choices, *, required: bool = False):
        self.choices = list(choices)
        self.required = required
        super().__init__(coerce_to_string=True)

    @staticmethod
    def _key(text) -> str:
        return re.sub(r"\s+", " ", str(text)).strip().casefold()

    def labels(self) -> list[str]:
        return [str(label) for _value, label in self.choices]

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return ""
        if not hasattr(self, "_known"):
            # A file repeats the same few labels; read each once.
            self._known = {}
            for key, label in self.choices:
                self._known[self._key(label)] = key
                self._known[self._key(key)] = key
        found = self._known.get(value if isinstance(value, str) and value in self._known else self._key(value))
        if found is not None:
            return found
        raise ValueError(
            _("“%(text)s” không có trong danh sách; chọn một trong: %(choices)s.")
            % {"text": value, "choices": "; ".join(self.labels())}
        )

    def render(self, value, obj=None, **kwargs):
        for key, label in self.choices:
            if key == value:
                return str(label)
        return value or ""


class BooleanWidget(widgets.Widget):
    """Có / Không (also x, 1, true); empty is "không"."""

    TRUE = ("có", "co", "x", "1", "true", "đúng", "yes")
    FALSE = ("không", "khong", "0", "false", "sai", "no", "")

    def clean(self, value, row=None, **kwargs):
        if value is None or isinstance(value, bool):
            return bool(value)
        text = str(value).strip().casefold()
        if isinstance(value, int | float):
            text = str(int(value))
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(_("“%(text)s” không hợp lệ; nhập “Có” hoặc “Không”.") % {"text": value})

    def render(self, value, obj=None, **kwargs):
        return _("Có") if value else _("Không")


class CodeWidget(widgets.ForeignKeyWidget):
    """A related object named by its code (or another unique field). The whole table is
    read once per import, so a file of 10.000 rows costs one query, not 10.000."""

    def __init__(
        self,
        model,
        field="code",
        *,
        label: str = "",
        also_by: tuple[str, ...] = (),
        cached: bool = True,
        related: tuple[str, ...] = (),
        **kwargs,
    ):
        self.label = label
        self.also_by = also_by
        self.related = related
        # Not cached where one file may create the very rows later rows point at (a
        # parent unit above its children).
        self.cached = cached
        super().__init__(model, field=field)

    def get_queryset(self, value, row, *args, **kwargs):
        return self.model.objects.select_related(*self.related) if self.related else self.model.objects.all()

    def _index(self, row=None) -> dict:
        if not hasattr(self, "_cache"):
            index = {}
            for obj in self.get_queryset(None, row):
                for name in (*self.also_by, self.field):
                    index[str(getattr(obj, name)).strip().casefold()] = obj
            self._cache = index
        return self._cache

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        code = restore(str(value).strip())
        if self.cached:
            obj = self._index(row).get(code.casefold())
        else:
            obj = self.get_queryset(value, row).filter(**{f"{self.field}__iexact": code}).first()
        if obj is None:
            raise ValueError(_("Không tìm thấy %(what)s có mã “%(code)s”.") % {"what": self.label, "code": value})
        return obj

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return neutralise(str(getattr(value, self.field)))


class CodeListWidget(widgets.ManyToManyWidget):
    """Several related objects as codes separated by semicolons ("phuong-a; phuong-b")."""

    def __init__(self, model, field="code", *, label: str = ""):
        self.label = label
        super().__init__(model, separator=";", field=field)

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return self.model.objects.none()
        codes = [code.strip() for code in re.split(r"[;,\n]", restore(str(value))) if code.strip()]
        found = {getattr(obj, self.field): obj for obj in self.model.objects.filter(**{f"{self.field}__in": codes})}
        missing = [code for code in codes if code not in found]
        if missing:
            raise ValueError(_("Không tìm thấy %(what)s có mã: %(codes)s.") % {"what": self.label, "codes": ", ".join(missing)})
        return self.model.objects.filter(pk__in=[obj.pk for obj in found.values()])

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return neutralise("; ".join(str(getattr(item, self.field)) for item in value.all()))


class PeriodWidget(widgets.ForeignKeyWidget):
    """A reporting period written as officials do: "Quý III/2024" (also "Quý 3/2024",
    "III/2024", "Q3/2024")."""

    PATTERN = re.compile(r"^(?:quý|quy|q)?\s*([ivx]+|[1-4])\s*[/\-.]\s*(\d{4})$", re.IGNORECASE)
    ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}

    def __init__(self):
        from periods.models import ReportingPeriod

        super().__init__(ReportingPeriod)

    def _index(self) -> dict:
        if not hasattr(self, "_cache"):
            self._cache = {(p.year, p.quarter): p for p in self.model.objects.all()}
        return self._cache

    @classmethod
    def parse(cls, value) -> tuple[int, int]:
        match = cls.PATTERN.match(re.sub(r"\s+", " ", str(value)).strip())
        quarter_text = match.group(1).lower() if match else ""
        quarter = cls.ROMAN.get(quarter_text) or (int(quarter_text) if quarter_text.isdigit() else None)
        if not match or quarter is None:
            raise ValueError(_("“%(text)s” không phải kỳ báo cáo; hãy ghi theo dạng “Quý III/2024”.") % {"text": value})
        return int(match.group(2)), quarter

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        if not hasattr(self, "_parsed"):
            self._parsed = {}  # a file repeats the same few period labels
        if value not in self._parsed:
            self._parsed[value] = self.parse(value)
        year, quarter = self._parsed[value]
        period = self._index().get((year, quarter))
        if period is None:
            raise ValueError(_("Kỳ báo cáo “%(text)s” chưa có trên cổng.") % {"text": value})
        return period

    def render(self, value, obj=None, **kwargs):
        return value.label if value is not None else ""
