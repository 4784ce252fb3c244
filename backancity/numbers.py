"""Vietnamese numbers as officials type and read them: 4.086 ; 1.234,5 ; 58,37%.

One strict parser serves forms and imports, so "58.37" (a dot that cannot be a
thousands mark) is refused with a message instead of silently becoming 5837.
"""

import re
from decimal import Decimal, InvalidOperation

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


def format_decimal(value, places: int | None = None) -> str:
    """4086 → "4.086"; 58.37 → "58,37"; trailing zeros dropped unless `places` is given."""
    if value is None:
        return ""
    value = Decimal(value)
    if places is None:
        value = value.normalize()
        exponent = value.as_tuple().exponent
        places = max(0, -exponent) if isinstance(exponent, int) else 0
    return formats.number_format(value, places, use_l10n=True, force_grouping=True)


def format_percent(value, places: int = 2) -> str:
    """At most `places` decimals, trailing zeros dropped, as reports write rates:
    58.37 → "58,37%", 61.70 → "61,7%", 100 → "100%"."""
    if value is None:
        return ""
    value = Decimal(value).quantize(Decimal(1).scaleb(-places)).normalize()
    exponent = value.as_tuple().exponent
    shown = max(0, -exponent) if isinstance(exponent, int) else 0
    return f"{formats.number_format(value, shown, use_l10n=True, force_grouping=True)}%"
