"""Display filters for Vietnamese figures: {{ value|vn_number }} → 4.086,
{{ rate|vn_percent }} → 58,37%, {{ day|vn_long_date }} → ngày 10 tháng 4 năm 2023."""

from django import template

from backancity.numbers import format_decimal, format_million_dong, format_percent

register = template.Library()


@register.filter
def vn_number(value, places=None):
    if value is None or value == "":
        return ""
    return format_decimal(value, None if places is None else int(places))


@register.filter
def vn_percent(value, places=2):
    if value is None or value == "":
        return ""
    return format_percent(value, int(places))


@register.filter
def vn_long_date(day):
    if not day:
        return ""
    return f"ngày {day.day} tháng {day.month} năm {day.year}"


@register.filter
def vn_short_date(day):
    """10/4/2023: the short form used in running text of party documents."""
    if not day:
        return ""
    return f"{day.day}/{day.month}/{day.year}"


@register.filter
def million_dong(value):
    """An amount in đồng shown in triệu đồng, as reports write it."""
    return format_million_dong(value)


@register.filter
def indicator_value(value, indicator):
    return indicator.format_value(value)
