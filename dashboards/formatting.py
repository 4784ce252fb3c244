"""Vietnamese numbers for tables of hundreds of rows: the same text as
`backancity.numbers.format_decimal` / `format_percent`, `Indicator.format_value` and the
`million_dong` filter (tests compare them), several times faster, because a dashboard
formats a few thousand figures per page and Django's `number_format` looks the locale's
formats up on every call.
"""

from decimal import Decimal

from django.utils import formats


class Numbers:
    """The formatter for one page: the active language's separators are looked up once
    (each lookup asks for the current language, which is not free)."""

    def __init__(self):
        self.decimal = formats.get_format("DECIMAL_SEPARATOR")
        self.thousand = formats.get_format("THOUSAND_SEPARATOR")

    def _localise(self, text: str) -> str:
        """'1,234.5' (Python's grouping) → '1.234,5' (the active language's)."""
        return text.replace(",", "\0").replace(".", self.decimal).replace("\0", self.thousand)

    def number(self, value, places: int | None = None) -> str:
        if value is None or value == "":
            return ""
        return self._localise(_plain(Decimal(value), places))

    def percent(self, value, places: int = 2) -> str:
        """58.37 → '58,37%'; a whole number without decimals: 100 → '100%'."""
        if value is None or value == "":
            return ""
        value = Decimal(value).quantize(Decimal(1).scaleb(-places))
        if value == value.to_integral_value():
            places = 0
        return self.number(value, places) + "%"

    def million_dong(self, value) -> str:
        """An amount in đồng, in triệu đồng with one decimal at most."""
        if value is None or value == "":
            return ""
        return self.number(round(value / 1_000_000, 1))

    def indicator_value(self, indicator, value) -> str:
        """What `indicator.format_value(value)` returns."""
        if value is None:
            return ""
        if indicator.is_ratio or indicator.unit_of_measure == "%":
            return self.percent(value, indicator.decimal_places or 2)
        return self.number(Decimal(value).quantize(Decimal(1).scaleb(-indicator.decimal_places)))

    def with_unit(self, indicator, value) -> str:
        """'4.086 hộ'; a rate carries its % already: '58,37%'."""
        text = self.indicator_value(indicator, value)
        if not text or indicator.is_ratio or indicator.unit_of_measure == "%":
            return text
        return f"{text} {indicator.unit_of_measure}"


def _plain(value: Decimal, places: int | None) -> str:
    """The digits as Django's number_format writes them (Python's grouping): truncated to
    `places` (Django cuts, it does not round), or as many decimals as the value has when
    `places` is None."""
    if places is None:
        value = value.normalize()
        exponent = value.as_tuple().exponent
        places = max(0, -exponent) if isinstance(exponent, int) else 0
    else:
        cutoff = Decimal(1).scaleb(-places)
        if abs(value) < cutoff:
            value = Decimal(0)
        value = value.quantize(cutoff, rounding="ROUND_DOWN")
    return f"{value:,.{places}f}"


def number(value, places: int | None = None) -> str:
    return Numbers().number(value, places)


def percent(value, places: int = 2) -> str:
    return Numbers().percent(value, places)


def million_dong(value) -> str:
    return Numbers().million_dong(value)


def indicator_value(indicator, value) -> str:
    return Numbers().indicator_value(indicator, value)


def with_unit(indicator, value) -> str:
    return Numbers().with_unit(indicator, value)
