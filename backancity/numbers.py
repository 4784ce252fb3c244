"""Numbers as officials type and read them: 4.086 ; 1.234,5 ; 58,37% in Vietnamese
(4,086 ; 1,234.5 ; 58.37% when the interface is in English).

One strict parser serves forms and imports, so "58.37" typed in Vietnamese (a dot that
cannot be a thousands mark) is refused with a message instead of silently becoming 5837,
and a figure shown as "4,086" in English reads back as 4086. Spreadsheet files are read
with the Vietnamese marks whatever the interface language (`marks=VIETNAMESE`): their
text cells are the officials' files, not the page.
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats
from django.utils.translation import gettext as _

VIETNAMESE = (",", ".")  # (decimal mark, thousands mark)


class NumberFormatError(ValueError):
    pass


def active_marks() -> tuple[str, str]:
    """The active language's (decimal mark, thousands mark)."""
    return formats.get_format("DECIMAL_SEPARATOR"), formats.get_format("THOUSAND_SEPARATOR")


def parse_decimal(text, *, allow_iso: bool = False, marks: tuple[str, str] | None = None) -> Decimal | None:
    """Read a typed number with the active language's marks (or `marks`). Empty is None.

    Vietnamese: "4086", "4.086", "1.234,5", "58,37", "-12,5"; spaces as group marks too.
    With `allow_iso`, also "58.37" (a machine-written decimal point, as in CSV files
    exported by other software) when it cannot be a thousands mark.
    """
    if text is None:
        return None
    if isinstance(text, (int, Decimal)):
        return Decimal(text)
    if isinstance(text, float):
        return Decimal(repr(text))
    decimal_mark, thousands_mark = marks or active_marks()
    raw = str(text).strip().replace("\u00a0", " ").replace(" ", "")
    if raw.endswith("%"):
        raw = raw[:-1]
    if raw == "":
        return None
    sign = ""
    if raw[0] in "+-−":
        sign = "-" if raw[0] in "-−" else ""
        raw = raw[1:]
    d, t = re.escape(decimal_mark), re.escape(thousands_mark)
    grouped = re.fullmatch(rf"\d{{1,3}}({t}\d{{3}})+({d}\d+)?", raw)
    plain = re.fullmatch(rf"\d+({d}\d+)?", raw)
    if grouped or plain:
        normalised = raw.replace(thousands_mark, "").replace(decimal_mark, ".")
    elif allow_iso and decimal_mark != "." and re.fullmatch(r"\d+\.\d+", raw):
        normalised = raw
    elif re.fullmatch(rf"\d+{t}(\d{{1,2}}|\d{{4,}})", raw):
        # A thousands mark followed by other than three digits: meant as a decimal mark.
        raise NumberFormatError(
            _("“%(text)s” không phải số hợp lệ: phần thập phân viết như %(decimals)s, hàng nghìn viết như %(thousands)s.")
            % {"text": text, "decimals": f"58{decimal_mark}37", "thousands": f"4{thousands_mark}086"}
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
