"""The conventions of party reports, one function each."""

import datetime
from decimal import Decimal

from reviews import phrasing as ph


def test_counts_under_ten_take_two_digits_and_larger_ones_are_grouped():
    assert [ph.count(n) for n in (0, 2, 4, 10, 24, 4086)] == ["00", "02", "04", "10", "24", "4.086"]
    assert ph.counted(2, "dự án trọng điểm") == "02 dự án trọng điểm"


def test_a_document_date_pads_days_under_ten_and_january_and_february():
    assert ph.document_date(datetime.date(2024, 1, 5)) == "ngày 05 tháng 01 năm 2024"
    assert ph.document_date(datetime.date(2023, 12, 20)) == "ngày 20 tháng 12 năm 2023"
    assert ph.document_date(datetime.date(2023, 4, 10)) == "ngày 10 tháng 4 năm 2023"


def test_a_date_in_running_text_is_short_without_padding():
    assert ph.short_date(datetime.date(2023, 4, 10)) == "10/4/2023"
    assert ph.short_date(datetime.date(2022, 10, 25)) == "25/10/2022"


def test_changes_against_the_same_period_read_as_reports_write_them():
    assert (
        ph.change_phrase(Decimal(186), amount="186 hộ", relative=Decimal("4.77"), previous_year=2023)
        == "tăng 186 hộ (4,77%) so với cùng kỳ năm 2023"
    )
    assert (
        ph.change_phrase(Decimal(-3), amount="03 hộ", relative=None, previous_year=2023) == "giảm 03 hộ so với cùng kỳ năm 2023"
    )
    assert ph.change_phrase(Decimal(0), amount="", relative=None, previous_year=2023) == "bằng cùng kỳ năm 2023"


def test_lists_and_sentences():
    assert ph.join_names(["A", "B", "C"]) == "A, B và C"
    assert ph.join_names(["A"]) == "A"
    assert ph.lower_first("Tăng gần 200 hộ") == "tăng gần 200 hộ"
    assert ph.lower_first("HTX Minh Anh") == "HTX Minh Anh"
    assert ph.sentence("đạt 58,37%") == "Đạt 58,37%."
    assert ph.million_dong(Decimal("12345600000")) == "12.345,6"
    assert ph.ratio_percent(Decimal(4086), Decimal(4000)) == Decimal("102.15")
