"""How party reports write figures, counts, dates and lists in running text.

"02 dự án trọng điểm", "đạt 102,15% kế hoạch", "tăng 186 hộ (4,77%) so với cùng kỳ năm
2022", "ngày 05 tháng 01 năm 2024": small, pure functions, so the composer reads as the
report does and the conventions are tested in one place.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from backancity.numbers import format_decimal, format_percent


def count(n: int) -> str:
    """Counts under ten are written with two digits in administrative text: 02, 04."""
    return f"{n:02d}" if 0 <= n < 10 else format_decimal(n)


def counted(n: int, noun: str) -> str:
    return f"{count(n)} {noun}"


def join_names(names: list[str]) -> str:
    """A, B và C."""
    names = [name for name in names if name]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} và {names[-1]}"


def lower_first(text: str) -> str:
    """Lower-case the first letter, for a phrase placed mid-sentence ("Tăng gần 200 hộ…" →
    "tăng gần 200 hộ…"). Leaves acronyms (two capitals in a row) alone."""
    if len(text) >= 2 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    text = upper_first(text)
    return text if text.endswith((".", "!", "?", ":")) else f"{text}."


def short_date(day: datetime.date | None) -> str:
    """10/4/2023: the form used for dates of documents in running text."""
    if day is None:
        return ""
    return f"{day.day}/{day.month}/{day.year}"


def document_date(day: datetime.date) -> str:
    """ "ngày 05 tháng 01 năm 2024": in a document's header, days under ten and the months
    January and February take a leading zero (Hướng dẫn 36-HD/VPTW)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def percent(value: Decimal | None, places: int = 2) -> str:
    return format_percent(value, places) if value is not None else ""


def ratio_percent(part: Decimal, whole: Decimal) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def million_dong(amount: Decimal | None) -> str:
    """An amount in đồng as reports print it, in triệu đồng with one decimal."""
    if amount is None:
        return ""
    return format_decimal((Decimal(amount) / 1_000_000).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), 1)


def change_phrase(delta: Decimal, *, amount: str, relative: Decimal | None, previous_year: int) -> str:
    """ "tăng 186 hộ (4,77%) so với cùng kỳ năm 2022", "giảm …", "bằng cùng kỳ năm 2022"."""
    if delta == 0:
        return f"bằng cùng kỳ năm {previous_year}"
    verb = "tăng" if delta > 0 else "giảm"
    share = f" ({percent(abs(relative))})" if relative is not None else ""
    return f"{verb} {amount}{share} so với cùng kỳ năm {previous_year}"
