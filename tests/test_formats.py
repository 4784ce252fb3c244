"""The Vietnamese format overrides: 4.086, 58,37, dd/mm/yyyy, years never grouped."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.utils import formats, translation

from backancity.numbers import NumberFormatError, format_decimal, format_percent, parse_decimal


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def test_thousands_are_grouped_with_a_dot_and_decimals_use_a_comma():
    assert format_decimal(Decimal("4086")) == "4.086"
    assert format_decimal(Decimal("1234567")) == "1.234.567"
    assert format_decimal(Decimal("58.37")) == "58,37"
    assert format_percent(Decimal("58.37")) == "58,37%"
    assert format_percent(Decimal("100")) == "100%"
    assert formats.localize(4086, use_l10n=True) == "4.086"


def test_a_typed_date_is_read_day_first():
    class DateForm(forms.Form):
        day = forms.DateField()

    form = DateForm({"day": "07/03/2025"})
    assert form.is_valid()
    assert form.cleaned_data["day"] == datetime.date(2025, 3, 7)


def test_dates_are_shown_as_dd_mm_yyyy():
    assert formats.date_format(datetime.date(2023, 4, 10), "SHORT_DATE_FORMAT") == "10/04/2023"


def test_years_are_not_grouped_when_unlocalized():
    rendered = Template("{% load l10n %}{{ year }}|{{ year|unlocalize }}").render(Context({"year": 2030}))
    assert rendered == "2.030|2030"


def test_vietnamese_number_input_is_parsed():
    assert parse_decimal("1.234,5") == Decimal("1234.5")
    assert parse_decimal("4.086") == Decimal("4086")
    assert parse_decimal("58,37") == Decimal("58.37")
    assert parse_decimal("58,37%") == Decimal("58.37")
    assert parse_decimal("-12,5") == Decimal("-12.5")
    assert parse_decimal(" 1 234 ") == Decimal("1234")
    assert parse_decimal("") is None


@pytest.mark.parametrize("text", ["58.37", "1.23", "abc", "1,2,3", "4.08", "1..2", "NaN", "Infinity", "1e5"])
def test_ambiguous_or_malformed_numbers_are_refused_with_a_vietnamese_message(text):
    with pytest.raises(NumberFormatError) as error:
        parse_decimal(text)
    assert "số" in str(error.value)


def test_machine_written_decimals_are_accepted_when_asked():
    assert parse_decimal("58.37", allow_iso=True) == Decimal("58.37")
    # …but a dot followed by three digits stays a thousands mark.
    assert parse_decimal("4.086", allow_iso=True) == Decimal("4086")


def test_english_keeps_day_first_dates_but_english_number_marks():
    with translation.override("en"):
        assert formats.date_format(datetime.date(2023, 4, 10), "SHORT_DATE_FORMAT") == "10/04/2023"
        assert formats.localize(Decimal("4086.5"), use_l10n=True) == "4,086.5"


def test_the_page_formatter_rounds_half_up_and_never_prints_minus_zero():
    from backancity.numbers import NumberFormatter

    numbers = NumberFormatter()
    assert numbers.number(Decimal("54.55"), 1) == "54,6"
    assert numbers.number(Decimal("-0.004"), 2) == "0,00"
    assert numbers.percent(Decimal("99.995")) == "100%"
    assert numbers.million_dong(Decimal("85000000000")) == "85.000"
    assert numbers.million_dong(Decimal("1250000")) == "1,3"


def test_indicator_values_carry_their_unit_and_precision():
    from indicators.models import Indicator, ValueType

    households = Indicator(unit_of_measure="hộ", decimal_places=0)
    rate = Indicator(unit_of_measure="%", decimal_places=2, value_type=ValueType.RATIO)
    assert households.format_with_unit(Decimal("4086")) == "4.086 hộ"
    assert households.format_value(Decimal("1.18")) == "1"
    assert rate.format_with_unit(Decimal("58.37")) == "58,37%"
    with translation.override("en"):
        assert households.format_with_unit(Decimal("4086")) == "4,086 hộ"


def test_in_english_numbers_are_read_with_english_marks():
    with translation.override("en"):
        assert parse_decimal("4,086") == Decimal("4086")
        assert parse_decimal("1,234.5") == Decimal("1234.5")
        assert parse_decimal("58.37") == Decimal("58.37")
        with pytest.raises(NumberFormatError, match="4,086"):
            parse_decimal("58,37")


def test_spreadsheet_cells_are_read_the_vietnamese_way_whatever_the_language():
    from backancity.numbers import VIETNAMESE

    with translation.override("en"):
        assert parse_decimal("4.086", marks=VIETNAMESE) == Decimal("4086")
        assert parse_decimal("58,37", marks=VIETNAMESE) == Decimal("58.37")
