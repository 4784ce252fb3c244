"""Vietnamese numbers as officials type and read them: 4.086 ; 1.234,5 ; 58,37%.

One strict parser serves forms and imports, so "58.37" (a dot that cannot be a
thousands mark) is refused with a message instead of silently becoming 5837.
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats
from django.utils.translation import gettext as _

_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")
_PLAIN = re.compile(r"^\d+(,\d+)?$")
_ISO_DECIMAL = re.compile(r"^\d+\.\d+$")


class NumberFormatError(ValueError):
    pass


def parse_decimal(text, *, allow_iso: bool = False) -> Decimal | None:
    """Read a number typed the Vietnamese way. Empty text is None.

    Accepts "4086", "4.086", "1.234,5", "58,37", "-12,5", and spaces as group marks.
    With `allow_iso`, also "58.37" (a machine-written decimal point, as in CSV files
    exported by other software) when it cannot be a thousands mark.
    """
    if text is None:
        return None
    if isinstance(text, (int, Decimal)):
        return Decimal(text)
    if isinstance(text, float):
        return Decimal(repr(text))
    raw = str(text).strip().replace("\u00a0", " ").replace(" ", "")
    if raw.endswith("%"):
        raw = raw[:-1]
    if raw == "":
        return None
    sign = ""
    if raw[0] in "+-−":
        sign = "-" if raw[0] in "-−" else ""
        raw = raw[1:]
    if _GROUPED.match(raw) or _PLAIN.match(raw):
        normalised = raw.replace(".", "").replace(",", ".")
    elif allow_iso and _ISO_DECIMAL.match(raw):
        normalised = raw
    elif re.match(r"^\d+\.\d{1,2}$", raw) or re.match(r"^\d+\.\d{4,}$", raw):
        raise NumberFormatError(
            _(
                "“%(text)s” không phải số hợp lệ: dùng dấu phẩy cho phần thập phân (ví dụ 58,37) và dấu chấm để phân cách hàng nghìn (ví dụ 4.086)."
            )
            % {"text": text}
        )
    else:
        raise NumberFormatError(_("“%(text)s” không phải là một số.") % {"text": text})
    try:
        value = Decimal(sign + normalised)
    except InvalidOperation as exc:  # pragma: no cover - the patterns above exclude it
        raise NumberFormatError(_("“%(text)s” không phải là một số.") % {"text": text}) from exc
    if not value.is_finite():
        raise NumberFormatError(_("“%(text)s” không phải là một số.") % {"text": text})
    return value


class NumberFormatter:
    """Vietnamese (or English) number text for a page. The active language's separators
    are looked up once — a dashboard formats thousands of figures, and Django's
    `number_format` asks for the locale's formats on every call. Rounds half up."""

    def __init__(self):
        self.decimal = formats.get_format("DECIMAL_SEPARATOR")
        self.thousand = formats.get_format("THOUSAND_SEPARATOR")

    def _localise(self, text: str) -> str:
        """'1,234.5' (Python's grouping) → '1.234,5' (the active language's)."""
        return text.replace(",", "\0").replace(".", self.decimal).replace("\0", self.thousand)

    def number(self, value, places: int | None = None) -> str:
        """4086 → "4.086"; 58.37 → "58,37"; all the value's decimals unless `places`."""
        if value is None or value == "":
            return ""
        value = Decimal(value)
        if places is None:
            value = value.normalize()
            exponent = value.as_tuple().exponent
            places = max(0, -exponent) if isinstance(exponent, int) else 0
        else:
            value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if value == 0:
            value = abs(value)  # no "-0"
        return self._localise(f"{value:,.{places}f}")

    def percent(self, value, places: int = 2) -> str:
        """At most `places` decimals, trailing zeros dropped, as reports write rates:
        58.37 → "58,37%", 61.70 → "61,7%", 100 → "100%"."""
        if value is None or value == "":
            return ""
        return self.number(Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)) + "%"

    def million_dong(self, value) -> str:
        """An amount in đồng, in triệu đồng with one decimal at most."""
        if value is None or value == "":
            return ""
        return self.number(Decimal(value) / 1_000_000, 1).removesuffix(self.decimal + "0")


def format_decimal(value, places: int | None = None) -> str:
    return NumberFormatter().number(value, places)


def format_percent(value, places: int = 2) -> str:
    return NumberFormatter().percent(value, places)


def format_million_dong(value) -> str:
    return NumberFormatter().million_dong(value)
