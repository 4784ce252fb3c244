"""The dashboards' fast number text is the portal's number text, character for character."""

import random
from decimal import Decimal

import pytest
from django.utils import translation

from backancity.numbers import format_decimal, format_percent
from dashboards import formatting
from indicators.models import Indicator, ValueType
from portal.templatetags.vn import million_dong

VALUES = [Decimal(v) for v in ["0", "4086", "58.37", "1234567.891", "-12.5", "0.004", "100", "2.7", "99.995", "0.05"]]
rng = random.Random(29)
VALUES += [Decimal(rng.randint(-(10**9), 10**9)) / Decimal(10 ** rng.randint(0, 4)) for _ in range(200)]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_numbers_match_the_portals_formatting(language):
    with translation.override(language):
        for value in VALUES:
            assert formatting.number(value) == format_decimal(value)
            for places in (0, 1, 2):
                assert formatting.number(value, places) == format_decimal(value, places)
                assert formatting.percent(value, places) == format_percent(value, places)
            assert formatting.million_dong(value * 1_000_000) == million_dong(value * 1_000_000)


def test_indicator_values_match_format_value():
    indicators = [
        Indicator(unit_of_measure="hộ", decimal_places=0),
        Indicator(unit_of_measure="tỷ đồng", decimal_places=1),
        Indicator(unit_of_measure="%", decimal_places=2, value_type=ValueType.RATIO),
        Indicator(unit_of_measure="%", decimal_places=0),
    ]
    for indicator in indicators:
        for value in VALUES:
            assert formatting.indicator_value(indicator, value) == indicator.format_value(value)


def test_vietnamese_grouping_and_decimal_mark():
    assert formatting.number(Decimal("1234567.5")) == "1.234.567,5"
    assert formatting.percent(Decimal("58.37")) == "58,37%"
    assert formatting.with_unit(Indicator(unit_of_measure="hộ"), Decimal(4086)) == "4.086 hộ"
    assert formatting.with_unit(Indicator(unit_of_measure="%", value_type=ValueType.RATIO), Decimal("58.37")) == "58,37%"
