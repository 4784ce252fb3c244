"""Template helpers for the PDF template only."""

from django import template

from reviews.fetcher import static_url

register = template.Library()


@register.simple_tag
def pdf_static(path: str) -> str:
    """The address of a static file as the report's URL fetcher serves it."""
    return static_url(path)
