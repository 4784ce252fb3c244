"""Links between the dashboard pages that keep the page's filters, and number text.

{% dash_url "dashboards:tasks" phan_loai="overdue" %} → /dieu-hanh/nhiem-vu/?nam=2026&phan_loai=overdue
{{ indicator.code|detail_url:"dashboards:indicator_detail" }} → /dieu-hanh/chi-tieu/ho-kinh-doanh/
"""

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, reverse

register = template.Library()

_PLACEHOLDER = "0000000000"


@register.simple_tag(takes_context=True)
def dash_url(context, name, *args, **params):
    filters = context.get("filters")
    query = filters.query(**params) if filters is not None else ""
    return reverse(name, args=args) + query


@lru_cache(maxsize=64)
def _pattern(name: str, prefix: str) -> str:
    # Tables link every row to its detail page: reverse once, then fill in the key.
    return reverse(name, args=[_PLACEHOLDER])


@register.filter
def detail_url(key, name):
    return _pattern(name, get_script_prefix()).replace(_PLACEHOLDER, str(key))


@register.filter
def with_unit(value, indicator):
    """4.086 hộ; 58,37% (a rate carries its % already)."""
    return indicator.format_with_unit(value)
